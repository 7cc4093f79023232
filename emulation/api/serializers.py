"""JSON shapes of the emulation API: bloc years, registrations, scoring tables, scorecards, rankings,
movements, awards and eligibility.

Serializers shape the output and validate the shape of the input only (and turn a card's criterion codes
into ids); every write goes through emulation.services, which checks the points and answers with
Vietnamese messages. Boards travel as
their codes and criteria as their codes ("1.1"); points travel as decimal strings ("9.75"), exactly as
stored (two decimals), so no client rounds a quarter point through a float.
"""

from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from emulation.enums import LaunchLevel, MovementKind, MovementStatus, RecipientKind, SubmissionStatus
from emulation.models import (
    Attachment,
    AwardDecision,
    AwardTitle,
    Bloc,
    BlocYear,
    CovenantTarget,
    Criterion,
    CriterionGroup,
    EligibilityRule,
    Movement,
    Proposal,
    RankingEntry,
    Recipient,
    Registration,
    RuleClaim,
    Score,
    ScoringRound,
    ScoringRule,
    ScoringTable,
)
from zones.models import Board

ZERO = Decimal("0")


def _points(**kwargs) -> serializers.DecimalField:
    # The project sends amounts as numbers (COERCE_DECIMAL_TO_STRING off); points are exact strings.
    return serializers.DecimalField(max_digits=8, decimal_places=2, coerce_to_string=True, read_only=True, **kwargs)


def _board(source: str | None = None) -> serializers.SlugRelatedField:
    kwargs = {"source": source} if source else {}
    return serializers.SlugRelatedField(slug_field="code", read_only=True, **kwargs)


# --- bloc years ------------------------------------------------------------------------------------


class ProposalSerializer(serializers.ModelSerializer):
    board = _board()
    title = serializers.SlugRelatedField(slug_field="code", read_only=True)
    title_name = serializers.CharField(source="title.name", read_only=True)

    class Meta:
        model = Proposal
        fields = ["board", "title", "title_name"]


class RoundSerializer(serializers.ModelSerializer):
    kind_name = serializers.CharField(source="get_kind_display", read_only=True)
    status_name = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ScoringRound
        fields = ["kind", "kind_name", "status", "status_name", "opens_on", "closes_on", "closed_at", "published_at"]
        read_only_fields = fields


class BlocYearSerializer(serializers.ModelSerializer):
    """A bloc's year: members in the bloc's order, its roles, decision, conclusion and rounds."""

    code = serializers.CharField(source="bloc.code", read_only=True)
    name = serializers.CharField(source="bloc.name", read_only=True)
    ministry = serializers.CharField(source="bloc.ministry", read_only=True)
    members = serializers.SerializerMethodField()
    leader = _board()
    deputy = _board()
    host = _board()
    alternate_reviewer = _board()
    next_leader = _board()
    next_deputy = _board()
    next_host = _board()
    proposals = ProposalSerializer(many=True, read_only=True)
    rounds = RoundSerializer(many=True, read_only=True)

    class Meta:
        model = BlocYear
        fields = [
            "code",
            "name",
            "ministry",
            "year",
            "members",
            "leader",
            "deputy",
            "host",
            "alternate_reviewer",
            "decision_no",
            "decision_date",
            "next_leader",
            "next_deputy",
            "next_host",
            "concluded_at",
            "proposals",
            "rounds",
            "version",
        ]
        read_only_fields = fields

    def get_members(self, bloc_year) -> list[str]:
        # The memberships are prefetched in the bloc's order (views._bloc_years).
        return [m.board.code for m in bloc_year.memberships.all()]


# --- registrations ------------------------------------------------------------------------------------


# Input fields answer in Vietnamese: DRF's own catalogue translates little more than "required".
_NOT_NULL = _("Trường này không được để null.")
_LIST = {"not_a_list": _("Cần một danh sách."), "null": _NOT_NULL}


def _text(**kwargs) -> serializers.CharField:
    return serializers.CharField(
        error_messages={
            "blank": _("Trường này không được để trống."),
            "null": _NOT_NULL,
            "invalid": _("Cần một chuỗi ký tự."),
            "max_length": _("Tối đa {max_length} ký tự."),
        },
        **kwargs,
    )


