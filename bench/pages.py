"""Benchmark: every page of the portal, as the people who open it, on the largest board — server time and SQL.

    python -m bench.pages [--demo-file FILE] [--database-url URL] [--scale 1] [--repeat 3] [--slowest 10]
                          [--keep] [--no-results]

Every named GET route (the same names as tests/security/test_permission_matrix.py, with real
arguments) is requested in this process with django.test.Client (DEBUG off, cached templates) by
each kind of user who reads it: the staff member and the leader of the LARGEST board (the most
projects), a bloc leader (for a bloc's pages and reports) and a ministry official (the nation's).
Arguments name the largest board's own objects: its biggest zone, its project with the longest
ledger, its latest adjustment, the quarter it reports most, its latest report year; the bloc leader
reads the bloc's report and the ministry the nation's. Each URL is asked once to warm up (its SQL
statements are counted then, savepoints left out), then `--repeat` times; the median is the server
time. Every request runs in a transaction that is rolled back.

The database is a throwaway copy, never db.sqlite3:
- by default the demo (`seed_demo`) seeded into a SQLite file in a temporary folder (about 2½
  minutes), or a copy of `--demo-file` (a demo database seeded earlier; the copy is used, the file
  is not touched); the demo's own logins are used (hni.staff, hni.lead, the bloc leader of the open
  emulation year, ministry);
- with `--database-url` (or BENCH_DATABASE_URL through `make bench`), the national data bench.national
  generated at `--scale` (PostgreSQL or SQLite); four bench-pages-… users are made for the run and
  removed afterwards with what they left (sessions, audit records, export runs).

Target: every page answers in under 1 s of server time (TARGET_MS). Printed: the ten slowest
pages with their median, runs and SQL count, then every page that did not answer as expected; the
figures go into bench/results.json under "pages" (not with --no-results). Exit 1 when a page answers
5xx.
"""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench import national, print_rows

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
TARGET_MS = 1000
USER_PREFIX = "bench-pages-"
ROLE_NAMES = {"S": "staff", "L": "leader", "B": "bloc leader", "M": "ministry"}
ALL, MEMBERS = "SLBM", "SLM"
# Files, not pages: listed with the pages, but the target is the pages'.
DOWNLOADS = {
    "investment:project_export",
    "report_exports:export_download",
    "reports:correction_file",
    "emulation:movement_attachment",
    "emulation:evidence_download",
    "emulation:score_sheet",
}


@dataclass
class Context:
    """The real objects the URLs name (None where the data hold no such object)."""

    board: object
    bloc: str
    zone: object = None
    project: object = None
    adjust: object = None
    quarter: str = ""
    report_year: str = ""
    approval: object = None
    reopen: object = None
    correction: object = None
    export: object = None
    enterprise_report: object = None
    exchange_rate: object = None
    movement: object = None
    attachment: object = None
    decision: object = None
    recipient: object = None
    title: object = None
    bloc_year: object = None
    round: object = None
    card: object = None
    evidence: object = None
    registration: object = None
    elsewhere: set = field(default_factory=set)  # objects of another board (the board has none): the ministry's
    users: dict = field(default_factory=dict)  # role letter → user


# --- the routes: who reads each, and its arguments ----------------------------------------------------


def _scope(c: Context, role: str) -> str:
    """The report the role reads: its board's, the bloc's for the bloc leader, the nation's for the ministry."""
    return {"B": f"bloc:{c.bloc}", "M": "national"}.get(role, f"board:{c.board.code}")


def _needs(*names):
    """Arguments from the context's objects; None (the route is skipped) when one of them is missing."""

    def wrap(build):
        def kwargs(c: Context, role: str):
            return None if any(getattr(c, name) is None for name in names) else build(c, role)

        kwargs.needs = names
        return kwargs

    return wrap


def _none(c, role):
    return {}


def _code(c, role):
    return {"code": c.board.code}


def _report(c, role, **extra):
    return {"scope": _scope(c, role), "period": c.report_year, **extra}


def _year(c, role, **extra):
    return None if c.bloc_year is None else {"code": c.bloc_year.bloc.code, "year": c.bloc_year.year, **extra}


def _round(c, role, **extra):
    return None if c.round is None else _year(c, role, kind=c.round.kind, **extra)


def pk(name):
    return _needs(name)(lambda c, role: {"pk": getattr(c, name).pk})


