"""The locks in force on boards' data: their approved periods not reopened right now (core.locks' source),
and what one record contributes to a period's figures (core.locks.altering compares it before and after
a change).

The contributions are DOMAIN.md §5 for one record, computed by reports.engine.reference (the definitions in
Python, the oracle the rollup is tested against): a project's licence ledger and enterprise reports
(valid or not at the end, capital, adjustments, flows, stocks, implemented capital) and a zone's counts
and areas — for the approved period and for its "same period last year", both shown by the approved
report. Which fields of a zone matter follows: board, status, the three areas and the establishment
date; its name, kind, developer, decision number and wastewater plant alter no figure.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable
from types import SimpleNamespace

from django.db.models import Exists, OuterRef
from django.utils import timezone

from kcn_portal import periods
from kcn_portal.core import locks
from kcn_portal.core.locks import Lock, ProjectRecords

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
    whether or not the task that records the expiry (reports.services.approval.reopens_expire) has run.
    """
    out: dict[int, list[Lock]] = {}
    rows = (
        PeriodApproval.objects.filter(board_id__in=list(board_ids))
        .exclude(reopened_now())
        .order_by("board_id", "start", "end")
        .values_list("board_id", "period", "start", "end", "approved_at", "board__name")
    )
    for board_id, period, start, end, approved_at, name in rows:
        out.setdefault(board_id, []).append(Lock(period, start, end, timezone.localtime(approved_at).date(), name))
    return out


def _both(lock: Lock) -> tuple[periods.Period, periods.Period]:
    period = periods.parse(lock.period)
    return period, period.previous_year()


def _kept(values: dict, tag: str) -> dict:
    return {(tag, code): value for code, value in values.items() if value}


def project_figures(lock: Lock, records: ProjectRecords) -> dict:
    """{(value|previous, code): amount} one project contributes to the locked period's figures (non-zero only)."""
    from .engine import reference

    out = {}
    for tag, period in zip(("value", "previous"), _both(lock), strict=True):
        values = defaultdict(int)
        # Copies: the ledger's derive (inside the reference) sets the events' derived attributes.
        events = [copy.copy(event) for event in records.events]
        reference.tally_project(values, period, SimpleNamespace(kind=records.kind), events, list(records.reports))
        out.update(_kept(values, tag))
    return out


def zone_figures(lock: Lock, zone) -> dict:
    """{(value|previous, code): amount} one zone contributes to the locked period's figures (non-zero only)."""
    from .engine import reference

    out = {}
    for tag, period in zip(("value", "previous"), _both(lock), strict=True):
        if zone.established_on is None or zone.established_on <= period.end:
            values = defaultdict(int)
            reference.tally_zone(values, zone)
            out.update(_kept(values, tag) | {(tag, "counted"): 1})
    return out


locks.register_figures("project", project_figures)
locks.register_figures("zone", zone_figures)