def _date(**kwargs) -> serializers.DateField:
    return serializers.DateField(
        error_messages={
            "invalid": _("Ngày không hợp lệ; ghi theo dạng YYYY-MM-DD, ví dụ 2025-03-01."),
            "null": _NOT_NULL,
        },
        **kwargs,
    )


def _year(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1990,
        max_value=2100,
        error_messages={
            "invalid": _("Năm phải là số nguyên, ví dụ 2025."),
            "min_value": _("Năm không được trước {min_value}."),
            "max_value": _("Năm không được sau {max_value}."),
            "null": _NOT_NULL,
        },
        **kwargs,
    )


class _ChoiceField(serializers.ChoiceField):
    """A choice refused in Vietnamese, naming the values accepted."""

    def fail(self, key, **kwargs):
        if key == "invalid_choice":
            message = gettext("“%(input)s” không hợp lệ; chỉ nhận: %(values)s.") % {
                "input": kwargs["input"], "values": ", ".join(self.choice_strings_to_values)}  # fmt: skip
            raise serializers.ValidationError(message, code=key)
        if key == "null":
            raise serializers.ValidationError(str(_NOT_NULL), code=key)
        super().fail(key, **kwargs)


def _enum_of(component: str, choices) -> type[serializers.ChoiceField]:
    """A ChoiceField whose schema refers to the enum of the read shape `component` (e.g. "MovementKindEnum").
    Shared by two components, one enum would get a hashed name and a drf-spectacular warning."""

    @extend_schema_field({"$ref": f"#/components/schemas/{component}Enum"})
    class EnumField(_ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    return EnumField


class _CodeField(serializers.SlugRelatedField):
    """An object named by its code on input. `context_key` names the queryset the view puts in the
    serializer's context (the boards this user may name); the declared queryset serves the schema."""

    def __init__(self, *, context_key: str | None = None, **kwargs):
        self.context_key = context_key
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        if self.context_key is not None and self.context_key in self.context:
            return self.context[self.context_key]
        return super().get_queryset()


class TitleRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = AwardTitle
        fields = ["code", "name"]
        read_only_fields = fields


class RegistrationSummarySerializer(serializers.ModelSerializer):
    """What a member registered, in the list (only for those who may open it)."""

    titles = TitleRefSerializer(many=True, read_only=True)
    target_count = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = ["titles", "target_count", "version"]
        read_only_fields = fields

    def get_target_count(self, registration) -> int:
        return len(registration.targets.all())  # prefetched by selectors.registrations


class RegistrationRowSerializer(serializers.Serializer):
    """One member of the year in the bloc's order: whether and when it registered (the whole bloc sees
    that), and what it registered when the user may open it (`readable`; else `registration` is null)."""

    board = serializers.CharField(source="board.code")
    board_name = serializers.CharField(source="board.name")
    status = _enum_of("RegistrationStatus", SubmissionStatus.choices)(allow_null=True)
    status_name = serializers.CharField(source="status_label")
    submitted_at = serializers.DateTimeField(allow_null=True)
    readable = serializers.BooleanField(source="can_open")
    registration = RegistrationSummarySerializer(allow_null=True)


class CovenantTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = CovenantTarget
        fields = ["order", "description", "indicator", "target_value"]
        read_only_fields = fields


class RegistrationSerializer(serializers.ModelSerializer):
    """A member's registration: titles aimed for and covenant targets (values as numbers, like amounts)."""

    board = _board()
    board_name = serializers.CharField(source="board.name", read_only=True)
    status_name = serializers.CharField(source="get_status_display", read_only=True)
    titles = TitleRefSerializer(many=True, read_only=True)
    targets = CovenantTargetSerializer(many=True, read_only=True)

    class Meta:
        model = Registration
        fields = ["board", "board_name", "status", "status_name", "submitted_at", "note", "titles", "targets",
                  "version"]  # fmt: skip
        read_only_fields = fields


class TargetInputSerializer(serializers.Serializer):
    """One covenant target: free text, or an indicator code of the reports catalogue with its value.
    The code and the value are checked by the service (its messages name the row)."""

    description = _text(max_length=500, allow_blank=True, default="")
    indicator = _text(
        max_length=60, allow_blank=True, default="", help_text=_("Mã chỉ tiêu báo cáo, ví dụ new_projects.")
    )
    target_value = _text(
        required=False, allow_null=True, allow_blank=True, help_text=_('Giá trị cam kết, ví dụ "12" hoặc "1250.5".')
    )


class RegistrationSaveSerializer(serializers.Serializer):
    """The whole registration (PUT): titles by code and every target row; a row left out is removed."""

    titles = _CodeField(
        many=True,
        queryset=AwardTitle.objects.filter(active=True),
        error_messages={
            "does_not_exist": _("Không có danh hiệu đang dùng nào mã “{value}”."),
            "invalid": _("Mã danh hiệu không hợp lệ."),
            **_LIST,
        },
    )
    targets = TargetInputSerializer(many=True, error_messages=_LIST)
    note = _text(allow_blank=True, default="")


# --- the scoring table -------------------------------------------------------------------------------


class CriterionSerializer(serializers.ModelSerializer):
    max_points = _points()

    class Meta:
        model = Criterion
        fields = ["code", "order", "name", "max_points", "guidance"]
        read_only_fields = fields


class CriterionGroupSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = CriterionGroup
        fields = ["order", "name", "criteria"]
        read_only_fields = fields


class ScoringRuleSerializer(serializers.ModelSerializer):
    points = _points()
    cap = _points()

    class Meta:
        model = ScoringRule
        fields = ["id", "kind", "order", "name", "points", "cap"]
        read_only_fields = fields


class ScoringTableSerializer(serializers.ModelSerializer):
    """Groups → criteria, bonus and penalty rules (their ids key a scorecard's claims), caps, tie-break."""

    groups = CriterionGroupSerializer(many=True, read_only=True)
    rules = ScoringRuleSerializer(many=True, read_only=True)
    bonus_cap = _points()
    penalty_cap = _points()
    tie_break = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = ScoringTable
        fields = ["groups", "rules", "bonus_cap", "penalty_cap", "tie_break", "locked_at", "version"]
        read_only_fields = fields


# --- scorecards -------------------------------------------------------------------------------------


class ScorecardSummarySerializer(serializers.Serializer):
    """One row of a round's list, read from selectors.progress (one query for every card)."""

    board = serializers.CharField(source="card.board.code")
    board_name = serializers.CharField(source="card.board.name")
    status = serializers.CharField(source="card.status")
    submitted_at = serializers.DateTimeField(source="card.submitted_at", allow_null=True)
    returned_note = serializers.CharField(source="card.returned_note")
    version = serializers.IntegerField(source="card.version")
    criteria = serializers.IntegerField()
    scored = serializers.IntegerField()
    reviewed = serializers.IntegerField()
    self_total = _points()
    reviewed_total = _points()


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "content_type", "uploaded_at"]
        read_only_fields = fields


class ScoreLineSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.code", read_only=True)
    criterion_name = serializers.CharField(source="criterion.name", read_only=True)
    group = serializers.IntegerField(source="criterion.group.order", read_only=True)
    max_points = _points(source="criterion.max_points")
    self_points = _points(allow_null=True)
    reviewed_points = _points(allow_null=True)
    reviewed_by_board = _board()
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Score
        fields = [
            "criterion",
            "criterion_name",
            "group",
            "max_points",
            "self_points",
            "evidence",
            "attachments",
            "reviewed_points",
            "review_comment",
            "reviewed_by_board",
            "reviewed_at",
        ]
        read_only_fields = fields


class RuleClaimSerializer(serializers.ModelSerializer):
    rule = serializers.IntegerField(source="rule_id", read_only=True)
    rule_name = serializers.CharField(source="rule.name", read_only=True)
    kind = serializers.CharField(source="rule.kind", read_only=True)
    points = _points(source="rule.points")
    cap = _points(source="rule.cap")

    class Meta:
        model = RuleClaim
        fields = ["rule", "rule_name", "kind", "points", "cap", "self_count", "reviewed_count", "note"]
        read_only_fields = fields


class ScorecardSerializer(serializers.Serializer):
    """A card with its lines and claims, as selectors.scorecard_get prefetched them."""

    board = serializers.CharField(source="board.code")
    board_name = serializers.CharField(source="board.name")
    round = serializers.CharField(source="round.kind")
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    returned_note = serializers.CharField()
    version = serializers.IntegerField()
    self_total = serializers.SerializerMethodField()
    reviewed_total = serializers.SerializerMethodField()
    lines = ScoreLineSerializer(source="scores", many=True)
    claims = RuleClaimSerializer(many=True)

    @staticmethod
    def _total(card, field: str) -> str:
        # Summed over the prefetched lines (no query); blank lines count 0.
        return str(sum((getattr(line, field) or ZERO for line in card.scores.all()), ZERO).quantize(Decimal("0.01")))

    @extend_schema_field(OpenApiTypes.STR)
    def get_self_total(self, card) -> str:
        return self._total(card, "self_points")

    @extend_schema_field(OpenApiTypes.STR)
    def get_reviewed_total(self, card) -> str:
        return self._total(card, "reviewed_points")


