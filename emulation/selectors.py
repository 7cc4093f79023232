"""Reads of a bloc's emulation year, already scoped to what the user may see (emulation.access).

Objects outside the user's scope are not found (Http404 in pages, 404 in the API).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from . import access
from .enums import RoundStatus, SubmissionStatus
from .models import (
    BlocYear,
    CriterionGroup,
    RankingEntry,
    Registration,
    Score,
    Scorecard,
    ScoringRound,
    ScoringTable,
)


def bloc_year_list(*, user) -> QuerySet[BlocYear]:
    """Bloc years the user may open, newest first, with their bloc and roles joined."""
    return (
        access.readable_bloc_years(user)
        .select_related("bloc", "leader", "deputy", "host")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("bloc__code", "-year")
    )


def bloc_year_get(*, user, code: str, year: int) -> BlocYear:
    """One bloc year by bloc code and year, or Http404."""
    return get_object_or_404(
        access.readable_bloc_years(user).select_related(
            "bloc", "leader", "deputy", "host", "alternate_reviewer", "next_leader", "next_deputy", "next_host"
        ),
        bloc__code=code.upper(),
        year=year,
    )


def members(bloc_year: BlocYear):
    """The year's member boards in the bloc's order."""
    return [m.board for m in bloc_year.memberships.select_related("board").order_by("order", "board__code")]


def table_of(bloc_year: BlocYear) -> ScoringTable | None:
    """The year's scoring table with groups, criteria and rules, or None."""
    return (
        ScoringTable.objects.filter(bloc_year=bloc_year)
        .prefetch_related(
            Prefetch("groups", queryset=CriterionGroup.objects.order_by("order").prefetch_related("criteria")),
            "rules",
        )
        .first()
    )


def round_get(*, user, bloc_year: BlocYear, kind: str) -> ScoringRound:
    return get_object_or_404(ScoringRound.objects.select_related("bloc_year__bloc"), bloc_year=bloc_year, kind=kind)


def scorecards(*, user, scoring_round: ScoringRound) -> QuerySet[Scorecard]:
    """The round's cards the user may read, with their board."""
    return access.visible_scorecards(user, scoring_round).select_related("board").order_by("board__code")


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

    @property
    def submitted(self) -> bool:
        return self.card.status == SubmissionStatus.SUBMITTED

    @property
    def fully_reviewed(self) -> bool:
        return self.reviewed == self.criteria


def progress(*, user, scoring_round: ScoringRound) -> list[Progress]:
    """Per visible card: criteria self-scored and reviewed, and both totals, in one query."""
    from django.db.models import Sum

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
        )
        for card in cards
    ]


def published_ranking(*, user, scoring_round: ScoringRound) -> list[RankingEntry]:
    """The frozen ranking: to everyone who reads the year once published, before that to its managers only."""
    bloc_year = scoring_round.bloc_year
    if (
        scoring_round.status == RoundStatus.PUBLISHED
        or access.reads_everything(user)
        or access.manages_year(user, bloc_year)
    ):
        return list(scoring_round.ranking.select_related("board").order_by("rank", "board__code"))
    return []


def registrations(*, user, bloc_year: BlocYear) -> QuerySet[Registration]:
    """The year's registrations: all for the bloc's managers and the ministry, else the user's boards' own."""
    rows = (
        Registration.objects.filter(bloc_year=bloc_year).select_related("board").prefetch_related("titles", "targets")
    )
    if access.reads_everything(user) or access.manages_year(user, bloc_year):
        return rows
    return rows.filter(board_id__in=access.staff_board_ids(user) | access.led_board_ids(user))
