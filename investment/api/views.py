"""API views for projects, their licence ledger, enterprise reports and exchange rates.

Thin viewsets over investment.selectors (reads) and investment.services (writes, audited with
source API). Scope comes from the selectors: another board's objects answer 404; an object the
user may read but not change answers 403. Projects and reports carry `ETag: "<version>"`; a write
may send `If-Match` and a stale version answers 412 with the current values and what changed.
The ledger is append-only: events are added (POST) and corrected (a new version), never edited.
"""

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from investment import selectors, services
from investment.enums import EventKind
from investment.filters import EnterpriseReportFilter, ProjectFilter
from investment.models import REPORT_FIGURES, LicenceEvent, ProjectInvestor
from investment.selectors import SHARE_ORDER
from kcn_portal.core.api import Versioned, call_service
from kcn_portal.core.concurrency import changes_since
from kcn_portal.core.enums import AuditSource
from kcn_portal.core.pagination import KeysetCursorPagination
from zones import access

from .serializers import (
    EnterpriseReportSerializer,
    ExchangeRateSerializer,
    LicenceEventAppendSerializer,
    LicenceEventCorrectionSerializer,
    LicenceEventSerializer,
    ProjectCreateSerializer,
    ProjectSerializer,
    ProjectUpdateSerializer,
)

# --- access --------------------------------------------------------------------------------------


class CanWriteProjectBoard(BasePermission):
    """Reading follows the selectors' scope; writing needs write access to the object's board (else 403)."""

    message = gettext_lazy("Bạn chỉ được xem, không được sửa dữ liệu dự án của Ban quản lý này.")
    create_message = gettext_lazy("Bạn không có quyền tạo dự án cho Ban quản lý nào.")

    def has_permission(self, request, view):
        # A user who can write no board at all (ministry, leaders) cannot create anything.
        if view.action == "create" and not access.can_write_any_board(request.user):
            self.message = self.create_message
            return False
        return True

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or access.can_write_board(request.user, view.board_of(obj))


class CanWriteReportBoard(CanWriteProjectBoard):
    message = gettext_lazy("Bạn chỉ được xem, không được sửa báo cáo của Ban quản lý này.")
    create_message = gettext_lazy("Bạn không có quyền nhập báo cáo cho Ban quản lý nào.")


# --- ETag / If-Match -----------------------------------------------------------------------------

_IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='ETag của lần đọc trước, ví dụ "3"; khác phiên bản đang lưu thì bị từ chối (412).',
)
_PROJECT_IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='ETag của dự án (phiên bản), ví dụ "3"; dự án đã đổi từ lần đọc đó thì bị từ chối (412).',
)
_CONFLICT = OpenApiResponse(description="Dữ liệu đã bị thay đổi; thân trả về chứa giá trị hiện tại.")
_PROJECT_CODE = OpenApiParameter("project_code", OpenApiTypes.STR, OpenApiParameter.PATH, description="Mã số dự án")


# --- projects ------------------------------------------------------------------------------------

# The investors of every project of a page in one query (the list would otherwise ask per row).
_SHARES = Prefetch("shares", queryset=ProjectInvestor.objects.select_related("investor").order_by(*SHARE_ORDER))


class _ProjectMixin(Versioned):
    def _project(self, code: str, *, write: bool = False):
        """The project with its zone, board and investors; 404 outside scope, 403 when read-only for the user."""
        project = selectors.project_list(user=self.request.user).prefetch_related(_SHARES).filter(code=code).first()
        if project is None:
            # Same answer for "no such project" and "not yours"; Django's own 404 text is English.
            raise NotFound(_("Không tìm thấy dự án “%(code)s”.") % {"code": code})
        if write and not access.can_write_board(self.request.user, project.zone.board):
            raise PermissionDenied(CanWriteProjectBoard.message)
        return project

    def _project_data(self, project) -> dict:
        return ProjectSerializer(project, context=self.get_serializer_context()).data

    def _project_conflict(self, code: str, changed: dict):
        project = self._project(code)
        return self._precondition_failed(self._project_data(project), project.version, changed)

    def _stale_project(self, request, project):
        """The 412 answer when If-Match names an older version of the project, else None."""
        if self._if_match_ok(request, project.version):
            return None
        seen = self._seen_version(request)
        changed = (
            {} if seen is None else services.project_changes_since(user=request.user, project=project, version=seen)
        )
        return self._precondition_failed(self._project_data(project), project.version, changed)


