"""Reads of the corrections (issue 7): a board's corrections of licence events in approved periods, for the
pages and the API, scoped by zones.access (a correction of a board the user may not read answers 404).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from reports.enums import CorrectionStatus
from reports.models import Correction
from zones import access
from zones.models import Board


def _corrections() -> QuerySet[Correction]:
    return Correction.objects.select_related(
        "board", "event__project", "applied_event", "proposed_by", "decided_by"
    ).order_by("-proposed_at", "-pk")


def corrections_in(*, board: Board, start: datetime.date, end: datetime.date) -> QuerySet[Correction]:
    """The board's corrections of events dated in [start, end] (before or after the correction)."""
    dated = Q(event__event_date__range=(start, end)) | Q(applied_event__event_date__range=(start, end))
    return _corrections().filter(dated, board=board)


def correction_list(*, user) -> QuerySet[Correction]:
    """Corrections of the boards the user may read, newest first (the page, the API and the approval page
    narrow them with reports.filters.CorrectionFilter)."""
    return _corrections().filter(board__in=access.readable_boards(user))


def correction_get(*, user, pk: int) -> Correction:
    """A correction of a board the user may read; 404 otherwise."""
    return get_object_or_404(_corrections().filter(board__in=access.readable_boards(user)), pk=pk)


def corrections_waiting(*, user, boards) -> list[tuple[Board, int]]:
    """(board, number of proposed corrections) for each of `boards` the user leads that has some, in code order;
    one query."""
    led = access.led_boards(user).filter(pk__in=[board.pk for board in boards])
    by_id = {board.pk: board for board in boards}
    rows = (
        Correction.objects.filter(status=CorrectionStatus.PROPOSED, board__in=led)
        .values("board_id")
        .annotate(count=Count("pk"))
    )
    return sorted(((by_id[row["board_id"]], row["count"]) for row in rows), key=lambda item: item[0].code)
