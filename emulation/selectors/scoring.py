"""Reads of a bloc year's scoring: the table, rounds, the scorecards a user may read, the review's progress,
the frozen ranking and the ranking's figures summed in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from emulation import access, ranking
from emulation.enums import RoundStatus, RuleKind, SubmissionStatus
from emulation.models import (
    BlocYear,
    Criterion,
    CriterionGroup,
    RankingEntry,
    RuleClaim,
    Score,
    Scorecard,
    ScoringRound,
    ScoringRule,
    ScoringTable,
)


def table_of(bloc_year: BlocYear) -> ScoringTable | None:
    """The year's scoring table with groups, criteria and rules, or None."""
    return (
        ScoringTable.objects.filter(bloc_year=bloc_year)
        .select_related("copied_from__bloc_year")
        .prefetch_related(
            Prefetch("groups", queryset=CriterionGroup.objects.order_by("order").prefetch_related("criteria")),
            "rules",
        )
        .first()
    )


def round_get(*, user, bloc_year: BlocYear, kind: str) -> ScoringRound:
    """The year's round of that kind (the caller found the year through the user's scope), or Http404."""
    rounds = ScoringRound.objects.select_related("bloc_year__bloc", "bloc_year__leader", "bloc_year__deputy")
    return get_object_or_404(rounds, bloc_year=bloc_year, kind=kind)


def scorecards(*, user, scoring_round: ScoringRound) -> QuerySet[Scorecard]:
    """The round's cards the user may read, with their board and round (the access checks read the year)."""
    cards = access.visible_scorecards(user, scoring_round)
    return cards.select_related("board", "round__bloc_year").order_by("board__code")


def scorecards_with_lines(*, user, scoring_round: ScoringRound) -> QuerySet[Scorecard]:
    """The round's readable cards with their criterion lines (for the score sheet)."""
    return scorecards(user=user, scoring_round=scoring_round).prefetch_related("scores")


def scorecard_get(*, user, scoring_round: ScoringRound, board_code: str) -> Scorecard:
    """One card of the round, with its lines, evidence and claims; Http404 if the user may not read it."""
    return get_object_or_404(
        scorecards(user=user, scoring_round=scoring_round).prefetch_related(
            Prefetch(
                "scores",
                queryset=Score.objects.select_related("criterion__group", "reviewed_by_board").prefetch_related(
                    "attachments"
                ),
            ),
            "claims__rule",
        ),
        board__code=board_code.upper(),
    )


@dataclass(frozen=True)
class Progress:
    """One member's state in a round, for the bloc leader's review page."""

    card: Scorecard
    scored: int
    reviewed: int
    criteria: int
    self_total: Decimal
    reviewed_total: Decimal
    late: bool

    @property
    def submitted(self) -> bool:
        return self.card.status == SubmissionStatus.SUBMITTED

    @property
    def fully_reviewed(self) -> bool:
        return self.reviewed == self.criteria

    @property
    def difference(self) -> Decimal | None:
        # Totals compare only once every criterion is reviewed (a partial review would look like a cut).
        return self.reviewed_total - self.self_total if self.criteria and self.fully_reviewed else None


def submitted_late(card: Scorecard, scoring_round: ScoringRound) -> bool:
    """Submitted after the round's deadline (the day counts in Vietnam's time)."""
    return bool(card.submitted_at) and timezone.localdate(card.submitted_at) > scoring_round.closes_on


def progress(*, user, scoring_round: ScoringRound) -> list[Progress]:
    """Per visible card: criteria self-scored and reviewed, and both totals, in one query."""
    cards = scorecards(user=user, scoring_round=scoring_round).annotate(
        n_scored=Count("scores", filter=Q(scores__self_points__isnull=False)),
        n_reviewed=Count("scores", filter=Q(scores__reviewed_points__isnull=False)),
        n_criteria=Count("scores"),
        self_sum=Sum("scores__self_points"),
        reviewed_sum=Sum("scores__reviewed_points"),
    )
    return [
        Progress(
            card=card,
            scored=card.n_scored,
            reviewed=card.n_reviewed,
            criteria=card.n_criteria,
            self_total=card.self_sum or Decimal("0"),
            reviewed_total=card.reviewed_sum or Decimal("0"),
            late=submitted_late(card, scoring_round),
        )
        for card in cards
    ]


def published_ranking(*, user, scoring_round: ScoringRound) -> list[RankingEntry]:
    """The frozen ranking: to everyone who reads the year once published, before that to its managers only."""
    if access.reads_ranking(user, scoring_round):
        return list(scoring_round.ranking.select_related("board").order_by("rank", "board__code"))
    return []


def rounds_of(bloc_year: BlocYear) -> dict[str, ScoringRound]:
    """The year's rounds by kind (mid_year, year_end)."""
    return {r.kind: r for r in bloc_year.rounds.all()}


def table_item(table: ScoringTable, kind: str, pk: int) -> CriterionGroup | Criterion | ScoringRule:
    """A group, criterion or rule of this table by kind ("group", "criterion", "rule") and pk, or Http404."""
    if kind == "group":
        return get_object_or_404(table.groups.all(), pk=pk)
    if kind == "criterion":
        # The services check the lock through criterion.group.table.
        return get_object_or_404(Criterion.objects.select_related("group__table"), group__table=table, pk=pk)
    if kind == "rule":
        return get_object_or_404(table.rules.all(), pk=pk)
    raise Http404