@extend_schema_view(
    list=extend_schema(
        description=(
            "Dự án trong phạm vi người dùng, lọc như trang danh sách. Phân trang bằng con trỏ (`cursor`): "
            "mặc định theo ngày cấp mới giảm dần rồi mã số dự án; với `sort` thì theo trường đó rồi khóa chính. "
            "Dùng các liên kết `next`/`previous`; con trỏ của một cách sắp xếp không dùng được cho cách khác."
        )
    ),
    retrieve=extend_schema(description="Một dự án; header ETag là phiên bản của dự án."),
    create=extend_schema(
        request=ProjectCreateSerializer,
        responses={201: ProjectSerializer},
        description="Đăng ký dự án cùng giấy chứng nhận cấp mới; thiếu VND hoặc USD thì quy đổi theo tỷ giá.",
    ),
    partial_update=extend_schema(
        request=ProjectUpdateSerializer,
        parameters=[_IF_MATCH],
        responses={200: ProjectSerializer, 412: _CONFLICT},
        description="Đổi khu, loại dự án (FDI/DDI) hoặc ngành; tên và vốn chỉ đổi qua giấy chứng nhận.",
    ),
)
class ProjectViewSet(_ProjectMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Investment projects of the boards in scope: list, read, register, change zone/kind/sector. No delete."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    pagination_class = KeysetCursorPagination
    permission_classes = [IsAuthenticated, CanWriteProjectBoard]
    lookup_field = "code"
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.project_list(user=self.request.user).prefetch_related(_SHARES)

    @staticmethod
    def board_of(project):
        return project.zone.board

    def get_object(self):
        project = self._project(self.kwargs["code"])
        self.check_object_permissions(self.request, project)
        return project

    def retrieve(self, request, *args, **kwargs):
        project = self.get_object()
        return self._etag(Response(self._project_data(project)), project.version)

    def create(self, request, *args, **kwargs):
        serializer = ProjectCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        project = call_service(
            services.project_register, user=request.user, source=AuditSource.API, **serializer.validated_data
        )
        data = self._project_data(self._project(project.code))
        response = Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["url"]})
        return self._etag(response, data["version"])

    def partial_update(self, request, *args, **kwargs):
        project = self.get_object()
        # The precondition is checked before the body: a stale client must reload whatever it sent.
        stale = self._stale_project(request, project)
        if stale is not None:
            return stale
        serializer = ProjectUpdateSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        try:
            # expected_version also catches a save that lands between our read and the service's row lock.
            call_service(
                services.project_update,
                user=request.user,
                project=project,
                expected_version=project.version,
                source=AuditSource.API,
                **serializer.validated_data,
            )
        except services.ConflictError as exc:
            return self._project_conflict(project.code, exc.changed)
        project = self._project(project.code)
        return self._etag(Response(self._project_data(project)), project.version)


# --- the licence ledger of a project -------------------------------------------------------------

_ALL_VERSIONS = OpenApiParameter(
    "all",
    OpenApiTypes.BOOL,
    OpenApiParameter.QUERY,
    description="1: liệt kê cả các phiên bản đã được đính chính (is_current = false) và sự kiện đã hủy.",
)