@dataclass(frozen=True)
class Route:
    roles: str
    kwargs: Callable = _none
    query: Callable = lambda c, role: ""
    status: int = 200  # 0: 200 or 302


def R(roles, kwargs=_none, **rest):
    return Route(roles, kwargs, **rest)


# The named GET routes of tests/security/test_permission_matrix.py (tests/bench/test_pages.py keeps the two
# lists equal), with the roles among S L B M that read them there ("B" also for a bloc's report).
ROUTES: dict[str, Route] = {
    "home": R(ALL),
    "workbook_upload": R("S"),
    "workbook_export": R(ALL, query=lambda c, r: f"board={c.board.code}"),
    "workbook_template": R(ALL),
    "task_detail": R("S", pk("export")),
    "task_status": R("S", pk("export")),
    "zones:board_list": R(ALL),
    "zones:board_detail": R(MEMBERS, _code),
    "zones:zone_list": R(ALL),
    "zones:zone_create": R("S"),
    "zones:zone_detail": R(MEMBERS, pk("zone")),
    "zones:zone_update": R("S", pk("zone")),
    "investment:project_list": R(ALL),
    "investment:project_export": R(ALL),
    "investment:project_create": R("S"),
    "investment:project_detail": R(MEMBERS, _needs("project")(lambda c, r: {"code": c.project.code})),
    "investment:project_update": R("S", _needs("project")(lambda c, r: {"code": c.project.code})),
    "investment:event_adjust": R("S", _needs("project")(lambda c, r: {"code": c.project.code})),
    "investment:event_terminate": R("S", _needs("project")(lambda c, r: {"code": c.project.code})),
    # Its event may lie in an approved period: then the page sends its staff to propose a correction (302).
    "investment:event_correct": R("S", pk("adjust"), status=0),
    "enterprise:report_edit": R(MEMBERS, _needs("project")(lambda c, r: {"code": c.project.code, "period": c.quarter})),
    "enterprise:completeness": R(MEMBERS, _code),
    # The grid of the board's biggest zone (its first page of PAGE_SIZE rows).
    "enterprise:quarter_grid": R(
        MEMBERS, lambda c, r: {"code": c.board.code, "period": c.quarter}, query=lambda c, r: f"zone={c.zone.code}"
    ),
    "enterprise:missing": R(MEMBERS, lambda c, r: {"code": c.board.code, "period": c.quarter}),
    "enterprise:exchange_rate_list": R(ALL),
    "report_exports:export_download": R("S", pk("export")),
    "reports:report_index": R(ALL),
    "reports:indicator_list": R(ALL),
    "reports:deadlines": R(ALL),
    "reports:approval_list": R(ALL),
    "reports:approval_detail": R(
        MEMBERS, _needs("approval")(lambda c, r: {"board": c.board.code, "period": c.approval.period})
    ),
    "reports:correction_list": R(ALL),
    "reports:correction_create": R("S", pk("adjust")),
    "reports:correction_detail": R(MEMBERS, pk("correction")),
    "reports:correction_file": R(MEMBERS, pk("correction")),
    "reports:report_detail": R(ALL, _report),
    "reports:report_compare": R(ALL, _report, query=lambda c, r: "a=1&b=1"),
    "reports:report_drilldown": R(ALL, lambda c, r: _report(c, r, code="new_projects")),
    "plans:plan_list": R(ALL),
    "plans:plan_edit": R(MEMBERS, lambda c, r: {"code": c.board.code, "year": int(c.report_year[:4]) + 1}),
    "emulation:movement_list": R(ALL),
    "emulation:movement_create": R("SM"),
    "emulation:movement_detail": R(ALL, pk("movement")),
    "emulation:movement_edit": R("SM", pk("movement")),
    "emulation:movement_attachment": R(ALL, pk("attachment")),
    "emulation:award_list": R(ALL),
    "emulation:award_create": R("SM"),
    "emulation:award_detail": R(MEMBERS, pk("decision")),
    "emulation:award_edit": R("SM", pk("decision")),
    "emulation:recipient_detail": R(MEMBERS, pk("recipient")),
    "emulation:title_list": R(ALL),
    "emulation:award_statistics": R(ALL, lambda c, r: {"year": int(c.report_year[:4])}),
    "emulation:score_sheet": R("BM", _round),
    "emulation:blocyear_list": R(ALL),
    "emulation:blocyear_detail": R(ALL, _year),
    "emulation:blocyear_edit": R("M", _year),
    "emulation:table_detail": R(ALL, _year),
    "emulation:registration_list": R(ALL, _year),
    "emulation:registration_edit": R("SLBM", lambda c, r: _year(c, r, board=c.board.code)),
    "emulation:year_conclude": R("B", _year),
    "emulation:round_edit": R("B", _round),
    "emulation:round_detail": R(ALL, _round),
    "emulation:scorecard_detail": R("SLBM", lambda c, r: _round(c, r, board=c.board.code)),
    "emulation:evidence_download": R(
        "SLBM", _needs("evidence")(lambda c, r: _round(c, r, board=c.board.code, pk=c.evidence.pk))
    ),
    "api:api-root": R(ALL),
    "api:schema": R(ALL),  # signed-in users only (issue 19)
    "api:docs": R(ALL),
    "api:indicator-list": R(ALL),
    "api:report": R(ALL, _report),
    "api:report-versions": R(ALL, _report),
    "api:report-restated": R(ALL, _report),
    "api:board-list": R(ALL),
    "api:board-detail": R(MEMBERS, _code),
    "api:zone-list": R(ALL),
    "api:zone-detail": R(MEMBERS, pk("zone")),
    "api:project-list": R(ALL),
    "api:project-detail": R(MEMBERS, _needs("project")(lambda c, r: {"code": c.project.code})),
    "api:project-event-list": R(MEMBERS, _needs("project")(lambda c, r: {"project_code": c.project.code})),
    "api:project-event-detail": R(
        MEMBERS, _needs("adjust")(lambda c, r: {"project_code": c.adjust.project.code, "pk": c.adjust.pk})
    ),
    "api:enterprise-report-list": R(ALL),
    "api:enterprise-report-detail": R(MEMBERS, pk("enterprise_report")),
    "api:exchange-rate-list": R(ALL),
    "api:exchange-rate-detail": R(ALL, pk("exchange_rate")),
    "api:bloc-years-list": R(ALL),
    "api:bloc-year-detail": R(ALL, _year),
    "api:bloc-year-table": R(ALL, _year),
    "api:round-detail": R(ALL, _round),
    "api:scorecard-list": R(ALL, _round),
    "api:scorecard-detail": R("SLBM", lambda c, r: _round(c, r, board=c.board.code)),
    "api:registration-list": R(ALL, _year),
    "api:registration-detail": R("SLBM", _needs("registration")(lambda c, r: _year(c, r, board=c.board.code))),
    "api:movement-list": R(ALL),
    "api:movement-detail": R(ALL, pk("movement")),
    "api:award-decision-list": R(ALL),
    "api:award-decision-detail": R(MEMBERS, pk("decision")),
    "api:award-title-list": R(ALL),
    "api:award-title-detail": R(ALL, _needs("title")(lambda c, r: {"code": c.title.code})),
    "api:award-title-eligibility": R(
        MEMBERS,
        _needs("title", "recipient")(lambda c, r: {"code": c.title.code}),
        query=lambda c, r: f"recipient={c.recipient.pk}&year={c.report_year[:4]}",
    ),
    "api:board-approval-list": R(MEMBERS, _code),
    "api:board-approval-detail": R(
        MEMBERS, _needs("approval")(lambda c, r: {"code": c.board.code, "period": c.approval.period})
    ),
    "api:data-issue-list": R(
        MEMBERS, _code, query=lambda c, r: f"period={c.approval.period if c.approval else c.report_year}"
    ),
    "api:reopen-request-detail": R(MEMBERS, pk("reopen")),
    "api:correction-list": R(ALL),
    "api:correction-detail": R(MEMBERS, pk("correction")),
}


