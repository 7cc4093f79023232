"""API of the emulation app (DOMAIN.md §8): bloc years, scoring tables, scorecards, rankings, movements, awards.

A bloc year is addressed by bloc code and year, as in the pages (`/emulation/DBSH/2025/`):

    bloc-years/                                            the years the user may open
    bloc-years/<code>/<year>/                              one year; …/table/ its scoring table
    bloc-years/<code>/<year>/rounds/<kind>/                a round (kind: mid_year | year_end);
                                                           …/ranking/ (GET), …/close/ and …/publish/ (POST)
    bloc-years/<code>/<year>/rounds/<kind>/scorecards/     the cards the user may read; …/<board>/ one card,
                                                           …/self/ and …/review/ (PATCH), …/submit/ and …/return/ (POST)
    bloc-years/<code>/<year>/registrations/                every member's registration status; …/<board>/ one
                                                           registration (GET, PUT), …/<board>/submit/ (POST)
    movements/                                             read, launch (POST), change (PATCH), …/<id>/advance/ (POST)
    award-decisions/                                       read, record (POST)
    award-titles/                                          read; …/<code>/eligibility/?recipient=&year= (GET)

Thin views: reads through emulation.selectors(_awards), writes through emulation.services, every
decision in emulation.access. Whatever the user may not read answers 404 (another member's card
before publication or registration, a ranking not yet published, a year of another bloc); a readable
object the user may not change answers 403 with the reason; a refused value 400 with the service's
messages. Cards, registrations and movements carry `ETag: "<version>"`; a write sending an older version
in `If-Match` answers 412 and saves nothing (the ETag/If-Match handling is kcn_portal.core.api's
`Versioned`, shared by every app's API).
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.settings import api_settings

from emulation import access, selectors, selectors_awards, services, services_awards
from emulation.eligibility import check as check_eligibility
from emulation.enums import RoundKind
from emulation.models import AwardDecision, AwardTitle, BlocYear, Movement, Registration, ScoringRound
from kcn_portal.core.api import Versioned, call_service
from kcn_portal.core.concurrency import ConflictError, changes_since
from kcn_portal.core.enums import AuditSource

from .serializers import (
    AwardDecisionDetailSerializer,
    AwardDecisionSerializer,
    AwardDecisionWriteSerializer,
    AwardTitleSerializer,
    BlocYearSerializer,
    EligibilityQuerySerializer,
    EligibilitySerializer,
    MovementAdvanceSerializer,
    MovementSerializer,
    MovementWriteSerializer,
    RankingEntrySerializer,
    RegistrationRowSerializer,
    RegistrationSaveSerializer,
    RegistrationSerializer,
    ReturnSerializer,
    ReviewSerializer,
    RoundSerializer,
    ScorecardSerializer,
    ScorecardSummarySerializer,
    ScoringTableSerializer,
    SelfSaveSerializer,
)

# Path patterns, shared with kcn_portal/api_router.py. Codes follow zones.models.code_validator.
CODE = r"[A-Za-z0-9_-]+"
YEAR = r"[0-9]{4}"
KIND = "|".join(RoundKind.values)

CANNOT_SELF_SCORE = gettext_lazy("Chỉ chuyên viên của Ban được tự chấm điểm phiếu của Ban mình.")
CANNOT_SUBMIT = gettext_lazy("Chỉ lãnh đạo của Ban được gửi phiếu tự chấm của Ban mình.")
CANNOT_REVIEW = gettext_lazy(
    "Bạn không thẩm định được phiếu này: lãnh đạo Ban Khối trưởng, Khối phó thẩm định, không Ban nào tự thẩm định mình."
)
CANNOT_CLOSE = gettext_lazy("Chỉ lãnh đạo Ban Khối trưởng được khóa và công bố kết quả chấm điểm.")
CANNOT_EDIT_REGISTRATION = gettext_lazy("Chỉ chuyên viên của Ban được sửa đăng ký thi đua của Ban mình.")
CANNOT_SUBMIT_REGISTRATION = gettext_lazy("Chỉ lãnh đạo của Ban được gửi đăng ký thi đua của Ban mình.")
CANNOT_LAUNCH = gettext_lazy("Bạn không có quyền phát động phong trào.")
CANNOT_CHANGE_MOVEMENT = gettext_lazy("Bạn không có quyền sửa phong trào này.")
CANNOT_RECORD_AWARDS = gettext_lazy("Bạn không có quyền ghi quyết định khen thưởng.")


# --- parameters and responses of the schema ---------------------------------------------------------

_CODE = OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, description="Mã khối thi đua, ví dụ DBSH")
_YEAR = OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.PATH, description="Năm, ví dụ 2025")
_KIND = OpenApiParameter(
    "kind", OpenApiTypes.STR, OpenApiParameter.PATH, enum=RoundKind.values, description="Đợt chấm: mid_year, year_end"
)
_BOARD = OpenApiParameter("board", OpenApiTypes.STR, OpenApiParameter.PATH, description="Mã Ban quản lý, ví dụ NDH")
_IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='ETag của phiếu (phiên bản), ví dụ "3"; phiếu đã đổi từ lần đọc đó thì bị từ chối (412).',
)
_CONFLICT = OpenApiResponse(description="Phiếu đã bị thay đổi; thân trả về chứa phiếu hiện tại.")
_VERSION_IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='ETag của lần đọc trước (phiên bản), ví dụ "3"; đã đổi từ lần đọc đó thì bị từ chối (412).',
)
_CHANGED = OpenApiResponse(description="Dữ liệu đã bị thay đổi; thân trả về chứa giá trị hiện tại.")
_REFUSED = {
    400: OpenApiResponse(description="Giá trị không hợp lệ; thông báo nêu rõ lý do."),
    403: OpenApiResponse(description="Được xem nhưng không được thực hiện thao tác này."),
    404: OpenApiResponse(description="Không có, hoặc người dùng không được xem."),
}


# --- bloc years --------------------------------------------------------------------------------------


@extend_schema_view(list=extend_schema(description="Khối thi đua theo năm mà người dùng được xem (Bộ: tất cả)."))
class BlocYearViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The bloc years the user may open (ministry: all; a board: the years its board is a member of)."""

    serializer_class = BlocYearSerializer

    def get_queryset(self):
        return selectors.bloc_years_in_full(user=self.request.user)


