"""Reads of the corrections (issue 7): a board's corrections of licence events in approved periods, for the
pages and the API, scoped by zones.access (a correction of a board the user may not read answers 404).
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

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
