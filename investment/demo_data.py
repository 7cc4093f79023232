"""Demo data for `python manage.py seed_demo`: projects, licence histories and enterprise reports.

Every demo board gets a few hundred projects in its demo zones, with certificates issued since
2005, adjustments (most raising the capital, many changing nothing else, a few lowering it), some
terminations, and quarterly enterprise reports 2018-Q1 … 2025-Q4 (a few missing, most of all in the
latest quarter). Everything comes from one seeded random.Random per board, so every run builds the
same rows; amounts are then calibrated against the exchange-rate catalogue of the database, so the
published totals come out exactly even where a USD amount is left for the portal to derive.

Published 2019 figures reproduced exactly (DOMAIN.md §9; tests/investment/test_demo_data.py checks them
with plain ORM aggregates):
- Hà Nam, 2019: 67 new projects (50 FDI, 17 DDI); 119 adjustments, 44 of them raising the capital;
  new and added capital 753.85 million USD (FDI) and 3,604.09 billion VND (DDI); 410 valid projects at
  31/12/2019 with 3,246.23 million USD (FDI) and 29,713.4 billion VND (DDI); reports 2019: production
  value 93,070 billion VND (2018: 74,219 billion = 93,070 / 1.254 rounded, hence +25.4 %), budget 3,800
  billion VND, exports 2,192 million USD, 70,973 employees (2019-Q4 reports of the valid projects).
- Thái Bình, 1/1–30/11/2019: 21 new projects with 4,466.777 billion VND; 30 adjustments, 14 raising the
  capital by 907.538 billion and 3 lowering it by 8.125 billion (net +899.413 billion); 284 valid
  projects at 30/11/2019 (231 DDI, 53 FDI) with 81,770.544 billion VND registered and 55,555.4 billion
  implemented (the 2019-Q3 reports: the last quarter reported by 30/11).
- Hà Nội, 31/12/2019: 663 valid projects, 345 FDI with 6,100 million USD and 318 DDI with 15,265.4
  billion VND ("over 15,000").

Written through investment.services.bulk (validated, audited, a fixed number of queries), for projects and
reports that do not exist yet only: a second run writes nothing and what users changed stays.
The names it draws from are in investment/demo_names.py, the quarterly reports in investment/demo_enterprise_reports.py.
"""

from __future__ import annotations

import datetime
import functools
import math
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

from django.conf import settings

from kcn_portal.core.enums import AuditSource
from zones import demo_data as zone_demo
from zones.enums import ZoneStatus

from . import ledger
from .demo_names import (
    ADJUST_NOTES,
    COMPANIES,
    DDI_PRODUCTS,
    DDI_TEMPLATES,
    FDI_PRODUCTS,
    FDI_TEMPLATES,
    PROFILES,
    TERMINATION_NOTES,
    VN_FORMS,
    VN_NAMES,
)
from .enums import EventKind, ProjectKind
from .models import ExchangeRate, LicenceEvent, Project, live_event_q
from .services import licences, projects
from .services.bulk import LicenceRow, import_licences

ISSUE, ADJUST, TERMINATE = EventKind.ISSUE, EventKind.ADJUST, EventKind.TERMINATE
FDI, DDI = ProjectKind.FDI.value, ProjectKind.DDI.value
FIRST_DAY = datetime.date(2005, 1, 1)
LAST_DAY = datetime.date(2025, 12, 31)  # nothing is dated later: the demo must not reach into the future
BUILDING_FROM = datetime.date(2020, 1, 1)  # zones still under construction receive projects from then on
REPORT_YEARS = range(2018, 2026)
SEED = "kcn-demo"
MILLION, BILLION = 10**6, 10**9
CENT = Decimal("0.01")
DAY = datetime.timedelta(days=1)
BOARD_CODES = tuple(board["code"] for board in zone_demo.BOARDS)

# --- the published figures ------------------------------------------------------------------------


@dataclass(frozen=True)
class Total:
    """A sum the demo reproduces: `what` (new / added / new_and_added / valid) of `kinds` in `currency`."""

    what: str
    kinds: tuple[str, ...]
    currency: str
    value: int | Decimal