class _BlocYearMixin:
    """The bloc year, round and card named by the URL, each answering 404 outside the user's scope."""

    def _bloc_year(self) -> BlocYear:
        code, year = self.kwargs["code"], int(self.kwargs["year"])
        try:
            return selectors.bloc_year_get(user=self.request.user, code=code, year=year)
        except Http404:
            # Same answer for "no such year" and "not yours"; Django's own 404 text is English.
            raise NotFound(_("Không tìm thấy khối thi đua “%(code)s” năm %(year)s.") % {
                "code": code.upper(), "year": year}) from None  # fmt: skip

    def _round(self) -> ScoringRound:
        bloc_year, kind = self._bloc_year(), self.kwargs["kind"]
        try:
            return selectors.round_get(user=self.request.user, bloc_year=bloc_year, kind=kind)
        except Http404:
            raise NotFound(_("Khối chưa có đợt chấm điểm này.")) from None


@extend_schema(parameters=[_CODE, _YEAR])
class BlocYearDetailViewSet(_BlocYearMixin, viewsets.GenericViewSet):
    """One bloc year at bloc-years/<code>/<year>/ and its scoring table at …/table/."""

    serializer_class = BlocYearSerializer
    # For the schema only (path parameter types); every read goes through the selectors.
    queryset = BlocYear.objects.none()
    lookup_field = "year"
    lookup_value_regex = YEAR

    def retrieve(self, request, *args, **kwargs):
        bloc_year = selectors.bloc_years_in_full(user=request.user).get(pk=self._bloc_year().pk)
        return Response(BlocYearSerializer(bloc_year).data)

    @extend_schema(responses={200: ScoringTableSerializer, 404: _REFUSED[404]})
    @action(detail=True, methods=["get"])
    def table(self, request, *args, **kwargs):
        table = selectors.table_of(self._bloc_year())
        if table is None:
            raise NotFound(_("Khối chưa có bảng chấm điểm năm này."))
        return Response(ScoringTableSerializer(table).data)