# --- the data: the largest board and its objects -------------------------------------------------------------


def largest_board():
    from django.db.models import Count

    from zones.models import Board

    return Board.objects.annotate(n=Count("zones__projects")).order_by("-n", "code").first()


def build_context(board, users: dict) -> Context:
    """The largest board's objects the routes name; the biggest or longest where there is a choice."""
    from django.db.models import Count

    from emulation.models import (
        Attachment,
        AwardDecision,
        AwardTitle,
        BlocYear,
        Movement,
        Recipient,
        Registration,
        Scorecard,
    )
    from investment.models import EnterpriseReport, ExchangeRate, LicenceEvent, Project
    from kcn_portal.core.models import TaskRun
    from reports.models import Correction, PeriodApproval, ReopenRequest, ReportSnapshot
    from reports.services.downloads import REPORT_EXPORT

    c = Context(board=board, bloc=board.bloc_code, users=users)
    c.zone = board.zones.annotate(n=Count("projects")).order_by("-n", "code").first()
    c.project = Project.objects.filter(zone__board=board).annotate(n=Count("events")).order_by("-n", "code").first()
    c.adjust = (
        LicenceEvent.objects.filter(project__zone__board=board, kind="adjust").order_by("-event_date", "-pk").first()
    )
    busiest = (
        EnterpriseReport.objects.filter(project__zone__board=board)
        .values("year", "quarter")
        .annotate(n=Count("pk"))
        .order_by("-n", "-year", "-quarter")
        .first()
    )
    c.quarter = f"{busiest['year']}-Q{busiest['quarter']}" if busiest else "2024-Q4"
    years = ReportSnapshot.objects.filter(scope=f"board:{board.code}", period__regex=r"^\d{4}$")
    c.report_year = years.order_by("-period").values_list("period", flat=True).first() or "2024"
    c.enterprise_report = EnterpriseReport.objects.filter(project=c.project).order_by("-year", "-quarter").first()
    c.exchange_rate = ExchangeRate.objects.order_by("-valid_from").first()
    c.approval = PeriodApproval.objects.filter(board=board).order_by("-period").first()
    c.reopen = ReopenRequest.objects.filter(approval__board=board).order_by("-pk").first()
    c.correction = Correction.objects.filter(board=board).order_by("-pk").first()
    # The demo has a reopen request and corrections on other boards only: the ministry reads those.
    for name, qs in (("reopen", ReopenRequest.objects), ("correction", Correction.objects)):
        if getattr(c, name) is None and (other := qs.order_by("-pk").first()) is not None:
            setattr(c, name, other)
            c.elsewhere.add(name)
    c.export = TaskRun.objects.filter(created_by=users["S"], kind=REPORT_EXPORT).order_by("-pk").first()
    c.movement = (
        Movement.objects.filter(boards=board).order_by("-pk").first() or Movement.objects.order_by("-pk").first()
    )
    c.attachment = Attachment.objects.filter(movement=c.movement).first() if c.movement else None
    c.recipient = Recipient.objects.filter(board=board).order_by("pk").first()
    c.decision = AwardDecision.objects.filter(recipients__board=board).order_by("-pk").first()
    c.title = AwardTitle.objects.order_by("code").first()
    c.bloc_year = BlocYear.objects.filter(bloc__code=board.bloc_code).select_related("bloc").order_by("-year").first()
    c.round = c.bloc_year.rounds.order_by("-opens_on").first() if c.bloc_year else None
    c.card = Scorecard.objects.filter(round=c.round, board=board).first() if c.round else None
    c.evidence = Attachment.objects.filter(score__scorecard=c.card).first() if c.card else None
    c.registration = Registration.objects.filter(bloc_year=c.bloc_year, board=board).first()
    return c


