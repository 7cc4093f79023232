"""Benchmark: the report rollup on national-scale data (bench.national) against its naive reference.

    python -m bench.rollup [--scale 1] [--database-url URL] [--year 2024] [--repeat 3] [--baseline-repeat 3]

Runs on the database bench.national generated (same --scale / --database-url; generate it first)
and measures, each timing the median of several runs (time.perf_counter):

a. rollup: reports.services.builds.report_build(period=YEAR) — every board, bloc and the nation — against
   the naive reference: reports.engine.reference.board_values for every board for the year and the year
   before (Python loops over model instances), added up into blocs and the nation and turned into
   the same report documents; target ≥ 15 ×. Every number of every scope must be identical.
b. incremental: one licence adjustment (investment.services.licences.licence_adjust, dated in the year) on a
   project of the board of median size marks that board's, its bloc's and the national report stale;
   then reports.services.staleness.reports_rebuild_stale() — against a full rebuild of the year; target ≥ 20 ×.
   The same for the largest board (the worst case) is reported beside it. The rebuilt reports must
   equal a fresh full build (which then makes no new version).
c. memory: peak Python allocations (tracemalloc) while reports.exporters.summary_workbook writes the
   national report of the year as Excel ("not available" when that exporter does not exist).

Prints a table (figure, baseline, ratio, target, pass) and merges the figures into
bench/results.json under "rollup" (the data set's generation under "national"). A run first
removes what earlier runs left (report snapshots and states, its own licence adjustments, whose
projects' ledgers are derived again), so runs on the same data start alike.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from unittest import mock

from django.db.models import Count

from bench import national, print_rows

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
EDIT_PREFIX = "BENCH-"
TARGET_ROLLUP, TARGET_INCREMENTAL = 15, 20


def timed(function, *args, **kwargs):
    """(seconds, result) of one call."""
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def median_of(times: list[float]) -> float:
    """The median of several timings."""
    return statistics.median(times)


# --- housekeeping ---------------------------------------------------------------------------------


def reset() -> int:
    """Remove earlier runs' snapshots, states and licence adjustments; returns how many adjustments."""
    from reports.models import ReportDownload, ReportSnapshot, ReportState

    ReportDownload.objects.all().delete()
    ReportSnapshot.objects.all().delete()
    ReportState.objects.all().delete()
    return national.remove_edits(EDIT_PREFIX)


# --- a. the naive reference, turned into report documents ---------------------------------------------


def naive_documents(period) -> dict[str, tuple]:
    """{scope: (indicators, members, member_values)} as report_build stores them, from reports.reference."""
    from kcn_portal.indicators import CATALOGUE, PCT
    from reports import scopes
    from reports.engine import reference, rollup
    from reports.models import Plan
    from reports.services.builds import to_json

    now = reference.board_values(period)
    before = reference.board_values(period.previous_year())
    plans = {board_id: {} for board_id in now}
    for plan in Plan.objects.filter(year=period.year):
        plans[plan.board_id][plan.indicator] = rollup.normalise(plan.indicator, plan.value)
    documents = {}
    for scope in scopes.every_scope(period.year):
        members = list(scopes.members(scope, period.year))
        if scope.kind == scopes.BOARD:
            board = members[0]
            value, previous, plan, member_values = now[board.pk], before[board.pk], plans[board.pk], {}
        else:
            value = reference.combined(now[board.pk] for board in members)
            previous = reference.combined(before[board.pk] for board in members)
            plan = {}
            for indicator in CATALOGUE:
                targets = [plans[board.pk].get(indicator.code) for board in members]
                if indicator.unit != PCT and all(target is not None for target in targets):
                    plan[indicator.code] = rollup.normalise(indicator.code, sum(Decimal(str(t)) for t in targets))
            member_values = {board.code: {code: to_json(v) for code, v in now[board.pk].items()} for board in members}
        document = rollup.document(value, previous, plan)
        indicators = {code: {key: to_json(v) for key, v in item.items()} for code, item in document.items()}
        documents[str(scope)] = (indicators, [board.code for board in members], member_values)
    return documents


def stored_documents(period) -> dict[str, tuple]:
    """{scope: (indicators, members, member_values)} of the latest snapshot of each scope of the period."""
    from reports.models import ReportSnapshot

    out = {}
    for snapshot in ReportSnapshot.objects.filter(period=period.code).order_by("scope", "version"):
        out[snapshot.scope] = (snapshot.indicators, snapshot.members, snapshot.member_values)
    return out


