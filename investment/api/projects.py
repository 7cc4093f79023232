"""The projects API: list (filtered like the pages), read, register with the first certificate, change the
zone, kind or sector. A project's ledger is investment.api.licences.

Thin viewsets over investment.selectors (reads) and investment.services (writes, audited with source
API). Scope comes from the selectors: another board's project answers 404; one the user may read but
not change answers 403. Projects carry `ETag: "<version>"`; a write may send `If-Match` and a stale
version answers 412 with the current values and what changed.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from kcn_portal.core.api import Versioned, call_service
from kcn_portal.core.concurrency import ConflictError
from kcn_portal.core.enums import AuditSource
from kcn_portal.core.pagination import KeysetCursorPagination
from zones import access
from zones.models import Zone

from ..enums import ProjectKind
from ..filters import ProjectFilter
from ..models import SHARE_ORDER, Project, ProjectInvestor
from ..selectors import projects as project_selectors
from ..services import licences as licence_services
from ..services import projects as project_services
from ..specs import INVESTOR, PROJECT
from .common import CONFLICT, IF_MATCH, CanWriteProjectBoard, EventFieldsSerializer

# --- serializers ---------------------------------------------------------------------------------


class ProjectInvestorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="investor.name", read_only=True)
    country = serializers.CharField(source="investor.country.code", read_only=True)

    class Meta:
        model = ProjectInvestor
        fields = ["name", "country", "share_pct"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    """A project and its current licence state (cached from the ledger)."""

    zone = serializers.CharField(source="zone.code", read_only=True)
    board = serializers.CharField(source="zone.board.code", read_only=True)
    investors = ProjectInvestorSerializer(source="shares", many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:project-detail", lookup_field="code")

    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "zone",
            "board",
            "kind",
            "sector",
            "status",
            "issued_on",
            "terminated_on",
            "capital_vnd",
            "capital_usd",
            "capital_vnd_derived",
            "capital_usd_derived",
            "land_area_ha",
            "investors",
            "version",
            "url",
        ]
        read_only_fields = fields


@extend_schema_field({"$ref": "#/components/schemas/ProjectKindEnum"})
class _ProjectKindField(serializers.ChoiceField):
    """FDI/DDI on input. The schema refers to the read shape's enum, so the enum keeps one owner (Project →
    ProjectKindEnum): shared by three components, drf-spectacular would give it a hashed name and a warning."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", ProjectKind.choices)
        super().__init__(**kwargs)


def _writable_zone_field(**kwargs) -> serializers.SlugRelatedField:
    # One message for "unknown" and "not yours", so the answer does not reveal other boards' zones.
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=Zone.objects.none(),
        error_messages={
            "does_not_exist": _("Khu “{value}” không tồn tại hoặc bạn không có quyền nhập dữ liệu cho khu này."),
            "invalid": _("Mã khu không hợp lệ."),
        },
        **kwargs,
    )


class _WritableZoneMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Lazy queryset: evaluated only when a zone code is actually written.
            self.fields["zone"].queryset = Zone.objects.filter(board__in=access.writable_boards(request.user))


class InvestorInputSerializer(serializers.Serializer):
    name = INVESTOR["name"].serializer_field()
    country = serializers.CharField(max_length=2, help_text=_("Mã quốc gia ISO 3166-1 alpha-2, ví dụ KR, VN."))
    share_pct = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)


def _kind_field(**kwargs) -> _ProjectKindField:
    return PROJECT["kind"].serializer_field(field_class=_ProjectKindField, **kwargs)


class ProjectCreateSerializer(_WritableZoneMixin, EventFieldsSerializer):
    """A new project with its first certificate (cấp mới); a missing currency is derived from the other."""

    zone = _writable_zone_field()
    code = PROJECT["code"].serializer_field()
    kind = _kind_field()
    sector = PROJECT["sector"].serializer_field(default="")
    investors = InvestorInputSerializer(many=True)
    event_fields = ("certificate_no", "event_date", "project_name", "capital_vnd", "capital_usd", "land_area_ha")
    event_fields += ("planned_employees", "note")
    event_options = {"note": {"default": ""}}


class ProjectUpdateSerializer(_WritableZoneMixin, serializers.Serializer):
    """What may change on a project itself; its name and capital change only through certificates."""

    zone = _writable_zone_field(required=False)
    kind = _kind_field(required=False)
    sector = PROJECT["sector"].serializer_field()


# --- views --------------------------------------------------------------------------------------

# The investors of every project of a page in one query (the list would otherwise ask per row).
_SHARES = Prefetch("shares", queryset=ProjectInvestor.objects.select_related("investor").order_by(*SHARE_ORDER))


class ProjectMixin(Versioned):
    def _project(self, code: str, *, write: bool = False):
        """The project with its zone, board and investors; 404 outside scope, 403 when read-only for the user."""
        project = (
            project_selectors.project_list(user=self.request.user).prefetch_related(_SHARES).filter(code=code).first()
        )
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
            {}
            if seen is None
            else project_services.project_changes_since(user=request.user, project=project, version=seen)
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
        parameters=[IF_MATCH],
        responses={200: ProjectSerializer, 412: CONFLICT},
        description="Đổi khu, loại dự án (FDI/DDI) hoặc ngành; tên và vốn chỉ đổi qua giấy chứng nhận.",
    ),
)
class ProjectViewSet(ProjectMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Investment projects of the boards in scope: list, read, register, change zone/kind/sector. No delete."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    pagination_class = KeysetCursorPagination
    permission_classes = [IsAuthenticated, CanWriteProjectBoard]
    lookup_field = "code"
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return project_selectors.project_list(user=self.request.user).prefetch_related(_SHARES)

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
            licence_services.project_register, user=request.user, source=AuditSource.API, **serializer.validated_data
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
                project_services.project_update,
                user=request.user,
                project=project,
                expected_version=project.version,
                source=AuditSource.API,
                **serializer.validated_data,
            )
        except ConflictError as exc:
            return self._project_conflict(project.code, exc.changed)
        project = self._project(project.code)
        return self._etag(Response(self._project_data(project)), project.version)