@dataclass(frozen=True)
class Targets:
    """What one board's ledger must show: counts in the window [start, end] and at `end`, and totals."""

    start: datetime.date
    end: datetime.date
    new: dict  # issues in the window, per kind
    valid: dict  # projects valid at `end`, per kind
    terminated: dict  # projects issued before the window and terminated on or before `end`
    later: dict  # projects issued after `end`
    adjustments: int = 0
    increases: int = 0
    decreases: int = 0
    decrease_vnd: int = 0
    fdi_currency: str = "usd"  # the currency FDI certificates are drawn (and calibrated) in
    totals: tuple[Total, ...] = ()


HNA_2019 = Targets(
    start=datetime.date(2019, 1, 1),
    end=datetime.date(2019, 12, 31),
    new={FDI: 50, DDI: 17},
    valid={FDI: 240, DDI: 170},
    terminated={FDI: 14, DDI: 16},
    later={FDI: 70, DDI: 40},
    adjustments=119,
    increases=44,
    totals=(
        Total("new_and_added", (FDI,), "usd", Decimal("753850000.00")),
        Total("new_and_added", (DDI,), "vnd", 3_604_090 * MILLION),
        Total("valid", (FDI,), "usd", Decimal("3246230000.00")),
        Total("valid", (DDI,), "vnd", 29_713_400 * MILLION),
    ),
)
TBH_2019_11 = Targets(
    start=datetime.date(2019, 1, 1),
    end=datetime.date(2019, 11, 30),
    new={FDI: 6, DDI: 15},
    valid={FDI: 53, DDI: 231},
    terminated={FDI: 5, DDI: 18},
    later={FDI: 25, DDI: 55},
    adjustments=30,
    increases=14,
    decreases=3,
    decrease_vnd=8_125 * MILLION,
    fdi_currency="vnd",  # Thái Bình publishes every figure in VND
    totals=(
        Total("new", (FDI, DDI), "vnd", 4_466_777 * MILLION),
        Total("added", (FDI, DDI), "vnd", 907_538 * MILLION),
        Total("valid", (FDI, DDI), "vnd", 81_770_544 * MILLION),
    ),
)
HNI_2019 = Targets(
    # No window: only the valid projects at the end of 2019 are published.
    start=datetime.date(2020, 1, 1),
    end=datetime.date(2019, 12, 31),
    new={FDI: 0, DDI: 0},
    valid={FDI: 345, DDI: 318},
    terminated={FDI: 28, DDI: 32},
    later={FDI: 45, DDI: 35},
    totals=(
        Total("valid", (FDI,), "usd", Decimal("6100000000.00")),
        Total("valid", (DDI,), "vnd", 15_265_400 * MILLION),
    ),
)
TARGETS = {"HNA": HNA_2019, "TBH": TBH_2019_11, "HNI": HNI_2019}

# Enterprise reports of Hà Nam (2019, and 2018 for the growth) and Thái Bình's implemented capital.
HNA_PRODUCTION_2019_VND = 93_070 * BILLION
HNA_PRODUCTION_2018_VND = 74_219 * BILLION  # 93,070 / 1.254 = 74,218.5 → 74,219 (growth 25.4 %)
HNA_BUDGET_2019_VND = 3_800 * BILLION
HNA_EXPORT_2019_USD = Decimal("2192000000")
HNA_EMPLOYEES_2019 = 70_973
TBH_IMPLEMENTED_VND = 55_555_400 * MILLION
TBH_IMPLEMENTED_QUARTER = (2019, 3)  # the last quarter every project had reported by 30/11/2019

# --- the plan of one board ------------------------------------------------------------------------


@dataclass(slots=True)
class Event:
    """One certificate of a demo project; `delta` is in the project's currency (issue: its capital)."""

    kind: str
    day: datetime.date
    phase: str = "pre"  # before, inside or after the board's published window
    trend: str = ""  # adjust: "up", "same" or "down"
    delta: int | Decimal = 0
    derive_usd: bool = False  # the certificate states VND only; the ledger derives USD
    land: Decimal | None = None
    note: str = ""
    certificate_no: str = ""
    # What the ledger will hold (set by _materialize).
    vnd: int = 0
    usd: Decimal = Decimal(0)
    change_vnd: int = 0
    change_usd: Decimal = Decimal(0)


