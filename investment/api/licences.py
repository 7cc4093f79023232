"""The licence ledger API of a project: read it, append a certificate (adjust, terminate), correct one.

The ledger is append-only: events are added (POST) and corrected (a new version), never edited. Every
write goes through investment.services.licences with the project's version (If-Match: 412 when stale).
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from kcn_portal.core.api import call_service
from kcn_portal.core.concurrency import ConflictError
from kcn_portal.core.enums import AuditSource

from ..enums import EventKind, TerminationGround
from ..models import LicenceEvent
from ..selectors import licences as licence_selectors
from ..services import licences as licence_services
from ..specs import ADJUST_FIELDS, EVENT_FIELDS, LICENCE_EVENT, TERMINATE_FIELDS
from .common import CONFLICT, PROJECT_CODE, PROJECT_IF_MATCH, EventFieldsSerializer
from .projects import ProjectMixin

# --- serializers ---------------------------------------------------------------------------------


class LicenceEventSerializer(serializers.ModelSerializer):
    """One version of one licence event; `is_current` false for a version a correction replaced."""

    label = serializers.CharField(read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True, allow_null=True)
    # "" on issues and adjustments: the schema says so (the model field's choices alone would not).
    termination_ground = serializers.ChoiceField(choices=TerminationGround.choices, allow_blank=True, read_only=True)

    class Meta:
        model = LicenceEvent
        fields = [
            "id",
            "kind",
            "adjust_no",
            "label",
            "certificate_no",
            "event_date",
            "project_name",
            "capital_vnd",
            "capital_usd",
            "capital_vnd_derived",
            "capital_usd_derived",
            "capital_change_vnd",
            "capital_change_usd",
            "land_area_ha",
            "planned_employees",
            "changes_note",
            "termination_ground",
            "termination_case",
            "note",
            "version",
            "is_current",
            "voided",
            "reason",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class LicenceEventAppendSerializer(EventFieldsSerializer):
    """A new certificate: `adjust` (capital *after* it; project name defaults to the current) or `terminate`."""

    kind = LICENCE_EVENT["kind"].serializer_field(
        choices=[(kind.value, kind.label) for kind in (EventKind.ADJUST, EventKind.TERMINATE)]
    )
    event_fields = EVENT_FIELDS
    event_options = {"project_name": {"required": False, "allow_blank": True}}

    def service_data(self) -> tuple[str, dict]:
        """The event kind and the fields its service takes."""
        data = dict(self.validated_data)
        kind = data.pop("kind")
        # The fields each kind of new event takes; anything else in the body is ignored.
        names = ADJUST_FIELDS if kind == EventKind.ADJUST else TERMINATE_FIELDS
        return kind, {name: value for name, value in data.items() if name in names}


class LicenceEventCorrectionSerializer(EventFieldsSerializer):
    """A correction: the reason, and only the fields that change (or `voided` to cancel the event)."""

    reason = LICENCE_EVENT["reason"].serializer_field(required=True)
    voided = serializers.BooleanField(required=False, default=False)
    event_fields = EVENT_FIELDS
    event_optional = True


# --- views --------------------------------------------------------------------------------------

_ALL_VERSIONS = OpenApiParameter(
    "all",
    OpenApiTypes.BOOL,
    OpenApiParameter.QUERY,
    description="1: liệt kê cả các phiên bản đã được đính chính (is_current = false) và sự kiện đã hủy.",
)


@extend_schema_view(
    list=extend_schema(
        parameters=[PROJECT_CODE, _ALL_VERSIONS],
        description=(
            "Sổ cấp phép của dự án theo thứ tự sổ (ngày; cùng ngày: cấp mới, điều chỉnh, chấm dứt), không phân trang. "
            "Header ETag là phiên bản của dự án."
        ),
    ),
    retrieve=extend_schema(parameters=[PROJECT_CODE], description="Một phiên bản của một sự kiện."),
    create=extend_schema(
        parameters=[PROJECT_CODE, PROJECT_IF_MATCH],
        request=LicenceEventAppendSerializer,
        responses={201: LicenceEventSerializer, 412: CONFLICT},
        description="Ghi giấy chứng nhận điều chỉnh (`adjust`, vốn sau điều chỉnh) hoặc quyết định chấm dứt.",
    ),
    corrections=extend_schema(
        parameters=[PROJECT_CODE, PROJECT_IF_MATCH],
        request=LicenceEventCorrectionSerializer,
        responses={201: LicenceEventSerializer, 412: CONFLICT},
        description="Đính chính một sự kiện: thêm phiên bản mới (bắt buộc lý do); phiên bản cũ vẫn còn trong sổ.",
    ),
)
class LicenceEventViewSet(ProjectMixin, viewsets.GenericViewSet):
    """A project's licence ledger: read, append (POST), correct (POST …/corrections/). Never PUT, PATCH, DELETE."""

    serializer_class = LicenceEventSerializer
    # For the schema only (path parameter types); every read goes through the selectors.
    queryset = LicenceEvent.objects.none()
    pagination_class = None
    lookup_value_regex = r"\d+"

    def _event(self, project, pk) -> LicenceEvent:
        try:
            event = licence_selectors.event_get(user=self.request.user, pk=pk)
        except Http404:
            event = None
        if event is None or event.project_id != project.pk:
            raise NotFound(_("Không tìm thấy sự kiện cấp phép này."))
        return event

    def list(self, request, project_code=None):
        project = self._project(project_code)
        show_all = request.query_params.get("all", "").lower() in ("1", "true", "yes")
        events = []
        for entry in licence_selectors.project_ledger(project=project):
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
        service = licence_services.licence_adjust if kind == EventKind.ADJUST else licence_services.licence_terminate
        try:
            event = call_service(
                service,
                user=request.user,
                project=project,
                expected_version=project.version,
                source=AuditSource.API,
                **data,
            )
        except ConflictError as exc:
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
                licence_services.licence_correct,
                user=request.user,
                event=event,
                reason=data.pop("reason"),
                voided=data.pop("voided"),
                expected_version=project.version,
                source=AuditSource.API,
                **data,
            )
        except ConflictError as exc:
            return self._project_conflict(project.code, exc.changed)
        return self._written(new, project_code)
