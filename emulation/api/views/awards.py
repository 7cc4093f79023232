"""API of movements (read, launch, change, advance), award decisions (read, record) and the titles catalogue
with each title's eligibility check."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from emulation import access, filters
from emulation.api.serializers.awards import (
    AwardDecisionDetailSerializer,
    AwardDecisionSerializer,
    AwardDecisionWriteSerializer,
    AwardTitleSerializer,
    EligibilityQuerySerializer,
    EligibilitySerializer,
    MovementAdvanceSerializer,
    MovementSerializer,
    MovementWriteSerializer,
)
from emulation.api.views.common import CHANGED, CODE, IF_MATCH, REFUSED
from emulation.eligibility import check as check_eligibility
from emulation.models import AwardDecision, AwardTitle, Movement
from emulation.selectors import awards as awards_selectors
from emulation.services import awards
from kcn_portal.core.api import Versioned, call_service
from kcn_portal.core.concurrency import ConflictError, changes_since
from kcn_portal.core.enums import AuditSource

CANNOT_LAUNCH = gettext_lazy("Bạn không có quyền phát động phong trào.")
CANNOT_CHANGE_MOVEMENT = gettext_lazy("Bạn không có quyền sửa phong trào này.")
CANNOT_RECORD_AWARDS = gettext_lazy("Bạn không có quyền ghi quyết định khen thưởng.")


# --- movements and awards --------------------------------------------------------------------------------

_MOVEMENT_FILTERS = [
    OpenApiParameter("status", OpenApiTypes.STR, description="launched, reviewing, awarded"),
    OpenApiParameter("level", OpenApiTypes.STR, description="cấp phát động: ministry, province, bloc, board"),
    OpenApiParameter("year", OpenApiTypes.INT, description="phong trào diễn ra trong năm này"),
]
_DECISION_FILTERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="năm thành tích"),
    OpenApiParameter("title", OpenApiTypes.INT, description="id danh hiệu, hình thức"),
    OpenApiParameter("level", OpenApiTypes.STR, description="cấp: base, province, government, state"),
    OpenApiParameter("board", OpenApiTypes.STR, description="mã Ban có người, tập thể được khen"),
    OpenApiParameter("movement", OpenApiTypes.INT, description="id phong trào"),
]


@extend_schema_view(
    list=extend_schema(parameters=_MOVEMENT_FILTERS, description="Phong trào thi đua (mọi người dùng đều xem)."),
    retrieve=extend_schema(description="Một phong trào; header ETag là phiên bản."),
    create=extend_schema(
        request=MovementWriteSerializer,
        responses={201: MovementSerializer, 400: REFUSED[400], 403: REFUSED[403]},
        description=(
            "Phát động phong trào: Bộ ở mọi cấp; chuyên viên Ban chỉ phong trào cấp Ban của Ban mình "
            "(launched_by_level = board, launched_by_board = mã Ban). Khối, Ban tham gia theo mã."
        ),
    ),
    partial_update=extend_schema(
        request=MovementWriteSerializer,
        parameters=[IF_MATCH],
        responses={200: MovementSerializer, 412: CHANGED, **REFUSED},
        description="Sửa phong trào (Bộ; Ban: phong trào Ban mình phát động); trường không gửi giữ nguyên.",
    ),
)
class MovementViewSet(Versioned, viewsets.ReadOnlyModelViewSet):
    """Emulation movements with their participants and attachments: read, launch, change, advance."""

    serializer_class = MovementSerializer
    filterset_class = filters.MovementFilter
    queryset = Movement.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return awards_selectors.movement_list_in_full(user=self.request.user)

    def _movement(self) -> Movement:
        try:
            return awards_selectors.movement_get(user=self.request.user, pk=self.kwargs["pk"])
        except Http404:
            raise NotFound(_("Không tìm thấy phong trào thi đua này.")) from None

    def _answer(self, movement, status_code=status.HTTP_200_OK, headers=None):
        movement = awards_selectors.movement_get(user=self.request.user, pk=movement.pk)
        return self._etag(Response(MovementSerializer(movement).data, status=status_code, headers=headers),
                          movement.version)  # fmt: skip

    def _conflict(self, movement, seen: int | None):
        changed = changes_since(movement, seen) if seen is not None else {}
        return self._precondition_failed(MovementSerializer(movement).data, movement.version, changed)

    def _writable(self) -> Movement:
        """The movement of the URL (404), which the user may change (403)."""
        movement = self._movement()
        if not access.can_write_movement(self.request.user, movement):
            raise PermissionDenied(CANNOT_CHANGE_MOVEMENT)
        return movement

    def _body(self, *, partial: bool) -> dict:
        launch_boards = awards_selectors.movement_launch_boards(user=self.request.user)
        serializer = MovementWriteSerializer(data=self.request.data, partial=partial,
                                             context={"launch_boards": launch_boards})  # fmt: skip
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def retrieve(self, request, *args, **kwargs):
        movement = self._movement()
        return self._etag(Response(MovementSerializer(movement).data), movement.version)

    def create(self, request, *args, **kwargs):
        if not access.creates_movements_or_awards(request.user):
            raise PermissionDenied(CANNOT_LAUNCH)
        data = self._body(partial=False)
        # The service decides the level: a board's staff launching above their board is refused (403).
        movement = call_service(
            awards.movement_save,
            user=request.user,
            blocs=data.pop("blocs", ()),
            boards=data.pop("boards", ()),
            launched_by_board=data.pop("launched_by_board", None),
            source=AuditSource.API,
            **data,
        )
        location = request.build_absolute_uri(reverse("api:movement-detail", kwargs={"pk": movement.pk}))
        return self._answer(movement, status.HTTP_201_CREATED, {"Location": location})

    def partial_update(self, request, *args, **kwargs):
        movement = self._writable()
        # The precondition is checked before the body: a stale client must reload whatever it sent.
        if not self._if_match_ok(request, movement.version):
            return self._conflict(movement, self._seen_version(request))
        data = self._body(partial=True)
        # The service sets the launching board and the participants from its arguments: what is left out stays.
        blocs = data.pop("blocs") if "blocs" in data else list(movement.blocs.all())
        boards = data.pop("boards") if "boards" in data else list(movement.boards.all())
        board = data.pop("launched_by_board") if "launched_by_board" in data else movement.launched_by_board
        try:
            call_service(
                awards.movement_save,
                user=request.user,
                movement=movement,
                blocs=blocs,
                boards=boards,
                launched_by_board=board,
                # Also catches a save that lands between our read and the service's row lock.
                expected_version=movement.version,
                source=AuditSource.API,
                **data,
            )
        except ConflictError:
            return self._conflict(self._movement(), movement.version)
        return self._answer(movement)

    @extend_schema(
        request=MovementAdvanceSerializer,
        parameters=[IF_MATCH],
        responses={200: MovementSerializer, 412: CHANGED, **REFUSED},
        description="Chuyển trạng thái tiếp: launched → reviewing → awarded (không quay lại).",
    )
    @action(detail=True, methods=["post"])
    def advance(self, request, *args, **kwargs):
        movement = self._writable()
        if not self._if_match_ok(request, movement.version):
            return self._conflict(movement, self._seen_version(request))
        serializer = MovementAdvanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        call_service(awards.movement_advance, user=request.user, movement=movement,
                     status=serializer.validated_data["status"], source=AuditSource.API)  # fmt: skip
        return self._answer(movement)


@extend_schema_view(
    list=extend_schema(
        parameters=_DECISION_FILTERS,
        description="Quyết định khen thưởng có người, tập thể thuộc Ban người dùng được xem (Bộ: tất cả).",
    ),
    retrieve=extend_schema(responses=AwardDecisionDetailSerializer),
    create=extend_schema(
        request=AwardDecisionWriteSerializer,
        responses={201: AwardDecisionDetailSerializer, 400: REFUSED[400], 403: REFUSED[403]},
        description=(
            "Ghi quyết định khen thưởng cùng người, tập thể được khen (theo Ban, loại, tên; chưa có thì tạo), "
            "tất cả hoặc không gì: Bộ cho mọi Ban, chuyên viên Ban chỉ cho Ban mình."
        ),
    ),
)
class AwardDecisionViewSet(viewsets.ReadOnlyModelViewSet):
    """Award decisions naming a recipient of a board the user reads (the ministry reads them all); recording one."""

    serializer_class = AwardDecisionSerializer
    filterset_class = filters.AwardDecisionFilter
    queryset = AwardDecision.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return awards_selectors.decision_list(user=self.request.user)

    def retrieve(self, request, *args, **kwargs):
        try:
            decision = awards_selectors.decision_get(user=request.user, pk=self.kwargs["pk"])
        except Http404:
            raise NotFound(_("Không tìm thấy quyết định khen thưởng này.")) from None
        return Response(AwardDecisionDetailSerializer(decision).data)

    def create(self, request, *args, **kwargs):
        user = request.user
        if not access.creates_movements_or_awards(user):
            raise PermissionDenied(CANNOT_RECORD_AWARDS)
        # A recipient's board must be one the user may write awards for (as in the page's board select).
        context = {"recipient_boards": awards_selectors.recipient_boards(user=user)}
        serializer = AwardDecisionWriteSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        rows = [dict(row) for row in data.pop("recipients")]
        decision = call_service(awards.award_decision_record, user=user, rows=rows, source=AuditSource.API, **data)
        decision = awards_selectors.decision_get(user=user, pk=decision.pk)
        location = request.build_absolute_uri(reverse("api:award-decision-detail", kwargs={"pk": decision.pk}))
        return Response(AwardDecisionDetailSerializer(decision).data, status=status.HTTP_201_CREATED,
                        headers={"Location": location})  # fmt: skip


@extend_schema_view(list=extend_schema(description="Danh mục danh hiệu, hình thức khen thưởng và điều kiện xét."))
class AwardTitleViewSet(viewsets.ReadOnlyModelViewSet):
    """The catalogue of titles and forms of commendation with their eligibility rules (not paginated)."""

    serializer_class = AwardTitleSerializer
    queryset = AwardTitle.objects.none()
    pagination_class = None
    lookup_field = "code"
    lookup_value_regex = CODE

    def get_queryset(self):
        return awards_selectors.title_catalogue(user=self.request.user)

    def get_object(self):
        title = self.get_queryset().filter(code=self.kwargs["code"].upper()).first()
        if title is None:
            raise NotFound(_("Không tìm thấy danh hiệu, hình thức khen thưởng này."))
        return title

    @extend_schema(
        parameters=[
            OpenApiParameter("recipient", OpenApiTypes.INT, required=True, description="id người, tập thể được khen"),
            OpenApiParameter("year", OpenApiTypes.INT, required=True, description="năm xét, ví dụ 2025"),
        ],
        responses={200: EligibilitySerializer, 400: REFUSED[400], 404: REFUSED[404]},
        description=(
            "Người, tập thể (thuộc Ban người dùng được xem) có đủ điều kiện đề nghị danh hiệu này trong năm xét "
            "không: từng điều kiện kèm lời giải thích theo các lần khen trước năm đó."
        ),
    )
    @action(detail=True, methods=["get"])
    def eligibility(self, request, *args, **kwargs):
        """Whether the recipient (of a board the user reads) may be proposed for the title in the year,
        each rule explained in words from the recipient's earlier awards."""
        title = self.get_object()
        query = EligibilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            recipient = awards_selectors.recipient_get(user=request.user, pk=query.validated_data["recipient"])
        except Http404:
            raise NotFound(_("Không tìm thấy người, tập thể được khen này.")) from None
        result = check_eligibility(recipient, title, query.validated_data["year"])
        return Response(EligibilitySerializer(result, context={"recipient": recipient}).data)
