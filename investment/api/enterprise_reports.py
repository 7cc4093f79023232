"""The enterprise quarterly reports API (DOMAIN.md §3): list, read, create, change; never delete.

Reports carry `ETag: "<version>"`; a PUT/PATCH may send `If-Match` and a stale version answers 412 with
the current values and what changed. Writes go through investment.services.enterprise_reports.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from kcn_portal.core.api import Versioned, call_service
from kcn_portal.core.concurrency import ConflictError, changes_since
from kcn_portal.core.enums import AuditSource
from kcn_portal.core.pagination import KeysetCursorPagination
from zones import access

from ..filters import EnterpriseReportFilter
from ..models import REPORT_FIGURES, EnterpriseReport, Project
from ..selectors import enterprise_reports as enterprise_report_selectors
from ..services import enterprise_reports as enterprise_report_services
from ..specs import ENTERPRISE_REPORT
from .common import CONFLICT, IF_MATCH, CanWriteReportBoard


class EnterpriseReportSerializer(serializers.ModelSerializer):
    """A project's figures for one quarter; the project, year and quarter are fixed once created."""

    project = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Project.objects.none(),
        error_messages={
            "does_not_exist": _("Dự án “{value}” không tồn tại hoặc bạn không có quyền nhập dữ liệu cho dự án này."),
            "invalid": _("Mã số dự án không hợp lệ."),
        },
    )
    board = serializers.CharField(source="project.zone.board.code", read_only=True)
    period = serializers.CharField(read_only=True)
    updated_by = serializers.CharField(source="updated_by.username", read_only=True, allow_null=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:enterprise-report-detail")

    class Meta:
        model = EnterpriseReport
        fields = [
            "id",
            "project",
            "board",
            "year",
            "quarter",
            "period",
            *REPORT_FIGURES,
            "version",
            "updated_by",
            "updated_at",
            "url",
        ]
        read_only_fields = ["id", "version", "updated_at"]
        # The quarter's uniqueness is answered by the view with a clearer message than DRF's.
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REPORT_FIGURES:
            # The figures are read as the pages read them (investment.specs.ENTERPRISE_REPORT).
            self.fields[name] = ENTERPRISE_REPORT[name].serializer_field()
        if self.instance is not None and not isinstance(self.instance, (list, tuple)):
            # A report stays with its project and quarter; to move figures, write the other quarter.
            for name in ("project", "year", "quarter"):
                self.fields[name].read_only = True
        request = self.context.get("request")
        if request is not None and not self.fields["project"].read_only:
            self.fields["project"].queryset = Project.objects.filter(
                zone__board__in=access.writable_boards(request.user)
            )


@extend_schema_view(
    list=extend_schema(
        description=(
            "Báo cáo quý của doanh nghiệp trong phạm vi người dùng. Phân trang bằng con trỏ: "
            "năm và quý giảm dần, rồi mã số dự án."
        )
    ),
    retrieve=extend_schema(description="Một báo cáo; header ETag là phiên bản của báo cáo."),
    update=extend_schema(parameters=[IF_MATCH], responses={200: EnterpriseReportSerializer, 412: CONFLICT}),
    partial_update=extend_schema(parameters=[IF_MATCH], responses={200: EnterpriseReportSerializer, 412: CONFLICT}),
)
class EnterpriseReportViewSet(
    Versioned,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Enterprise quarterly reports (DOMAIN.md §3): list, read, create, change; never delete."""

    serializer_class = EnterpriseReportSerializer
    filterset_class = EnterpriseReportFilter
    pagination_class = KeysetCursorPagination
    permission_classes = [IsAuthenticated, CanWriteReportBoard]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return enterprise_report_selectors.report_list(user=self.request.user).select_related("updated_by")

    @staticmethod
    def board_of(report):
        return report.project.zone.board

    def get_object(self):
        report = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if report is None:
            raise NotFound(_("Không tìm thấy báo cáo này."))
        self.check_object_permissions(self.request, report)
        return report

    def retrieve(self, request, *args, **kwargs):
        report = self.get_object()
        return self._etag(Response(self.get_serializer(report).data), report.version)

    def _answer(self, report, status_code=status.HTTP_200_OK):
        report = self.get_queryset().get(pk=report.pk)
        return self._etag(Response(self.get_serializer(report).data, status=status_code), report.version)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        project, year, quarter = data.pop("project"), data.pop("year"), data.pop("quarter")
        if (
            enterprise_report_selectors.report_get(user=request.user, project=project, year=year, quarter=quarter)
            is not None
        ):
            # POST never overwrites: changing a report is a PUT/PATCH with its ETag.
            message = _("Dự án %(code)s đã có báo cáo quý %(period)s; hãy sửa báo cáo đó.")
            raise serializers.ValidationError(
                {"quarter": [message % {"code": project.code, "period": f"{year}-Q{quarter}"}]}
            )
        report, _created = call_service(
            enterprise_report_services.enterprise_report_save,
            user=request.user,
            project=project,
            year=year,
            quarter=quarter,
            source=AuditSource.API,
            **data,
        )
        return self._answer(report, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        report = self.get_object()
        if not self._if_match_ok(request, report.version):
            seen = self._seen_version(request)
            changed = {} if seen is None else changes_since(report, seen)
            return self._precondition_failed(self.get_serializer(report).data, report.version, changed)
        partial = kwargs.get("partial", False)
        serializer = self.get_serializer(report, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        figures = dict(serializer.validated_data)
        if not partial:
            # PUT replaces the report: a figure left out is cleared.
            figures = {name: figures.get(name) for name in REPORT_FIGURES}
        try:
            report, _created = call_service(
                enterprise_report_services.enterprise_report_save,
                user=request.user,
                project=report.project,
                year=report.year,
                quarter=report.quarter,
                expected_version=report.version,
                source=AuditSource.API,
                **figures,
            )
        except ConflictError as exc:
            current = self.get_object()
            return self._precondition_failed(self.get_serializer(current).data, current.version, exc.changed)
        return self._answer(report)