@extend_schema_view(
    list=extend_schema(
        parameters=[_PROJECT_CODE, _ALL_VERSIONS],
        description=(
            "Sổ cấp phép của dự án theo thứ tự sổ (ngày; cùng ngày: cấp mới, điều chỉnh, chấm dứt), không phân trang. "
            "Header ETag là phiên bản của dự án."
        ),
    ),
    retrieve=extend_schema(parameters=[_PROJECT_CODE], description="Một phiên bản của một sự kiện."),
    create=extend_schema(
        parameters=[_PROJECT_CODE, _PROJECT_IF_MATCH],
        request=LicenceEventAppendSerializer,
        responses={201: LicenceEventSerializer, 412: _CONFLICT},
        description="Ghi giấy chứng nhận điều chỉnh (`adjust`, vốn sau điều chỉnh) hoặc quyết định chấm dứt.",
    ),
    corrections=extend_schema(
        parameters=[_PROJECT_CODE, _PROJECT_IF_MATCH],
        request=LicenceEventCorrectionSerializer,
        responses={201: LicenceEventSerializer, 412: _CONFLICT},
        description="Đính chính một sự kiện: thêm phiên bản mới (bắt buộc lý do); phiên bản cũ vẫn còn trong sổ.",
    ),
)
class LicenceEventViewSet(_ProjectMixin, viewsets.GenericViewSet):
    """A project's licence ledger: read, append (POST), correct (POST …/corrections/). Never PUT, PATCH, DELETE."""

    serializer_class = LicenceEventSerializer
    # For the schema only (path parameter types); every read goes through the selectors.
    queryset = LicenceEvent.objects.none()
    pagination_class = None
    lookup_value_regex = r"\d+"

    def _event(self, project, pk) -> LicenceEvent:
        try:
            event = selectors.event_get(user=self.request.user, pk=pk)
        except Http404:
            event = None
        if event is None or event.project_id != project.pk:
            raise NotFound(_("Không tìm thấy sự kiện cấp phép này."))
        return event

    def list(self, request, project_code=None):
        project = self._project(project_code)
        show_all = request.query_params.get("all", "").lower() in ("1", "true", "yes")
        events = []
        for entry in selectors.project_ledger(project=project):
            if show_all:
                events += [entry.current, *entry.history]
            elif entry.current.is_live:
                events.append(entry.current)
        return self._etag(Response(self.get_serializer(events, many=True).data), project.version)

    def retrieve(self, request, project_code=None, pk=None):
        event = self._event(self._project(project_code), pk)
        return Response(self.get_serializer(event).data)

    def _written(self, event, project_code):
        project = self._project(project_code)
        return self._etag(Response(self.get_serializer(event).data, status=status.HTTP_201_CREATED), project.version)

    def create(self, request, project_code=None):
        project = self._project(project_code, write=True)
        stale = self._stale_project(request, project)
        if stale is not None:
            return stale
        serializer = LicenceEventAppendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        kind, data = serializer.service_data()
        service = services.licence_adjust if kind == EventKind.ADJUST else services.licence_terminate
        try:
            event = call_service(
                service,
                user=request.user,
                project=project,
                expected_version=project.version,
                source=AuditSource.API,
                **data,
            )
        except services.ConflictError as exc:
            return self._project_conflict(project.code, exc.changed)
        return self._written(event, project_code)

    @action(detail=True, methods=["post"], url_path="corrections")
    def corrections(self, request, project_code=None, pk=None):
        project = self._project(project_code, write=True)
        event = self._event(project, pk)
        stale = self._stale_project(request, project)
        if stale is not None:
            return stale
        serializer = LicenceEventCorrectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            new = call_service(
                services.licence_correct,
                user=request.user,
                event=event,
                reason=data.pop("reason"),
                voided=data.pop("voided"),
                expected_version=project.version,
                source=AuditSource.API,
                **data,
            )
        except services.ConflictError as exc:
            return self._project_conflict(project.code, exc.changed)
        return self._written(new, project_code)


# --- enterprise reports --------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        description=(
            "Báo cáo quý của doanh nghiệp trong phạm vi người dùng. Phân trang bằng con trỏ: "
            "năm và quý giảm dần, rồi mã số dự án."
        )
    ),
    retrieve=extend_schema(description="Một báo cáo; header ETag là phiên bản của báo cáo."),
    update=extend_schema(parameters=[_IF_MATCH], responses={200: EnterpriseReportSerializer, 412: _CONFLICT}),
    partial_update=extend_schema(parameters=[_IF_MATCH], responses={200: EnterpriseReportSerializer, 412: _CONFLICT}),
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
        return selectors.report_list(user=self.request.user).select_related("updated_by")

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
        if selectors.report_get(user=request.user, project=project, year=year, quarter=quarter) is not None:
            # POST never overwrites: changing a report is a PUT/PATCH with its ETag.
            message = _("Dự án %(code)s đã có báo cáo quý %(period)s; hãy sửa báo cáo đó.")
            raise serializers.ValidationError(
                {"quarter": [message % {"code": project.code, "period": f"{year}-Q{quarter}"}]}
            )
        report, _created = call_service(
            services.enterprise_report_save,
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
                services.enterprise_report_save,
                user=request.user,
                project=report.project,
                year=report.year,
                quarter=report.quarter,
                expected_version=report.version,
                source=AuditSource.API,
                **figures,
            )
        except services.ConflictError as exc:
            current = self.get_object()
            return self._precondition_failed(self.get_serializer(current).data, current.version, exc.changed)
        return self._answer(report)


# --- exchange rates ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(description="Danh mục tỷ giá USD/VND theo khoảng ngày, mới nhất trước (phân trang con trỏ)."),
)
class ExchangeRateViewSet(viewsets.ReadOnlyModelViewSet):
    """The USD→VND catalogue, read-only for every signed-in user (administrators edit it in the admin)."""

    serializer_class = ExchangeRateSerializer
    pagination_class = KeysetCursorPagination
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.exchange_rate_list()

    def get_object(self):
        rate = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if rate is None:
            raise NotFound(_("Không tìm thấy tỷ giá này."))
        return rate
