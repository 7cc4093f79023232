"""API views for boards and zones: thin viewsets over zones.selectors (reads) and zones.services (writes).

Scope comes from the selectors, so anything outside the user's readable boards answers 404;
a readable object the user may not change answers 403. Zones carry `ETag: "<version>"` and
accept `If-Match` on PUT/PATCH: a stale version answers 412 with the current values.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from kcn_portal.core.api import Versioned, call_service
from kcn_portal.core.enums import AuditSource
from zones import selectors, services
from zones.filters import BoardFilter, ZoneFilter

from .permissions import CanManageBoards, CanWriteZoneBoard
from .serializers import BoardSerializer, ZoneSerializer


class _ApiViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create, update; never delete (boards and zones are retired by status, not removed)."""


class BoardViewSet(_ApiViewSet):
    """Management boards (Ban quản lý): everyone signed in reads the boards in scope; administrators write."""

    serializer_class = BoardSerializer
    filterset_class = BoardFilter
    permission_classes = [IsAuthenticated, CanManageBoards]
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9_-]+"

    def get_queryset(self):
        return selectors.board_list(user=self.request.user)

    def get_object(self):
        # The annotated board_list rather than board_get: the detail carries the zone count and sums.
        code = self.kwargs["code"]
        try:
            board = get_object_or_404(self.get_queryset(), code=code)
        except Http404:
            # Same answer for "no such board" and "not yours"; Django's own 404 text is English.
            raise NotFound(_("Không tìm thấy Ban quản lý “%(code)s”.") % {"code": code}) from None
        self.check_object_permissions(self.request, board)
        return board

    def _reload(self, board):
        return self.get_queryset().get(pk=board.pk)

    def perform_create(self, serializer):
        board = call_service(
            services.board_create, user=self.request.user, source=AuditSource.API, **serializer.validated_data
        )
        serializer.instance = self._reload(board)

    def perform_update(self, serializer):
        board = call_service(
            services.board_update,
            user=self.request.user,
            board=serializer.instance,
            source=AuditSource.API,
            **serializer.validated_data,
        )
        serializer.instance = self._reload(board)


_IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='ETag của lần đọc trước, ví dụ "3"; khác phiên bản đang lưu thì bị từ chối (412).',
)
_CONFLICT = OpenApiResponse(description="Dữ liệu đã bị thay đổi; thân trả về chứa giá trị hiện tại.")


@extend_schema_view(
    update=extend_schema(parameters=[_IF_MATCH], responses={200: ZoneSerializer, 412: _CONFLICT}),
    partial_update=extend_schema(parameters=[_IF_MATCH], responses={200: ZoneSerializer, 412: _CONFLICT}),
)
class ZoneViewSet(Versioned, _ApiViewSet):
    """Zones (KCN, KCX, KKT) of the boards in scope; filters as on the zone list page."""

    serializer_class = ZoneSerializer
    filterset_class = ZoneFilter
    permission_classes = [IsAuthenticated, CanWriteZoneBoard]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.zone_list(user=self.request.user)

    def get_object(self):
        try:
            zone = selectors.zone_get(user=self.request.user, pk=self.kwargs["pk"])
        except Http404:
            # Same answer for "no such zone" and "not yours"; Django's own 404 text is English.
            raise NotFound(_("Không tìm thấy khu này.")) from None
        self.check_object_permissions(self.request, zone)
        return zone

    def _zone_conflict(self, zone, changed: dict):
        return self._precondition_failed(self.get_serializer(zone).data, zone.version, changed)

    def retrieve(self, request, *args, **kwargs):
        zone = self.get_object()
        return self._etag(Response(self.get_serializer(zone).data), zone.version)

    def perform_create(self, serializer):
        serializer.instance = call_service(
            services.zone_create, user=self.request.user, source=AuditSource.API, **serializer.validated_data
        )

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        return self._etag(response, response.data["version"])

    def update(self, request, *args, **kwargs):
        zone = self.get_object()
        # The precondition is checked before the body: a stale client must reload whatever it sent.
        if not self._if_match_ok(request, zone.version):
            seen = self._seen_version(request)
            changed = selectors.zone_changes_since(user=request.user, zone=zone, version=seen) if seen else {}
            return self._zone_conflict(zone, changed)
        serializer = self.get_serializer(zone, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        try:
            # expected_version also catches a save that lands between our read and the service's row lock.
            zone = call_service(
                services.zone_update,
                user=request.user,
                zone=zone,
                expected_version=zone.version,
                source=AuditSource.API,
                **serializer.validated_data,
            )
        except services.ConflictError as exc:
            return self._zone_conflict(self.get_object(), exc.changed)
        return self._etag(Response(self.get_serializer(zone).data), zone.version)
