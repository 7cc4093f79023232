"""Benchmark: import 20,000 licence rows in bulk vs saving them row by row through the services.

    python -m bench.import_licences [--rows 20000] [--seed 7] [--database-url URL] [--keep]

Generates a realistic `licences` sheet (DOMAIN.md §6) in random row order, then runs three
measurements, each in its own Python process on its own fresh, migrated, throwaway database:

- bulk:     kcn_portal.core.workbook.import_workbook (reading the .xlsx included), timed;
- memory:   the same import under tracemalloc (peak Python allocations; slower, so not timed);
- baseline: the same rows saved one event at a time through investment.services.licences
            (project_register / licence_adjust / licence_terminate) in ledger (date) order.

Finally checks that the bulk and baseline databases hold identical ledgers, prints a summary,
and merges the figures into bench/results.json under "import_licences". The databases are
SQLite files in a temporary folder (default), or, with --database-url, test databases
derived from that URL; the development database (db.sqlite3) is never touched.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
DEV_DATABASE = ROOT / "db.sqlite3"
HEADER = (
    "project_code", "project_name", "zone_code", "investor_name", "investor_country", "kind", "event",
    "certificate_no", "event_date", "capital_vnd", "capital_usd", "land_area_ha", "note",
)  # fmt: skip
# Three boards of the Red River Delta with their zones; one board's codes start with a zero.
BOARDS = {
    "HNA": ("Ban Quản lý các KCN tỉnh Hà Nam", "Hà Nam", "54", ("HNA-DV1", "HNA-DV2", "HNA-CH", "HNA-TL")),
    "BNH": ("Ban Quản lý các KCN Bắc Ninh", "Bắc Ninh", "21", ("BNH-QV", "BNH-YP", "BNH-TS", "BNH-VSIP")),
    "HPG": ("Ban Quản lý KKT Hải Phòng", "Hải Phòng", "02", ("HPG-DV", "HPG-TC", "HPG-NV")),
}
FDI_COUNTRIES = {"KR": 35, "JP": 20, "CN": 15, "TW": 10, "SG": 8, "HK": 5, "US": 4, "DE": 3}
# Approximate yearly USD→VND rates, only to make the stated pairs of amounts plausible.
RATES = {2005: 15859, 2008: 16302, 2011: 20510, 2014: 21148, 2017: 22370, 2020: 23208, 2023: 23787}
WORDS = ("Điện tử", "Cơ khí", "Dệt may", "Linh kiện", "Bao bì", "Thực phẩm", "Nhựa", "Thép", "Kính", "Logistics")


def _rate(year: int) -> int:
    return RATES[max(y for y in RATES if y <= year)]


# --- the workbook --------------------------------------------------------------------------------


def generate_rows(total: int, seed: int, today: datetime.date) -> list[tuple]:
    """About `total` rows: 35 % issues, 10 % of the projects terminated, adjustments for the rest."""
    rnd = random.Random(seed)
    n_projects = max(1, round(total * 0.35))
    n_terminated = n_projects // 10
    n_adjust = max(0, total - n_projects - n_terminated)
    cutoff = today - datetime.timedelta(days=1)
    start = datetime.date(2005, 1, 1)
    span = (cutoff - start).days
    zones = [(board, prefix, zone) for board, (_n, _p, prefix, codes) in BOARDS.items() for zone in codes]
    countries, weights = zip(*FDI_COUNTRIES.items(), strict=True)
    projects = []
    for i in range(n_projects):
        _board, prefix, zone = zones[i % len(zones)]
        # More projects in recent years, as in the real registers.
        issued = start + datetime.timedelta(days=int(span * rnd.random() ** 0.7))
        fdi = rnd.random() < 0.6
        projects.append(
            {
                "code": f"{prefix}{i + 10_000_000:08d}",
                "zone": zone,
                "fdi": fdi,
                "issued": issued,
                "investor": (
                    f"{rnd.choice(WORDS)} Holdings {i % 997}" if fdi else f"Công ty CP {rnd.choice(WORDS)} {i % 1499}"
                ),
                "country": rnd.choices(countries, weights)[0] if fdi else "VN",
                "name": f"Dự án {rnd.choice(WORDS).lower()} {i}",
                "adjust": 0,
                "end": None,
            }
        )
    # Older projects have had more time to be adjusted.
    ages = [(cutoff - p["issued"]).days + 30 for p in projects]
    for p in rnd.choices(projects, weights=ages, k=n_adjust):
        p["adjust"] += 1
    for p in rnd.sample(projects, n_terminated):
        p["end"] = True
    rows = []
    for p in projects:
        rows.extend(_project_rows(p, rnd, cutoff))
    rnd.shuffle(rows)
    return rows


def _project_rows(p: dict, rnd: random.Random, cutoff: datetime.date) -> list[tuple]:
    code, fdi = p["code"], p["fdi"]
    usd = Decimal(rnd.lognormvariate(16, 1.2)).quantize(Decimal("1000")) + 1000
    vnd = int(usd * _rate(p["issued"].year)) if fdi else int(rnd.lognormvariate(25.5, 1.1)) // 10**6 * 10**6 + 10**9
    days = (cutoff - p["issued"]).days
    dates = sorted(p["issued"] + datetime.timedelta(days=rnd.randint(0, days)) for _ in range(p["adjust"] + 1))
    name = p["name"]
    common = {"zone": p["zone"], "investor": p["investor"], "country": p["country"], "kind": "fdi" if fdi else "ddi"}

    def row(event, cert, day, vnd, usd, land=None, note=None):
        # FDI certificates state both amounts, but some leave VND (or USD) to the exchange-rate catalogue;
        # DDI certificates state VND only (USD derived).
        stated_vnd, stated_usd = vnd, usd
        if event != "terminate":
            if not fdi or rnd.random() < 0.15:
                stated_usd = None
            elif rnd.random() < 0.05:
                stated_vnd = None
        usd_cell = float(stated_usd) if stated_usd is not None else None
        return (
            code, name, common["zone"], common["investor"], common["country"], common["kind"], event, cert, day,
            stated_vnd, usd_cell, land, note,
        )  # fmt: skip

    land = Decimal(rnd.randint(50, 5000)) / 100
    rows = [row("issue", code, p["issued"], vnd, usd, float(land), "Cấp mới" if rnd.random() < 0.1 else None)]
    for k, day in enumerate(dates[1:], start=1):
        factor = Decimal(rnd.choice(("1.1", "1.2", "1.25", "1.5", "2", "3", "0.8", "1.05")))
        usd = (usd * factor).quantize(Decimal("0.01"))
        vnd = int(vnd * factor)
        if rnd.random() < 0.05:
            name = f"{p['name']} (giai đoạn {k + 1})"
        land_cell = float((land * factor).quantize(Decimal("0.01"))) if rnd.random() < 0.2 else None
        rows.append(row("adjust", f"{code}-DC{k}", day, vnd, usd, land_cell))
    if p["end"]:
        day = dates[-1] + datetime.timedelta(days=rnd.randint(0, max(0, (cutoff - dates[-1]).days)))
        rows.append(row("terminate", f"{int(code[2:]) % 9000 + 1}/QĐ-BQL-{code[-4:]}", day, None, None))
    return rows


def write_workbook(path: Path, rows: list[tuple]) -> None:
    """The sheet as Excel would save it (not write-only mode: that leaves out <dimension>, which makes
    openpyxl parse the whole sheet once more just to learn its size)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "licences"
    ws.append(list(HEADER))
    for row in rows:
        ws.append(list(row))
    wb.save(path)


