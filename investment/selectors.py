"""Reads of projects, their ledger, enterprise reports and exchange rates, scoped by zones.access.

A project belongs to its zone's board; outside the user's boards it does not exist (404).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, When
from django.shortcuts import get_object_or_404

from kcn_portal.periods import quarter_range
from zones import access
from zones.models import Board

from . import ledger
from .enums import EventKind
from .models import REPORT_FIGURES, EnterpriseReport, ExchangeRate, LicenceEvent, Project, ProjectInvestor, live_event_q

# Largest share first, unknown shares last (NULLs sort differently on SQLite and PostgreSQL).
SHARE_ORDER = (F("share_pct").desc(nulls_last=True), "id")


def _scoped(user, boards=None) -> QuerySet[Project]:
    boards = access.readable_boards(user) if boards is None else boards
    return Project.objects.filter(zone__board__in=boards)


def _primary_investor(field: str):
    # The investor with the largest share (the first entered when shares are equal or unknown).
    return Subquery(
        ProjectInvestor.objects.filter(project=OuterRef("pk")).order_by(*SHARE_ORDER).values(f"investor__{field}")[:1]
    )


def project_list(*, user, filters: dict | None = None) -> QuerySet[Project]:
    """Projects the user may read, with zone and board joined and the main investor annotated.

    `filters` go through ProjectFilter (the same the pages, the API and exports use).
    """
    from .filters import ProjectFilter

    qs = (
        _scoped(user)
        .select_related("zone__board")
        .annotate(investor_name=_primary_investor("name"), investor_country=_primary_investor("country"))
        .order_by("-issued_on", "code")
    )
    if filters is not None:
        qs = ProjectFilter(filters, queryset=qs).qs
    return qs


def project_get(*, user, code: str, for_write: bool = False) -> Project:
    """One project by its code; 404 outside what the user may read (or, with for_write, change)."""
    boards = access.writable_boards(user) if for_write else access.readable_boards(user)
    return get_object_or_404(Project.objects.select_related("zone__board"), code=code, zone__board__in=boards)


def project_index(*, user) -> tuple[dict[str, Project], set[str]]:
    """The projects the user may read by code, and every project code (for importers; two queries).

    The second tells a new code from one a board the user cannot see has taken.
    """
    projects = {p.code: p for p in _scoped(user).select_related("zone__board")}
    return projects, set(Project.objects.values_list("code", flat=True))


def project_investors(*, project: Project) -> QuerySet[ProjectInvestor]:
    return project.shares.select_related("investor").order_by(*SHARE_ORDER)


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
    from .filters import LicenceEventFilter

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


# --- enterprise reports -----------------------------------------------------------------------


def report_list(*, user, filters: dict | None = None) -> QuerySet[EnterpriseReport]:
    """Enterprise reports of the projects the user may read."""
    from .filters import EnterpriseReportFilter

    qs = EnterpriseReport.objects.filter(project__zone__board__in=access.readable_boards(user)).select_related(
        "project__zone__board"
    )
    qs = qs.order_by("-year", "-quarter", "project__code")
    if filters is not None:
        qs = EnterpriseReportFilter(filters, queryset=qs).qs
    return qs


def report_get(*, user, project: Project, year: int, quarter: int) -> EnterpriseReport | None:
    if not access.can_read_board(user, project.zone.board):
        return None
    return EnterpriseReport.objects.filter(project=project, year=year, quarter=quarter).first()


def valid_between(start, end, prefix: str = "") -> Q:
    """Projects valid at some time from `start` to `end`: issued by the end, not terminated before the start.

    `prefix` reaches the project from another model ("project__" from its reports). Those valid in a
    quarter are the ones expected to report it (the completeness page, reports.deadlines).
    """
    return Q(**{f"{prefix}issued_on__lte": end}) & ~Q(**{f"{prefix}terminated_on__lt": start})


def projects_valid_in_quarter(*, user, board: Board, year: int, quarter: int) -> QuerySet[Project]:
    """The board's projects that were valid at some time in the quarter: those expected to report it."""
    qs = _scoped(user, boards=access.readable_boards(user).filter(pk=board.pk))
    return qs.filter(valid_between(*quarter_range(year, quarter))).select_related("zone")