def differences(engine: dict, naive: dict, limit: int = 20) -> list[tuple]:
    """(scope, what, engine, naive) wherever the stored reports and the reference's differ."""
    found = []
    for scope in sorted(set(engine) | set(naive)):
        if scope not in engine or scope not in naive:
            found.append((scope, "missing", scope in engine, scope in naive))
            continue
        (e_ind, e_members, e_values), (n_ind, n_members, n_values) = engine[scope], naive[scope]
        if e_members != n_members:
            found.append((scope, "members", e_members, n_members))
        for code in sorted(set(e_ind) | set(n_ind)):
            for key in sorted(set(e_ind.get(code, {})) | set(n_ind.get(code, {}))):
                left, right = e_ind.get(code, {}).get(key), n_ind.get(code, {}).get(key)
                if left != right or type(left) is not type(right):
                    found.append((scope, f"{code}.{key}", left, right))
        for board in sorted(set(e_values) | set(n_values)):
            for code in sorted(set(e_values.get(board, {})) | set(n_values.get(board, {}))):
                left, right = e_values.get(board, {}).get(code), n_values.get(board, {}).get(code)
                if left != right or type(left) is not type(right):
                    found.append((scope, f"member {board} {code}", left, right))
    return found[:limit] if limit else found


def measure_rollup(period, repeat: int, baseline_repeat: int) -> dict:
    """a. report_build of every scope vs the naive reference; stores the period's snapshots."""
    from reports.services import builds

    print(f"a. rollup of every scope for {period.code} …", flush=True)
    first, built = timed(builds.report_build, period=period)
    print(f"   first build (stores {len(built)} snapshots): {first:.2f} s", flush=True)
    engine_times = []
    for _ in range(repeat):
        seconds, _built = timed(builds.report_build, period=period)
        engine_times.append(seconds)
    print(f"   engine: {', '.join(f'{t:.2f}' for t in engine_times)} s", flush=True)
    naive_times, naive = [], None
    for _ in range(baseline_repeat):
        seconds, naive = timed(naive_documents, period)
        naive_times.append(seconds)
        print(f"   naive reference: {seconds:.2f} s", flush=True)
    found = differences(stored_documents(period), naive, limit=0)
    for scope, what, left, right in found[:20]:
        print(f"   DIFFERENT {scope} {what}: engine {left!r}, reference {right!r}")
    engine, baseline = median_of(engine_times), median_of(naive_times)
    return {
        "scopes": len(built),
        "first_build_seconds": round(first, 3),
        "seconds": round(engine, 3),
        "runs": [round(t, 3) for t in engine_times],
        "baseline": "reports.engine.reference.board_values for every board (year and year before), combined in Python",
        "baseline_seconds": round(baseline, 3),
        "baseline_runs": [round(t, 3) for t in naive_times],
        "ratio": round(baseline / engine, 1),
        "target": TARGET_ROLLUP,
        "pass": baseline / engine >= TARGET_ROLLUP and not found,
        "identical": not found,
        "differences": len(found),
        "first_differences": [[str(x) for x in row] for row in found[:20]],
    }


# --- b. the incremental rebuild after one edit ----------------------------------------------------------