def round_find(*, bloc_year: BlocYear, kind: str) -> ScoringRound | None:
    """The year's round of that kind, or None before it is created."""
    return bloc_year.rounds.filter(kind=kind).first()


# --- the ranking's figures ------------------------------------------------------------------------


ZERO, CENT = Decimal("0"), Decimal("0.01")


def round_figures(scoring_round: ScoringRound, board_ids: Sequence[int] | None = None) -> dict[int, ranking.Card]:
    """{board id: the ranking's figures} of the round's cards (all, or the given boards), summed in SQL:
    reviewed points per criterion group (table order), the self total, bonus and penalty after the caps.
    """
    table = scoring_round.bloc_year.table
    group_ids = list(table.groups.order_by("order").values_list("pk", flat=True))
    scores = Score.objects.filter(scorecard__round=scoring_round)
    claims = RuleClaim.objects.filter(scorecard__round=scoring_round, reviewed_count__gt=0)
    cards = scoring_round.scorecards.all()
    if board_ids is not None:
        scores = scores.filter(scorecard__board_id__in=board_ids)
        claims = claims.filter(scorecard__board_id__in=board_ids)
        cards = cards.filter(board_id__in=board_ids)
    by_group = {board_id: dict.fromkeys(group_ids, ZERO) for board_id in cards.values_list("board_id", flat=True)}
    self_totals = dict.fromkeys(by_group, ZERO)
    rows = scores.values("scorecard__board_id", "criterion__group_id").annotate(
        reviewed=Sum("reviewed_points"), own=Sum("self_points")
    )
    for row in rows:
        board_id = row["scorecard__board_id"]
        # SQLite sums decimals without their places: back to points to two places.
        by_group[board_id][row["criterion__group_id"]] = (row["reviewed"] or ZERO).quantize(CENT)
        self_totals[board_id] += (row["own"] or ZERO).quantize(CENT)
    applied: dict[int, dict[str, list]] = {b: {RuleKind.BONUS: [], RuleKind.PENALTY: []} for b in by_group}
    for board_id, kind, points, count, cap in claims.values_list(
        "scorecard__board_id", "rule__kind", "rule__points", "reviewed_count", "rule__cap"
    ):
        applied[board_id][kind].append((points, count, cap))
    return {
        board_id: ranking.Card(
            board_id=board_id,
            self_points=self_totals[board_id],
            reviewed_by_group=[groups[group_id] for group_id in group_ids],
            bonus=ranking.capped(applied[board_id][RuleKind.BONUS], table.bonus_cap),
            penalty=ranking.capped(applied[board_id][RuleKind.PENALTY], table.penalty_cap),
        )
        for board_id, groups in by_group.items()
    }


def card_figures(card: Scorecard) -> ranking.Card:
    """One scorecard's figures for the ranking (see round_figures)."""
    return round_figures(card.round, [card.board_id])[card.board_id]


def ranking_preview(scoring_round: ScoringRound) -> list[ranking.Card]:
    """The ranking as the reviewed scores stand now (for the review page; unreviewed lines count 0)."""
    figures = round_figures(scoring_round)
    return ranking.rank(list(figures.values()), scoring_round.bloc_year.table.tie_break)


def rounds_awaiting_review(*, user) -> list[tuple[ScoringRound, int]]:
    """(open round, number of its submitted scorecards the user reviews that still lack a reviewed score or
    claim), for every open round with some, in bloc, year and kind order. One query."""
    led = access.led_board_ids(user)
    if not led:
        return []
    unreviewed = Exists(Score.objects.filter(scorecard=OuterRef("pk"), reviewed_points__isnull=True)) | Exists(
        RuleClaim.objects.filter(scorecard=OuterRef("pk"), reviewed_count__isnull=True, self_count__gt=0)
    )
    cards = (
        Scorecard.objects.filter(round__status=RoundStatus.OPEN, status=SubmissionStatus.SUBMITTED)
        .filter(
            Q(round__bloc_year__leader_id__in=led)
            | Q(round__bloc_year__deputy_id__in=led)
            | Q(round__bloc_year__alternate_reviewer_id__in=led)
        )
        .filter(unreviewed)
        .select_related("round__bloc_year__bloc")
        .order_by("round__bloc_year__bloc__code", "round__bloc_year__year", "round__kind")
    )
    waiting: dict[int, list] = {}
    for card in cards:
        # The leader and deputy review each other through the alternate reviewer: not every card of the round.
        if access.reviewer_board_ids(card.round.bloc_year, card.board_id) & led:
            waiting.setdefault(card.round_id, [card.round, 0])[1] += 1
    return [(scoring_round, count) for scoring_round, count in waiting.values()]


def draft_cards_of(*, board_ids) -> QuerySet[Scorecard]:
    """The scorecards of these boards in open rounds still in draft, soonest deadline first."""
    return (
        Scorecard.objects.filter(round__status=RoundStatus.OPEN, status=SubmissionStatus.DRAFT, board_id__in=board_ids)
        .select_related("round__bloc_year__bloc", "board")
        .order_by("round__closes_on", "board__code")
    )
