"""The naive reference for the rollup engine: every indicator of DOMAIN.md §5, the obvious slow way.

`board_values(period, board_ids)` answers exactly what reports.engine.rollup.board_values answers —
{board id: {code: value}} with the same types (int for counts, people and đồng; Decimal with two
places for USD, hectares and percentages; None for enterprise figures of a period that does not
cover whole quarters) — but loads model instances (boards, zones, projects, licence events,
enterprise reports) and walks them in Python, one project at a time: its live ledger goes through
investment.ledger.state_as_of for its state (valid or not, capital, each adjustment's capital
change) at the period's end. It never uses reports.engine.sources or SQL aggregation: the tests and the
benchmark compare the engine with it, so the two must stay independent. Far too slow for pages.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from investment import ledger
from investment.enums import EventKind
from investment.models import EnterpriseReport, LicenceEvent, Project
from kcn_portal.indicators import CATALOGUE, PCT, normalise
from kcn_portal.periods import Period
from reports.engine.rollup import with_ratios
from zones.enums import ZoneStatus
from zones.models import Board, Zone

FLOWS = ("revenue_vnd", "production_value_vnd", "export_usd", "import_usd", "budget_vnd")
STOCKS = ("employees", "employees_foreign")
CURRENCIES = ("usd", "vnd")


def _quarter_end(year: int, quarter: int) -> datetime.date:
    month = 3 * quarter
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _blank(period: Period) -> dict:
    """Every code at zero (ratios left for with_ratios); enterprise codes None for a partial quarter."""
    values = {indicator.code: (None if indicator.unit == PCT else 0) for indicator in CATALOGUE}
    if not period.covers_whole_quarters:
        values.update(dict.fromkeys(FLOWS + STOCKS))
    return values


def _add(values: dict, code: str, amount) -> None:
    if amount is not None:
        values[code] += amount


def _tally_event(values: dict, kind: str, event) -> None:
    """One live event dated inside the period (its capital change already derived from the ledger)."""
    if event.kind == EventKind.ISSUE:
        values["new_projects"] += 1
        values[f"new_projects_{kind}"] += 1
        for cur in CURRENCIES:
            _add(values, f"new_capital_{kind}_{cur}", getattr(event, f"capital_{cur}"))
            _add(values, f"new_and_added_capital_{kind}_{cur}", getattr(event, f"capital_{cur}"))
    elif event.kind == EventKind.ADJUST:
        values["adjustments"] += 1
        values[f"adjustments_{kind}"] += 1
        change_vnd, change_usd = event.capital_change_vnd, event.capital_change_usd
        if (change_vnd is not None and change_vnd > 0) or (
            change_vnd is None and change_usd is not None and change_usd > 0
        ):
            values[f"capital_increase_adjustments_{kind}"] += 1
        for cur, change in (("vnd", change_vnd), ("usd", change_usd)):
            if change is None:
                continue
            values[f"net_capital_change_{kind}_{cur}"] += change
            if change > 0:
                values[f"added_capital_{kind}_{cur}"] += change
                values[f"new_and_added_capital_{kind}_{cur}"] += change
    else:
        values[f"terminated_projects_{kind}"] += 1


def tally_project(values: dict, period: Period, project: Project, events: list, reports: list) -> None:
    """Everything one project contributes to its board's figures for the period."""
    start, end, kind = period.start, period.end, project.kind
    live = [event for event in events if event.is_current and not event.voided]
    # The ledger as it stood at the end: state, and the adjustment numbers and capital changes.
    state = ledger.state_as_of(live, end)
    for event in live:
        if start <= event.event_date <= end:
            _tally_event(values, kind, event)

    valid = state.issued_on is not None and state.terminated_on is None
    if valid:
        values["valid_projects"] += 1
        values[f"valid_projects_{kind}"] += 1
        _add(values, f"valid_capital_{kind}_vnd", state.capital_vnd)
        _add(values, f"valid_capital_{kind}_usd", state.capital_usd)
        stating = [
            report
            for report in reports
            if _quarter_end(report.year, report.quarter) <= end
            and (report.implemented_capital_vnd is not None or report.implemented_capital_usd is not None)
        ]
        if stating:
            latest = max(stating, key=lambda report: (report.year, report.quarter))
            _add(values, f"implemented_capital_{kind}_vnd", latest.implemented_capital_vnd)
            _add(values, f"implemented_capital_{kind}_usd", latest.implemented_capital_usd)

    if not period.covers_whole_quarters:
        return
    quarters = set(period.quarters())
    inside = [report for report in reports if (report.year, report.quarter) in quarters]
    for report in inside:
        for code in FLOWS:
            _add(values, code, getattr(report, code))
    if valid:
        # People at the period end: the report of the quarter ending then, else of the quarter before.
        year, quarter = end.year, end.month // 3
        before = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        by_quarter = {(report.year, report.quarter): report for report in reports}
        stock = by_quarter.get((year, quarter)) or by_quarter.get(before)
        if stock is not None:
            for code in STOCKS:
                _add(values, code, getattr(stock, code))


def tally_zone(values: dict, zone: Zone) -> None:
    values["zones_total"] += 1
    values["zones_operating"] += zone.status == ZoneStatus.OPERATING
    values["zones_under_construction"] += zone.status == ZoneStatus.UNDER_CONSTRUCTION
    values["zone_area_ha"] += zone.natural_area_ha
    values["industrial_land_ha"] += zone.industrial_land_ha
    values["leased_land_ha"] += zone.leased_land_ha


def board_values(period: Period, board_ids: Iterable[int] | None = None) -> dict[int, dict]:
    """{board id: {code: value}} for the given boards (None: every board), computed in Python.

    Reads (no writes): the boards' zones, projects, every version of their licence events dated up to
    the period's end and their enterprise reports up to the period's year, as model instances.
    """
    ids = list(Board.objects.values_list("pk", flat=True)) if board_ids is None else list(board_ids)
    out = {board_id: _blank(period) for board_id in ids}
    wanted = set(ids)
    end = period.end

    zones = [zone for zone in Zone.objects.all() if zone.board_id in wanted]
    board_of_zone = {zone.pk: zone.board_id for zone in zones}
    for zone in zones:
        if zone.established_on is None or zone.established_on <= end:
            tally_zone(out[zone.board_id], zone)

    projects = [project for project in Project.objects.all() if project.zone_id in board_of_zone]
    events = LicenceEvent.objects.filter(event_date__lte=end)
    reports = EnterpriseReport.objects.filter(year__lte=period.year)
    if board_ids is not None:
        events = events.filter(project__zone__board_id__in=ids)
        reports = reports.filter(project__zone__board_id__in=ids)
    events_of, reports_of = defaultdict(list), defaultdict(list)
    for event in events:
        events_of[event.project_id].append(event)
    for report in reports:
        reports_of[report.project_id].append(report)
    for project in projects:
        values = out[board_of_zone[project.zone_id]]
        tally_project(values, period, project, events_of[project.pk], reports_of[project.pk])

    for values in out.values():
        for code, value in values.items():
            values[code] = normalise(code, value)
        with_ratios(values)
    return out


def combined(parts: Iterable[dict]) -> dict:
    """The sum of several boards' reference values, summed here in Python; ratios from the sums."""
    parts = list(parts)
    total = {}
    for indicator in CATALOGUE:
        present = [part[indicator.code] for part in parts if part[indicator.code] is not None]
        total[indicator.code] = (
            normalise(indicator.code, sum(present, Decimal(0))) if present and indicator.unit != PCT else None
        )
    return with_ratios(total)