def quarter_grid_zones(*, user, board: Board, year: int, quarter: int) -> list[dict]:
    """The zones holding projects expected to report the quarter, by code: code, name, `rows` (projects
    expected), `reported` (those with a report) and `missing`; one grouped query."""
    reported = EnterpriseReport.objects.filter(project=OuterRef("pk"), year=year, quarter=quarter)
    rows = (
        projects_valid_in_quarter(user=user, board=board, year=year, quarter=quarter)
        .annotate(has_report=Exists(reported))
        .order_by()
        .values("zone__code", "zone__name")
        .annotate(rows=Count("pk"), reported=Count("pk", filter=Q(has_report=True)))
        .order_by("zone__code")
    )
    return [
        {
            "code": row["zone__code"],
            "name": row["zone__name"],
            "rows": row["rows"],
            "reported": row["reported"],
            "missing": row["rows"] - row["reported"],
        }
        for row in rows
    ]


def quarter_grid_projects(
    *, user, board: Board, year: int, quarter: int, zone: str | None = None, only_missing: bool = False
) -> QuerySet[Project]:
    """The projects of the grid, by zone and code: those expected to report the quarter (of one zone when
    `zone` is a zone code; only those not reported yet with `only_missing`). Paginate it, then read the
    page's reports with quarter_reports."""
    qs = missing_reports if only_missing else projects_valid_in_quarter
    projects = qs(user=user, board=board, year=year, quarter=quarter)
    if zone is not None:
        projects = projects.filter(zone__code=zone)
    return projects.order_by("zone__code", "code")


def quarter_reports(projects, *, year: int, quarter: int) -> list[tuple[Project, EnterpriseReport | None]]:
    """Each project (already read by a scoped selector) with its report of the quarter, None when missing;
    one query."""
    projects = list(projects)
    reports = {
        report.project_id: report
        for report in EnterpriseReport.objects.filter(project__in=[p.pk for p in projects], year=year, quarter=quarter)
    }
    return [(project, reports.get(project.pk)) for project in projects]


def quarter_totals(*, user, board: Board, year: int, quarter: int) -> dict[str, object]:
    """The sum of each figure over the board's stored reports of the quarter (None where none states it):
    one aggregate query over the projects expected to report it."""
    expected = projects_valid_in_quarter(user=user, board=board, year=year, quarter=quarter).values("pk")
    reports = EnterpriseReport.objects.filter(project__in=expected, year=year, quarter=quarter)
    return reports.aggregate(**{name: Sum(name) for name in REPORT_FIGURES})


def board_project_codes(*, user, board: Board, codes) -> set[str]:
    """Which of `codes` are projects of the board the user may read (expected this quarter or not)."""
    qs = _scoped(user, boards=access.readable_boards(user).filter(pk=board.pk))
    return set(qs.filter(code__in=list(codes)).values_list("code", flat=True))


def missing_reports(*, user, board: Board, year: int, quarter: int) -> QuerySet[Project]:
    """Projects expected to report the quarter that have not reported it yet (the completeness view)."""
    qs = projects_valid_in_quarter(user=user, board=board, year=year, quarter=quarter)
    # One subquery: exclude() across a to-many relation would match year and quarter on different rows.
    reported = EnterpriseReport.objects.filter(year=year, quarter=quarter).values("project")
    return qs.exclude(pk__in=reported).order_by("code")


def exchange_rate_list() -> QuerySet[ExchangeRate]:
    """The USD→VND catalogue, newest first (public to every signed-in user: it is reference data)."""
    return ExchangeRate.objects.order_by("-valid_from")
