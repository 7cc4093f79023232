"""Benchmark data: a national-scale database for bench.rollup (DOMAIN.md §9, "Scale of the country").

    python -m bench.national [--scale 1] [--seed 11] [--database-url URL] [--force]

At scale 1: 60 boards in 6 emulation blocs of 10, 450 zones, 25,000 projects, 300,000 licence
events (issues, adjustments, terminations) and 400,000 enterprise quarterly reports, dated
2015–2025, plus the boards' annual plans for 2024–2025 and a yearly exchange-rate catalogue.
`--scale 0.1` makes a tenth of the zones, projects, events and reports (always 60 boards).
Deterministic: the same seed and scale give the same records.

Every project's ledger is made consistent with investment.ledger: `derive` numbers the
adjustments and sets each one's capital change, and the project's cached state is copied from
it (investment.ledger.apply_state), exactly as the services and the importer do. Rows are
inserted with bulk_create in batches, one transaction per 1,000 projects; no audit records.

The database: a SQLite file bench/data/national-x<scale>.sqlite3 (default), or the database a
`--database-url` names (a PostgreSQL database is created on its server when missing).
DATABASE_URL in the environment is ignored on purpose; db.sqlite3 is refused. The run migrates
the database, and leaves a TaskRun of kind "bench_national" as its marker: a database already
generated with the same scale and seed is left as it is (exit 0), one with other data is
refused unless `--force` (which empties it first).
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import os
import random
import sys
import time
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
DEV_DATABASE = ROOT / "db.sqlite3"
MARKER = "bench_national"

FULL = {"zones": 450, "projects": 25_000, "events": 300_000, "reports": 400_000}
BOARDS = 60
# Six emulation blocs of ten boards (regions of the country).
BLOCS = ("DBSH", "TDMN", "BTB", "DHMT", "DNB", "DBSCL")
TERMINATED_SHARE = 0.08
FIRST_DAY, LAST_DAY = datetime.date(2015, 1, 1), datetime.date(2025, 12, 31)
# The yearly USD→VND catalogue every database starts with (investment migration 0002): certificates'
# pairs of amounts follow it, and amounts a certificate leaves out are derived with it.
CATALOGUE = importlib.import_module("investment.migrations.0002_exchange_rate_catalogue")
RATES = CATALOGUE.YEARLY
FDI_COUNTRIES = {"KR": 30, "JP": 18, "CN": 16, "TW": 10, "SG": 9, "HK": 6, "US": 4, "DE": 3, "TH": 2, "MY": 2}
WORDS = ("Điện tử", "Cơ khí", "Dệt may", "Linh kiện", "Bao bì", "Thực phẩm", "Nhựa", "Thép", "Kính", "Logistics")
ZONE_KINDS = {"KCN": 84, "KCX": 3, "KCN_ECO": 3, "KCN_HIGHTECH": 2, "KCN_SUPPORT": 4, "KCN_SPECIALISED": 4}
ZONE_STATUSES = {"operating": 72, "under_construction": 18, "planned": 7, "closed": 3}
# An adjustment's capital factor: most change something else, about a third raise capital, some lower it.
FACTORS = {"1": 55, "1.05": 8, "1.1": 8, "1.2": 7, "1.3": 5, "1.5": 4, "2": 3, "0.8": 4, "0.9": 4, "0.95": 2}
PLAN_CODES = ("new_projects", "new_and_added_capital_fdi_usd", "export_usd", "production_value_vnd", "employees")
CHUNK = 1_000
CENT, MILLION = Decimal("0.01"), 10**6


def scale_tag(scale: float) -> str:
    """The scale as written in file names and messages: 1, 0.1, 0.02."""
    return f"{scale:g}"


def targets(scale: float) -> dict[str, int]:
    """How many of each record the scale asks for (60 boards whatever the scale)."""
    zones = max(BOARDS, round(FULL["zones"] * scale))
    projects = max(zones, round(FULL["projects"] * scale))
    events = max(projects, round(FULL["events"] * scale))
    return {
        "boards": BOARDS,
        "zones": zones,
        "projects": projects,
        "events": events,
        "reports": round(FULL["reports"] * scale),
    }


def database_url(url: str | None, scale: float) -> str:
    """The URL given, or the default SQLite file of the scale in bench/data/."""
    if url:
        return url
    DATA.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DATA / f'national-x{scale_tag(scale)}.sqlite3'}"


def setup_django(url: str, *, migrate: bool = True) -> str:
    """Point Django at the benchmark database (never db.sqlite3) and migrate it; returns the vendor."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_DEBUG"] = "0"  # no query log: it would grow with every statement
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcn_portal.settings.base")
    import django
    from django.conf import settings

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        path = Path(settings.DATABASES["default"]["NAME"]).resolve()
        if path == DEV_DATABASE.resolve():
            raise SystemExit("refusing to benchmark on the development database db.sqlite3")
    elif connection.vendor == "postgresql":
        _create_postgresql_database(settings.DATABASES["default"])
    if migrate:
        call_command("migrate", verbosity=0, interactive=False)
    return connection.vendor


