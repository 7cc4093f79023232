"""Demo enterprise quarterly reports (2018-Q1 … 2025-Q4) for the demo projects of investment.demo_data,
calibrated to the published 2019 figures of Hà Nam and Thái Bình, and when each board received them.

Timeliness (reports.deadlines, a quarter's deadline 15 days after its end): each board's quarter is, by a
crc32 of (board, year, quarter) — never the random generator, whose draws the figures depend on —
- on time (about 70 %): every report received 1–15 days after the quarter, most near the deadline;
- late (about 18 %): complete, but a few reports (about 4 %) came 16–40 days after the quarter;
- incomplete (about 12 %, from 2020): a few enterprises (about 3 %) never reported.
The latest quarter (2025-Q4) has more missing reports everywhere (12 %): it is still being chased.
"""

from __future__ import annotations

import datetime
import functools
import math
import random
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from . import ledger
from .demo_data import (
    CENT,
    FDI,
    HNA_2019,
    HNA_BUDGET_2019_VND,
    HNA_EMPLOYEES_2019,
    HNA_EXPORT_2019_USD,
    HNA_PRODUCTION_2018_VND,
    HNA_PRODUCTION_2019_VND,
    REPORT_YEARS,
    SEED,
    TBH_2019_11,
    TBH_IMPLEMENTED_QUARTER,
    TBH_IMPLEMENTED_VND,
    BoardDemo,
    DemoProject,
    board_codes,
    board_demo,
    build_board,
    catalogue_key,
    rate_on,
    rate_table_of,
    round_float,
    write_rows,
)
from .models import EnterpriseReport, Project
from .quarters import quarter_range
from .services.bulk import ReportRow, import_reports
from .services.enterprise_reports import check_report_quarter

# --- enterprise quarterly reports ---------------------------------------------------------------

SEASON = {1: 0.9, 2: 1.0, 3: 1.05, 4: 1.1}
QUARTERS = [(year, quarter, *quarter_range(year, quarter)) for year in REPORT_YEARS for quarter in (1, 2, 3, 4)]


@dataclass(slots=True)
class DemoReport:
    """One project's report for one quarter: drawn as floats, calibrated, then rounded into `figures`."""

    project: DemoProject
    year: int
    quarter: int
    end: datetime.date
    capital_vnd: int  # registered capital at the quarter's end: implemented capital stays below it
    capital_usd: Decimal
    production: float
    revenue: float
    budget: float
    export: float
    imports: float
    employees: float
    foreign_share: float
    missing: bool = False  # left out: the enterprise has not reported (the completeness view shows it)
    implemented_vnd: int = 0
    implemented_usd: Decimal | None = None
    figures: dict = field(default_factory=dict)


