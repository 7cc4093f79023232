"""JSON shapes of a bloc year's scoring: rounds, the scoring table, scorecards (and the self-score and review
bodies), the ranking."""

from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from emulation.api.serializers.awards import AttachmentSerializer
from emulation.api.serializers.fields import board_field, points_field
from emulation.models import (
    Criterion,
    CriterionGroup,
    RankingEntry,
    RuleClaim,
    Score,
    ScoringRound,
    ScoringRule,
    ScoringTable,
)

ZERO = Decimal("0")


class RoundSerializer(serializers.ModelSerializer):
    kind_name = serializers.CharField(source="get_kind_display", read_only=True)
    status_name = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ScoringRound
        fields = ["kind", "kind_name", "status", "status_name", "opens_on", "closes_on", "closed_at", "published_at"]
        read_only_fields = fields


# --- the scoring table -------------------------------------------------------------------------------


class CriterionSerializer(serializers.ModelSerializer):
    max_points = points_field()

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
    points = points_field()
    cap = points_field()

    class Meta:
        model = ScoringRule
        fields = ["id", "kind", "order", "name", "points", "cap"]
        read_only_fields = fields


class ScoringTableSerializer(serializers.ModelSerializer):
    """Groups → criteria, bonus and penalty rules (their ids key a scorecard's claims), caps, tie-break."""

    groups = CriterionGroupSerializer(many=True, read_only=True)
    rules = ScoringRuleSerializer(many=True, read_only=True)
    bonus_cap = points_field()
    penalty_cap = points_field()
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
    self_total = points_field()
    reviewed_total = points_field()


class ScoreLineSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.code", read_only=True)
    criterion_name = serializers.CharField(source="criterion.name", read_only=True)
    group = serializers.IntegerField(source="criterion.group.order", read_only=True)
    max_points = points_field(source="criterion.max_points")
    self_points = points_field(allow_null=True)
    reviewed_points = points_field(allow_null=True)
    reviewed_by_board = board_field()
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
    points = points_field(source="rule.points")
    cap = points_field(source="rule.cap")

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
    board = board_field()
    board_name = serializers.CharField(source="board.name", read_only=True)
    self_points = points_field()
    reviewed_points = points_field()
    bonus = points_field()
    penalty = points_field()
    total = points_field()

    class Meta:
        model = RankingEntry
        fields = ["rank", "board", "board_name", "self_points", "reviewed_points", "bonus", "penalty", "total",
                  "tie_note"]  # fmt: skip
        read_only_fields = fields