def _create_postgresql_database(db: dict) -> None:
    """Create the benchmark database on its server when it is not there yet (`make bench` on a new machine)."""
    import psycopg2
    from psycopg2 import sql

    admin = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
            print(f"Created the database {db['NAME']}.")
    admin.close()


def remove_edits(prefix: str) -> int:
    """Delete a benchmark's own licence events (certificate numbers starting `prefix`) and derive the
    ledgers of their projects again, so the data set is as generated; returns how many were removed."""
    from investment import ledger
    from investment.ledger import DERIVED_FIELDS, apply_state
    from investment.models import LicenceEvent, Project, live_event_q

    edits = LicenceEvent.objects.filter(certificate_no__startswith=prefix)
    project_ids = set(edits.values_list("project_id", flat=True))
    removed = edits.count()
    edits.delete()
    for project in Project.objects.filter(pk__in=project_ids):
        events = list(project.events.filter(live_event_q()))
        apply_state(project, ledger.derive(events))
        LicenceEvent.objects.bulk_update(events, DERIVED_FIELDS)
        project.save()
    return removed


def marker():
    """The TaskRun left by the generation that made this database, or None."""
    from kcn_portal.core.models import TaskRun

    return TaskRun.objects.filter(kind=MARKER, status="succeeded").order_by("-pk").first()


# --- the plan of the country: plain values, drawn from one seeded generator --------------------------


@dataclass
class ProjectSpec:
    code: str
    zone: int  # index into the zone list
    fdi: bool
    issued: datetime.date
    terminated: datetime.date | None
    adjustments: int = 0


def _weighted(rnd: random.Random, table: dict):
    return rnd.choices(list(table), weights=list(table.values()))[0]


def _day(rnd: random.Random, lo: datetime.date, hi: datetime.date) -> datetime.date:
    return lo + datetime.timedelta(days=rnd.randint(0, max(0, (hi - lo).days)))