class _Reports:
    """Draws a board's enterprise reports from its demo projects, with their own seeded generator."""

    def __init__(self, demo: BoardDemo, rates: ledger.RateTable):
        self.demo = demo
        self.rates = rates
        self.rng = random.Random(f"{SEED}-{demo.code}-reports")  # noqa: S311
        self.ramps: dict[str, tuple[float, float]] = {}  # code → (final implemented share, years to reach it)
        self.by_project: dict[str, list[DemoReport]] = {}

    def draw(self, project: DemoProject) -> list[DemoReport]:
        rng, fdi = self.rng, project.kind == FDI
        productivity = rng.lognormvariate(math.log(0.2), 0.5)  # production per quarter per đồng registered
        revenue_ratio, budget_rate = rng.uniform(1.0, 1.2), rng.uniform(0.02, 0.06)
        export_share = rng.uniform(0.55, 0.9) if fdi else (rng.uniform(0.05, 0.3) if rng.random() < 0.3 else 0.0)
        import_ratio, growth = rng.uniform(0.5, 0.85), rng.uniform(0.0, 0.12)
        usd_per_worker = rng.uniform(25_000, 90_000)
        foreign_share = rng.uniform(0.005, 0.03) if fdi else 0.0
        # Production starts some months after the certificate; a project later terminated never did well.
        operating = project.issued_on + datetime.timedelta(days=rng.randint(270, 640))
        weak = 0.35 if project.terminated_on else 1.0
        self.ramps[project.code] = (rng.uniform(0.55, 0.95), rng.uniform(1.5, 5.0))
        reports = []
        for year, quarter, start, end in QUARTERS:
            if end < project.issued_on or (project.terminated_on and start > project.terminated_on):
                continue
            state = project.state_at(end)
            years = (end - operating).days / 365.25
            ramp = 0.0 if years < 0 else min(1.0, 0.3 + 0.7 * years)
            trend = (1 + growth) ** (year - 2018 + (quarter - 1) / 4) * (0.92 if year == 2020 else 1.0)
            production = state.vnd * productivity * ramp * trend * SEASON[quarter] * rng.uniform(0.92, 1.08) * weak
            revenue = production * revenue_ratio
            export = revenue / float(rate_on(self.rates, end)) * export_share
            workers = float(state.usd) / usd_per_worker * (0.06 + 0.94 * ramp) * (1 + growth / 2) ** (year - 2018)
            # Reports up to 2019 are complete (the published figures); later a few are missing in some boards'
            # quarters, most of all lately. The draw is made for every quarter from 2020 (the figures after it
            # depend on the generator's sequence), whether the quarter can miss reports or not.
            missing = year >= 2020 and rng.random() < missing_share(self.demo.code, year, quarter)
            reports.append(
                DemoReport(
                    project=project,
                    year=year,
                    quarter=quarter,
                    end=end,
                    capital_vnd=state.vnd,
                    capital_usd=state.usd,
                    production=production,
                    revenue=revenue,
                    budget=revenue * budget_rate,
                    export=export,
                    imports=export * import_ratio,
                    employees=workers * rng.uniform(0.97, 1.03),
                    foreign_share=foreign_share,
                    missing=missing,
                )
            )
        return reports

    def implemented(self, project: DemoProject, factor: float = 1.0, override=None) -> None:
        """Cumulative implemented capital: rising towards a share of the registered capital, never above it."""
        final, years_to_final = self.ramps[project.code]
        previous = 0
        for report in self.by_project[project.code]:
            years = (report.end - project.issued_on).days / 365.25
            share = min(0.98, factor * final * min(1.0, 0.15 + years / years_to_final))
            value = round_float(share * report.capital_vnd)
            if override and override[0] == (report.year, report.quarter):
                value = override[1]
            value = min(max(previous, value), report.capital_vnd)
            report.implemented_vnd = value
            if project.kind == FDI:
                report.implemented_usd = (Decimal(value) * report.capital_usd / report.capital_vnd).quantize(CENT)
            previous = value

    def build(self) -> list[DemoReport]:
        for project in self.demo.projects:
            self.by_project[project.code] = self.draw(project)
        reports = [report for project in self.demo.projects for report in self.by_project[project.code]]
        factor = self.calibrate_implemented() if self.demo.code == "TBH" else 1.0
        for project in self.demo.projects:
            if not (self.demo.code == "TBH" and project.code in self.tbh_fixed):
                self.implemented(project, factor)
        if self.demo.code == "HNA":
            self.scale_hna(reports)
        for report in reports:
            _round_report(report)
        if self.demo.code == "HNA":
            self.fix_hna(reports)
        for report in reports:
            employees = report.figures["employees"]
            foreign = min(employees, round(employees * report.foreign_share))
            report.figures["employees_foreign"] = (
                max(foreign, 1) if report.foreign_share and employees >= 20 else foreign
            )
        return reports

    # -- the published figures --

    tbh_fixed: frozenset = frozenset()

    def calibrate_implemented(self) -> float:
        """Thái Bình: the 2019-Q3 implemented capital of the projects valid at 30/11/2019 sums to the figure."""
        end = TBH_2019_11.end
        q3_end = quarter_range(*TBH_IMPLEMENTED_QUARTER)[1]
        counted = [p for p in self.demo.projects if p.valid_at(end) and p.issued_on <= q3_end]

        def q3(project):
            return next(r for r in self.by_project[project.code] if (r.year, r.quarter) == TBH_IMPLEMENTED_QUARTER)

        def total(factor):
            for project in counted:
                self.implemented(project, factor)
            return sum(q3(p).implemented_vnd for p in counted)

        factor = 1.0
        for _ in range(8):
            factor *= TBH_IMPLEMENTED_VND / total(factor)
        rest = TBH_IMPLEMENTED_VND - total(factor)
        # The rounding rest goes to one project whose figure can take it (between its Q2 figure and its capital).
        for project in sorted(counted, key=lambda p: -q3(p).implemented_vnd):
            reports = self.by_project[project.code]
            index = reports.index(q3(project))
            value = q3(project).implemented_vnd + rest
            if (reports[index - 1].implemented_vnd if index else 0) <= value <= reports[index].capital_vnd:
                self.implemented(project, factor, override=(TBH_IMPLEMENTED_QUARTER, value))
                self.tbh_fixed = frozenset({project.code})
                break
        if sum(q3(p).implemented_vnd for p in counted) != TBH_IMPLEMENTED_VND:
            raise RuntimeError("Demo data for TBH: implemented capital not reached.")
        return factor

    def scale_hna(self, reports: list[DemoReport]) -> None:
        """Hà Nam: scale the drawn figures so that the 2018 and 2019 totals land near the published ones."""
        end = HNA_2019.end

        def total(name, year):
            return sum(getattr(r, name) for r in reports if r.year == year)

        production = {2018: HNA_PRODUCTION_2018_VND / total("production", 2018)}
        production[2019] = HNA_PRODUCTION_2019_VND / total("production", 2019)
        budget = HNA_BUDGET_2019_VND / total("budget", 2019)
        export = float(HNA_EXPORT_2019_USD) / total("export", 2019)
        staff = [r for r in reports if (r.year, r.quarter) == (2019, 4) and r.project.valid_at(end)]
        employees = HNA_EMPLOYEES_2019 / sum(r.employees for r in staff)
        for report in reports:
            scale = production[min(max(report.year, 2018), 2019)]
            report.production *= scale
            report.revenue *= scale
            report.budget *= budget
            report.export *= export
            report.imports *= export
            report.employees *= employees

    def fix_hna(self, reports: list[DemoReport]) -> None:
        """Hà Nam: put each total's rounding rest on its largest report, so the totals are exact."""
        for name, year, target in (
            ("production_value_vnd", 2018, HNA_PRODUCTION_2018_VND),
            ("production_value_vnd", 2019, HNA_PRODUCTION_2019_VND),
            ("budget_vnd", 2019, HNA_BUDGET_2019_VND),
            ("export_usd", 2019, HNA_EXPORT_2019_USD),
        ):
            group = [r for r in reports if r.year == year]
            largest = max(group, key=lambda r: (r.figures[name], r.project.code, r.quarter))
            largest.figures[name] += target - sum(r.figures[name] for r in group)
        staff = [r for r in reports if (r.year, r.quarter) == (2019, 4) and r.project.valid_at(HNA_2019.end)]
        staff.sort(key=lambda r: (-r.figures["employees"], r.project.code))
        rest = HNA_EMPLOYEES_2019 - sum(r.figures["employees"] for r in staff)
        for index in range(abs(rest)):
            staff[index % len(staff)].figures["employees"] += 1 if rest > 0 else -1