# Input: only the shape is checked here; the numbers are checked (in Vietnamese) by the services.
_POINTS_HELP = _('Điểm dạng chuỗi thập phân, bội số của 0,25, ví dụ "9.75"; rỗng hoặc null để xóa.')


class SelfScoreInputSerializer(serializers.Serializer):
    points = serializers.CharField(required=False, allow_null=True, allow_blank=True, help_text=_POINTS_HELP)
    evidence = serializers.CharField(required=False, allow_blank=True)


class SelfClaimInputSerializer(serializers.Serializer):
    count = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=999)
    note = serializers.CharField(required=False, allow_blank=True)


_NOT_A_RULE = _("Nội dung thưởng, trừ không thuộc bảng chấm điểm của phiếu này.")


class _CardInputSerializer(serializers.Serializer):
    """A write on the card in context["card"]: criteria named by code and rules by id become the services'
    {id: fields}; a line's fields left out keep their stored values (the services replace whole lines)."""

    def _by_criterion(self, given: dict, stored) -> dict[int, dict]:
        lines = {line.criterion.code: line for line in self.context["card"].scores.all()}
        unknown = [code for code in given if code not in lines]
        if unknown:
            raise serializers.ValidationError([
                gettext("Tiêu chí “%(code)s” không thuộc bảng chấm điểm của phiếu này.") % {"code": code}
                for code in unknown
            ])  # fmt: skip
        return {lines[code].criterion_id: {**stored(lines[code]), **fields} for code, fields in given.items()}

    def _by_rule(self, given: dict, stored) -> dict[int, dict]:
        claims = {str(claim.rule_id): claim for claim in self.context["card"].claims.all()}
        if any(key not in claims for key in given):
            raise serializers.ValidationError([_NOT_A_RULE])
        return {int(key): {**stored(claims[key]), **fields} for key, fields in given.items()}


class SelfSaveSerializer(_CardInputSerializer):
    """Self scores by criterion code and bonus/penalty occurrences by rule id; what is left out stays."""

    scores = serializers.DictField(child=SelfScoreInputSerializer(), default=dict)
    claims = serializers.DictField(child=SelfClaimInputSerializer(), default=dict)

    def validate_scores(self, value: dict) -> dict[int, dict]:
        return self._by_criterion(value, lambda line: {"points": line.self_points, "evidence": line.evidence})

    def validate_claims(self, value: dict) -> dict[int, dict]:
        return self._by_rule(value, lambda claim: {"count": claim.self_count, "note": claim.note})


class ReviewInputSerializer(serializers.Serializer):
    points = serializers.CharField(required=False, allow_null=True, allow_blank=True, help_text=_POINTS_HELP)
    comment = serializers.CharField(required=False, allow_blank=True)


class ReviewClaimInputSerializer(serializers.Serializer):
    count = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=999)


