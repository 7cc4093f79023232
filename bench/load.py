"""Benchmark: the portal under load — gunicorn with the production settings, national data, 20 users.

    python -m bench.load [--database-url URL] [--scale 1] [--users 20] [--duration 180] [--warmup 15]
                         [--year 2024] [--workers N] [--threads 1] [--think 0.5 1.5] [--no-results]

Runs on the data bench.national generated (same --scale / --database-url; PostgreSQL is meant:
--database-url postgres://postgres@127.0.0.1:5432/kcn_bench). Untimed first:

1. the leftovers of an earlier run are removed (its licence adjustments — certificate numbers
   starting BENCH-LOAD-, whose projects' ledgers are derived again —, its audit records, export
   runs, download log rows, sessions and login records);
2. the reports of --year are built when they are not (reports.services.builds.report_build, every scope);
3. --users accounts bench-load-01… are made (or brought back to their role) with a fresh random
   password, in turn: staff of the board of median size, staff of the largest board (2,880
   projects), a ministry official, a leader of another board of the median board's bloc (reads the
   bloc's report), … (7 / 7 / 3 / 3 of 20); each staff member gets one project of its board to adjust;
4. the Excel summary of each report downloaded (board, bloc, national) is exported once
   (reports.services.downloads.report_export_run) and offered to every user of that role as their own finished
   export (the download page serves only the asker's runs);
5. constant query counts: the first URL of every page, API list, edit and download of the mix is
   requested in this process with django.test.Client as the user who would open it, on the median
   board and on the largest board, counting SQL statements (CaptureQueriesContext; savepoints left
   out; every request rolled back, POSTs included): once to warm up, then three times (the median
   time, unloaded, with its SQL time, is kept beside the count). The two counts must be equal;
6. every other URL of the mix is requested once the same way; any that does not answer 200 (a page
   number past the end) is dropped from the mix and listed.

Then gunicorn serves `kcn_portal.wsgi` with kcn_portal.settings.production (a random secret key,
the benchmark database, Redis as broker on a queue of its own, static files collected and served by
WhiteNoise, --workers 2 × CPUs + 1 by default; plain HTTP on 127.0.0.1, so DJANGO_SECURE_SSL_REDIRECT=0),
and bench.loadgen — a second process — runs --users virtual users, each logged in through the
/login/ form with its own session, for --warmup + --duration seconds; each picks a weighted action
of its role (pages: lists with filters and pages, details, report pages; API lists; edits: the adjust
form and its POST; downloads: the report's Excel summary, the project list export), reads the whole
answer and waits a think time (uniform in --think, seconds). Requests started in the warm-up are left out.

Figures per group (pages, API lists, edits, downloads) and overall: count, p50/p95/p99/max (ms),
errors (an exception or any status other than the one expected: 200, or 302 for a POST); targets:
no errors, p95 ≤ 300 ms for pages and API lists (ratio = 300 ms / p95). The load average is taken at
start and end (the machine may be shared). gunicorn is always stopped; the run's adjustments, audit
records, exports and sessions are removed again; the figures are merged into bench/results.json under
"load" (not with --no-results) and a table is printed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import math
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from collections import defaultdict
from pathlib import Path

from bench import national, print_rows

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
VENV_BIN = Path(sys.executable).parent
EDIT_PREFIX = "BENCH-LOAD-"
USER_PREFIX = "bench-load-"
QUEUE = "kcn-bench-load"
TARGET_MS = 300
TARGET_GROUPS = ("pages", "api")
GROUPS = ("pages", "api", "edits", "downloads")
GROUP_LABELS = {"pages": "pages", "api": "API lists", "edits": "edits", "downloads": "downloads"}
# Who the users are, in turn (20 users: 7 staff of each board, 3 ministry officials, 3 bloc leaders).
ROLE_CYCLE = ("staff_median", "staff_largest", "ministry", "bloc_leader", "staff_median", "staff_largest")


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def percentile(values: list[float], p: float) -> float | None:
    """The p-th percentile by nearest rank (p95 of 100 values is the 95th smallest)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


# --- housekeeping ---------------------------------------------------------------------------------------


def bench_users():
    from kcn_portal.core.models import User

    return User.objects.filter(username__startswith=USER_PREFIX)


def cleanup(media_root: Path | None = None) -> dict:
    """Remove what runs of this benchmark left: adjustments (ledgers derived again), audit records,
    export runs and their files, download log rows, sessions, login records. Returns counts."""
    from axes.models import AccessAttempt, AccessLog
    from django.contrib.sessions.models import Session
    from django.db import transaction

    from kcn_portal.core.models import AuditRecord, TaskRun
    from reports.models import ReportDownload

    users = list(bench_users())
    ids = {user.pk for user in users}
    removed = {}
    with transaction.atomic():
        # Audit records are append-only for the portal; these are the benchmark's own (QuerySet.delete).
        removed["audit_records"] = AuditRecord.objects.filter(actor__in=ids).delete()[0]
        removed["adjustments"] = national.remove_edits(EDIT_PREFIX)
        removed["downloads_logged"] = ReportDownload.objects.filter(user__in=ids).delete()[0]
        runs = TaskRun.objects.filter(created_by__in=ids)
        removed["export_runs"] = runs.count()
        runs.delete()  # the files lived in the run's own media folder, removed with it
        stale_sessions = [s.pk for s in Session.objects.all() if int(s.get_decoded().get("_auth_user_id", 0)) in ids]
        removed["sessions"] = Session.objects.filter(pk__in=stale_sessions).delete()[0]
        names = [user.username for user in users]
        removed["login_records"] = (
            AccessLog.objects.filter(username__in=names).delete()[0]
            + AccessAttempt.objects.filter(username__in=names).delete()[0]
        )
    if media_root is not None:
        shutil.rmtree(media_root, ignore_errors=True)
    return removed