def _round_report(report: DemoReport) -> None:
    """Reports state đồng in whole millions and US dollars in whole dollars, as enterprises fill them in."""
    report.figures = {
        "revenue_vnd": round_float(report.revenue),
        "production_value_vnd": round_float(report.production),
        "export_usd": Decimal(round(report.export)).quantize(CENT),
        "import_usd": Decimal(round(report.imports)).quantize(CENT),
        "budget_vnd": round_float(report.budget),
        "employees": round(report.employees),
        "employees_foreign": 0,
        "implemented_capital_vnd": report.implemented_vnd,
        "implemented_capital_usd": report.implemented_usd,
    }


@functools.lru_cache(maxsize=12)
def _build_reports(code: str, rates_key: tuple) -> list[DemoReport]:
    return _Reports(build_board(code, rates_key), rate_table_of(rates_key)).build()


def board_reports(code: str, rates_key: tuple | None = None) -> list[DemoReport]:
    """The demo reports of one board, missing ones included (flagged), built once per process."""
    return _build_reports(code, rates_key if rates_key is not None else catalogue_key())


# --- when each report was received (EnterpriseReport.received_at) -----------------------------------

DEADLINE_DAYS = 15  # the quarterly deadline the demo is drawn against (KCN_REPORT_DEADLINE_DAYS' default)
INCOMPLETE_PCT, LATE_PCT = 12, 18  # shares of the boards' quarters that stay incomplete or come in late
LATEST_QUARTER = (2025, 4)


