"""The locks in force on boards' data: their approved periods not reopened right now (core.locks' source)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef
from django.utils import timezone

from kcn_portal.core.locks import Lock

from .enums import ReopenStatus
from .models import PeriodApproval, ReopenRequest


def reopened_now():
    """Exists() of a granted reopening of the approval (OuterRef) whose time has not run out."""
    return Exists(
        ReopenRequest.objects.filter(
            approval=OuterRef("pk"), status=ReopenStatus.GRANTED, open_until__gt=timezone.now()
        )
    )


def locks_in_force(board_ids: Iterable[int]) -> dict[int, list[Lock]]:
    """{board id: its approved periods} — a period reopened until later than now is not locked.

    A reopening expires by itself: once `open_until` has passed the period is locked again here,
    whether or not the task that records the expiry (services_approval.reopens_expire) has run.
    """
    out: dict[int, list[Lock]] = {}
    rows = (
        PeriodApproval.objects.filter(board_id__in=list(board_ids))
        .exclude(reopened_now())
        .order_by("board_id", "start", "end")
        .values_list("board_id", "period", "start", "end", "approved_at")
    )
    for board_id, period, start, end, approved_at in rows:
        out.setdefault(board_id, []).append(Lock(period, start, end, timezone.localtime(approved_at).date()))
    return out
