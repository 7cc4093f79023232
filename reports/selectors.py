"""Reads of annual plans, scoped by zones.access (a board's plans are read by whoever reads the board)."""

from __future__ import annotations

from django.db.models import QuerySet

from zones import access

from .models import Plan


def plan_list(*, user, boards: list[str] | None = None) -> QuerySet[Plan]:
    """Plans of the boards the user may read (optionally only the board codes given), by board, year, indicator."""
    qs = Plan.objects.filter(board__in=access.readable_boards(user)).select_related("board")
    if boards is not None:
        qs = qs.filter(board__code__in=boards)
    return qs.order_by("board__code", "year", "indicator")