def _noise(*parts) -> int:
    # crc32, not hash() nor the generator: the same demo every run and on every machine.
    return zlib.crc32(":".join(str(p) for p in parts).encode())


def quarter_behaviour(board: str, year: int, quarter: int) -> str:
    """How a board's quarter went: "incomplete" (from 2020), "late" or "on_time"."""
    value = _noise(SEED, board, year, quarter, "timeliness") % 100
    if value < INCOMPLETE_PCT:
        return "incomplete" if year >= 2020 else "on_time"
    return "late" if value < INCOMPLETE_PCT + LATE_PCT else "on_time"


def missing_share(board: str, year: int, quarter: int) -> float:
    """The chance that an enterprise never reported this quarter to this board."""
    if (year, quarter) == LATEST_QUARTER:
        return 0.12
    return 0.03 if quarter_behaviour(board, year, quarter) == "incomplete" else 0.0


def received_at(board: str, project: str, year: int, quarter: int) -> datetime.datetime:
    """When the board received a project's report: office hours, days after the quarter's end."""
    noise = _noise(SEED, board, project, year, quarter, "received")
    if quarter_behaviour(board, year, quarter) == "late" and noise % 25 == 0:
        days = DEADLINE_DAYS + 1 + (noise >> 5) % 25
    else:
        # Most enterprises send their report in the second week, close to the deadline.
        days = 1 + max((noise >> 5) % DEADLINE_DAYS, (noise >> 9) % DEADLINE_DAYS)
    at = datetime.time(7 + (noise >> 13) % 10, (noise >> 17) % 60)
    day = quarter_range(year, quarter)[1] + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, at), timezone.get_default_timezone())


def stamp_received(board: str, keys: Iterable[tuple[str, int, int]]) -> int:
    """Set `received_at` of the reports (project code, year, quarter) just seeded for a board; returns how many.

    Never later than now. Only the reports the seed has just written: a second run stamps nothing.
    """
    from .models import EnterpriseReport

    wanted = set(keys)
    if not wanted:
        return 0
    now = timezone.now()
    reports = list(
        EnterpriseReport.objects.filter(
            project__code__in={code for code, _year, _quarter in wanted},
            year__in={year for _code, year, _quarter in wanted},
        )
        .only("pk", "project__code", "year", "quarter")
        .select_related("project")
    )
    changed = []
    for report in reports:
        if (report.project.code, report.year, report.quarter) in wanted:
            report.received_at = min(received_at(board, report.project.code, report.year, report.quarter), now)
            changed.append(report)
    EnterpriseReport.objects.bulk_update(changed, ["received_at"], batch_size=1000)
    return len(changed)


# --- the seed_demo step --------------------------------------------------------------------------


def seed_reports(tally, boards: Iterable[str] | None = None) -> None:
    """The demo projects' quarterly reports that are not there yet (and that the project's life still allows)."""
    key = catalogue_key()
    today = timezone.localdate()
    for code in board_codes(boards):
        reports = board_reports(code, key)
        stored = {
            p.code: p
            for p in Project.objects.filter(code__in=[p.code for p in board_demo(code, key).projects]).only(
                "code", "issued_on", "terminated_on"
            )
        }
        present = set(
            EnterpriseReport.objects.filter(project__code__in=list(stored)).values_list(
                "project__code", "year", "quarter"
            )
        )
        rows = []
        for report in reports:
            project = stored.get(report.project.code)
            if report.missing or project is None:
                continue
            if (project.code, report.year, report.quarter) in present:
                tally.unchanged += 1
                continue
            # A user may have terminated a demo project earlier than the demo did: skip what it no longer allows.
            if check_report_quarter(project, report.year, report.quarter, today=today):
                continue
            rows.append(ReportRow(len(rows) + 1, project.code, report.year, report.quarter, dict(report.figures)))
        if rows:
            write_rows(import_reports, rows, code)
            stamp_received(code, [(row.project_code, row.year, row.quarter) for row in rows])
        tally.created += len(rows)