# --- rounds and the ranking ---------------------------------------------------------------------------


@extend_schema(parameters=[_CODE, _YEAR, _KIND])
class RoundViewSet(_BlocYearMixin, viewsets.GenericViewSet):
    """A round of the year: its state, its frozen ranking, and the leader's close and publish."""

    serializer_class = RoundSerializer
    queryset = ScoringRound.objects.none()
    lookup_field = "kind"
    lookup_value_regex = KIND

    def retrieve(self, request, *args, **kwargs):
        return Response(RoundSerializer(self._round()).data)

    @extend_schema(responses={200: RankingEntrySerializer(many=True), 404: _REFUSED[404]})
    @action(detail=True, methods=["get"])
    def ranking(self, request, *args, **kwargs):
        """The frozen ranking; a member gets 404 until it is published, managers and the ministry once closed."""
        entries = selectors.published_ranking(user=request.user, scoring_round=self._round())
        if not entries:
            raise NotFound(_("Chưa có kết quả xếp hạng của đợt chấm này."))
        return Response(RankingEntrySerializer(entries, many=True).data)

    def _leader_only(self, scoring_round):
        if not access.leads_year(self.request.user, scoring_round.bloc_year):
            raise PermissionDenied(CANNOT_CLOSE)

    @extend_schema(request=None, responses={200: RankingEntrySerializer(many=True), **_REFUSED})
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        """The bloc leader closes scoring; the answer is the ranking frozen by the close."""
        scoring_round = self._round()
        self._leader_only(scoring_round)
        entries = call_service(
            services.round_close, user=request.user, scoring_round=scoring_round, source=AuditSource.API
        )
        return Response(RankingEntrySerializer(entries, many=True).data)

    @extend_schema(request=None, responses={200: RoundSerializer, **_REFUSED})
    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        """The bloc leader publishes a closed round's ranking to the members."""
        scoring_round = self._round()
        self._leader_only(scoring_round)
        scoring_round = call_service(
            services.round_publish, user=request.user, scoring_round=scoring_round, source=AuditSource.API
        )
        return Response(RoundSerializer(scoring_round).data)


# --- scorecards ------------------------------------------------------------------------------------------


