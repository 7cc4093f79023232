"""API of a bloc year's scoring: a round (its state, ranking, close and publish) and its scorecards (read,
self-score, submit, review, return)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from emulation import access
from emulation.api.serializers.scoring import (
    RankingEntrySerializer,
    ReturnSerializer,
    ReviewSerializer,
    RoundSerializer,
    ScorecardSerializer,
    ScorecardSummarySerializer,
    SelfSaveSerializer,
)
from emulation.api.views.common import CODE, KIND, PATH_BOARD, PATH_CODE, PATH_YEAR, REFUSED, BlocYearMixin
from emulation.enums import RoundKind
from emulation.models import ScoringRound
from emulation.selectors import scoring as scoring_selectors
from emulation.services import scoring
from kcn_portal.core.api import Versioned, call_service
from kcn_portal.core.concurrency import ConflictError, changes_since
from kcn_portal.core.enums import AuditSource

CANNOT_SELF_SCORE = gettext_lazy("Chỉ chuyên viên của Ban được tự chấm điểm phiếu của Ban mình.")
CANNOT_SUBMIT = gettext_lazy("Chỉ lãnh đạo của Ban được gửi phiếu tự chấm của Ban mình.")
CANNOT_REVIEW = gettext_lazy(
    "Bạn không thẩm định được phiếu này: lãnh đạo Ban Khối trưởng, Khối phó thẩm định, không Ban nào tự thẩm định mình."
)
CANNOT_CLOSE = gettext_lazy("Chỉ lãnh đạo Ban Khối trưởng được khóa và công bố kết quả chấm điểm.")

_KIND = OpenApiParameter(
    "kind", OpenApiTypes.STR, OpenApiParameter.PATH, enum=RoundKind.values, description="Đợt chấm: mid_year, year_end"
)
_IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='ETag của phiếu (phiên bản), ví dụ "3"; phiếu đã đổi từ lần đọc đó thì bị từ chối (412).',
)
_CONFLICT = OpenApiResponse(description="Phiếu đã bị thay đổi; thân trả về chứa phiếu hiện tại.")


# --- rounds and the ranking ---------------------------------------------------------------------------


@extend_schema(parameters=[PATH_CODE, PATH_YEAR, _KIND])
class RoundViewSet(BlocYearMixin, viewsets.GenericViewSet):
    """A round of the year: its state, its frozen ranking, and the leader's close and publish."""

    serializer_class = RoundSerializer
    queryset = ScoringRound.objects.none()
    lookup_field = "kind"
    lookup_value_regex = KIND

    def retrieve(self, request, *args, **kwargs):
        return Response(RoundSerializer(self._round()).data)

    @extend_schema(responses={200: RankingEntrySerializer(many=True), 404: REFUSED[404]})
    @action(detail=True, methods=["get"])
    def ranking(self, request, *args, **kwargs):
        """The frozen ranking; a member gets 404 until it is published, managers and the ministry once closed."""
        entries = scoring_selectors.published_ranking(user=request.user, scoring_round=self._round())
        if not entries:
            raise NotFound(_("Chưa có kết quả xếp hạng của đợt chấm này."))
        return Response(RankingEntrySerializer(entries, many=True).data)

    def _leader_only(self, scoring_round):
        if not access.leads_year(self.request.user, scoring_round.bloc_year):
            raise PermissionDenied(CANNOT_CLOSE)

    @extend_schema(request=None, responses={200: RankingEntrySerializer(many=True), **REFUSED})
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        """The bloc leader closes scoring; the answer is the ranking frozen by the close."""
        scoring_round = self._round()
        self._leader_only(scoring_round)
        entries = call_service(
            scoring.round_close, user=request.user, scoring_round=scoring_round, source=AuditSource.API
        )
        return Response(RankingEntrySerializer(entries, many=True).data)

    @extend_schema(request=None, responses={200: RoundSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        """The bloc leader publishes a closed round's ranking to the members."""
        scoring_round = self._round()
        self._leader_only(scoring_round)
        scoring_round = call_service(
            scoring.round_publish, user=request.user, scoring_round=scoring_round, source=AuditSource.API
        )
        return Response(RoundSerializer(scoring_round).data)


# --- scorecards ------------------------------------------------------------------------------------------


@extend_schema(parameters=[PATH_CODE, PATH_YEAR, _KIND, PATH_BOARD])
@extend_schema_view(
    list=extend_schema(
        responses=ScorecardSummarySerializer(many=True),
        description=(
            "Phiếu chấm của đợt mà người dùng được xem: trước khi công bố, thành viên chỉ thấy phiếu của Ban mình, "
            "người thẩm định thấy phiếu các Ban mình thẩm định; Bộ thấy tất cả. Không phân trang."
        ),
    ),
    retrieve=extend_schema(description="Một phiếu với từng tiêu chí và điểm thưởng, trừ; header ETag là phiên bản."),
)
class ScorecardViewSet(BlocYearMixin, Versioned, viewsets.GenericViewSet):
    """A round's scorecards: read, self-score, submit, review, return. Criteria are named by their codes."""

    serializer_class = ScorecardSerializer
    queryset = ScoringRound.objects.none()
    pagination_class = None
    lookup_field = "board"
    lookup_value_regex = CODE

    # -- reads

    def list(self, request, *args, **kwargs):
        rows = scoring_selectors.progress(user=request.user, scoring_round=self._round())
        return Response(ScorecardSummarySerializer(rows, many=True).data)

    def _card(self):
        scoring_round, board = self._round(), self.kwargs["board"]
        try:
            return scoring_selectors.scorecard_get(
                user=self.request.user, scoring_round=scoring_round, board_code=board
            )
        except Http404:
            # Another member's card before publication is "not found", exactly like a missing one.
            raise NotFound(
                _("Không tìm thấy phiếu chấm điểm của Ban “%(board)s”.") % {"board": board.upper()}
            ) from None

    def _answer(self, card):
        return self._etag(Response(ScorecardSerializer(card).data), card.version)

    def retrieve(self, request, *args, **kwargs):
        return self._answer(self._card())

    # -- writes: one path for the four, in the order 404, 403, 412, 400, then the service

    def _conflict(self, card, seen: int | None):
        """412 with the card as stored and {field: [value at `seen`, value now]} from the audit trail."""
        changed = changes_since(card, seen) if seen is not None else {}
        return self._precondition_failed(ScorecardSerializer(card).data, card.version, changed)

    def _write(self, allowed, refusal, service, body=None):
        """Check the right (`allowed(user, card)`, else 403 `refusal`) and If-Match, read `body` (a serializer
        turning the request into the service's arguments), call `service`; answer the card as saved."""
        card = self._card()
        if not allowed(self.request.user, card):
            raise PermissionDenied(refusal)
        # The precondition is checked before the body: a stale client must reload whatever it sent.
        if not self._if_match_ok(self.request, card.version):
            return self._conflict(card, self._seen_version(self.request))
        arguments = {}
        if body is not None:
            serializer = body(data=self.request.data, context={"card": card})
            serializer.is_valid(raise_exception=True)
            arguments = dict(serializer.validated_data)
        # expected_version also catches a save that lands between our read and the service's row lock.
        arguments["expected_version"] = card.version
        try:
            call_service(service, user=self.request.user, scorecard=card, source=AuditSource.API, **arguments)
        except ConflictError:
            return self._conflict(self._card(), card.version)
        return self._answer(self._card())

    @extend_schema(
        request=SelfSaveSerializer,
        parameters=[_IF_MATCH],
        responses={200: ScorecardSerializer, 412: _CONFLICT, **REFUSED},
        description=(
            'Tự chấm theo số hiệu tiêu chí: {"scores": {"1.1": {"points": "9.75", "evidence": "…"}}, '
            '"claims": {"<id nội dung thưởng, trừ>": {"count": 1, "note": "…"}}}; phần không gửi giữ nguyên.'
        ),
    )
    @action(detail=True, methods=["patch"], url_path="self")
    def self_score(self, request, *args, **kwargs):
        return self._write(access.can_edit_own_card, CANNOT_SELF_SCORE, scoring.scorecard_self_save,
                           SelfSaveSerializer)  # fmt: skip

    @extend_schema(
        request=None,
        parameters=[_IF_MATCH],
        responses={200: ScorecardSerializer, 412: _CONFLICT, **REFUSED},
        description="Lãnh đạo Ban gửi phiếu tự chấm (mọi tiêu chí phải có điểm).",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        return self._write(access.can_submit_own_card, CANNOT_SUBMIT, scoring.scorecard_submit)

    @extend_schema(
        request=ReviewSerializer,
        parameters=[_IF_MATCH],
        responses={200: ScorecardSerializer, 412: _CONFLICT, **REFUSED},
        description=(
            'Thẩm định theo số hiệu tiêu chí: {"reviews": {"1.1": {"points": "9", "comment": "…"}}, '
            '"claims": {"<id nội dung thưởng, trừ>": {"count": 1}}}; phần không gửi giữ nguyên.'
        ),
    )
    @action(detail=True, methods=["patch"])
    def review(self, request, *args, **kwargs):
        return self._write(access.can_review, CANNOT_REVIEW, scoring.scorecard_review, ReviewSerializer)  # fmt: skip

    @extend_schema(
        request=ReturnSerializer,
        parameters=[_IF_MATCH],
        responses={200: ScorecardSerializer, 412: _CONFLICT, **REFUSED},
        description="Người thẩm định trả lại phiếu đã gửi để Ban sửa, ghi rõ lý do.",
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_card(self, request, *args, **kwargs):
        return self._write(access.can_review, CANNOT_REVIEW, scoring.scorecard_return, ReturnSerializer)
