"""Reads of blocs and bloc years: the years a user may open, one year, its members in the bloc's order."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Prefetch, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from emulation import access
from emulation.models import Bloc, BlocMember, BlocYear, Proposal, ScoringRound
from zones import access as zones_access
from zones.models import Board


def bloc_year_list(*, user) -> QuerySet[BlocYear]:
    """Bloc years the user may open, newest first, with their bloc and roles joined."""
    return (
        access.readable_bloc_years(user)
        .select_related("bloc", "leader", "deputy", "host")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("bloc__code", "-year")
    )


def bloc_years_in_full(*, user) -> QuerySet[BlocYear]:
    """bloc_year_list with every role, the members in order, the proposals and the rounds joined (the API)."""
    return (
        bloc_year_list(user=user)
        .select_related("alternate_reviewer", "next_leader", "next_deputy", "next_host")
        .prefetch_related(
            Prefetch(
                "memberships", queryset=BlocMember.objects.select_related("board").order_by("order", "board__code")
            ),
            Prefetch("proposals", queryset=Proposal.objects.select_related("board", "title")),
            Prefetch("rounds", queryset=ScoringRound.objects.order_by("kind")),
        )
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


def bloc_get(code: str) -> Bloc:
    """A bloc by its code in any case, or Http404 (the catalogue's managers, who read every bloc)."""
    return get_object_or_404(Bloc, code=code.upper())


def bloc_year_find(*, user, bloc: Bloc, year: int) -> BlocYear | None:
    """The bloc's year if it exists and the user may read it, else None (the edit page then creates it)."""
    return access.readable_bloc_years(user).filter(bloc=bloc, year=year).first()


def other_years(*, user, bloc_year: BlocYear) -> QuerySet[BlocYear]:
    """The bloc's other years the user may read, newest first, with their leader."""
    return (
        access.readable_bloc_years(user)
        .filter(bloc_id=bloc_year.bloc_id)
        .exclude(pk=bloc_year.pk)
        .select_related("bloc", "leader")
        .order_by("-year")
    )


def member_ids(bloc_year: BlocYear) -> list[int]:
    """Ids of the year's member boards in the bloc's order."""
    return list(bloc_year.memberships.order_by("order", "board__code").values_list("board_id", flat=True))


def member_get(bloc_year: BlocYear, code: str) -> Board | None:
    """The year's member board with this code (any case), or None."""
    membership = bloc_year.memberships.select_related("board").filter(board__code=code.upper()).first()
    return membership.board if membership else None


def board_choices(*, user, first: list[int]) -> QuerySet[Board]:
    """Boards the user may read, those of `first` at the top in that order, then the rest by code."""
    # The members form keeps the order boards are ticked in, so the current members lead, in their order.
    rank = Case(
        *[When(pk=pk, then=Value(n)) for n, pk in enumerate(first)],
        default=Value(len(first)),
        output_field=IntegerField(),
    )
    return zones_access.readable_boards(user).annotate(member_rank=rank).order_by("member_rank", "code")