@dataclass(slots=True)
class DemoProject:
    code: str
    zone_code: str
    kind: str
    name: str
    investor: tuple[str, str]  # (name, country)
    currency: str  # the currency its amounts are drawn in: "usd" (FDI) or "vnd"
    events: list[Event] = field(default_factory=list)

    @property
    def issued_on(self) -> datetime.date:
        return self.events[0].day

    @property
    def terminated_on(self) -> datetime.date | None:
        return next((event.day for event in self.events if event.kind == TERMINATE), None)

    def valid_at(self, day: datetime.date) -> bool:
        end = self.terminated_on
        return self.issued_on <= day and not (end and end <= day)

    def state_at(self, day: datetime.date) -> Event | None:
        """The last issue/adjust certificate dated on or before `day`."""
        last = None
        for event in self.events:
            if event.day > day:
                break
            if event.kind != TERMINATE:
                last = event
        return last


@dataclass
class BoardDemo:
    code: str
    projects: list[DemoProject]


def catalogue_key() -> tuple:
    return tuple(ExchangeRate.objects.order_by("valid_from").values_list("valid_from", "valid_to", "vnd_per_usd"))


def rate_table_of(key: tuple) -> ledger.RateTable:
    return ledger.RateTable(SimpleNamespace(valid_from=a, valid_to=b, vnd_per_usd=c) for a, b, c in key)


def rate_on(rates: ledger.RateTable, day: datetime.date) -> Decimal:
    rate = rates.rate_on(day)
    if rate is None:
        raise RuntimeError(f"Demo data: no USD/VND exchange rate for {day:%d/%m/%Y}.")
    return rate