def make_export(user, board, period: str):
    """A finished Excel export of the board's report by the staff member (the task and download pages show one)."""
    from reports.services import downloads

    run = downloads.report_export_enqueue(user=user, scope=f"board:{board.code}", period=period)
    return downloads.report_export_run(task_run_id=run.pk)


def demo_users(board) -> dict:
    from emulation import demo_data as emulation_demo
    from kcn_portal.core.models import User

    names = {"S": f"{board.code.lower()}.staff", "L": f"{board.code.lower()}.lead"}
    names |= {"B": emulation_demo.leader_login(), "M": "ministry"}
    return {role: User.objects.get(username=name) for role, name in names.items()}


def bench_users(board) -> dict:
    """bench-pages-staff, -leader, -bloc (the leader of another board of the bloc), -ministry."""
    from kcn_portal.core.models import User
    from zones.enums import MembershipRole
    from zones.models import Board, Membership

    mate = Board.objects.filter(bloc_code=board.bloc_code).exclude(pk=board.pk).order_by("code").first() or board
    plan = {"S": ("staff", board, MembershipRole.STAFF), "L": ("leader", board, MembershipRole.LEADER)}
    plan |= {"B": ("bloc", mate, MembershipRole.LEADER), "M": ("ministry", None, None)}
    users = {}
    for role, (suffix, member_of, membership) in plan.items():
        user, _created = User.objects.get_or_create(username=f"{USER_PREFIX}{suffix}")
        user.is_ministry, user.is_active = role == "M", True
        user.save()
        Membership.objects.filter(user=user).delete()
        if member_of is not None:
            Membership.objects.create(user=user, board=member_of, role=membership)
        users[role] = user
    return users