def ensure_reports(period) -> dict:
    """Build the period's reports (every scope) when none is stored; rebuild the stale ones."""
    from reports.models import ReportSnapshot, ReportState
    from reports.services import builds, staleness

    started = time.perf_counter()
    if not ReportSnapshot.objects.filter(period=period.code, scope="national").exists():
        built = builds.report_build(period=period)
        return {"built": len(built), "seconds": round(time.perf_counter() - started, 2)}
    if ReportState.objects.filter(period=period.code, stale_since__isnull=False).exists():
        built = staleness.reports_rebuild_stale()
        return {"rebuilt_stale": len(built), "seconds": round(time.perf_counter() - started, 2)}
    return {"built": 0}


# --- who and what ------------------------------------------------------------------------------------------


def choose_boards() -> dict:
    """The board of median size and the largest (as bench.rollup picks them), and a bloc leader's board:
    the largest other board of the median board's bloc."""
    from django.db.models import Count

    from zones.models import Board

    boards = list(Board.objects.annotate(n=Count("zones__projects")).order_by("n", "code"))
    median, largest = boards[len(boards) // 2], boards[-1]
    mates = [b for b in boards if b.bloc_code == median.bloc_code and b.pk not in (median.pk, largest.pk)]
    leader = mates[-1] if mates else median
    return {"median": median, "largest": largest, "bloc_leader": leader}


def _spread(items: list, count: int) -> list:
    """`count` items spread evenly over the list (all of them when fewer)."""
    if len(items) <= count:
        return list(items)
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def board_context(board, year: int, samples: int = 40) -> dict:
    """What a board's actions need: codes of projects to open, a zone, the bloc."""
    from django.db.models import Count

    from investment.models import Project

    codes = list(Project.objects.filter(zone__board=board).order_by("code").values_list("code", flat=True))
    zone = board.zones.order_by("code").values_list("code", flat=True).first()
    return {
        "board": board.code,
        "bloc": board.bloc_code,
        "zone": zone,
        "projects": board.zones.aggregate(n=Count("projects"))["n"],
        "samples": _spread(codes, samples),
        "year": year,
    }


def edit_projects(board, count: int) -> list[str]:
    """Projects to adjust: active ones of the board with both capitals stated, last codes first (bench.rollup
    adjusts the first)."""
    from investment.models import Project

    return list(
        Project.objects.filter(zone__board=board, status="active")
        .filter(capital_vnd__isnull=False, capital_usd__isnull=False, capital_vnd_derived=False)
        .filter(capital_usd_derived=False)
        .order_by("-code")
        .values_list("code", flat=True)[:count]
    )


def ensure_users(count: int, boards: dict, password: str) -> list[dict]:
    """bench-load-01… with the roles of ROLE_CYCLE, memberships set again, the password set."""
    from kcn_portal.core.models import User
    from zones.enums import MembershipRole
    from zones.models import Membership

    board_of = {"staff_median": boards["median"], "staff_largest": boards["largest"]}
    users = []
    for index in range(count):
        role = ROLE_CYCLE[index % len(ROLE_CYCLE)]
        username = f"{USER_PREFIX}{index + 1:02d}"
        user, _created = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = f"Tải {index + 1:02d}", "Benchmark"
        user.is_ministry, user.is_staff, user.is_superuser, user.is_active = role == "ministry", False, False, True
        user.set_password(password)
        user.save()
        Membership.objects.filter(user=user).delete()
        if role in board_of:
            Membership.objects.create(user=user, board=board_of[role], role=MembershipRole.STAFF)
        elif role == "bloc_leader":
            Membership.objects.create(user=user, board=boards["bloc_leader"], role=MembershipRole.LEADER)
        users.append({"user": user, "username": username, "password": password, "role": role})
    return users


def scope_of_role(role: str, boards: dict) -> str:
    """The report a user of the role downloads as Excel."""
    return {
        "staff_median": f"board:{boards['median'].code}",
        "staff_largest": f"board:{boards['largest'].code}",
        "bloc_leader": f"bloc:{boards['median'].bloc_code}",
        "ministry": "national",
    }[role]


def prepare_exports(users: list[dict], boards: dict, period) -> dict:
    """One finished Excel export of each downloaded report, a copy of its run for every user of the role.

    Returns {username: run id} and the seconds each export took."""
    from django.utils import timezone

    from kcn_portal.core.enums import TaskStatus
    from kcn_portal.core.models import TaskRun
    from reports.services import downloads

    runs, seconds, first = {}, {}, {}
    for spec in users:
        scope = scope_of_role(spec["role"], boards)
        params = {"scope": scope, "period": period.code, "version": None, "language": "vi"}
        if scope not in first:
            run = TaskRun.objects.create(kind=downloads.REPORT_EXPORT, created_by=spec["user"], params=params)
            started = time.perf_counter()
            downloads.report_export_run(task_run_id=run.pk)
            seconds[scope] = round(time.perf_counter() - started, 2)
            first[scope] = TaskRun.objects.get(pk=run.pk)
            runs[spec["username"]] = run.pk
            continue
        done = first[scope]
        now = timezone.now()
        copy = TaskRun.objects.create(
            kind=done.kind,
            created_by=spec["user"],
            params=done.params,
            status=TaskStatus.SUCCEEDED,
            progress=100,
            result=done.result,
            output_file=done.output_file.name,
            started_at=now,
            finished_at=now,
        )
        runs[spec["username"]] = copy.pk
    return {"runs": runs, "seconds": seconds}


# --- the mix -----------------------------------------------------------------------------------------------


def _page(name, weight, paths, group="pages"):
    return {"name": name, "group": group, "weight": weight, "paths": list(paths)}


def actions_for(role: str, ctx: dict, world: dict, *, export_run: int | None, edit: dict | None) -> list[dict]:
    """The weighted actions of a user of `role` whose board is ctx["board"]; each action's first path is the
    one whose query count is compared between the median and the largest board."""
    board, bloc, zone, year, samples = ctx["board"], ctx["bloc"], ctx["zone"], ctx["year"], ctx["samples"]
    pages = list(range(1, 6))
    report = f"/reports/board:{board}/{year}/"
    actions = [_page("home", 2, ["/"])]
    if role in ("staff", "bloc_leader"):
        actions += [
            _page("project list", 6, ["/projects/", *(f"/projects/?page={n}" for n in pages[1:])]),
            _page(
                "project list, filters",
                8,
                [
                    "/projects/?status=active&kind=fdi",
                    *(f"/projects/?status=active&kind=fdi&page={n}" for n in pages[1:]),
                    "/projects/?country=KR&sort=-capital_usd",
                    f"/projects/?zone={zone}",
                    "/projects/?issued_from=2020-01-01&issued_to=2022-12-31&sort=name",
                ],
            ),
            _page("project list, search", 3, ["/projects/?q=th%C3%A9p", "/projects/?q=%C4%91i%E1%BB%87n+t%E1%BB%AD"]),
            _page("project detail", 12, [f"/projects/{code}/" for code in samples]),
            _page("board detail", 3, [f"/boards/{board}/"]),
            _page("zone list", 2, ["/zones/", "/zones/?page=1"]),
            _page("board list", 1, ["/boards/"]),
            _page("report, board", 4, [report]),
            _page("report, bloc", 2 if role == "staff" else 6, [f"/reports/bloc:{bloc}/{year}/"]),
            _page(
                "API projects",
                6,
                [f"/api/v1/projects/?page={n}" for n in (1, 2, 3)] + ["/api/v1/projects/?kind=fdi&status=active"],
                group="api",
            ),
            _page("API licence events", 5, [f"/api/v1/projects/{code}/events/" for code in samples], group="api"),
            _page(
                "API report",
                3,
                [f"/api/v1/reports/board:{board}/{year}/", f"/api/v1/reports/board:{board}/{year}/versions/"],
                group="api",
            ),
            _page("API zones", 2, ["/api/v1/zones/"], group="api"),
            _page(
                "API enterprise reports",
                3,
                [f"/api/v1/enterprise-reports/?year={year}&page={n}" for n in (1, 2, 3)],
                group="api",
            ),
        ]
        if role == "staff":
            actions.append(
                _page("project list export", 1, ["/projects/export.xlsx?status=active&kind=fdi"], group="downloads")
            )
    else:  # ministry: the whole country, a board chosen by filter
        others = world["boards"]
        actions += [
            _page(
                "project list",
                6,
                [
                    f"/projects/?board={board}",
                    f"/projects/?board={board}&page=2",
                    "/projects/",
                    *(f"/projects/?page={n}" for n in (2, 3, 10, 20)),
                ],
            ),
            _page(
                "project list, filters",
                6,
                [
                    f"/projects/?board={board}&status=active&kind=fdi",
                    *(f"/projects/?board={b}&kind=fdi" for b in others),
                    "/projects/?country=JP&sort=-capital_usd",
                    "/projects/?status=active&issued_from=2024-01-01",
                ],
            ),
            _page("project list, search", 2, ["/projects/?q=th%C3%A9p", "/projects/?q=nh%E1%BB%B1a"]),
            _page("project detail", 8, [f"/projects/{samples[0]}/", *(f"/projects/{c}/" for c in world["samples"])]),
            _page("board list", 4, ["/boards/"]),
            _page("board detail", 6, [f"/boards/{board}/", *(f"/boards/{b}/" for b in others)]),
            _page("zone list", 2, ["/zones/", *(f"/zones/?page={n}" for n in (2, 5, 10))]),
            _page("report, national", 5, [f"/reports/national/{year}/"]),
            _page(
                "report, bloc",
                4,
                [f"/reports/bloc:{bloc}/{year}/", *(f"/reports/bloc:{b}/{year}/" for b in world["blocs"])],
            ),
            _page("report, board", 4, [report, *(f"/reports/board:{b}/{year}/" for b in others)]),
            _page(
                "API projects",
                6,
                [
                    f"/api/v1/projects/?board={board}",
                    f"/api/v1/projects/?board={board}&page=2",
                    *(f"/api/v1/projects/?page={n}" for n in (1, 2, 5)),
                    *(f"/api/v1/projects/?board={b}" for b in others),
                ],
                group="api",
            ),
            _page(
                "API licence events",
                3,
                [
                    f"/api/v1/projects/{samples[0]}/events/",
                    *(f"/api/v1/projects/{c}/events/" for c in world["samples"]),
                ],
                group="api",
            ),
            _page(
                "API report",
                4,
                [
                    f"/api/v1/reports/board:{board}/{year}/",
                    f"/api/v1/reports/national/{year}/",
                    *(f"/api/v1/reports/bloc:{b}/{year}/" for b in world["blocs"]),
                ],
                group="api",
            ),
            _page("API boards", 2, ["/api/v1/boards/"], group="api"),
            _page(
                "API enterprise reports",
                2,
                [
                    f"/api/v1/enterprise-reports/?board={board}&year={year}",
                    f"/api/v1/enterprise-reports/?year={year}&page=3",
                ],
                group="api",
            ),
            _page(
                "project list export",
                1,
                [f"/projects/export.xlsx?board={board}&status=active&kind=fdi"],
                group="downloads",
            ),
        ]
    if export_run is not None:
        actions.append(
            _page("report Excel download", 1, [f"/reports/exports/{export_run}/download/"], group="downloads")
        )
    if edit is not None:
        actions.append({"name": "adjust", "group": "edits", "weight": 3, "kind": "adjust", **edit})
    return actions


def world_context(boards: dict, year: int) -> dict:
    """What the ministry's actions range over: a few boards, every bloc, projects across the country."""
    from investment.models import Project
    from zones.models import Board

    codes = list(Board.objects.order_by("code").values_list("code", flat=True))
    projects = list(Project.objects.order_by("code").values_list("code", flat=True))
    blocs = sorted(set(Board.objects.exclude(bloc_code="").values_list("bloc_code", flat=True)))
    chosen = sorted({boards["median"].code, boards["largest"].code, *_spread(codes, 8)})
    return {"boards": chosen, "blocs": blocs, "samples": _spread(projects, 60), "year": year}


def build_plan(users, contexts, world, exports, edits_by_user, today, args) -> dict:
    role_ctx = {"staff_median": "median", "staff_largest": "largest", "bloc_leader": "bloc_leader"}
    specs = []
    for index, spec in enumerate(users):
        role = spec["role"]
        ctx = contexts[role_ctx.get(role, "median" if index % 2 == 0 else "largest")]
        kind = "staff" if role.startswith("staff") else role
        edit = None
        if spec["username"] in edits_by_user:
            edit = {
                "project": edits_by_user[spec["username"]],
                "certificate_prefix": f"{EDIT_PREFIX}{index + 1:02d}-",
                "date": today.isoformat(),
            }
        actions = actions_for(kind, ctx, world, export_run=exports["runs"].get(spec["username"]), edit=edit)
        specs.append({"username": spec["username"], "password": spec["password"], "role": role, "actions": actions})
    return {
        "base_url": None,  # set when gunicorn listens
        "seed": args.seed,
        "warmup": args.warmup,
        "duration": args.duration,
        "think": list(args.think),
        "timeout": 120,
        "users": specs,
    }


def check_paths(plan: dict, users: list[dict]) -> list[dict]:
    """Request every URL of the plan once (django.test.Client, as a user of the role that opens it, rolled back)
    and drop those that do not answer 200 — a page number past the end, say — so that the load measures only
    URLs a person could open. Returns what was dropped."""
    from django.test import Client

    by_name = {spec["username"]: spec for spec in users}
    answers, dropped = {}, []
    for spec in plan["users"]:
        client = Client()
        client.force_login(by_name[spec["username"]]["user"])
        for action in spec["actions"]:
            if action.get("kind") == "adjust":
                continue
            kept = []
            for path in action["paths"]:
                key = (spec["role"], path) if "/exports/" not in path else (spec["username"], path)
                if key not in answers:
                    answers[key] = _count(client, "GET", path)["status"]
                if answers[key] == 200:
                    kept.append(path)
                else:
                    dropped.append({"role": spec["role"], "path": path, "status": answers[key]})
            action["paths"] = kept
        spec["actions"] = [action for action in spec["actions"] if action.get("kind") == "adjust" or action["paths"]]
    unique = {(item["role"], item["path"]): item for item in dropped}
    return list(unique.values())


# --- constant query counts ----------------------------------------------------------------------------------


def _count(client, method: str, path: str, data=None) -> dict:
    """Status, SQL statements (savepoints left out), in-process ms and SQL ms of one request, rolled back."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(path, data) if method == "POST" else client.get(path)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            ms = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    queries = [q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"][:30]]
    return {
        "status": response.status_code,
        "queries": len(queries),
        "ms": round(ms, 1),
        "sql_ms": round(sum(float(q["time"]) for q in queries) * 1000, 1),
        "_sql": queries,
    }


def _adjust_data(client, path: str, number: int, today) -> dict:
    """The adjust form's values as the page shows them, with a new certificate and higher capital."""
    from bench.loadgen import form_with

    html = client.get(path).content.decode()
    form = form_with(html, "certificate_no")
    data = dict(form["fields"])
    data.update(certificate_no=f"{EDIT_PREFIX}COUNT-{number}", event_date=today.isoformat(), changes_note="benchmark")
    if (data.get("capital_vnd") or "").isdigit():
        data["capital_vnd"] = str(int(data["capital_vnd"]) + 1_000_000_000)
    return data


def measure_query_counts(users, contexts, world, exports, edits_by_user, today, keep_sql: set) -> dict:
    """Every action's first URL on the median and on the largest board, as the user who opens it there."""
    from django.test import Client

    first = {}
    for spec in users:
        first.setdefault(spec["role"], spec)
    roles = [("staff", "staff_median", "staff_largest"), ("ministry", "ministry", "ministry")]
    rows, sql_by_name = [], {}
    for kind, role_a, role_b in roles:
        if role_a not in first or role_b not in first:
            continue
        pair = {}
        for side, role, ctx_name in (("median", role_a, "median"), ("largest", role_b, "largest")):
            spec = first[role]
            client = Client()
            client.force_login(spec["user"])
            ctx = contexts[ctx_name]
            edit = None
            if kind == "staff" and spec["username"] in edits_by_user:
                edit = {"project": edits_by_user[spec["username"]], "certificate_prefix": "", "date": ""}
            export_run = exports["runs"].get(spec["username"]) if kind == "staff" else None
            for action in actions_for(kind, ctx, world, export_run=export_run, edit=edit):
                if action.get("kind") == "adjust":
                    path = f"/projects/{action['project']}/adjust/"
                    probes = [
                        ("adjust form (GET)", "edits", "GET", path, None),
                        ("adjust (POST)", "edits", "POST", path, _adjust_data(client, path, 1, today)),
                    ]
                else:
                    probes = [(action["name"], action["group"], "GET", action["paths"][0], None)]
                for name, group, method, path, data in probes:
                    _count(client, method, path, data)  # warm: caches, translations, templates
                    runs = [_count(client, method, path, data) for _ in range(3)]
                    sql = runs[0].pop("_sql")
                    measured = {
                        "method": method,
                        "status": runs[0]["status"],
                        "queries": runs[0]["queries"],
                        "queries_stable": len({run["queries"] for run in runs}) == 1,
                        # One request at a time in this process (debug cursor on): the median of 3.
                        "ms": statistics.median(run["ms"] for run in runs),
                        "sql_ms": statistics.median(run["sql_ms"] for run in runs),
                    }
                    pair.setdefault((name, group), {})[side] = {"user": role, "path": path, **measured}
                    if name in keep_sql:
                        sql_by_name.setdefault(f"{kind}: {name}", {})[side] = sql
        for (name, group), sides in pair.items():
            median, largest = sides.get("median"), sides.get("largest")
            rows.append(
                {
                    "name": name,
                    "group": group,
                    "as": kind,
                    "median": median,
                    "largest": largest,
                    # Only the expected answers compare (200; 302 after a POST): a 404 runs other statements.
                    "equal": bool(
                        median
                        and largest
                        and median["status"] == largest["status"] == (302 if median["method"] == "POST" else 200)
                        and median["queries"] == largest["queries"]
                    ),
                }
            )
    return {"rows": rows, "sql": sql_by_name}


# --- gunicorn and the driver -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(url: str, media_root: Path) -> dict:
    """The production settings' environment: a random secret key, the benchmark database, a broker."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="kcn_portal.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=url,
        DATABASE_CONN_MAX_AGE="60",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        CELERY_TASK_DEFAULT_QUEUE=QUEUE,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        # Plain HTTP on the loopback: no redirect to HTTPS (the proxy's job in production).
        DJANGO_SECURE_SSL_REDIRECT="0",
        KCN_MEDIA_ROOT=str(media_root),
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def collect_static(env: dict) -> bool:
    """collectstatic for the production storage (hashed, compressed names); True when STATIC_ROOT was made now."""
    from django.conf import settings

    created = not Path(settings.STATIC_ROOT).exists()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return created


def start_gunicorn(env: dict, port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    command = [
        str(VENV_BIN / "gunicorn"),
        "kcn_portal.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "60",
        "--error-logfile",
        str(log),
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start (exit {process.returncode}); see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer within 90 s; see {log}")


def stop_gunicorn(process: subprocess.Popen | None) -> None:
    """SIGTERM to the master (it stops its workers), then SIGKILL to its process group if still there."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the group start_new_session made: gunicorn and its workers
        process.wait(timeout=10)


def children_cpu() -> float:
    """CPU seconds (user + system) of the child processes waited for so far, their own children included."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def purge_queue() -> int:
    """Drop the messages the run left on its own Redis queue (edits dated today mark no built report stale)."""
    try:
        import redis

        client = redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_timeout=5)
        left = client.llen(QUEUE)
        client.delete(QUEUE)
        return left
    except Exception:  # nothing to purge without Redis
        return 0


# --- figures ------------------------------------------------------------------------------------------------


def _stats(rows: list[list]) -> dict:
    latencies = [row[4] for row in rows]
    return {
        "count": len(rows),
        "p50_ms": _round(percentile(latencies, 50)),
        "p95_ms": _round(percentile(latencies, 95)),
        "p99_ms": _round(percentile(latencies, 99)),
        "max_ms": _round(max(latencies) if latencies else None),
        "errors": sum(1 for row in rows if row[5]),
    }


def _round(value):
    return None if value is None else round(value, 1)


def summarise(records: list[list], warmup: float, duration: float) -> dict:
    """Per group, per action and overall, leaving out requests started in the warm-up."""
    measured = [row for row in records if row[0] >= warmup]
    by_group, by_name = defaultdict(list), defaultdict(list)
    for row in measured:
        by_group[row[1]].append(row)
        by_name[(row[1], row[2])].append(row)
    groups = {}
    for group in GROUPS:
        stats = _stats(by_group.get(group, []))
        if group in TARGET_GROUPS:
            p95 = stats["p95_ms"]
            stats.update(
                baseline=f"the target, p95 ≤ {TARGET_MS} ms",
                target_ms=TARGET_MS,
                ratio=round(TARGET_MS / p95, 2) if p95 else None,
                **{"pass": p95 is not None and p95 <= TARGET_MS and stats["errors"] == 0},
            )
        groups[group] = stats
    actions = {f"{group}: {name}": _stats(rows) for (group, name), rows in sorted(by_name.items())}
    errors = [row for row in measured if row[5]]
    first_errors = defaultdict(int)
    for row in errors:
        first_errors[row[5][:160]] += 1
    overall = _stats(measured)
    overall["requests_per_second"] = round(len(measured) / duration, 1) if duration else None
    return {
        "overall": overall,
        "groups": groups,
        "actions": actions,
        "warmup_requests_left_out": len(records) - len(measured),
        "errors_by_message": dict(sorted(first_errors.items(), key=lambda item: -item[1])[:20]),
    }


def _cpu_figures(cpu: dict, summary: dict) -> dict:
    """CPU seconds of gunicorn (master and workers, the whole run including warm-up and logins) and of the driver."""
    if len(cpu) < 3:
        return {}
    server = cpu["after_server"] - cpu["after_driver"]
    driver = cpu["after_driver"] - cpu["before_driver"]
    return {
        "gunicorn": round(server, 1),
        "driver": round(driver, 1),
        "note": "PostgreSQL's own CPU is not included; gunicorn's covers the warm-up and the logins too",
    }


def _verdict(ok) -> str:
    return "—" if ok is None else ("pass" if ok else "FAIL")


def _table(figures: dict) -> None:
    summary, counts = figures["summary"], figures["query_counts"]
    rows = [("figure", "measured", "baseline", "ratio", "target", "result")]
    for group in GROUPS:
        stats = summary["groups"][group]
        label = f"{GROUP_LABELS[group]} p95 ({stats['count']} req.)"
        measured = "—" if stats["p95_ms"] is None else f"{stats['p95_ms']:.0f} ms"
        if group in TARGET_GROUPS:
            ratio = "—" if stats["ratio"] is None else f"{stats['ratio']:.2f} ×"
            rows.append(
                (label, measured, f"{TARGET_MS} ms (target)", ratio, f"≤ {TARGET_MS} ms", _verdict(stats["pass"]))
            )
        else:
            rows.append((label, measured, "—", "—", "—", "—"))
    overall = summary["overall"]
    rows.append(
        (
            f"overall p95 ({overall['count']} req., {overall['requests_per_second']}/s)",
            f"{overall['p95_ms']:.0f} ms" if overall["p95_ms"] is not None else "—",
            "—",
            "—",
            "—",
            "—",
        )
    )
    rows.append(("errors", str(overall["errors"]), "—", "—", "0", _verdict(overall["errors"] == 0)))
    equal = sum(1 for row in counts["rows"] if row["equal"])
    rows.append(
        (
            "constant query counts (median = largest)",
            f"{equal} of {len(counts['rows'])} URLs",
            "—",
            "—",
            "all equal",
            _verdict(equal == len(counts["rows"])),
        )
    )
    if figures.get("cpu_seconds"):
        used = figures["cpu_seconds"]
        rows.append(("CPU seconds: gunicorn / driver", f"{used['gunicorn']} / {used['driver']} s", "", "", "", ""))
    rows.append(
        (
            "load average start → end",
            f"{figures['load_average_start'][0]} → {figures['load_average_end'][0]}",
            "",
            "",
            "",
            "",
        )
    )
    print_rows(rows)
    print()
    print("  per action (after warm-up): count, p50 / p95 / p99 / max ms, errors")
    for name, stats in sorted(summary["actions"].items(), key=lambda item: -(item[1]["p95_ms"] or 0)):
        print(
            f"    {name:<42} {stats['count']:>5}  {stats['p50_ms']:>7.0f} / {stats['p95_ms']:>7.0f} / "
            f"{stats['p99_ms']:>7.0f} / {stats['max_ms']:>7.0f}  {stats['errors']}"
        )
    print()
    print("  SQL statements per request (median board / largest board):")
    for row in counts["rows"]:
        median, largest = row["median"] or {}, row["largest"] or {}
        mark = "" if row["equal"] else "   <-- differs"
        if median.get("status") not in (200, 302) or largest.get("status") not in (200, 302):
            mark += f" (HTTP {median.get('status')} / {largest.get('status')})"
        print(
            f"    {row['as']:<8} {row['name']:<28} {median.get('queries', '—'):>4} / {largest.get('queries', '—'):>4}"
            f"   ({median.get('ms', 0):.0f} / {largest.get('ms', 0):.0f} ms unloaded){mark}"
        )


def slowest_profile(summary: dict, counts: dict) -> list[dict]:
    """For actions of pages and API lists over the target: their unloaded counts, SQL time, heaviest SQL."""
    over = []
    for name, stats in summary["actions"].items():
        group, _sep, action = name.partition(": ")
        if group in TARGET_GROUPS and (stats["p95_ms"] or 0) > TARGET_MS:
            over.append({"action": name, "p95_ms": stats["p95_ms"], "count": stats["count"]})
    over.sort(key=lambda item: -item["p95_ms"])
    for item in over:
        action = item["action"].partition(": ")[2]
        item["unloaded"] = [
            {"as": row["as"], "median": row["median"], "largest": row["largest"]}
            for row in counts["rows"]
            if row["name"] == action
        ]
        heaviest = []
        for key, sides in counts.get("sql", {}).items():
            if key.endswith(f": {action}"):
                for side, queries in sides.items():
                    for query in sorted(queries, key=lambda q: -float(q["time"]))[:3]:
                        heaviest.append(
                            {
                                "as": f"{key.split(':')[0]} {side}",
                                "ms": round(float(query["time"]) * 1000, 1),
                                "sql": query["sql"][:600],
                            }
                        )
        item["heaviest_sql"] = heaviest
    return over


# --- main ---------------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="the scale bench.national generated (default 1)")
    parser.add_argument("--database-url", help="the database bench.national filled (default: its SQLite file)")
    parser.add_argument("--year", type=int, default=2024, help="the reports' year (built first when missing)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=180, help="measured seconds, after the warm-up")
    parser.add_argument("--warmup", type=float, default=15, help="seconds at the start left out of the figures")
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(0.5, 1.5),
        metavar=("MIN", "MAX"),
        help="a user's pause between requests, uniform in seconds (default 0.5 1.5)",
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (1: sync workers)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-results", action="store_true", help="do not write bench/results.json")
    args = parser.parse_args(argv)
    url = national.database_url(args.database_url, args.scale)
    media_root = Path(tempfile.mkdtemp(prefix="kcn-bench-load-media-"))
    os.environ["KCN_MEDIA_ROOT"] = str(media_root)
    vendor = national.setup_django(url)
    warnings.filterwarnings("ignore", message="No directory at")  # STATIC_ROOT exists only while gunicorn runs
    generated = national.marker()
    if generated is None:
        raise SystemExit(f"no national data in {url}: run python -m bench.national first (same --scale/--database-url)")
    from django.db import connection
    from django.utils import timezone

    from kcn_portal import periods

    load_start = load_average()
    print(f"Load benchmark on {url} ({vendor}); load average {load_start}", flush=True)
    removed = cleanup()
    if any(removed.values()):
        print(f"  removed what an earlier run left: {removed}", flush=True)
    period = periods.parse(str(args.year))
    reports = ensure_reports(period)
    print(f"  reports of {period.code}: {reports}", flush=True)
    boards = choose_boards()
    contexts = {name: board_context(board, args.year) for name, board in boards.items()}
    world = world_context(boards, args.year)
    users = ensure_users(args.users, boards, secrets.token_urlsafe(16))
    by_role = defaultdict(list)
    for spec in users:
        by_role[spec["role"]].append(spec)
    edits_by_user = {}
    for role, key in (("staff_median", "median"), ("staff_largest", "largest")):
        codes = edit_projects(boards[key], len(by_role[role]))
        edits_by_user.update({spec["username"]: code for spec, code in zip(by_role[role], codes, strict=False)})
    print(
        f"  {len(users)} users: "
        + ", ".join(f"{len(v)} {k}" for k, v in by_role.items())
        + f"; median board {boards['median'].code} ({contexts['median']['projects']} projects), largest "
        f"{boards['largest'].code} ({contexts['largest']['projects']}), bloc leader of {boards['bloc_leader'].code} "
        f"({boards['bloc_leader'].bloc_code})",
        flush=True,
    )
    today = timezone.localdate()
    exports = prepare_exports(users, boards, period)
    print(f"  Excel summaries exported (untimed): {exports['seconds']} s", flush=True)
    print("  counting SQL statements per URL (median vs largest board) …", flush=True)
    keep_sql = {
        "report, board",
        "report, bloc",
        "report, national",
        "project detail",
        "project list",
        "project list, filters",
        "project list, search",
        "board detail",
        "API projects",
        "API licence events",
        "API enterprise reports",
        "API report",
        "zone list",
        "board list",
        "home",
    }
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)  # the check below meets 404s (pages past the end) on purpose
    counts = measure_query_counts(users, contexts, world, exports, edits_by_user, today, keep_sql)
    differ = [row["name"] for row in counts["rows"] if not row["equal"]]
    plan = build_plan(users, contexts, world, exports, edits_by_user, today, args)
    dropped = check_paths(plan, users)
    request_log.setLevel(level)
    paths = sum(len(action.get("paths", [])) for spec in plan["users"] for action in spec["actions"])
    print(f"  every URL of the mix requested once: {paths} kept" + (f", dropped {dropped}" if dropped else ""))
    print(
        f"  {len(counts['rows']) - len(differ)} of {len(counts['rows'])} equal"
        + (f"; differ: {differ}" if differ else "")
    )
    connection.close()

    env = server_environment(url, media_root)
    static_created = False
    process, run_dir = None, Path(tempfile.mkdtemp(prefix="kcn-bench-load-"))
    cpu = {}
    result, driver_exit, log_tail = None, None, ""
    try:
        static_created = collect_static(env)
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        process = start_gunicorn(env, port, args.workers, args.threads, run_dir / "gunicorn.log")
        cpu["before_driver"] = children_cpu()
        print(
            f"  gunicorn on {base_url}: {args.workers} workers × {args.threads} threads, production settings",
            flush=True,
        )
        plan["base_url"] = base_url
        plan_path, out_path = run_dir / "plan.json", run_dir / "records.json"
        plan_path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
        print(
            f"  driving {args.users} users for {args.warmup:g} s warm-up + {args.duration:g} s "
            f"(think {args.think[0]:g}–{args.think[1]:g} s) from a second process …",
            flush=True,
        )
        driver = subprocess.run(
            [sys.executable, "-m", "bench.loadgen", "--plan", str(plan_path), "--out", str(out_path)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=args.warmup + args.duration + 300,
            check=False,
        )
        driver_exit = driver.returncode
        cpu["after_driver"] = children_cpu()
        if out_path.exists():
            result = json.loads(out_path.read_text(encoding="utf-8"))
    finally:
        if (run_dir / "gunicorn.log").exists():
            log_tail = (run_dir / "gunicorn.log").read_text(encoding="utf-8", errors="replace")[-3000:]
        stop_gunicorn(process)
        cpu["after_server"] = children_cpu()
        load_end = load_average()
        left = cleanup(media_root)
        purged = purge_queue()
        if static_created:
            from django.conf import settings

            shutil.rmtree(settings.STATIC_ROOT, ignore_errors=True)
        shutil.rmtree(run_dir, ignore_errors=True)
        print(f"  gunicorn stopped; removed the run's records {left}; queue messages dropped: {purged}", flush=True)
    if result is None:
        print(f"the driver wrote no records (exit {driver_exit}); gunicorn log:\n{log_tail}")
        return 1
    summary = summarise(result["records"], args.warmup, args.duration)
    figures = {
        "measured_on": datetime.date.today().isoformat(),
        "database": vendor,
        "data": {**generated.params, **{k: generated.result[k] for k in ("boards", "zones", "projects", "events")}},
        "period": period.code,
        "server": f"gunicorn kcn_portal.wsgi, kcn_portal.settings.production, {args.workers} workers × "
        f"{args.threads} threads, WhiteNoise, DATABASE_CONN_MAX_AGE=60",
        "users": args.users,
        "roles": {role: len(specs) for role, specs in by_role.items()},
        "boards": {
            "median": {"code": boards["median"].code, "projects": contexts["median"]["projects"]},
            "largest": {"code": boards["largest"].code, "projects": contexts["largest"]["projects"]},
            "bloc_leader": {"code": boards["bloc_leader"].code, "bloc": boards["bloc_leader"].bloc_code},
        },
        "duration_seconds": args.duration,
        "warmup_seconds": args.warmup,
        "think_seconds": list(args.think),
        "driver": "bench.loadgen (a second process; threads, http.client, one session per user)",
        "logins": {
            "ok": sum(1 for login in result["logins"] if login["status"] == 302),
            "max_ms": max((login["ms"] for login in result["logins"]), default=None),
        },
        "summary": summary,
        "error_samples": result["samples"],
        "dropped_urls": dropped,
        "query_counts": {"rows": counts["rows"], "all_equal": not differ, "differ": differ},
        "slowest": slowest_profile(summary, counts),
        "cpu_seconds": _cpu_figures(cpu, summary),
        "edits_made": sum(1 for row in result["records"] if row[2] == "adjust (POST)" and row[3] == 302),
        "removed_after_run": left,
        "reports": reports,
        "exports_seconds": exports["seconds"],
        "load_average_start": load_start,
        "load_average_end": load_end,
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU",
    }
    print()
    print(
        f"Load benchmark, {args.users} users, {args.duration:g} s (+{args.warmup:g} s warm-up), {vendor}, "
        f"{generated.result['projects']} projects; load average {load_start} → {load_end}:"
    )
    _table(figures)
    if figures["slowest"]:
        print()
        print("  over the target (pages / API lists), heaviest SQL of one unloaded request:")
        for item in figures["slowest"]:
            print(f"    {item['action']}: p95 {item['p95_ms']:.0f} ms under load; one request unloaded:")
            for row in item["unloaded"]:
                for side in ("median", "largest"):
                    one = row[side] or {}
                    print(
                        f"      as {row['as']}, {side} board: {one.get('ms', 0):.0f} ms, of which SQL "
                        f"{one.get('sql_ms', 0):.0f} ms in {one.get('queries')} statements  {one.get('path')}"
                    )
            for query in item["heaviest_sql"][:2]:
                print(f"      heaviest SQL ({query['as']}): {query['ms']:.1f} ms  {query['sql'][:160]}")
    if not args.no_results:
        results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
        results["load"] = figures
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        print(f"Written to {RESULTS.relative_to(ROOT)} (load).")
    return 0 if summary["overall"]["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