class ReviewSerializer(_CardInputSerializer):
    """Reviewed scores by criterion code and reviewed occurrences by rule id; what is left out stays."""

    reviews = serializers.DictField(child=ReviewInputSerializer(), default=dict)
    claims = serializers.DictField(child=ReviewClaimInputSerializer(), default=dict)

    def validate_reviews(self, value: dict) -> dict[int, dict]:
        return self._by_criterion(value, lambda line: {"points": line.reviewed_points, "comment": line.review_comment})

    def validate_claims(self, value: dict) -> dict[int, dict]:
        return self._by_rule(value, lambda claim: {"count": claim.reviewed_count})


class ReturnSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True)


# --- the ranking ------------------------------------------------------------------------------------


class RankingEntrySerializer(serializers.ModelSerializer):
    board = _board()
    board_name = serializers.CharField(source="board.name", read_only=True)
    self_points = _points()
    reviewed_points = _points()
    bonus = _points()
    penalty = _points()
    total = _points()

    class Meta:
        model = RankingEntry
        fields = ["rank", "board", "board_name", "self_points", "reviewed_points", "bonus", "penalty", "total",
                  "tie_note"]  # fmt: skip
        read_only_fields = fields


# --- movements and awards ---------------------------------------------------------------------------


class MovementSerializer(serializers.ModelSerializer):
    """A movement with who takes part and its files (one shape for the list and the detail)."""

    launched_by_board = _board()
    blocs = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    boards = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Movement
        fields = [
            "id",
            "name",
            "kind",
            "status",
            "launched_by_level",
            "launched_by",
            "launched_by_board",
            "starts_on",
            "ends_on",
            "decision_no",
            "decision_date",
            "content",
            "slogan",
            "blocs",
            "boards",
            "attachments",
            "version",
        ]
        read_only_fields = fields


class AwardDecisionSerializer(serializers.ModelSerializer):
    title = serializers.SlugRelatedField(slug_field="code", read_only=True)
    title_name = serializers.CharField(source="title.name", read_only=True)
    recipient_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = AwardDecision
        fields = ["id", "number", "date", "issuer", "title", "title_name", "year", "movement", "recipient_count"]
        read_only_fields = fields


class RecipientSerializer(serializers.ModelSerializer):
    board = _board()

    class Meta:
        model = Recipient
        fields = ["id", "kind", "board", "name", "position"]
        read_only_fields = fields


class AwardDecisionDetailSerializer(serializers.ModelSerializer):
    title = serializers.SlugRelatedField(slug_field="code", read_only=True)
    title_name = serializers.CharField(source="title.name", read_only=True)
    recipients = RecipientSerializer(many=True, read_only=True)

    class Meta:
        model = AwardDecision
        fields = ["id", "number", "date", "issuer", "title", "title_name", "year", "movement", "note", "recipients"]
        read_only_fields = fields


class EligibilityRuleSerializer(serializers.ModelSerializer):
    required = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = EligibilityRule
        fields = ["order", "description", "required", "min_count", "window_years", "consecutive"]
        read_only_fields = fields


class AwardTitleSerializer(serializers.ModelSerializer):
    rules = EligibilityRuleSerializer(many=True, read_only=True)

    class Meta:
        model = AwardTitle
        fields = ["code", "name", "kind", "level", "awarded_to", "order", "active", "rules"]
        read_only_fields = fields


# --- writes of movements and award decisions ----------------------------------------------------------