def remove_bench_users() -> None:
    """What the bench-pages-… users left on a database that is kept: their exports, audit records, sessions."""
    from django.contrib.sessions.models import Session

    from kcn_portal.core.models import AuditRecord, TaskRun, User
    from zones.models import Membership

    users = list(User.objects.filter(username__startswith=USER_PREFIX))
    ids = {user.pk for user in users}
    TaskRun.objects.filter(created_by__in=ids).delete()
    AuditRecord.objects.filter(actor__in=ids).delete()
    mine = [s.pk for s in Session.objects.all() if int(s.get_decoded().get("_auth_user_id", 0)) in ids]
    Session.objects.filter(pk__in=mine).delete()
    Membership.objects.filter(user__in=ids).delete()
    User.objects.filter(pk__in=ids).delete()


# --- measuring ------------------------------------------------------------------------------------------------


def _request(client, url: str, *, count: bool) -> tuple[int, float, int | None]:
    """Status, milliseconds and (when `count`) SQL statements of one GET, inside a transaction rolled back."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic():
        if count:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                if getattr(response, "streaming", False):
                    b"".join(response.streaming_content)
                ms = (time.perf_counter() - started) * 1000
            queries = sum(1 for q in captured.captured_queries if "SAVEPOINT" not in q["sql"][:30])
        else:
            started = time.perf_counter()
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            ms, queries = (time.perf_counter() - started) * 1000, None
        transaction.set_rollback(True)
    return response.status_code, ms, queries


def urls(context: Context) -> tuple[list[dict], list[dict]]:
    """(name, role, url, expected status) of every route and role; and the routes skipped, with the reason."""
    from django.urls import reverse

    planned, skipped = [], []
    for name, route in ROUTES.items():
        roles = route.roles
        if set(getattr(route.kwargs, "needs", ())) & context.elsewhere:
            roles = "M" if "M" in roles else ""
        for role in roles:
            kwargs = route.kwargs(context, role)
            if kwargs is None:
                skipped.append({"route": name, "role": ROLE_NAMES[role], "reason": "no such object in the data"})
                continue
            query = route.query(context, role)
            url = reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")
            planned.append({"route": name, "role": role, "url": url, "expected": route.status})
    return planned, skipped


def kind_of(route: str) -> str:
    return "download" if route in DOWNLOADS else "api" if route.startswith("api:") else "page"


def measure(context: Context, repeat: int, out=print) -> tuple[list[dict], list[dict]]:
    """Every planned URL: warm-up (SQL counted), then `repeat` timed runs; the median is kept."""
    from django.test import Client

    clients = {}
    for role, user in context.users.items():
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(user)
    planned, skipped = urls(context)
    rows = []
    for index, item in enumerate(planned, 1):
        client = clients[item["role"]]
        status, _ms, queries = _request(client, item["url"], count=True)
        runs = [_request(client, item["url"], count=False)[1] for _ in range(repeat)]
        ok = status in (200, 302) if item["expected"] == 0 else status == item["expected"]
        rows.append(
            {
                "route": item["route"],
                "role": ROLE_NAMES[item["role"]],
                "url": item["url"],
                "status": status,
                "expected": "200 or 302" if item["expected"] == 0 else item["expected"],
                "answered": ok,
                "kind": "download"
                if item["route"] in DOWNLOADS
                else "api"
                if item["route"].startswith("api:")
                else "page",
                "median_ms": round(statistics.median(runs), 1),
                "runs_ms": [round(ms, 1) for ms in runs],
                "queries": queries,
            }
        )
        if index % 25 == 0:
            out(f"  {index} of {len(planned)} URLs")
    return rows, skipped


def print_table(rows: list[dict], title: str) -> None:
    print(title)
    table = [("ms (median)", "runs", "SQL", "status", "kind", "role", "route", "url")]
    table += [
        (
            f"{row['median_ms']:.0f}",
            " ".join(f"{ms:.0f}" for ms in row["runs_ms"]),
            str(row["queries"]),
            str(row["status"]),
            row["kind"],
            row["role"],
            row["route"],
            row["url"],
        )
        for row in rows
    ]
    print_rows(table, rule=True)


# --- the run ---------------------------------------------------------------------------------------------------


def prepare_demo(args, tmp: Path) -> str:
    url = f"sqlite:///{tmp / 'demo.sqlite3'}"
    if args.demo_file:
        shutil.copyfile(args.demo_file, tmp / "demo.sqlite3")
    national.setup_django(url)
    if not args.demo_file:
        from django.core.management import call_command

        print(f"Seeding the demo into {tmp / 'demo.sqlite3'} (a few minutes) …")
        started = time.perf_counter()
        call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115 - closed at exit
        print(f"  seeded in {time.perf_counter() - started:.0f} s")
    return url


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo-file", help="a seeded demo database (SQLite) to copy instead of seeding one")
    parser.add_argument("--database-url", help="the national bench data (bench.national) instead of the demo")
    parser.add_argument("--scale", type=float, default=1.0, help="scale of the national data (with --database-url)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per URL (the median is kept)")
    parser.add_argument("--slowest", type=int, default=10, help="how many of the slowest pages to print")
    parser.add_argument("--keep", action="store_true", help="keep the temporary demo database (its path is printed)")
    parser.add_argument("--no-results", action="store_true", help="do not write bench/results.json")
    args = parser.parse_args(argv)
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404s of a missing object: in the table

    tmp = Path(tempfile.mkdtemp(prefix="kcn-bench-pages-"))
    data = "national" if args.database_url else "demo"
    try:
        if args.database_url:
            url = national.database_url(args.database_url, args.scale)
            national.setup_django(url)
            if national.marker() is None:
                raise SystemExit(f"no national data in {url}: run python -m bench.national first")
        else:
            url = prepare_demo(args, tmp)
        from django.db import connection
        from django.db.models import Count

        board = largest_board()
        users = bench_users(board) if args.database_url else demo_users(board)
        projects = board.zones.aggregate(n=Count("projects"))["n"]
        context = build_context(board, users)
        if context.export is None:
            context.export = make_export(users["S"], board, context.report_year)
        print(
            f"Pages of the portal on the {data} data ({connection.vendor}): board {board.code}, {projects:,} projects, "
            f"quarter {context.quarter}, year {context.report_year}; {args.repeat} timed runs per URL …"
        )
        rows, skipped = measure(context, args.repeat)
        if args.database_url:
            remove_bench_users()
    finally:
        if args.keep:
            print(f"The database is kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    answered = [row for row in rows if row["answered"]]
    pages = [row for row in answered if row["kind"] != "download"]
    files = [row for row in answered if row["kind"] == "download"]
    slowest = sorted(pages, key=lambda row: -row["median_ms"])[: args.slowest]
    over = [row for row in pages if row["median_ms"] >= TARGET_MS]
    slow_files = [row for row in files if row["median_ms"] >= TARGET_MS]
    wrong = [row for row in rows if not row["answered"]]
    title = (
        f"\nThe {len(slowest)} slowest of {len(pages)} pages and API answers (server time, median of {args.repeat}):"
    )
    print_table(slowest, title)
    print_table(sorted(files, key=lambda row: -row["median_ms"]), "\nFile downloads (not pages: no target):")
    if wrong:
        print_table(wrong, "\nURLs that did not answer as expected (left out of the figures):")
    for item in skipped:
        print(f"  skipped: {item['route']} as {item['role']} ({item['reason']})")
    print(
        f"\n{len(over)} of {len(pages)} pages and API answers at or over {TARGET_MS} ms (target: every page under "
        f"{TARGET_MS} ms); {len(slow_files)} of {len(files)} file downloads over it."
    )
    if not args.no_results:
        results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
        results["pages"] = {
            "measured_on": datetime.date.today().isoformat(),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}",
            "data": data,
            "database": connection.vendor,
            "board": board.code,
            "board_projects": projects,
            "quarter": context.quarter,
            "repeat": args.repeat,
            "target_ms": TARGET_MS,
            "pages": len(pages),
            "over_target": len(over),
            "downloads": len(files),
            "downloads_over_target": len(slow_files),
            "slowest": slowest,
            "not_answered": wrong,
            "skipped": skipped,
            "all": sorted(rows, key=lambda row: -row["median_ms"]),
        }
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return 1 if any(row["status"] >= 500 for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