def edit_targets(year: int) -> dict:
    """{"typical": (board, project), "largest": (board, project)}: the board of median size and the
    board with the most projects, each with its first active project (by code) issued before the year."""
    from investment.models import Project
    from zones.models import Board

    boards = list(Board.objects.annotate(n=Count("zones__projects")).order_by("n", "code"))
    out = {}
    for name, board in (("typical", boards[len(boards) // 2]), ("largest", boards[-1])):
        project = (
            Project.objects.filter(zone__board=board, status="active", issued_on__lt=datetime.date(year, 1, 1))
            .filter(capital_vnd__isnull=False, capital_usd__isnull=False)
            .order_by("code")
            .first()
        )
        out[name] = (board, project)
    return out


def adjust(project, number: int, year: int):
    """One adjustment through the service, the rebuild it enqueues held back (it is timed separately)."""
    from investment.models import Project
    from investment.services import licences as services
    from reports import tasks

    project = Project.objects.select_related("zone__board").get(pk=project.pk)
    with mock.patch.object(tasks.rebuild_stale_reports, "delay"):
        return services.licence_adjust(
            user=None,
            project=project,
            certificate_no=f"{EDIT_PREFIX}{number}",
            event_date=datetime.date(year, 6, min(28, number)),
            capital_vnd=project.capital_vnd + 1_000_000_000 * number,
            capital_usd=project.capital_usd + Decimal(40_000 * number),
            changes_note="Tăng vốn (benchmark)",
        )


def _edits(board, project, period, repeat: int, first_number: int) -> dict:
    """Adjust the project `repeat` times, timing reports_rebuild_stale() after each edit."""
    from reports.models import ReportState
    from reports.services import staleness

    times = []
    for number in range(first_number, first_number + repeat):
        adjust(project, number, period.year)
        stale = sorted(
            f"{scope} {code}"
            for scope, code in ReportState.objects.filter(stale_since__isnull=False).values_list("scope", "period")
        )
        seconds, built = timed(staleness.reports_rebuild_stale)
        times.append(seconds)
    rebuilt = [f"{b.scope} v{b.version}" for b in built]
    projects = board.zones.aggregate(n=Count("projects"))["n"]
    print(
        f"   board {board.code} ({projects} projects), project {project.code}: stale {stale}; "
        f"rebuilt {rebuilt} in {', '.join(f'{t:.3f}' for t in times)} s",
        flush=True,
    )
    return {
        "board": board.code,
        "board_projects": projects,
        "project": project.code,
        "stale_after_edit": stale,
        "rebuilt": rebuilt,
        "seconds": round(median_of(times), 4),
        "runs": [round(t, 4) for t in times],
    }


def measure_incremental(period, repeat: int) -> dict:
    """b. reports_rebuild_stale() after one edit vs a full rebuild; adds adjustments and snapshot versions."""
    from reports.services import builds

    print("b. incremental rebuild after one licence adjustment …", flush=True)
    cases = {}
    for number, (name, (board, project)) in enumerate(edit_targets(period.year).items()):
        cases[name] = _edits(board, project, period, repeat, 1 + number * repeat)
    incremental = stored_documents(period)
    full_times = []
    for _ in range(repeat):
        seconds, built = timed(builds.report_build, period=period)
        full_times.append(seconds)
        new_versions = [b.scope for b in built if b.created]
    fresh = stored_documents(period)
    same_national = incremental["national"] == fresh["national"]
    same_everywhere = incremental == fresh and not new_versions
    baseline = median_of(full_times)
    print(f"   full rebuild: {', '.join(f'{t:.2f}' for t in full_times)} s", flush=True)
    print(f"   rebuilt reports equal a fresh full build: national {same_national}, every scope {same_everywhere}")
    for case in cases.values():
        case["ratio"] = round(baseline / case["seconds"], 1)
        case["pass"] = baseline / case["seconds"] >= TARGET_INCREMENTAL
    return {
        **cases["typical"],
        "baseline": "reports.services.builds.report_build of the year, every scope",
        "baseline_seconds": round(baseline, 3),
        "baseline_runs": [round(t, 3) for t in full_times],
        "target": TARGET_INCREMENTAL,
        "largest_board": cases["largest"],
        "national_equals_full_build": same_national,
        "every_scope_equals_full_build": same_everywhere,
    }


# --- c. memory of the Excel summary ---------------------------------------------------------------------


def measure_workbook(period) -> dict:
    """c. tracemalloc peak of the national report's Excel summary (written to a temporary file)."""
    import tracemalloc

    from reports.models import ReportSnapshot

    print("c. Excel summary of the national report …", flush=True)
    try:
        from reports.exporters import summary_workbook
    except (ImportError, AttributeError) as exc:  # written by another helper; may not exist yet
        print(f"   not available ({exc})")
        return {"available": False, "reason": str(exc)}
    snapshot = ReportSnapshot.objects.filter(scope="national", period=period.code).order_by("-version").first()
    with tempfile.TemporaryDirectory(prefix="kcn-bench-") as tmp:
        path = Path(tmp) / "national.xlsx"
        with path.open("wb") as handle:
            seconds, _ = timed(summary_workbook, snapshot, handle)
        with path.open("wb") as handle:
            tracemalloc.start()
            summary_workbook(snapshot, handle)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        size = path.stat().st_size
    print(f"   {seconds:.2f} s, tracemalloc peak {peak / 2**20:.1f} MB, file {size / 1024:.0f} kB")
    return {
        "available": True,
        "seconds": round(seconds, 3),
        "tracemalloc_peak_mb": round(peak / 2**20, 1),
        "file_kb": round(size / 1024),
        "baseline": None,
        "ratio": None,
        "target": None,
    }


# --- the summary ----------------------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "pass" if ok else "FAIL"


def _table(figures: dict) -> None:
    """Print figure, measured, baseline, ratio, target and verdict, one line per figure."""
    rollup, incremental, memory = figures["rollup_all_scopes"], figures["incremental_rebuild"], figures["excel_summary"]
    largest = incremental["largest_board"]
    rows = [
        ("figure", "measured", "baseline", "ratio", "target", "result"),
        (
            "a. rollup, every scope",
            f"{rollup['seconds']:.2f} s",
            f"{rollup['baseline_seconds']:.2f} s (naive)",
            f"{rollup['ratio']:.1f} ×",
            f"≥ {rollup['target']} ×",
            _verdict(rollup["ratio"] >= rollup["target"]),
        ),
        ("   numbers identical", str(rollup["identical"]), "", "", "identical", _verdict(rollup["identical"])),
        (
            f"b. rebuild after 1 edit ({incremental['board_projects']} p.)",
            f"{incremental['seconds']:.3f} s",
            f"{incremental['baseline_seconds']:.2f} s (full)",
            f"{incremental['ratio']:.1f} ×",
            f"≥ {incremental['target']} ×",
            _verdict(incremental["ratio"] >= incremental["target"]),
        ),
        (
            f"   largest board ({largest['board_projects']} projects)",
            f"{largest['seconds']:.3f} s",
            f"{incremental['baseline_seconds']:.2f} s (full)",
            f"{largest['ratio']:.1f} ×",
            f"≥ {incremental['target']} ×",
            _verdict(largest["ratio"] >= incremental["target"]),
        ),
        (
            "   national = full build",
            str(incremental["national_equals_full_build"]),
            "",
            "",
            "equal",
            _verdict(incremental["national_equals_full_build"]),
        ),
        (
            "c. Excel summary, peak",
            f"{memory['tracemalloc_peak_mb']:.1f} MB" if memory["available"] else "not available",
            "—",
            "—",
            "—",
            "—",
        ),
    ]
    print_rows(rows)


def main(argv=None) -> int:
    """Measure, print the table and merge the figures into bench/results.json; exit 1 if numbers differ."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="the scale bench.national generated (default 1)")
    parser.add_argument("--database-url", help="the database bench.national filled (default: its SQLite file)")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each engine timing (median)")
    parser.add_argument("--baseline-repeat", type=int, default=3, help="runs of the naive reference (median)")
    parser.add_argument("--no-results", action="store_true", help="do not write bench/results.json")
    args = parser.parse_args(argv)
    url = national.database_url(args.database_url, args.scale)
    vendor = national.setup_django(url)
    generated = national.marker()
    if generated is None:
        raise SystemExit(f"no national data in {url}: run python -m bench.national first (same --scale/--database-url)")
    from kcn_portal import periods

    removed = reset()
    period = periods.parse(str(args.year))
    data = generated.result
    print(
        f"National data (scale {generated.params['scale']:g}, {vendor}): {data['boards']} boards, "
        f"{data['zones']} zones, "
        f"{data['projects']} projects, {data['events']} events, {data['reports']} reports"
        + (f"; removed {removed} adjustments of an earlier run" if removed else "")
    )
    figures = {
        "measured_on": datetime.date.today().isoformat(),
        "database": vendor,
        "data": {
            **generated.params,
            **{key: data[key] for key in ("boards", "zones", "projects", "events", "reports")},
        },
        "period": period.code,
        "rollup_all_scopes": measure_rollup(period, args.repeat, args.baseline_repeat),
        "incremental_rebuild": measure_incremental(period, args.repeat),
        "excel_summary": measure_workbook(period),
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU",
    }
    print()
    print(f"Rollup benchmark, {period.code}, {vendor}, {data['projects']} projects / {data['events']} events:")
    _table(figures)
    if not args.no_results:
        results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
        key = "rollup" if vendor == "sqlite" else f"rollup_{vendor}"
        results[key] = figures
        results["national" if vendor == "sqlite" else f"national_{vendor}"] = {
            "params": generated.params,
            **generated.result,
        }
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        print(f"Written to {RESULTS.relative_to(ROOT)} ({key}).")
    # A missed speed target is a figure to read (it depends on the machine); different numbers are an error.
    correct = figures["rollup_all_scopes"]["identical"] and figures["incremental_rebuild"]["national_equals_full_build"]
    return 0 if correct else 1


if __name__ == "__main__":
    sys.exit(main())