class MovementWriteSerializer(serializers.Serializer):
    """A movement to launch (POST) or change (PATCH: what is left out stays). The launching board must be
    one the user may name (their own board for a board's staff); participants are any blocs and boards."""

    name = _text(max_length=500)
    launched_by_level = _ChoiceField(choices=LaunchLevel.choices)
    launched_by = _text(max_length=255)
    launched_by_board = _CodeField(
        context_key="launch_boards",
        queryset=Board.objects.all(),
        allow_null=True,
        required=False,
        error_messages={
            "does_not_exist": _(
                "Ban quản lý “{value}” không tồn tại hoặc bạn không được phát động phong trào cho Ban này."
            ),
            "invalid": _("Mã Ban quản lý không hợp lệ."),
        },
    )
    kind = _enum_of("MovementKind", MovementKind.choices)(required=False)
    starts_on = _date()
    ends_on = _date(allow_null=True, required=False)
    decision_no = _text(max_length=60, allow_blank=True, required=False)
    decision_date = _date(allow_null=True, required=False)
    content = _text(allow_blank=True, required=False)
    slogan = _text(max_length=500, allow_blank=True, required=False)
    blocs = _CodeField(
        many=True,
        queryset=Bloc.objects.all(),
        required=False,
        error_messages={
            "does_not_exist": _("Không có khối thi đua mã “{value}”."),
            "invalid": _("Mã khối không hợp lệ."),
            **_LIST,
        },
    )
    boards = _CodeField(
        many=True,
        queryset=Board.objects.all(),
        required=False,
        error_messages={
            "does_not_exist": _("Không có Ban quản lý mã “{value}”."),
            "invalid": _("Mã Ban quản lý không hợp lệ."),
            **_LIST,
        },
    )


class MovementAdvanceSerializer(serializers.Serializer):
    status = _enum_of("MovementStatus", MovementStatus.choices)(
        help_text=_("Trạng thái tiếp theo: reviewing, rồi awarded.")
    )


class RecipientInputSerializer(serializers.Serializer):
    """A person, unit or board named on a decision; found by board, kind and name, created when new."""

    kind = _enum_of("RecipientKind", RecipientKind.choices)()
    board = _CodeField(
        context_key="recipient_boards",
        queryset=Board.objects.all(),
        error_messages={
            "does_not_exist": _("Ban quản lý “{value}” không tồn tại hoặc bạn không được ghi khen thưởng cho Ban này."),
            "invalid": _("Mã Ban quản lý không hợp lệ."),
        },
    )
    name = _text(max_length=255)
    position = _text(max_length=255, allow_blank=True, default="")


class AwardDecisionWriteSerializer(serializers.Serializer):
    """An award decision with its recipients, all or nothing."""

    number = _text(max_length=60)
    date = _date()
    issuer = _text(max_length=255)
    title = _CodeField(
        queryset=AwardTitle.objects.filter(active=True),
        error_messages={
            "does_not_exist": _("Không có danh hiệu, hình thức đang dùng nào mã “{value}”."),
            "invalid": _("Mã danh hiệu không hợp lệ."),
        },
    )
    year = _year(help_text=_("Năm thành tích."))
    movement = serializers.PrimaryKeyRelatedField(
        queryset=Movement.objects.all(),
        allow_null=True,
        default=None,
        error_messages={
            "does_not_exist": _("Không có phong trào thi đua id {pk_value}."),
            "incorrect_type": _("Id phong trào phải là số nguyên."),
        },
    )
    note = _text(allow_blank=True, default="")
    recipients = RecipientInputSerializer(
        many=True, max_length=200, error_messages={**_LIST, "max_length": _("Tối đa {max_length} người, tập thể.")}
    )


# --- eligibility ---------------------------------------------------------------------------------------


class EligibilityQuerySerializer(serializers.Serializer):
    recipient = serializers.IntegerField(
        min_value=1,
        error_messages={
            "invalid": _("Mã người, tập thể được khen phải là số nguyên."),
            "min_value": _("Mã không hợp lệ."),
        },
    )
    year = _year()


class RuleResultSerializer(serializers.Serializer):
    order = serializers.IntegerField(source="rule.order")
    description = serializers.CharField(source="rule.description")
    met = serializers.BooleanField()
    years = serializers.ListField(child=serializers.IntegerField())
    explanation = serializers.CharField()


class EligibilitySerializer(serializers.Serializer):
    """emulation.eligibility.check's answer: eligible only when every rule is met (no rules: eligible)."""

    title = serializers.CharField(source="title.code")
    title_name = serializers.CharField(source="title.name")
    recipient = serializers.SerializerMethodField()
    year = serializers.IntegerField()
    eligible = serializers.BooleanField()
    rules = RuleResultSerializer(source="results", many=True)

    @extend_schema_field(RecipientSerializer)
    def get_recipient(self, result) -> dict:
        return RecipientSerializer(self.context["recipient"]).data