def _round_vnd(amount: Decimal | float, unit: int = MILLION) -> int:
    return int((Decimal(amount) / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * unit


def _round_usd(amount: Decimal | float, unit: int = 1000) -> Decimal:
    return (Decimal(amount) / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) * unit + Decimal("0.00")


def round_float(amount: float, unit: int = MILLION) -> int:
    # Report figures are drawn as floats; the ledger's amounts go through the exact Decimal helpers above.
    return round(amount / unit) * unit


def _derive_usd(vnd: int, rate: Decimal) -> Decimal:
    # Exactly what ledger.RateTable.complete stores for a certificate without a USD amount.
    return (Decimal(vnd) / rate).quantize(CENT, rounding=ROUND_HALF_UP)


def _weighted_day(rng: random.Random, lo: datetime.date, hi: datetime.date, growth: float = 2.0) -> datetime.date:
    """A day in [lo, hi]; later days more likely (density rising linearly to 1 + growth times the first)."""
    span = (hi - lo).days
    u = rng.random()
    x = (-1 + math.sqrt(1 + 2 * growth * u * (1 + growth / 2))) / growth
    return lo + datetime.timedelta(days=min(span, int(x * (span + 1))))


def _uniform_day(rng: random.Random, lo: datetime.date, hi: datetime.date) -> datetime.date:
    return lo + datetime.timedelta(days=rng.randint(0, (hi - lo).days))


class _Board:
    """Draws one board's projects; `rng` is the board's own, so boards do not depend on each other."""

    def __init__(self, code: str, rates: ledger.RateTable):
        self.code = code
        self.rates = rates
        self.profile = PROFILES[code]
        self.targets = TARGETS.get(code)
        self.rng = random.Random(f"{SEED}-{code}")  # noqa: S311 (demo data, not secrets)
        self.zones = [
            (row["code"], row["status"], row["established_on"], min(600.0, max(20.0, float(row["industrial_land_ha"]))))
            for board, row in zone_demo.zone_rows()
            if board == code and row["status"] != ZoneStatus.PLANNED
        ]
        self.investors: dict[str, list[tuple[str, str]]] = defaultdict(list)  # country → [(name, brand)]
        self.codes: set[str] = set()
        self.decisions: dict[int, int] = defaultdict(int)  # termination decisions numbered per year

    # -- skeleton: who, where, when --

    def zone_for(self, day: datetime.date) -> str:
        eligible = [
            z
            for z in self.zones
            if (z[2] is None or z[2] <= day) and (z[1] == ZoneStatus.OPERATING or day >= BUILDING_FROM)
        ] or [z for z in self.zones if z[1] == ZoneStatus.OPERATING]
        return self.rng.choices(eligible, weights=[z[3] for z in eligible])[0][0]

    def new_code(self) -> str:
        digits = settings.KCN_PROJECT_CODE_LENGTH - len(self.profile.prefix)
        while True:
            code = self.profile.prefix + str(self.rng.randrange(10 ** (digits - 1), 10**digits))
            if code not in self.codes:
                self.codes.add(code)
                return code

    def investor(self, country: str) -> tuple[str, str]:
        pool = self.investors[country]
        if pool and self.rng.random() < 0.2:
            return self.rng.choice(pool)  # an investor with several projects in the board's zones
        if country == "VN":
            brand = self.rng.choice(VN_NAMES)
            name = self.rng.choice(VN_FORMS).format(brand)
        else:
            stems, forms = COMPANIES[country]
            brand = self.rng.choice(stems.split())
            name = self.rng.choice(forms).format(brand)
        pool.append((name, brand))
        return name, brand

    def project(self, kind: str, issued: datetime.date, terminated: datetime.date | None) -> DemoProject:
        rng = self.rng
        if kind == FDI:
            country = rng.choices(list(self.profile.countries), weights=list(self.profile.countries.values()))[0]
            (investor, brand), template, product = self.investor(country), rng.choice(FDI_TEMPLATES), FDI_PRODUCTS
        else:
            country = "VN"
            (investor, brand), template, product = self.investor(country), rng.choice(DDI_TEMPLATES), DDI_PRODUCTS
        name = template.format(product=rng.choice(product), brand=brand)
        currency = (self.targets.fdi_currency if self.targets else "usd") if kind == FDI else "vnd"
        project = DemoProject(self.new_code(), self.zone_for(issued), kind, name, (investor, country), currency)
        land = Decimal(rng.uniform(0.8, 15.0) if kind == FDI else rng.uniform(0.5, 10.0)).quantize(CENT)
        # About one FDI certificate in ten states the capital in VND only (USD derived by the portal).
        project.events.append(Event(ISSUE, issued, land=land, derive_usd=kind == FDI and rng.random() < 0.1))
        if terminated:
            project.events.append(Event(TERMINATE, terminated, note=rng.choice(TERMINATION_NOTES)))
        return project

    def later_termination(self, issued: datetime.date, after: datetime.date, chance: float) -> datetime.date | None:
        lo = max(after + DAY, issued + datetime.timedelta(days=365))
        if lo >= LAST_DAY or self.rng.random() >= chance:
            return None
        return _uniform_day(self.rng, lo, LAST_DAY)

    def skeleton(self) -> list[DemoProject]:
        rng, t = self.rng, self.targets
        projects = []
        if t is None:
            for _ in range(rng.randint(200, 260)):
                kind = FDI if rng.random() < self.profile.fdi_share else DDI
                issued = _weighted_day(rng, FIRST_DAY, LAST_DAY)
                projects.append(self.project(kind, issued, self.later_termination(issued, issued, 0.08)))
            return projects
        before = t.start - DAY
        for kind in (FDI, DDI):
            for _ in range(t.valid[kind] - t.new[kind]):
                issued = _weighted_day(rng, FIRST_DAY, before)
                projects.append(self.project(kind, issued, self.later_termination(issued, t.end, 0.06)))
            for _ in range(t.terminated[kind]):
                issued = _weighted_day(rng, FIRST_DAY, before - datetime.timedelta(days=60))
                ended = _uniform_day(rng, min(issued + datetime.timedelta(days=180), t.end), t.end)
                projects.append(self.project(kind, issued, ended))
            for _ in range(t.new[kind]):
                issued = _uniform_day(rng, t.start, t.end)
                projects.append(self.project(kind, issued, self.later_termination(issued, t.end, 0.06)))
            for _ in range(t.later[kind]):
                issued = _weighted_day(rng, t.end + DAY, LAST_DAY, growth=0.5)
                projects.append(self.project(kind, issued, self.later_termination(issued, issued, 0.05)))
        return projects

    # -- adjustments --

    def in_window(self, day: datetime.date) -> bool:
        return self.targets is not None and self.targets.start <= day <= self.targets.end

    def add_adjustments(self, projects: list[DemoProject]) -> None:
        rng, t = self.rng, self.targets
        for project in projects:
            issued, ended = project.issued_on, project.terminated_on
            last = min(ended - DAY, LAST_DAY) if ended else LAST_DAY
            used = {e.day for e in project.events}
            day = issued
            while True:
                # About one adjustment every four years; never inside the window (counted exactly below).
                day += datetime.timedelta(days=max(30, int(rng.expovariate(0.25) * 365)))
                if day > last:
                    break
                if self.in_window(day) or day in used:
                    continue
                trend = rng.choices(["up", "same", "down"], weights=[55, 40, 5])[0]
                project.events.append(Event(ADJUST, day, trend=trend))
                used.add(day)
        if t is None or not t.adjustments:
            return
        trends = ["up"] * t.increases + ["down"] * t.decreases
        trends += ["same"] * (t.adjustments - len(trends))
        rng.shuffle(trends)
        valid = [p for p in projects if p.valid_at(t.end)]
        for trend in trends:
            while True:
                day = _uniform_day(rng, t.start, t.end)
                # A decrease needs capital from before the window to take away from.
                candidates = [
                    p
                    for p in valid
                    if (p.issued_on < t.start if trend == "down" else p.issued_on < day)
                    and all(e.day != day for e in p.events)
                ]
                if candidates:
                    break
            rng.choice(candidates).events.append(Event(ADJUST, day, phase="window", trend=trend))

    # -- amounts --

    def draw_issue(self, project: DemoProject) -> int | Decimal:
        rng = self.rng
        if project.kind == FDI:
            usd = min(250e6, max(3e5, rng.lognormvariate(math.log(5e6), 1.1)))
            return _round_usd(usd, 10_000) if project.currency == "usd" else _round_vnd(usd * 23_000, 100 * MILLION)
        return _round_vnd(min(5e12, max(2e9, rng.lognormvariate(math.log(5e10), 1.0))), 100 * MILLION)

    def draw_change(self, project: DemoProject, event: Event, running) -> int | Decimal:
        rng = self.rng
        if event.trend == "same":
            return 0 * running
        share = rng.uniform(0.1, 0.7) if event.trend == "up" else -rng.uniform(0.05, 0.25)
        if project.currency == "usd":
            change = _round_usd(running * Decimal(share), 1000)
        else:
            change = _round_vnd(running * Decimal(share), 100 * MILLION)
        if change == 0:  # a change too small to round: the smallest unit, in the right direction
            change = (Decimal(1000) if project.currency == "usd" else 100 * MILLION) * (1 if share > 0 else -1)
        return change

    def draw_amounts(self, project: DemoProject, phases: set[str]) -> None:
        running = 0
        for event in project.events:
            if event.kind == ISSUE and event.phase in phases:
                event.delta = self.draw_issue(project)
            elif (
                event.kind == ADJUST
                and event.phase in phases
                and not (event.phase == "window" and event.trend == "down")
            ):
                event.delta = self.draw_change(project, event, running)
            running += event.delta if event.kind != TERMINATE else 0

    def build(self) -> BoardDemo:
        projects = self.skeleton()
        t = self.targets
        self.add_adjustments(projects)
        for project in projects:
            project.events.sort(key=lambda e: (e.day, ledger.KIND_RANK[e.kind]))
            for event in project.events:
                if t is not None and event.day > t.end:
                    event.phase = "post"
                elif t is not None and event.day >= t.start:
                    event.phase = "window"
            self.name_certificates(project)
            self.draw_amounts(project, {"pre", "window"} if t else {"pre"})
            if t:  # issues after the window do not depend on the calibration
                for event in project.events:
                    if event.kind == ISSUE and event.phase == "post":
                        event.delta = self.draw_issue(project)
        if t:
            self.set_decreases(projects)
            for total in t.totals:
                self.calibrate(projects, total)
            for project in projects:
                self.draw_post(project)
        for project in projects:
            _materialize(project, self.rates)
        self.verify(projects)
        projects.sort(key=lambda p: (p.issued_on, p.code))
        return BoardDemo(self.code, projects)

    def name_certificates(self, project: DemoProject) -> None:
        number = 0
        suffix = "BQLKKT" if self.code in ("QNH", "HPG") else "BQLKCN"
        for event in project.events:
            if event.kind == ISSUE:
                event.certificate_no = project.code  # the first certificate carries the project code
            elif event.kind == ADJUST:
                number += 1
                event.certificate_no = f"{project.code}-ĐC{number}"
                event.note = self.rng.choice(ADJUST_NOTES[event.trend])
                if event.trend == "up" and self.rng.random() < 0.2:
                    event.land = (project.events[0].land * Decimal(self.rng.uniform(1.1, 1.6))).quantize(CENT)
            else:
                self.decisions[event.day.year] += 1
                event.certificate_no = f"{self.decisions[event.day.year]}/QĐ-{suffix}"

    def draw_post(self, project: DemoProject) -> None:
        _materialize(project, self.rates)
        running = 0
        for event in project.events:
            if event.kind == ADJUST and event.phase == "post":
                event.delta = self.draw_change(project, event, running)
            if event.kind != TERMINATE:
                running += event.delta
                if project.currency == "usd" and event.kind == ISSUE:
                    running = event.usd  # a derived USD amount, not the one drawn

    def set_decreases(self, projects: list[DemoProject]) -> None:
        """The window's decreases share the published total exactly (whole millions of đồng)."""
        t = self.targets
        downs = [e for p in projects for e in p.events if e.phase == "window" and e.trend == "down"]
        if not downs:
            return
        weights = [self.rng.uniform(0.5, 1.5) for _ in downs]
        amounts = [_round_vnd(t.decrease_vnd * w / sum(weights)) for w in weights]
        amounts[-1] += t.decrease_vnd - sum(amounts)
        for event, amount in zip(downs, amounts, strict=True):
            event.delta = -amount

    # -- calibration --

    def calibrate(self, projects: list[DemoProject], total: Total) -> None:
        """Scale the amounts a published total is made of, then put the rounding rest on one certificate."""
        t = self.targets
        kinds = set(total.kinds)
        if total.what == "valid":
            items = [
                e
                for p in projects
                if p.kind in kinds and p.valid_at(t.end)
                for e in p.events
                if e.phase == "pre" and e.kind != TERMINATE
            ]
        else:
            wanted = {"new": {ISSUE}, "added": {ADJUST}, "new_and_added": {ISSUE, ADJUST}}[total.what]
            items = [
                e
                for p in projects
                if p.kind in kinds
                for e in p.events
                if e.phase == "window" and e.kind in wanted and (e.kind == ISSUE or e.trend == "up")
            ]
        owners = {id(e): p for p in projects for e in p.events}
        for project in projects:
            _materialize(project, self.rates)
        drawn = sum(e.delta for e in items)
        rest = _measure(projects, total, t) - drawn
        factor = (Decimal(total.value) - rest) / Decimal(drawn)
        if factor <= 0:
            raise RuntimeError(f"Demo data for {self.code}: cannot reach {total}.")
        for event in items:
            currency = owners[id(event)].currency
            unit = (10_000 if event.kind == ISSUE else 1000) if currency == "usd" else 100 * MILLION
            scaled = event.delta * factor
            event.delta = _round_usd(scaled, unit) if currency == "usd" else _round_vnd(scaled, unit)
            if event.kind == ISSUE and event.delta <= 0:
                event.delta = Decimal(unit) if currency == "usd" else unit
        # The rest goes to the largest certificate that states its amount in the total's currency.
        fixer = max(
            (
                e
                for e in items
                if e.kind == ISSUE or total.what == "added"
                if not any(x.derive_usd for x in owners[id(e)].events)
            ),
            key=lambda e: e.delta,
        )
        for project in projects:
            _materialize(project, self.rates)
        fixer.delta += type(fixer.delta)(Decimal(total.value) - _measure(projects, total, t))

    def verify(self, projects: list[DemoProject]) -> None:
        """Fail loudly when a published figure or a ledger rule is not met (a bug in this module)."""
        for project in projects:
            for event in project.events:
                if event.kind != TERMINATE and (event.vnd <= 0 or event.usd <= 0):
                    raise RuntimeError(f"Demo data: project {project.code} has a capital ≤ 0 on {event.day}.")
                if event.day > LAST_DAY:
                    raise RuntimeError(f"Demo data: project {project.code} has an event after {LAST_DAY}.")
        t = self.targets
        if t is None:
            return
        for total in t.totals:
            if _measure(projects, total, t) != total.value:
                raise RuntimeError(f"Demo data for {self.code}: {total} not reached.")
        for kind in (FDI, DDI):
            valid = sum(p.kind == kind and p.valid_at(t.end) for p in projects)
            new = sum(p.kind == kind and t.start <= p.issued_on <= t.end for p in projects)
            if (valid, new) != (t.valid[kind], t.new[kind]):
                raise RuntimeError(f"Demo data for {self.code}: {kind} counts {valid}, {new}.")


def _materialize(project: DemoProject, rates: ledger.RateTable) -> None:
    """Compute each certificate's stated VND and USD (as the ledger will hold them) from the deltas."""
    vnd, usd = 0, Decimal(0)
    for event in project.events:
        if event.kind == TERMINATE:
            continue
        rate = rate_on(rates, event.day)
        if project.currency == "usd":
            if event.kind == ISSUE:
                event.vnd = _round_vnd(event.delta * rate)
                event.usd = _derive_usd(event.vnd, rate) if event.derive_usd else event.delta
            else:
                # The added USD is converted at the rate of the day: a change keeps its sign in both currencies.
                event.usd = usd + event.delta
                event.vnd = vnd + _round_vnd(event.delta * rate)
        else:
            event.vnd = event.delta if event.kind == ISSUE else vnd + event.delta
            if project.kind == FDI and event.kind == ADJUST:
                event.usd = usd + _derive_usd(event.delta, rate)
            else:
                event.usd = _derive_usd(event.vnd, rate)  # a DDI certificate states VND only
        if event.kind == ADJUST:
            event.change_vnd, event.change_usd = event.vnd - vnd, event.usd - usd
        vnd, usd = event.vnd, event.usd


def _measure(projects: list[DemoProject], total: Total, t: Targets) -> int | Decimal:
    """A published total computed from the materialized certificates, as the tests compute it from the ledger."""
    value = 0
    for project in projects:
        if project.kind not in total.kinds:
            continue
        if total.what == "valid":
            if project.valid_at(t.end):
                value += getattr(project.state_at(t.end), total.currency)
            continue
        for event in project.events:
            if not t.start <= event.day <= t.end:
                continue
            if event.kind == ISSUE and total.what in ("new", "new_and_added"):
                value += getattr(event, total.currency)
            elif event.kind == ADJUST and total.what in ("added", "new_and_added"):
                value += max(0, getattr(event, f"change_{total.currency}"))
    return value


@functools.lru_cache(maxsize=24)
def build_board(code: str, rates_key: tuple) -> BoardDemo:
    return _Board(code, rate_table_of(rates_key)).build()


def board_demo(code: str, rates_key: tuple | None = None) -> BoardDemo:
    """The demo projects of one board (built once per process and exchange-rate catalogue)."""
    return build_board(code, rates_key if rates_key is not None else catalogue_key())


def licence_rows(demo: BoardDemo, skip: Iterable[str] = (), start: int = 1) -> list[LicenceRow]:
    """The `licences` rows of a board's demo projects, except those whose code is in `skip`."""
    skip = set(skip)
    rows = []
    for project in demo.projects:
        if project.code in skip:
            continue
        for event in project.events:
            stated = event.kind != TERMINATE
            rows.append(
                LicenceRow(
                    number=start + len(rows),
                    project_code=project.code,
                    project_name=project.name,
                    zone_code=project.zone_code,
                    investor_name=project.investor[0],
                    investor_country=project.investor[1],
                    kind=project.kind,
                    event=event.kind,
                    certificate_no=event.certificate_no,
                    event_date=event.day,
                    capital_vnd=event.vnd if stated else None,
                    capital_usd=event.usd if stated and project.kind == FDI and not event.derive_usd else None,
                    land_area_ha=event.land,
                    note=event.note,
                )
            )
    return rows


# --- the seed_demo steps ----------------------------------------------------------------------------


def board_codes(boards: Iterable[str] | None) -> list[str]:
    return [code for code in BOARD_CODES if boards is None or code in boards]


def write_rows(writer, rows: list, board: str) -> None:
    """Write rows through the bulk writer as the system (audited as a command); any error stops the seed."""
    errors: list[tuple[int, str, str]] = []
    writer(rows, user=None, source=AuditSource.COMMAND, report=lambda *error: errors.append(error))
    if errors:
        shown = "; ".join(f"dòng {row}, cột {column}: {message}" for row, column, message in errors[:10])
        raise RuntimeError(f"Dữ liệu mẫu của Ban {board} bị từ chối ({len(errors)} lỗi): {shown}")


def seed_projects(tally, boards: Iterable[str] | None = None) -> None:
    """Each board's demo projects with their whole licence ledger; projects that exist are left alone."""
    key = catalogue_key()
    for code in board_codes(boards):
        demo = board_demo(code, key)
        codes = [project.code for project in demo.projects]
        existing = set(Project.objects.filter(code__in=codes).values_list("code", flat=True))
        rows = licence_rows(demo, skip=existing)
        if rows:
            write_rows(import_licences, rows, code)
        tally.created += len(codes) - len(existing)
        tally.unchanged += len(existing)


JOINT_PARTNER = "Công ty CP Đầu tư Phát triển Công nghiệp Phủ Lý"


def _vn(area: Decimal) -> str:
    return f"{area:.2f}".replace(".", ",")


def example_codes(demo: BoardDemo) -> tuple[str, str]:
    """(project whose issue certificate gets a correction, project given two investors with shares)."""
    fdi = [p for p in demo.projects if p.kind == FDI and p.terminated_on is None and p.investor[1] == "KR"]
    corrected = max(fdi, key=lambda p: (sum(e.kind == ADJUST for e in p.events), p.code))
    joint = max((p for p in fdi if p is not corrected), key=lambda p: (p.events[-1].usd, p.code))
    return corrected.code, joint.code


def seed_examples(tally, boards: Iterable[str] | None = None) -> None:
    """On Hà Nam: one issue certificate corrected once (with its reason) and one joint venture with shares.

    Through investment.services, so the detail pages show them as a user would have made them.
    """
    if "HNA" not in board_codes(boards):
        return
    corrected_code, joint_code = example_codes(board_demo("HNA"))
    project = Project.objects.filter(code=corrected_code).select_related("zone__board").first()
    if project is not None:
        if LicenceEvent.objects.filter(project=project, version__gt=1).exists():
            tally.unchanged += 1
        else:
            issue = LicenceEvent.objects.get(live_event_q(), project=project, kind=ISSUE)
            wrong = issue.land_area_ha or Decimal("1.00")
            right = (wrong * Decimal("1.1")).quantize(CENT)
            reason = (
                f"Đính chính diện tích đất: khi chuyển dữ liệu từ sổ theo dõi đã ghi {_vn(wrong)} ha, "
                f"giấy chứng nhận gốc ghi {_vn(right)} ha."
            )
            licences.licence_correct(
                user=None, event=issue, reason=reason, land_area_ha=right, source=AuditSource.COMMAND
            )
            tally.created += 1
    project = Project.objects.filter(code=joint_code).select_related("zone__board").first()
    if project is not None:
        if project.shares.filter(share_pct__isnull=False).exists():
            tally.unchanged += 1
        else:
            main = project.shares.select_related("investor").first().investor
            projects.project_investors_set(
                user=None,
                project=project,
                investors=[
                    {"name": main.name, "country": main.country.code, "share_pct": Decimal("70")},
                    {"name": JOINT_PARTNER, "country": "VN", "share_pct": Decimal("30")},
                ],
                source=AuditSource.COMMAND,
            )
            tally.created += 1