def _quarter(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _quarters(first: datetime.date, last: datetime.date) -> list[tuple[int, int]]:
    """Every quarter from the one holding `first` to the one holding `last`."""
    (year, quarter), end = _quarter(first), _quarter(last)
    out = []
    while (year, quarter) <= end:
        out.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return out


def plan_boards(rnd: random.Random) -> list[dict]:
    """The 60 boards, ten to a bloc, each with a size weight (lognormal)."""
    boards = []
    for i in range(BOARDS):
        bloc = BLOCS[i // (BOARDS // len(BLOCS))]
        kkt = rnd.random() < 0.2
        boards.append(
            {
                "code": f"P{i + 1:02d}",
                "name": f"Ban Quản lý {'KKT' if kkt else 'các KCN'} tỉnh số {i + 1:02d} ({bloc})",
                "province": f"Tỉnh số {i + 1:02d}",
                "kind": "kkt" if kkt else "kcn",
                "bloc_code": bloc,
                "weight": rnd.lognormvariate(0, 0.9),
            }
        )
    return boards


def plan_zones(rnd: random.Random, boards: list[dict], total: int) -> list[dict]:
    """`total` zones, at least one (operating) per board, more on bigger boards."""
    counts = [1] * len(boards)
    for index in rnd.choices(range(len(boards)), weights=[b["weight"] for b in boards], k=total - len(boards)):
        counts[index] += 1
    zones = []
    for index, (board, count) in enumerate(zip(boards, counts, strict=True)):
        for j in range(count):
            economic = board["kind"] == "kkt" and j == 0
            kind = rnd.choice(("KKT_COASTAL", "KKT_BORDER")) if economic else _weighted(rnd, ZONE_KINDS)
            status = "operating" if j == 0 else _weighted(rnd, ZONE_STATUSES)  # every board runs a zone
            natural = Decimal(rnd.randint(500_000, 3_000_000) if economic else rnd.randint(8_000, 150_000)) / 100
            industrial = (natural * Decimal(str(rnd.uniform(0.55, 0.8)))).quantize(CENT)
            share = {"planned": 0.0, "under_construction": rnd.uniform(0, 0.3)}.get(status, rnd.uniform(0.2, 1.0))
            leased = (industrial * Decimal(str(share))).quantize(CENT)
            established = None if rnd.random() < 0.05 else _day(rnd, datetime.date(1994, 1, 1), LAST_DAY)
            zones.append(
                {
                    "board": index,
                    "code": f"{board['code']}-Z{j + 1:02d}",
                    "name": f"{'KKT' if economic else 'KCN'} số {j + 1} – {board['province']}",
                    "kind": kind,
                    "status": status,
                    "natural_area_ha": natural,
                    "industrial_land_ha": industrial,
                    "leased_land_ha": leased,
                    "established_on": established,
                    # Where projects go: industrial land (an economic zone's parks, not its whole area),
                    # a little more on big boards, hardly any in planned zones.
                    "weight": (600 if economic else float(industrial))
                    * board["weight"] ** 0.3
                    * (0.05 if status == "planned" else 1.0),
                }
            )
    return zones


def plan_projects(rnd: random.Random, zones: list[dict], sizes: dict) -> list[ProjectSpec]:
    """The projects: zone, kind, issue and termination dates, and how many adjustments each gets."""
    n = sizes["projects"]
    span = (LAST_DAY - FIRST_DAY).days
    where = rnd.choices(range(len(zones)), weights=[z["weight"] for z in zones], k=n)
    specs = []
    for i, zone in enumerate(where):
        # More projects in recent years, as in the real registers.
        issued = FIRST_DAY + datetime.timedelta(days=int(span * rnd.random() ** 0.75))
        code = f"{zones[zone]['board'] + 10:02d}{i + 1:08d}"
        specs.append(ProjectSpec(code, zone, rnd.random() < 0.52, issued, None))
    for spec in rnd.sample(specs, round(n * TERMINATED_SHARE)):
        spec.terminated = _day(rnd, spec.issued + datetime.timedelta(days=60), LAST_DAY)
        spec.terminated = min(spec.terminated, LAST_DAY)
    # Older projects have had more time to be adjusted.
    n_adjust = sizes["events"] - n - sum(1 for s in specs if s.terminated)
    ages = [((s.terminated or LAST_DAY) - s.issued).days + 30 for s in specs]
    for index in rnd.choices(range(n), weights=ages, k=max(0, n_adjust)):
        specs[index].adjustments += 1
    return specs


# --- one project's records ------------------------------------------------------------------------


def _vnd(amount) -> int:
    return max(MILLION, int(Decimal(amount).quantize(Decimal(MILLION), rounding=ROUND_HALF_UP)))


def _usd(amount) -> Decimal:
    return max(CENT, Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP))


class ProjectMaker:
    """Builds (unsaved) a project's ledger events, derived state and quarterly reports."""

    def __init__(self, rnd: random.Random, report_share: float):
        self.rnd = rnd
        self.report_share = report_share

    def amounts(self, fdi: bool, day: datetime.date, usd: Decimal, vnd: int) -> dict:
        """The amounts a certificate states, the other currency derived (and marked) where it does not."""
        rate = Decimal(RATES[day.year])
        draw = self.rnd.random()
        if not fdi:  # domestic certificates state đồng; the USD equivalent is derived
            return {"capital_vnd": vnd, "capital_usd": _usd(vnd / rate), "capital_usd_derived": True}
        if draw < 0.85:
            return {"capital_vnd": vnd, "capital_usd": usd}
        if draw < 0.95:
            return {"capital_vnd": _vnd(usd * rate), "capital_usd": usd, "capital_vnd_derived": True}
        if draw < 0.995:
            return {"capital_vnd": vnd, "capital_usd": _usd(vnd / rate), "capital_usd_derived": True}
        return {"capital_vnd": None, "capital_usd": usd}  # no rate in the catalogue: đồng left out

    def events(self, spec: ProjectSpec, investor_id: int) -> list:
        from investment.models import LicenceEvent

        rnd, fdi = self.rnd, spec.fdi
        rate = Decimal(RATES[spec.issued.year])
        if fdi:
            usd = _usd(Decimal(rnd.lognormvariate(16, 1.2)).quantize(Decimal(1000)) + 1000)
            vnd = _vnd(usd * rate)
        else:
            vnd = _vnd(rnd.lognormvariate(25.3, 1.1) + 10**9)
            usd = _usd(vnd / rate)
        name = f"Dự án {rnd.choice(WORDS).lower()} {spec.code[-6:]}"
        land = Decimal(rnd.randint(50, 5000)) / 100
        last = spec.terminated or LAST_DAY

        def event(kind, cert, day, **fields):
            return LicenceEvent(
                series=uuid.UUID(int=rnd.getrandbits(128), version=4),
                kind=kind,
                certificate_no=cert,
                event_date=day,
                project_name=name,
                investor_id=investor_id,
                **fields,
            )

        out = [event("issue", spec.code, spec.issued, land_area_ha=land, **self.amounts(fdi, spec.issued, usd, vnd))]
        # A few adjustments on the day of issue; the others any day of the project's life.
        days = sorted(
            spec.issued if rnd.random() < 0.02 else _day(rnd, spec.issued, last) for _ in range(spec.adjustments)
        )
        for k, day in enumerate(days, start=1):
            factor = Decimal(_weighted(rnd, FACTORS))
            usd, vnd = _usd(usd * factor), _vnd(vnd * factor)
            extra = {"land_area_ha": (land * factor).quantize(CENT)} if rnd.random() < 0.2 else {}
            if rnd.random() < 0.04:
                name = f"{name.split(' (')[0]} (giai đoạn {k + 1})"
            out.append(event("adjust", f"{spec.code}/ĐC{k}", day, **extra, **self.amounts(fdi, day, usd, vnd)))
        if spec.terminated:
            ground = "investor" if rnd.random() < 0.7 else "board"
            out.append(event("terminate", f"{spec.code[-5:]}/QĐ-BQL", spec.terminated, termination_ground=ground))
        return out

    def reports(self, spec: ProjectSpec, events: list) -> list:
        """Quarterly reports from the quarter of issue to the last one of its life, some missing."""
        from investment.models import EnterpriseReport

        rnd, fdi = self.rnd, spec.fdi
        carrying = [e for e in events if e.kind != "terminate"]  # in ledger order after derive()
        out = []
        for n, (year, quarter) in enumerate(_quarters(spec.issued, spec.terminated or LAST_DAY)):
            share = self.report_share * (0.6 if (year, quarter) == (2025, 4) else 1.0)  # late reporters
            if rnd.random() >= share:
                continue
            quarter_end = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
            registered = [e for e in carrying if e.event_date < quarter_end][-1]
            reg_vnd = registered.capital_vnd or _vnd((registered.capital_usd or 0) * RATES[year])
            ramp = min(1.0, (n + 1) / 8)
            size = float(reg_vnd)
            employees = int(
                min(20_000, max(5, size / (7e8 if fdi else 1.5e9))) * (0.3 + 0.7 * ramp) * rnd.uniform(0.9, 1.1)
            )
            revenue = _vnd(size * 0.12 * ramp * rnd.lognormvariate(0, 0.3))
            rate = RATES[year]
            exports = revenue / rate * rnd.uniform(0.5, 0.9) if fdi or rnd.random() < 0.3 else None
            implemented = size * min(0.9, 0.15 + 0.75 * ramp) * rnd.uniform(0.9, 1.0)
            figures = {
                "revenue_vnd": None if rnd.random() < 0.02 else revenue,
                "production_value_vnd": int(revenue * rnd.uniform(0.7, 1.0)),
                "export_usd": None if exports is None else _usd(exports),
                "import_usd": None if exports is None else _usd(exports * rnd.uniform(0.4, 0.8)),
                "budget_vnd": int(revenue * rnd.uniform(0.01, 0.05)),
                "employees": employees,
                "employees_foreign": int(employees * rnd.uniform(0, 0.03)) if fdi else None,
            }
            if rnd.random() >= 0.08:  # some reports leave the implemented capital out
                figures["implemented_capital_vnd"] = _vnd(implemented)
                figures["implemented_capital_usd"] = _usd(implemented / rate) if fdi else None
            out.append(EnterpriseReport(year=year, quarter=quarter, **figures))
        return out


# --- writing --------------------------------------------------------------------------------------


def _flush_if_allowed(force: bool, scale: float, seed: int) -> bool:
    """True when the database already holds this generation (nothing to do); empties it with --force."""
    from django.core.management import call_command

    from zones.models import Board

    done = marker()
    if done and not force and done.params == {"scale": scale, "seed": seed}:
        return True
    if Board.objects.exists() or done:
        if not force:
            raise SystemExit(
                "the database already holds other data (or another generation): use --force to empty it first"
            )
        print("Emptying the database (--force) …", flush=True)
        call_command("flush", verbosity=0, interactive=False)
    return False


def _catalogues(boards: list[dict], zones: list[dict], rnd: random.Random):
    """Boards, zones, investors (the rate catalogue if missing): (boards, zones, investor ids by kind)."""
    from django.apps import apps as django_apps

    from investment.models import ExchangeRate, Investor
    from zones.models import Board, Zone

    board_objects = Board.objects.bulk_create(
        [Board(**{k: v for k, v in b.items() if k != "weight"}) for b in boards], batch_size=500
    )
    zone_objects = Zone.objects.bulk_create(
        [
            Zone(board=board_objects[z["board"]], **{k: v for k, v in z.items() if k not in ("board", "weight")})
            for z in zones
        ],
        batch_size=500,
    )
    if not ExchangeRate.objects.exists():  # emptied by --force (flush): put the catalogue back
        CATALOGUE.load(django_apps, None)
    countries, weights = list(FDI_COUNTRIES), list(FDI_COUNTRIES.values())
    foreign = [Investor(name=f"{w} Holdings {i:04d}", country=rnd.choices(countries, weights)[0]) for i, w in
               enumerate(rnd.choice(WORDS) for _ in range(4_000))]  # fmt: skip
    domestic = [Investor(name=f"Công ty CP {rnd.choice(WORDS)} {i:04d}", country="VN") for i in range(4_000)]
    Investor.objects.bulk_create(foreign + domestic, batch_size=2_000)
    return board_objects, zone_objects, {"fdi": [i.pk for i in foreign], "ddi": [i.pk for i in domestic]}


def _plans(board_objects, rnd: random.Random) -> int:
    from reports.models import Plan

    plans = []
    for board in board_objects:
        for year in (2024, 2025):
            for code in PLAN_CODES:
                plans.append(Plan(board=board, year=year, indicator=code, value=Decimal(rnd.randint(10, 10**6) * 10)))
    Plan.objects.bulk_create(plans, batch_size=1_000)
    return len(plans)


def generate(scale: float, seed: int, out=print) -> dict:
    """Write the national dataset into the (empty) configured database; returns the counts and timings."""
    from django.db import connection, transaction

    from investment import ledger
    from investment.ledger import apply_state
    from investment.models import EnterpriseReport, LicenceEvent, Project, ProjectInvestor

    rnd = random.Random(seed)
    sizes = targets(scale)
    started = time.perf_counter()
    boards = plan_boards(rnd)
    zones = plan_zones(rnd, boards, sizes["zones"])
    specs = plan_projects(rnd, zones, sizes)
    slots = sum(len(_quarters(s.issued, s.terminated or LAST_DAY)) for s in specs)
    # Reporting share to reach the target; the last quarter is reported less (0.6 ×): make up for it.
    last = sum(1 for s in specs if not s.terminated)
    report_share = min(1.0, sizes["reports"] / (slots - 0.4 * last)) if slots else 0.0
    seconds = time.perf_counter() - started
    out(f"Planned {len(specs)} projects, {slots} report slots (share {report_share:.3f}) in {seconds:.1f} s")

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")  # a throwaway file: no disk sync per transaction
    timings = {"catalogues": 0.0, "build": 0.0, "insert": 0.0}
    counts = {"events": 0, "reports": 0}
    t0 = time.perf_counter()
    with transaction.atomic():
        board_objects, zone_objects, investor_ids = _catalogues(boards, zones, rnd)
        counts["plans"] = _plans(board_objects, rnd)
    timings["catalogues"] = time.perf_counter() - t0
    maker = ProjectMaker(rnd, report_share)
    for first in range(0, len(specs), CHUNK):
        t0 = time.perf_counter()
        projects, events, reports, shares = [], [], [], []
        for spec in specs[first : first + CHUNK]:
            kind = "fdi" if spec.fdi else "ddi"
            investor_id = rnd.choice(investor_ids[kind])
            ledger_events = maker.events(spec, investor_id)
            state = ledger.derive(ledger_events)  # adjustment numbers, capital changes, the project's state
            project = Project(code=spec.code, zone=zone_objects[spec.zone], kind=kind, sector=rnd.choice("CCCCGHK"))
            apply_state(project, state)
            projects.append(project)
            events.append(ledger_events)
            reports.append(maker.reports(spec, ledger.ordered(ledger_events)))
            shares.append(investor_id)
        t1 = time.perf_counter()
        with transaction.atomic():
            Project.objects.bulk_create(projects, batch_size=1_000)
            links, rows, figures = [], [], []
            for project, investor_id, ledger_events, project_reports in zip(
                projects, shares, events, reports, strict=True
            ):
                links.append(ProjectInvestor(project=project, investor_id=investor_id, share_pct=Decimal(100)))
                for event in ledger_events:
                    event.project = project
                    rows.append(event)
                for report in project_reports:
                    report.project = project
                    figures.append(report)
            ProjectInvestor.objects.bulk_create(links, batch_size=2_000)
            LicenceEvent.objects.bulk_create(rows, batch_size=2_000)
            EnterpriseReport.objects.bulk_create(figures, batch_size=2_000)
        t2 = time.perf_counter()
        timings["build"] += t1 - t0
        timings["insert"] += t2 - t1
        counts["events"] += len(rows)
        counts["reports"] += len(figures)
        done = min(len(specs), first + CHUNK)
        if done % (CHUNK * 5) == 0 or done == len(specs):
            out(
                f"  {done:>6} projects, {counts['events']:>7} events, {counts['reports']:>7} reports "
                f"({time.perf_counter() - started:.0f} s)"
            )
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        # Planner statistics (and on PostgreSQL the visibility map), as autovacuum or a DBA keep them:
        # the benchmark then measures a settled database, not autovacuum catching up with a bulk load.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    timings["analyze"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - started
    kinds = dict.fromkeys(("issue", "adjust", "terminate"), 0)
    for spec in specs:
        kinds["issue"] += 1
        kinds["adjust"] += spec.adjustments
        kinds["terminate"] += spec.terminated is not None
    return {
        "boards": len(board_objects),
        "blocs": len(BLOCS),
        "zones": len(zone_objects),
        "projects": len(specs),
        "events": counts["events"],
        "events_by_kind": kinds,
        "reports": counts["reports"],
        "plans": counts["plans"],
        "seconds": {key: round(value, 1) for key, value in timings.items()},
    }


def _remove_sqlite_file(url: str) -> None:
    import dj_database_url

    path = Path(dj_database_url.parse(url)["NAME"]).resolve()
    if path == DEV_DATABASE.resolve():
        raise SystemExit("refusing to benchmark on the development database db.sqlite3")
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def main(argv=None) -> int:
    """Generate the data set into the benchmark database (see the module docstring); exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the national size (default 1)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--database-url", help="the database to fill (default: a SQLite file in bench/data/)")
    parser.add_argument("--force", action="store_true", help="empty the database first and generate again")
    args = parser.parse_args(argv)
    url = database_url(args.database_url, args.scale)
    if args.force and url.startswith("sqlite"):
        _remove_sqlite_file(url)  # quicker than emptying hundreds of thousands of rows
    vendor = setup_django(url)
    from django.utils import timezone

    from kcn_portal.core.models import TaskRun

    if _flush_if_allowed(args.force, args.scale, args.seed):
        print(f"National data (scale {scale_tag(args.scale)}, seed {args.seed}) already in {url}: nothing to do.")
        return 0
    print(f"Generating national data (scale {scale_tag(args.scale)}, seed {args.seed}) into {url} ({vendor}) …")
    result = generate(args.scale, args.seed)
    now = timezone.now()
    TaskRun.objects.create(
        kind=MARKER,
        status="succeeded",
        progress=100,
        params={"scale": args.scale, "seed": args.seed},
        result=result,
        started_at=now,
        finished_at=now,
    )
    seconds = result["seconds"]
    print(
        f"Done in {seconds['total']:.0f} s: {result['boards']} boards, {result['zones']} zones, "
        f"{result['projects']} projects, "
        f"{result['events']} events {result['events_by_kind']}, {result['reports']} reports, {result['plans']} plans."
    )
    print(
        f"  catalogues {seconds['catalogues']:.1f} s, building objects {seconds['build']:.1f} s, "
        f"bulk inserts {seconds['insert']:.1f} s, (VACUUM) ANALYZE {seconds['analyze']:.1f} s"
    )
    total_rows = result["projects"] + result["events"] + result["reports"]
    print(f"  {total_rows / seconds['total']:.0f} rows/s overall")
    return 0


if __name__ == "__main__":
    sys.exit(main())