@extend_schema(parameters=[_CODE, _YEAR, _KIND, _BOARD])
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
class ScorecardViewSet(_BlocYearMixin, Versioned, viewsets.GenericViewSet):
    """A round's scorecards: read, self-score, submit, review, return. Criteria are named by their codes."""

    serializer_class = ScorecardSerializer
    queryset = ScoringRound.objects.none()
    pagination_class = None
    lookup_field = "board"
    lookup_value_regex = CODE

    # -- reads

    def list(self, request, *args, **kwargs):
        rows = selectors.progress(user=request.user, scoring_round=self._round())
        return Response(ScorecardSummarySerializer(rows, many=True).data)

    def _card(self):
        scoring_round, board = self._round(), self.kwargs["board"]
        try:
            return selectors.scorecard_get(user=self.request.user, scoring_round=scoring_round, board_code=board)
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
        responses={200: ScorecardSerializer, 412: _CONFLICT, **_REFUSED},
        description=(
            'Tự chấm theo số hiệu tiêu chí: {"scores": {"1.1": {"points": "9.75", "evidence": "…"}}, '
            '"claims": {"<id nội dung thưởng, trừ>": {"count": 1, "note": "…"}}}; phần không gửi giữ nguyên.'
        ),
    )
    @action(detail=True, methods=["patch"], url_path="self")
    def self_score(self, request, *args, **kwargs):
        return self._write(access.can_edit_own_card, CANNOT_SELF_SCORE, services.scorecard_self_save,
                           SelfSaveSerializer)  # fmt: skip

    @extend_schema(
        request=None,
        parameters=[_IF_MATCH],
        responses={200: ScorecardSerializer, 412: _CONFLICT, **_REFUSED},
        description="Lãnh đạo Ban gửi phiếu tự chấm (mọi tiêu chí phải có điểm).",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        return self._write(access.can_submit_own_card, CANNOT_SUBMIT, services.scorecard_submit)

    @extend_schema(
        request=ReviewSerializer,
        parameters=[_IF_MATCH],
        responses={200: ScorecardSerializer, 412: _CONFLICT, **_REFUSED},
        description=(
            'Thẩm định theo số hiệu tiêu chí: {"reviews": {"1.1": {"points": "9", "comment": "…"}}, '
            '"claims": {"<id nội dung thưởng, trừ>": {"count": 1}}}; phần không gửi giữ nguyên.'
        ),
    )
    @action(detail=True, methods=["patch"])
    def review(self, request, *args, **kwargs):
        return self._write(access.can_review, CANNOT_REVIEW, services.scorecard_review, ReviewSerializer)  # fmt: skip

    @extend_schema(
        request=ReturnSerializer,
        parameters=[_IF_MATCH],
        responses={200: ScorecardSerializer, 412: _CONFLICT, **_REFUSED},
        description="Người thẩm định trả lại phiếu đã gửi để Ban sửa, ghi rõ lý do.",
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_card(self, request, *args, **kwargs):
        return self._write(access.can_review, CANNOT_REVIEW, services.scorecard_return, ReturnSerializer)


# --- registrations ---------------------------------------------------------------------------------------


@extend_schema(parameters=[_CODE, _YEAR])
@extend_schema_view(
    list=extend_schema(
        responses=RegistrationRowSerializer(many=True),
        description=(
            "Mọi thành viên của khối năm theo thứ tự của khối, với trạng thái đăng ký (cả khối đều xem); "
            "danh hiệu và số chỉ tiêu chỉ có khi người dùng được mở đăng ký đó (`readable`). Không phân trang."
        ),
    ),
    retrieve=extend_schema(
        parameters=[_BOARD],
        description="Đăng ký của một thành viên: danh hiệu và chỉ tiêu giao ước; header ETag là phiên bản.",
    ),
)
class RegistrationViewSet(_BlocYearMixin, Versioned, viewsets.GenericViewSet):
    """A bloc year's registrations by member board code: read, save the draft (PUT), submit (POST)."""

    serializer_class = RegistrationSerializer
    queryset = Registration.objects.none()
    pagination_class = None
    lookup_field = "board"
    lookup_value_regex = CODE

    def list(self, request, *args, **kwargs):
        rows = selectors.registration_rows(user=request.user, bloc_year=self._bloc_year())
        return Response(RegistrationRowSerializer(rows, many=True).data)

    def _member(self):
        """(the year, the member board of the URL, the user's mode); 404 when the user may not open it."""
        bloc_year, code = self._bloc_year(), self.kwargs["board"]
        board = selectors.member_get(bloc_year, code)
        mode = access.registration_mode(self.request.user, bloc_year, board.pk) if board else None
        if mode is None:
            # Same answer for "not a member" and "not yours".
            raise NotFound(_("Không tìm thấy đăng ký thi đua của Ban “%(board)s”.") % {"board": code.upper()})
        return bloc_year, board, mode

    def _registration(self, bloc_year, board) -> Registration | None:
        return selectors.registrations(user=self.request.user, bloc_year=bloc_year).filter(board=board).first()

    def _answer(self, registration, status_code=status.HTTP_200_OK):
        response = Response(RegistrationSerializer(registration).data, status=status_code)
        return self._etag(response, registration.version)

    def _conflict(self, registration, seen: int | None):
        changed = changes_since(registration, seen) if seen is not None else {}
        return self._precondition_failed(RegistrationSerializer(registration).data, registration.version, changed)

    def retrieve(self, request, *args, **kwargs):
        bloc_year, board, _mode = self._member()
        registration = self._registration(bloc_year, board)
        if registration is None:
            raise NotFound(_("Ban “%(board)s” chưa có đăng ký thi đua năm %(year)s.") % {
                "board": board.code, "year": bloc_year.year})  # fmt: skip
        return self._answer(registration)

    @extend_schema(
        request=RegistrationSaveSerializer,
        parameters=[_BOARD, _VERSION_IF_MATCH],
        responses={200: RegistrationSerializer, 201: RegistrationSerializer, 412: _CHANGED, **_REFUSED},
        description=(
            "Chuyên viên của Ban lưu bản nháp (tạo mới: 201). Gửi cả đăng ký: "
            '{"titles": ["CO_BO"], "targets": [{"description": "", "indicator": "new_projects", '
            '"target_value": "12"}], "note": ""}; chỉ tiêu không gửi thì bị xóa. Đăng ký đã gửi không sửa được.'
        ),
    )
    def update(self, request, *args, **kwargs):
        bloc_year, board, mode = self._member()
        if mode != "edit":
            raise PermissionDenied(CANNOT_EDIT_REGISTRATION)
        registration = self._registration(bloc_year, board)
        # The precondition is checked before the body: a stale client must reload whatever it sent.
        if registration is None:
            if self._if_match_tags(request) is not None:
                # Nothing stored yet: no version (not even "*") matches (RFC 9110 §13.1.1).
                response = self._precondition_failed(None, 0, {})
                del response["ETag"]
                return response
        elif not self._if_match_ok(request, registration.version):
            return self._conflict(registration, self._seen_version(request))
        serializer = RegistrationSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            call_service(
                services.registration_save,
                user=request.user,
                bloc_year=bloc_year,
                board=board,
                titles=data["titles"],
                targets=[dict(row) for row in data["targets"]],
                note=data["note"],
                # Also catches a save that lands between our read and the service's row lock.
                expected_version=registration.version if registration else None,
                source=AuditSource.API,
            )
        except ConflictError:
            return self._conflict(self._registration(bloc_year, board), registration.version)
        code = status.HTTP_201_CREATED if registration is None else status.HTTP_200_OK
        return self._answer(self._registration(bloc_year, board), code)

    @extend_schema(
        request=None,
        parameters=[_BOARD, _VERSION_IF_MATCH],
        responses={200: RegistrationSerializer, 412: _CHANGED, **_REFUSED},
        description="Lãnh đạo Ban gửi đăng ký (cần ít nhất một danh hiệu hoặc chỉ tiêu); đã gửi thì không sửa được.",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        bloc_year, board, _mode = self._member()
        if not access.can_submit_registration(request.user, board.pk):
            raise PermissionDenied(CANNOT_SUBMIT_REGISTRATION)
        registration = self._registration(bloc_year, board)
        if registration is None:
            raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [_("Chưa có đăng ký để gửi.")]})
        if not self._if_match_ok(request, registration.version):
            return self._conflict(registration, self._seen_version(request))
        call_service(services.registration_submit, user=request.user, registration=registration, source=AuditSource.API)
        return self._answer(self._registration(bloc_year, board))


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
        responses={201: MovementSerializer, 400: _REFUSED[400], 403: _REFUSED[403]},
        description=(
            "Phát động phong trào: Bộ ở mọi cấp; chuyên viên Ban chỉ phong trào cấp Ban của Ban mình "
            "(launched_by_level = board, launched_by_board = mã Ban). Khối, Ban tham gia theo mã."
        ),
    ),
    partial_update=extend_schema(
        request=MovementWriteSerializer,
        parameters=[_VERSION_IF_MATCH],
        responses={200: MovementSerializer, 412: _CHANGED, **_REFUSED},
        description="Sửa phong trào (Bộ; Ban: phong trào Ban mình phát động); trường không gửi giữ nguyên.",
    ),
)
class MovementViewSet(Versioned, viewsets.ReadOnlyModelViewSet):
    """Emulation movements with their participants and attachments: read, launch, change, advance."""

    serializer_class = MovementSerializer
    queryset = Movement.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors_awards.movement_list_in_full(user=self.request.user, filters=self.request.query_params)

    def _movement(self) -> Movement:
        try:
            return selectors_awards.movement_get(user=self.request.user, pk=self.kwargs["pk"])
        except Http404:
            raise NotFound(_("Không tìm thấy phong trào thi đua này.")) from None

    def _answer(self, movement, status_code=status.HTTP_200_OK, headers=None):
        movement = selectors_awards.movement_get(user=self.request.user, pk=movement.pk)
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
        launch_boards = selectors_awards.movement_launch_boards(user=self.request.user)
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
            services_awards.movement_save,
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
                services_awards.movement_save,
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
        parameters=[_VERSION_IF_MATCH],
        responses={200: MovementSerializer, 412: _CHANGED, **_REFUSED},
        description="Chuyển trạng thái tiếp: launched → reviewing → awarded (không quay lại).",
    )
    @action(detail=True, methods=["post"])
    def advance(self, request, *args, **kwargs):
        movement = self._writable()
        if not self._if_match_ok(request, movement.version):
            return self._conflict(movement, self._seen_version(request))
        serializer = MovementAdvanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        call_service(services_awards.movement_advance, user=request.user, movement=movement,
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
        responses={201: AwardDecisionDetailSerializer, 400: _REFUSED[400], 403: _REFUSED[403]},
        description=(
            "Ghi quyết định khen thưởng cùng người, tập thể được khen (theo Ban, loại, tên; chưa có thì tạo), "
            "tất cả hoặc không gì: Bộ cho mọi Ban, chuyên viên Ban chỉ cho Ban mình."
        ),
    ),
)
class AwardDecisionViewSet(viewsets.ReadOnlyModelViewSet):
    """Award decisions naming a recipient of a board the user reads (the ministry reads them all); recording one."""

    serializer_class = AwardDecisionSerializer
    queryset = AwardDecision.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors_awards.decision_list(user=self.request.user, filters=self.request.query_params)

    def retrieve(self, request, *args, **kwargs):
        try:
            decision = selectors_awards.decision_get(user=request.user, pk=self.kwargs["pk"])
        except Http404:
            raise NotFound(_("Không tìm thấy quyết định khen thưởng này.")) from None
        return Response(AwardDecisionDetailSerializer(decision).data)

    def create(self, request, *args, **kwargs):
        user = request.user
        if not access.creates_movements_or_awards(user):
            raise PermissionDenied(CANNOT_RECORD_AWARDS)
        # A recipient's board must be one the user may write awards for (as in the page's board select).
        context = {"recipient_boards": selectors_awards.recipient_boards(user=user)}
        serializer = AwardDecisionWriteSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        rows = [dict(row) for row in data.pop("recipients")]
        decision = call_service(
            services_awards.award_decision_record, user=user, rows=rows, source=AuditSource.API, **data
        )
        decision = selectors_awards.decision_get(user=user, pk=decision.pk)
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
        return selectors_awards.title_catalogue(user=self.request.user)

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
        responses={200: EligibilitySerializer, 400: _REFUSED[400], 404: _REFUSED[404]},
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
            recipient = selectors_awards.recipient_get(user=request.user, pk=query.validated_data["recipient"])
        except Http404:
            raise NotFound(_("Không tìm thấy người, tập thể được khen này.")) from None
        result = check_eligibility(recipient, title, query.validated_data["year"])
        return Response(EligibilitySerializer(result, context={"recipient": recipient}).data)
