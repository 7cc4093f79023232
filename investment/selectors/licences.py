"""Reads of licence events: a project's ledger (with its corrections), its state at a date, the capital
history, and the live events of the boards in scope (zones.access)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, QuerySet, When
from django.shortcuts import get_object_or_404

from zones import access

from .. import ledger
from ..enums import EventKind
from ..filters import LicenceEventFilter
from ..models import LicenceEvent, Project, live_event_q


@dataclass
class LedgerEntry:
    """One event of the ledger: its current version and the earlier versions it replaced."""

    current: LicenceEvent
    history: list[LicenceEvent]

    @property
    def corrected(self) -> bool:
        return bool(self.history)


def project_ledger(*, project: Project) -> list[LedgerEntry]:
    """Every event of the project in ledger order, each with its earlier versions (newest first).

    Voided events are listed too (their current version says so); one query.
    """
    versions = defaultdict(list)
    for event in project.events.select_related("investor", "created_by").order_by("series", "-version"):
        versions[event.series].append(event)
    entries = [LedgerEntry(current=items[0], history=items[1:]) for items in versions.values()]
    return sorted(entries, key=lambda entry: ledger.order_key(entry.current))


def live_events(*, project: Project) -> list[LicenceEvent]:
    return list(project.events.filter(live_event_q()).select_related("investor"))


def project_state(*, project: Project, as_of: datetime.date | None = None) -> ledger.LedgerState:
    """The project's licence state from its ledger, now or as of a date (events dated on or before it)."""
    events = live_events(project=project)
    return ledger.derive(events) if as_of is None else ledger.state_as_of(events, as_of)


@dataclass(frozen=True)
class CapitalPoint:
    day: datetime.date
    label: str
    capital_vnd: int | None
    capital_usd: object
    usd_derived: bool
    vnd_derived: bool


def capital_history(*, project: Project) -> list[CapitalPoint]:
    """Registered capital after each issue and adjustment, in ledger order (for the chart)."""
    events = ledger.ordered(live_events(project=project))
    ledger.derive(events)
    return [
        CapitalPoint(e.event_date, e.label, e.capital_vnd, e.capital_usd, e.capital_usd_derived, e.capital_vnd_derived)
        for e in events
        if e.capital_vnd is not None or e.capital_usd is not None
    ]


def event_get(*, user, pk: int, for_write: bool = False) -> LicenceEvent:
    """One event version; 404 outside the user's scope."""
    boards = access.writable_boards(user) if for_write else access.readable_boards(user)
    return get_object_or_404(
        LicenceEvent.objects.select_related("project__zone__board", "investor"), pk=pk, project__zone__board__in=boards
    )


def event_list(*, user, filters: dict | None = None, project: Project | None = None) -> QuerySet[LicenceEvent]:
    """Live licence events the user may read (optionally of one project), in ledger order."""
    qs = LicenceEvent.objects.filter(live_event_q(), project__zone__board__in=access.readable_boards(user))
    if project is not None:
        qs = qs.filter(project=project)
    # Ledger order (investment.ledger.order_key): issue, adjustments by their number (adjust_no), termination.
    rank = Case(When(kind=EventKind.ISSUE, then=0), When(kind=EventKind.ADJUST, then=1), default=2)
    qs = qs.select_related("project", "investor").order_by(
        "event_date", "project__code", rank, "adjust_no", "certificate_no"
    )
    if filters is not None:
        qs = LicenceEventFilter(filters, queryset=qs).qs
    return qs
