"""Every benchmark figure in one table, each with its baseline, ratio and target (the end of `make bench`).

    python -m bench.summary [--no-results]

Reads bench/results.json, which the benchmarks fill (bench.import_licences, bench.national,
bench.rollup, bench.load, bench.pages), prints one line per figure and writes the same lines into results.json
under "summary" (a list of {benchmark, figure, measured, baseline, ratio, target, met, measured_on}).
A figure a benchmark has not measured yet is listed as "not measured", never left out. Exits 1 when
a benchmark found wrong numbers (ledgers or reports that differ from their reference, or errors
under load); a missed speed target is a figure to read, not a failure (it depends on the machine).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import print_rows

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"


@dataclass
class Line:
    benchmark: str
    figure: str
    measured: str
    baseline: str = "—"
    ratio: str = "—"
    target: str = "—"
    met: bool | None = None  # None: a figure without a target
    measured_on: str = ""
    correct: bool = True  # False: the benchmark's numbers differ from their reference


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} ms"


def _seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"


def import_lines(results: dict) -> list[Line]:
    figures = results.get("import_licences")
    if not figures:
        return [Line("import_licences", "licence workbook import", "not measured")]
    on = figures["measured_on"]
    return [
        Line(
            "import_licences",
            f"import of {figures['rows']:,} licence rows ({figures['database']})",
            _seconds(figures["bulk_seconds"]),
            f"row by row {_seconds(figures['baseline_seconds'])}",
            f"{figures['speedup']:.1f} ×",
            f"≥ {figures['target_speedup']} ×",
            figures["speedup"] >= figures["target_speedup"],
            on,
            figures["ledgers_identical"],
        ),
        Line(
            "import_licences",
            "   peak memory (tracemalloc)",
            f"{figures['bulk_tracemalloc_peak_mb']:.1f} MB",
            measured_on=on,
        ),
    ]


def national_lines(results: dict) -> list[Line]:
    lines = []
    for key in ("national", "national_postgresql"):
        data = results.get(key)
        if data and "seconds" in data:
            rows = data["projects"] + data["events"] + data["reports"]
            seconds = data["seconds"]["total"]
            lines.append(
                Line(
                    "national",
                    f"data generated ({key.partition('_')[2] or 'sqlite'}, scale {data['params']['scale']:g})",
                    f"{_seconds(seconds)}, {rows / seconds:,.0f} rows/s",
                )
            )
    return lines


def rollup_lines(results: dict) -> list[Line]:
    lines = []
    for key in ("rollup_postgresql", "rollup"):
        figures = results.get(key)
        if not figures:
            continue
        name, on = f"{key} ({figures['data']['projects']:,} projects)", figures["measured_on"]
        rollup, incremental = figures["rollup_all_scopes"], figures["incremental_rebuild"]
        largest, memory = incremental["largest_board"], figures["excel_summary"]
        lines += [
            Line(
                name,
                f"a. rollup of every scope, {figures['period']}",
                _seconds(rollup["seconds"]),
                f"naive {_seconds(rollup['baseline_seconds'])}",
                f"{rollup['ratio']:.1f} ×",
                f"≥ {rollup['target']} ×",
                rollup["ratio"] >= rollup["target"],
                on,
                rollup["identical"],
            ),
            Line(
                name,
                f"b. rebuild after one edit ({incremental['board_projects']} projects)",
                _seconds(incremental["seconds"]),
                f"full {_seconds(incremental['baseline_seconds'])}",
                f"{incremental['ratio']:.1f} ×",
                f"≥ {incremental['target']} ×",
                incremental["ratio"] >= incremental["target"],
                on,
                incremental["national_equals_full_build"],
            ),
            Line(
                name,
                f"   largest board ({largest['board_projects']} projects)",
                _seconds(largest["seconds"]),
                f"full {_seconds(incremental['baseline_seconds'])}",
                f"{largest['ratio']:.1f} ×",
                f"(≥ {incremental['target']} ×)",
                None,
                on,
            ),
            Line(
                name,
                "c. Excel summary of the nation, peak memory",
                f"{memory['tracemalloc_peak_mb']:.1f} MB ({_seconds(memory['seconds'])})"
                if memory["available"]
                else "not available",
                measured_on=on,
            ),
        ]
    return lines or [Line("rollup", "report rollup", "not measured")]


def load_lines(results: dict) -> list[Line]:
    figures = results.get("load")
    if not figures:
        return [Line("load", "20 users on gunicorn + PostgreSQL", "not measured")]
    on, summary = figures["measured_on"], figures["summary"]
    name = f"load ({figures['users']} users, {figures['duration_seconds']:g} s)"
    lines = []
    for group, stats in summary["groups"].items():
        targeted = "target_ms" in stats
        lines.append(
            Line(
                name,
                f"{group}: p95 (p50 {_ms(stats['p50_ms'])}, p99 {_ms(stats['p99_ms'])}; {stats['count']:,} requests)",
                _ms(stats["p95_ms"]),
                f"budget {stats['target_ms']} ms" if targeted else "—",
                f"{stats['ratio']:.2f} ×" if targeted and stats["ratio"] is not None else "—",
                f"p95 ≤ {stats['target_ms']} ms" if targeted else "—",
                stats["pass"] if targeted else None,
                on,
            )
        )
    overall = summary["overall"]
    errors = overall["errors"]
    lines.append(
        Line(
            name, "errors", f"{errors} of {overall['count']:,} ({overall['requests_per_second']:.1f} req/s)",
            target="0", met=errors == 0, measured_on=on, correct=errors == 0,
        )
    )  # fmt: skip
    rows = figures["query_counts"]["rows"]
    equal = sum(1 for row in rows if row["equal"])
    lines.append(
        Line(
            name, "SQL queries per page: median board = largest board", f"{equal} of {len(rows)} URLs equal",
            target="all equal", met=equal == len(rows), measured_on=on,
        )
    )  # fmt: skip
    return lines


# The slowest page before issue 16: the quarter grid of the largest demo board, all its rows on one page.
PAGES_BASELINE = "quarter grid, one page of 700+ rows: 2.4 s"


def pages_lines(results: dict) -> list[Line]:
    figures = results.get("pages")
    if not figures:
        return [Line("pages", "every page of the portal, largest board", "not measured")]
    on, target = figures["measured_on"], figures["target_ms"]
    name = f"pages ({figures['data']}, {figures['board']}, {figures['board_projects']:,} projects)"
    slowest = figures["slowest"]
    lines = [
        Line(
            name,
            f"pages over {target} ms server time (of {figures['pages']}; median of {figures['repeat']})",
            str(figures["over_target"]),
            PAGES_BASELINE,
            target=f"every page < {target / 1000:g} s",
            met=figures["over_target"] == 0,
            measured_on=on,
            correct=all(row["status"] < 500 for row in figures["not_answered"]),
        )
    ]
    for rank, row in enumerate(slowest, 1):
        lines.append(
            Line(
                name,
                f"   {rank}. {row['route']} as {row['role']} ({row['queries']} SQL)",
                _ms(row["median_ms"]),
                target=f"< {target} ms",
                met=row["median_ms"] < target,
                measured_on=on,
            )
        )
    return lines


def collect(results: dict) -> list[Line]:
    return (
        import_lines(results) + national_lines(results) + rollup_lines(results) + load_lines(results)
        + pages_lines(results)
    )  # fmt: skip


def _verdict(line: Line) -> str:
    if not line.correct:
        return "WRONG"
    return {True: "met", False: "NOT met", None: ""}[line.met]


def print_table(lines: list[Line]) -> None:
    rows = [("benchmark", "figure", "measured", "baseline", "ratio", "target", "result", "on")]
    rows += [
        (ln.benchmark, ln.figure, ln.measured, ln.baseline, ln.ratio, ln.target, _verdict(ln), ln.measured_on)
        for ln in lines
    ]
    print_rows(rows, rule=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-results", action="store_true", help="do not write the summary into results.json")
    args = parser.parse_args(argv)
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    lines = collect(results)
    print(f"\nEvery benchmark figure ({RESULTS.relative_to(ROOT)}):")
    print_table(lines)
    if not args.no_results:
        results["summary"] = [asdict(line) for line in lines]
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return 0 if all(line.correct for line in lines) else 1


if __name__ == "__main__":
    sys.exit(main())
