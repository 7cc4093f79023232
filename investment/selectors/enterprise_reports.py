"""Reads of enterprise quarterly reports: lists, one report, and a board's quarter (who must report it,
who has not, the grid's zones, pages and totals), scoped by zones.access."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from zones import access
from zones.models import Board

from ..filters import EnterpriseReportFilter
from ..models import REPORT_FIGURES, EnterpriseReport, Project
from ..quarters import quarter_range
from .projects import readable_projects


def report_list(*, user, filters: dict | None = None) -> QuerySet[EnterpriseReport]:
    """Enterprise reports of the projects the user may read."""
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
    qs = readable_projects(user, boards=access.readable_boards(user).filter(pk=board.pk))
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
    qs = readable_projects(user, boards=access.readable_boards(user).filter(pk=board.pk))
    return set(qs.filter(code__in=list(codes)).values_list("code", flat=True))


def missing_reports(*, user, board: Board, year: int, quarter: int) -> QuerySet[Project]:
    """Projects expected to report the quarter that have not reported it yet (the completeness view)."""
    qs = projects_valid_in_quarter(user=user, board=board, year=year, quarter=quarter)
    # One subquery: exclude() across a to-many relation would match year and quarter on different rows.
    reported = EnterpriseReport.objects.filter(year=year, quarter=quarter).values("project")
    return qs.exclude(pk__in=reported).order_by("code")