# --- one measurement, in a child process -----------------------------------------------------------


def _setup_django(database_url: str | None, phase: str, tmp: Path):
    """Point Django at a fresh throwaway database for `phase` and migrate it; returns a teardown."""
    if database_url is None:
        database_url = f"sqlite:///{tmp / f'{phase}.sqlite3'}"
    elif database_url.startswith("sqlite"):
        # One file per measurement, next to the one named: each starts empty.
        import dj_database_url

        named = Path(dj_database_url.parse(database_url)["NAME"])
        database_url = f"sqlite:///{named.with_name(f'{named.stem}-{phase}{named.suffix}')}"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_DEBUG"] = "0"  # no query log: it would grow with every statement
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcn_portal.settings.base")
    import django
    from django.conf import settings

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        path = Path(db["NAME"]).resolve()
        if path == DEV_DATABASE.resolve():
            raise SystemExit("refusing to benchmark on the development database db.sqlite3")
        if path.exists():
            raise SystemExit(f"refusing to reuse an existing file: {path}")
        call_command("migrate", verbosity=0, interactive=False)
        return lambda: None
    # Another server: a test database derived from the URL's name, created and dropped here.
    db.setdefault("TEST", {})["NAME"] = f"{db['NAME']}_bench_{phase}"
    original = db["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return lambda: connection.creation.destroy_test_db(original, verbosity=0)


def _boards_and_zones():
    from zones import services

    for code, (name, province, _prefix, zones) in BOARDS.items():
        board = services.board_create(user=None, code=code, name=name, province=province, bloc_code="DBSH")
        for zone in zones:
            services.zone_create(
                user=None,
                board=board,
                code=zone,
                name=f"KCN {zone}",
                kind="KCN",
                status="operating",
                natural_area_ha=Decimal(500),
                industrial_land_ha=Decimal(400),
                leased_land_ha=Decimal(300),
            )


def _dump_ledger() -> dict:
    """Every live event and every project's state, as comparable JSON values."""
    from investment.models import LicenceEvent, Project, live_event_q

    def plain(value):
        return None if value is None else str(value)

    events = [
        [e.project.code, e.project.kind, e.project.zone.code, e.kind, e.certificate_no, e.event_date.isoformat(),
         e.project_name, e.investor.name if e.investor else None, e.investor.country.code if e.investor else None,
         e.capital_vnd, plain(e.capital_usd), e.capital_vnd_derived, e.capital_usd_derived, plain(e.land_area_ha),
         e.note, e.adjust_no, e.capital_change_vnd, plain(e.capital_change_usd)]
        for e in LicenceEvent.objects.filter(live_event_q()).select_related("project__zone", "investor")
    ]  # fmt: skip
    projects = [
        [p.code, p.name, p.status, plain(p.issued_on), plain(p.terminated_on), p.capital_vnd, plain(p.capital_usd),
         p.capital_vnd_derived, p.capital_usd_derived, plain(p.land_area_ha)]
        for p in Project.objects.all()
    ]  # fmt: skip
    return {"events": sorted(events), "projects": sorted(projects)}


def _read_rows(path: Path) -> list[dict]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    rows = wb["licences"].iter_rows(min_row=2, values_only=True)
    # Trailing empty cells may be left out of a row: pad it to the header.
    out = [dict(zip(HEADER, (*row, *(None,) * (len(HEADER) - len(row))), strict=True)) for row in rows]
    wb.close()
    return out


def _save_row_by_row(rows: list[dict]) -> None:
    """The baseline: each certificate through its one-event service, in ledger order."""
    from investment import ledger
    from investment.models import LicenceEvent
    from investment.selectors.exchange_rates import rate_table
    from investment.services import licences as services
    from kcn_portal.core.enums import AuditSource
    from zones.models import Zone

    zones = {zone.code: zone for zone in Zone.objects.select_related("board")}
    rates = rate_table()
    projects = {}

    def amount(value, cast):
        return None if value is None else cast(value)

    def usd(value):
        return None if value is None else Decimal(str(value))

    rows = sorted(rows, key=lambda r: (r["event_date"], ledger.KIND_RANK[r["event"]], r["certificate_no"]))
    for r in rows:
        common = {
            "certificate_no": r["certificate_no"],
            "event_date": r["event_date"].date(),
            "project_name": r["project_name"],
            "note": r["note"] or "",
            "source": AuditSource.IMPORT,
        }
        investor = {"name": r["investor_name"], "country": r["investor_country"]}
        figures = {
            "capital_vnd": amount(r["capital_vnd"], int),
            "capital_usd": usd(r["capital_usd"]),
            "land_area_ha": usd(r["land_area_ha"]),
        }
        if r["event"] == "issue":
            projects[r["project_code"]] = services.project_register(
                user=None,
                zone=zones[r["zone_code"]],
                code=r["project_code"],
                kind=r["kind"],
                investors=[investor],
                rates=rates,
                **common,
                **figures,
            )
        elif r["event"] == "adjust":
            services.licence_adjust(
                user=None, project=projects[r["project_code"]], investor=investor, rates=rates, **common, **figures
            )
        else:
            # The one-event form requires the Art. 48 ground, which the sheet does not carry.
            services.licence_terminate(
                user=None, project=projects[r["project_code"]], termination_ground="investor", **common
            )
    assert LicenceEvent.objects.count() == len(rows)


def run_phase(args) -> None:
    import resource

    tmp = Path(args.tmp)
    teardown = _setup_django(args.database_url, args.phase, tmp)
    from django.db import connection

    try:
        _boards_and_zones()
        out = {"vendor": connection.vendor}
        if args.phase == "baseline":
            rows = _read_rows(Path(args.workbook))
            started = time.perf_counter()
            _save_row_by_row(rows)
            out["seconds"] = time.perf_counter() - started
        else:
            from kcn_portal.core.workbook import import_workbook

            if args.phase == "memory":
                import tracemalloc

                tracemalloc.start()
            started = time.perf_counter()
            result = import_workbook(args.workbook, user=None)
            out["seconds"] = time.perf_counter() - started
            if args.phase == "memory":
                out["tracemalloc_peak_bytes"] = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
            if result.errors:
                raise SystemExit("the generated workbook was refused: " + "; ".join(map(str, result.errors[:5])))
            out["counts"] = {name: vars(counts) for name, counts in result.sheets.items()}
        # Linux reports kilobytes, macOS bytes.
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        out["maxrss_bytes"] = maxrss if sys.platform == "darwin" else maxrss * 1024
        if args.phase != "memory":
            out["ledger"] = _dump_ledger()
        Path(args.out).write_text(json.dumps(out, default=str), encoding="utf-8")
    finally:
        connection.close()
        teardown()


# --- the orchestrator ------------------------------------------------------------------------------


def _child(phase: str, workbook: Path, tmp: Path, args) -> dict:
    out = tmp / f"{phase}.json"
    command = [sys.executable, "-m", "bench.import_licences", "--phase", phase, "--workbook", str(workbook)]
    command += ["--tmp", str(tmp), "--out", str(out)]
    if args.database_url:
        command += ["--database-url", args.database_url]
    print(f"  {phase} …", flush=True)
    subprocess.run(command, cwd=ROOT, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def _mb(value: int) -> float:
    return round(value / (1024 * 1024), 1)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000, help="licence rows to generate (default 20000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", help="a server to create the throwaway test databases on")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (workbook, databases)")
    parser.add_argument("--no-results", action="store_true", help="do not write bench/results.json")
    parser.add_argument("--phase", choices=("bulk", "memory", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--workbook", help=argparse.SUPPRESS)
    parser.add_argument("--tmp", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        run_phase(args)
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="kcn-bench-"))
    today = datetime.date.today()
    rows = generate_rows(args.rows, args.seed, today)
    workbook = tmp / "licences.xlsx"
    write_workbook(workbook, rows)
    kinds = {kind: sum(1 for row in rows if row[6] == kind) for kind in ("issue", "adjust", "terminate")}
    derived = sum(1 for row in rows if row[6] != "terminate" and (row[9] is None or row[10] is None))
    print(f"Workbook: {len(rows)} rows ({kinds}), {derived} with an amount left to derive, in {tmp}")
    bulk = _child("bulk", workbook, tmp, args)
    memory = _child("memory", workbook, tmp, args)
    baseline = _child("baseline", workbook, tmp, args)

    same_events = bulk["ledger"]["events"] == baseline["ledger"]["events"]
    same_projects = bulk["ledger"]["projects"] == baseline["ledger"]["projects"]
    speedup = baseline["seconds"] / bulk["seconds"]
    figures = {
        "measured_on": today.isoformat(),
        "rows": len(rows),
        "rows_by_event": kinds,
        "rows_with_derived_amount": derived,
        "projects": kinds["issue"],
        "database": bulk["vendor"],
        "bulk_seconds": round(bulk["seconds"], 2),
        "baseline_seconds": round(baseline["seconds"], 2),
        "speedup": round(speedup, 1),
        "target_speedup": 10,
        "bulk_rows_per_second": round(len(rows) / bulk["seconds"]),
        "baseline_rows_per_second": round(len(rows) / baseline["seconds"]),
        "bulk_tracemalloc_peak_mb": _mb(memory["tracemalloc_peak_bytes"]),
        "bulk_process_maxrss_mb": _mb(bulk["maxrss_bytes"]),
        "baseline_process_maxrss_mb": _mb(baseline["maxrss_bytes"]),
        "ledgers_identical": same_events and same_projects,
        "events_compared": len(bulk["ledger"]["events"]),
        "projects_compared": len(bulk["ledger"]["projects"]),
        "counts": bulk["counts"],
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU",
    }
    print()
    print(f"Import of {len(rows)} licence rows ({figures['database']}):")
    print(
        f"  bulk (import_workbook):        {figures['bulk_seconds']:>8.2f} s  "
        f"({figures['bulk_rows_per_second']} rows/s)"
    )
    print(
        f"  row by row (services):         {figures['baseline_seconds']:>8.2f} s  "
        f"({figures['baseline_rows_per_second']} rows/s)"
    )
    verdict = "met" if speedup >= 10 else "NOT met"
    print(f"  speed-up:                      {figures['speedup']:>8.1f} ×  (target ≥ 10 ×: {verdict})")
    print(f"  bulk peak memory (tracemalloc): {figures['bulk_tracemalloc_peak_mb']:>7.1f} MB")
    print(f"  bulk process max RSS:          {figures['bulk_process_maxrss_mb']:>8.1f} MB")
    print(
        f"  ledgers identical:             {figures['ledgers_identical']} "
        f"({figures['events_compared']} events, {figures['projects_compared']} projects)"
    )
    if not args.no_results:
        results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
        results["import_licences"] = figures
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"Written to {RESULTS.relative_to(ROOT)}.")
    if not args.keep:
        for path in tmp.iterdir():
            path.unlink()
        tmp.rmdir()
    return 0 if figures["ledgers_identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
