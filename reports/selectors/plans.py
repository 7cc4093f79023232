"""Reads of the annual plans: a board's plans are read by whoever reads the board (zones.access)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from reports.models import Plan
from zones import access


def plan_list(*, user, boards: list[str] | None = None) -> QuerySet[Plan]:
    """Plans of the boards the user may read (optionally only the board codes given), by board, year, indicator."""
    qs = Plan.objects.filter(board__in=access.readable_boards(user)).select_related("board")
    if boards is not None:
        qs = qs.filter(board__code__in=boards)
    return qs.order_by("board__code", "year", "indicator")


def plan_counts(*, user) -> dict[tuple[int, int], int]:
    """{(board id, year): number of indicators with a plan} over the boards the user may read (one query)."""
    rows = plan_list(user=user).order_by().values_list("board_id", "year").annotate(n=Count("pk"))
    return {(board_id, year): count for board_id, year, count in rows}
