"""The permission matrix (issue 6, "Hostile users"): every URL pattern of the project, asked by every role.

ROUTES maps each URL name to the kwargs built from the dataset of conftest.py and to who may read
(`get`) and who may write (`write`) there, as letters of the role categories below; everybody else is
refused. A pattern without an entry fails `test_every_url_pattern_is_in_the_matrix`, so a route added
later without a matrix entry breaks the build. Routes of a board's object are asked for Hà Nam's
object by everyone and for Thái Bình's twin by Hà Nam's users: a board user asking for another
board's object gets 404, and no 200 a board user reads carries another board's secrets.

Categories: S the board's staff, L its leaders, O a board user asking for another board's object,
B the bloc leader (Nam Định's leader, leading DBSH 2025; for a board's object, another board too),
M the ministry. Administrators may do everything (no 403/404 on existing objects) unless a route
says otherwise; anonymous users are sent to the login page (pages) or get 401/403 (API).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.template.base import Template
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from investment.models import ExchangeRate
from kcn_portal.core.models import AuditRecord

from .conftest import ROLES

ALL = "SLOBM"  # every signed-in user
MEMBERS = "SLM"  # the board's own people and the ministry (administrators are always added)


def _none(w, b):
    return {}


@dataclass(frozen=True)
class Route:
    kwargs: Callable = _none
    get: str = ""  # categories that read it (GET answers 200, or `get_status`)
    write: str = ""  # categories whose POST/PATCH/DELETE are accepted (anything but 401/403/404/405)
    board: bool = False  # the kwargs name one board's object: asked for HNA's and for TBH's
    api: bool = False
    seen: str | None = None  # categories that may know the object exists (default get + write): others get 404
    query: Callable = _none  # query string the route needs to reach its object
    data: Callable = _none  # the smallest POST body that reaches the permission check
    get_status: int = 200
    admin: bool = True  # administrators read and write it


def page(kwargs=_none, **rules):
    return Route(kwargs, **rules)


def api(kwargs=_none, **rules):
    return Route(kwargs, api=True, **rules)


def code(w, b):
    return {"code": b.board.code}


def year(w, b=None, **extra):
    return {"code": "DBSH", "year": 2025, **extra}


def round_(w, b=None, **extra):
    return year(w, kind="year_end", **extra)


def card(w, b, **extra):
    return round_(w, board=b.board.code, **extra)


def scope(w, b, **extra):
    return {"scope": f"board:{b.board.code}", "period": "2019", **extra}


def period(name, value):
    return lambda w, b: {name: b.board.code, "period": value}


def pk(attribute, **extra):
    return lambda w, b: {"pk": getattr(b, attribute).pk, **extra}


def project(w, b):
    return {"code": b.project.code}


def events(w, b):
    return {"project_code": b.project.code}


def event(w, b):
    return {"project_code": b.project.code, "pk": b.adjust.pk}


def registration(w, b):
    return year(w, board=b.board.code)


ROUTES: dict[str, Route] = {
    # --- core (login, logout and set_language are PUBLIC below) -----------------------------------
    "login": page(),
    "logout": page(),
    "set_language": page(),
    "home": page(get=ALL),
    "healthz": page(),  # PUBLIC below
    "readyz": page(),
    "ops_status": page(),  # administrators only (web/health.py)
    "workbook_upload": page(get="S", write="S"),
    # Everyone signed in exports the boards they read (a board they don't read is a 404, tested elsewhere).
    "workbook_export": page(board=True, get=ALL, write=MEMBERS, seen=ALL, data=lambda w, b: {"board": b.board.code}),
    # Only a finished workbook export is a download: a report export's job is a 404 even for its creator.
    "workbook_export_download": page(pk("export"), board=True, admin=False),
    "workbook_template": page(get=ALL),
    # A background job is its creator's (Hà Nam's staff member here): anybody else gets 404.
    "task_detail": page(pk("export"), board=True, get="S", seen="S"),
    "task_status": page(pk("export"), board=True, get="S", seen="S"),
    "task_commit": page(pk("export"), board=True, write="S", seen="S"),
    # --- zones ------------------------------------------------------------------------------------
    "zones:board_list": page(get=ALL),
    "zones:board_detail": page(code, board=True, get=MEMBERS),
    "zones:zone_list": page(get=ALL),
    "zones:zone_create": page(get="S", write="S"),
    "zones:zone_detail": page(pk("zone"), board=True, get=MEMBERS),
    "zones:zone_update": page(pk("zone"), board=True, get="S", write="S", seen=MEMBERS),
    # --- investment -------------------------------------------------------------------------------
    "investment:project_list": page(get=ALL),
    "investment:project_export": page(get=ALL),
    "investment:project_create": page(get="S", write="S"),
    "investment:project_detail": page(project, board=True, get=MEMBERS),
    "investment:project_update": page(project, board=True, get="S", write="S", seen=MEMBERS),
    "investment:event_adjust": page(project, board=True, get="S", write="S", seen=MEMBERS),
    "investment:event_terminate": page(project, board=True, get="S", write="S", seen=MEMBERS),
    # The event lies in the approved 2019-H1: the form sends its staff to propose a correction instead.
    "investment:event_correct": page(pk("adjust"), board=True, get="S", write="S", seen=MEMBERS, get_status=302),
    "enterprise:report_edit": page(
        lambda w, b: {"code": b.project.code, "period": "2019-Q3"}, board=True, get=MEMBERS, write="S"
    ),
    "enterprise:completeness": page(code, board=True, get=MEMBERS),
    "enterprise:quarter_grid": page(period("code", "2019-Q3"), board=True, get=MEMBERS, write="S"),
    "enterprise:missing": page(period("code", "2019-Q3"), board=True, get=MEMBERS),
    "enterprise:exchange_rate_list": page(get=ALL),
    # --- reports ----------------------------------------------------------------------------------
    "report_exports:export_create": page(scope, board=True, write=MEMBERS),
    "report_exports:export_download": page(pk("export"), board=True, get="S", seen="S"),
    "reports:report_index": page(get=ALL),
    "reports:indicator_list": page(get=ALL),
    "reports:deadlines": page(get=ALL),
    "reports:approval_list": page(get=ALL),
    "reports:approval_detail": page(period("board", "2019-H1"), board=True, get=MEMBERS),
    "reports:period_approve": page(period("board", "2019-Q3"), board=True, write="L", seen=MEMBERS),
    "reports:reopen_request": page(period("board", "2019-H1"), board=True, write="S", seen=MEMBERS),
    "reports:reopen_decide": page(pk("reopen", action="grant"), board=True, write="L", seen=MEMBERS),
    "reports:correction_list": page(get=ALL),
    "reports:correction_create": page(pk("adjust"), board=True, get="S", write="S", seen=MEMBERS),
    "reports:correction_detail": page(pk("correction"), board=True, get=MEMBERS),
    "reports:correction_file": page(pk("correction"), board=True, get=MEMBERS),
    "reports:correction_decide": page(pk("correction", action="approve"), board=True, write="L", seen=MEMBERS),
    "reports:report_detail": page(scope, board=True, get=MEMBERS),
    "reports:report_build": page(scope, board=True, write=MEMBERS),
    "reports:report_accept": page(scope, board=True, write="M", seen=MEMBERS),
    "reports:report_compare": page(scope, board=True, get=MEMBERS, query=lambda w, b: {"a": 1, "b": 1}),
    "reports:report_drilldown": page(lambda w, b: scope(w, b, code="new_projects"), board=True, get=MEMBERS),
    "plans:plan_list": page(get=ALL),
    "plans:plan_edit": page(lambda w, b: {"code": b.board.code, "year": 2019}, board=True, get=MEMBERS, write="L"),
    # --- emulation: movements are public, so a refusal there is 403, not 404 --------------------------
    "emulation:movement_list": page(get=ALL),
    "emulation:movement_create": page(get="SM", write="SM"),
    "emulation:movement_detail": page(pk("movement"), board=True, get=ALL),
    "emulation:movement_edit": page(pk("movement"), board=True, get="SM", write="SM", seen=ALL),
    "emulation:movement_advance": page(pk("movement"), board=True, write="SM", seen=ALL),
    "emulation:movement_attach": page(pk("movement"), board=True, write="SM", seen=ALL),
    "emulation:movement_attachment": page(pk("attachment"), board=True, get=ALL),
    "emulation:movement_attachment_delete": page(pk("attachment"), board=True, write="SM", seen=ALL),
    "emulation:award_list": page(get=ALL),
    "emulation:award_create": page(get="SM", write="SM"),
    "emulation:award_detail": page(pk("decision"), board=True, get=MEMBERS),
    "emulation:award_edit": page(pk("decision"), board=True, get="SM", write="SM", seen=MEMBERS),
    "emulation:recipient_detail": page(pk("recipient"), board=True, get=MEMBERS),
    "emulation:title_list": page(get=ALL),
    "emulation:award_statistics": page(lambda w, b: {"year": 2024}, get=ALL),
    # --- emulation: the bloc year DBSH 2025, whose members are all four boards --------------------------
    "emulation:score_sheet": page(round_, get="BM"),  # before publication: the year's managers and the ministry
    "emulation:blocyear_list": page(get=ALL),
    "emulation:blocyear_detail": page(year, get=ALL),
    "emulation:blocyear_edit": page(year, get="M", write="M"),
    "emulation:table_detail": page(year, get=ALL, write="B", data=lambda w, b: {"action": "group"}),
    "emulation:registration_list": page(year, get=ALL),
    "emulation:registration_edit": page(registration, board=True, get="SLBM", write="S"),
    "emulation:registration_submit": page(registration, board=True, write="L", seen="SLBM"),
    "emulation:year_conclude": page(year, get="B", write="B"),
    "emulation:round_edit": page(round_, get="B", write="B"),
    "emulation:round_open": page(round_, write="B"),
    "emulation:round_detail": page(round_, get=ALL),
    "emulation:round_close": page(round_, write="B"),
    "emulation:round_publish": page(round_, write="B"),
    # Before publication a member sees only its own card; the bloc leader reviews both boards' cards.
    "emulation:scorecard_detail": page(card, board=True, get="SLBM", write="S"),
    "emulation:scorecard_submit": page(card, board=True, write="L", seen="SLBM"),
    "emulation:scorecard_review": page(card, board=True, write="B", seen="SLBM"),
    "emulation:scorecard_return": page(card, board=True, write="B", seen="SLBM"),
    "emulation:evidence_add": page(
        card, board=True, write="S", seen="SLBM", data=lambda w, b: {"score": b.evidence.score_id}
    ),
    "emulation:evidence_download": page(lambda w, b: card(w, b, pk=b.evidence.pk), board=True, get="SLBM"),
    "emulation:evidence_delete": page(lambda w, b: card(w, b, pk=b.evidence.pk), board=True, write="S", seen="SLBM"),
    # --- API (the token is PUBLIC below) --------------------------------------------------------------
    "api:api-root": api(get=ALL),
    "api:token": api(),
    "api:schema": api(get=ALL),  # signed-in users only (issue 19): anonymous users get 401
    "api:docs": api(get=ALL),
    "api:indicator-list": api(get=ALL),
    "api:report": api(scope, board=True, get=MEMBERS),
    "api:report-versions": api(scope, board=True, get=MEMBERS),
    "api:report-build": api(scope, board=True, write=MEMBERS),
    # Accepting is the ministry's act: the API refuses everybody else with 403 before reading the scope, the
    # same answer for their own board's scope and another's (nothing about the other board is told).
    "api:report-accept": api(scope, board=True, write="M", seen=ALL),
    "api:report-restated": api(scope, board=True, get=MEMBERS),
    "api:board-list": api(get=ALL),  # creating a board: administrators only
    "api:board-detail": api(code, board=True, get=MEMBERS),
    "api:zone-list": api(get=ALL, write="S"),
    "api:zone-detail": api(pk("zone"), board=True, get=MEMBERS, write="S"),
    "api:project-list": api(get=ALL, write="S"),
    "api:project-detail": api(project, board=True, get=MEMBERS, write="S"),
    "api:project-event-list": api(events, board=True, get=MEMBERS, write="S"),
    "api:project-event-detail": api(event, board=True, get=MEMBERS),
    "api:project-event-corrections": api(event, board=True, write="S", seen=MEMBERS),
    "api:enterprise-report-list": api(get=ALL, write="S"),
    "api:enterprise-report-detail": api(pk("enterprise_report"), board=True, get=MEMBERS, write="S"),
    "api:exchange-rate-list": api(get=ALL),
    "api:exchange-rate-detail": api(lambda w, b: {"pk": ExchangeRate.objects.order_by("pk").first().pk}, get=ALL),
    "api:bloc-years-list": api(get=ALL),
    "api:bloc-year-detail": api(year, get=ALL),
    "api:bloc-year-table": api(year, get=ALL),
    "api:round-detail": api(round_, get=ALL),
    "api:round-close": api(round_, write="B"),
    "api:round-publish": api(round_, write="B"),
    # The round is open: there is no frozen ranking yet, for anybody (administrators included).
    "api:round-ranking": api(round_, admin=False),
    "api:scorecard-list": api(round_, get=ALL),
    "api:scorecard-detail": api(card, board=True, get="SLBM"),
    "api:scorecard-return-card": api(card, board=True, write="B", seen="SLBM"),
    "api:scorecard-review": api(card, board=True, write="B", seen="SLBM"),
    "api:scorecard-self-score": api(card, board=True, write="S", seen="SLBM"),
    "api:scorecard-submit": api(card, board=True, write="L", seen="SLBM"),
    "api:registration-list": api(year, get=ALL),
    "api:registration-detail": api(registration, board=True, get="SLBM"),
    "api:registration-submit": api(registration, board=True, write="L", seen="SLBM"),
    "api:movement-list": api(get=ALL, write="SM"),
    "api:movement-detail": api(pk("movement"), board=True, get=ALL, write="SM"),
    "api:movement-advance": api(pk("movement"), board=True, write="SM", seen=ALL),
    "api:award-decision-list": api(get=ALL, write="SM"),
    "api:award-decision-detail": api(pk("decision"), board=True, get=MEMBERS),
    "api:award-title-list": api(get=ALL),
    "api:award-title-detail": api(lambda w, b: {"code": w.title.code}, get=ALL),
    "api:award-title-eligibility": api(
        lambda w, b: {"code": w.title.code},
        board=True,
        get=MEMBERS,
        query=lambda w, b: {"recipient": b.recipient.pk, "year": 2025},
    ),
    "api:board-approval-list": api(code, board=True, get=MEMBERS, write="L"),
    "api:board-approval-detail": api(period("code", "2019-H1"), board=True, get=MEMBERS),
    "api:data-issue-list": api(code, board=True, get=MEMBERS, query=lambda w, b: {"period": "2019-H1"}),
    "api:reopen-request-list": api(write="S"),
    "api:reopen-request-detail": api(pk("reopen"), board=True, get=MEMBERS),
    "api:reopen-request-close": api(pk("reopen"), board=True, write="L", seen=MEMBERS),
    "api:reopen-request-grant": api(pk("reopen"), board=True, write="L", seen=MEMBERS),
    "api:reopen-request-refuse": api(pk("reopen"), board=True, write="L", seen=MEMBERS),
    "api:correction-list": api(get=ALL, write="S"),
    "api:correction-detail": api(pk("correction"), board=True, get=MEMBERS),
    "api:correction-approve": api(pk("correction"), board=True, write="L", seen=MEMBERS),
    "api:correction-reject": api(pk("correction"), board=True, write="L", seen=MEMBERS),
}

# Routes anybody may use, signed in or not: (statuses for anonymous users, statuses for signed-in users).
PUBLIC = {
    "login": ({200}, {302}),  # a signed-in user is sent home
    "healthz": ({200}, {200}),  # liveness and readiness for the proxy and monitoring: no data, no secret
    "readyz": ({200}, {200}),
    "logout": ({302}, {302}),
    "set_language": ({302}, {302}),
    "api:token": ({400}, {400}),  # no credentials in the empty body
}

# Real holes the matrix found are fixed (a board page's 500 on a registration's audit record, the API build's
# 403 for another board's report, a bloc drill-down listing other members' projects); a new one goes here:
# {(route name, role): reason}, each expected to fail (strict) until the app is fixed.
HOLES: dict[tuple[str, str], str] = {}

BOARD_USERS = ("hna_staff", "hna_leader", "tbh_staff", "tbh_leader", "bloc_leader")


@functools.cache
def _patterns():
    """(namespace:name, pattern) of every named pattern of the project, the admin's left out (tested as a whole)."""

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                if inner != "admin":
                    yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern

    return list(walk(get_resolver().url_patterns, ""))


def methods_of(name: str) -> tuple[str, ...]:
    """The methods among GET, POST, PATCH, DELETE the route's view answers (the others are 405 by construction)."""
    callback = dict(_patterns())[name].callback
    if getattr(callback, "actions", None):  # a DRF viewset bound to the router's method → action map
        accepted = {method.upper() for method in callback.actions}
    elif getattr(callback, "view_class", None) or getattr(callback, "cls", None):
        view = getattr(callback, "view_class", None) or callback.cls
        accepted = {m.upper() for m in view.http_method_names if hasattr(view, m)}
    else:  # a function view (set_language, the token view's wrapper)
        accepted = {"GET", "POST"}
    return tuple(m for m in ("GET", "POST", "PATCH", "DELETE") if m in accepted)


def category(name: str, role: str, owner: str) -> str:
    """The role's letter for this request (see the module docstring); "anonymous" and "admin" as they are."""
    if role in ("anonymous", "admin"):
        return role
    if role in ("ministry", "bloc_leader"):
        return role[0].upper()
    if ROUTES[name].board and owner != role[:3].upper():
        return "O"
    return "S" if role.endswith("staff") else "L"


def verdict(name: str, role: str, owner: str, method: str, status: int, location: str, url: str, wrote: bool):
    """None when the answer follows the matrix, else what was expected."""
    route, who = ROUTES[name], category(name, role, owner)
    if status >= 500:
        return "never a 5xx"
    if name in PUBLIC:
        expected = PUBLIC[name][0 if role == "anonymous" else 1]
        return None if status in expected else f"one of {sorted(expected)}"
    if role == "anonymous":
        if route.api:
            return None if status in (401, 403) else "401 or 403"
        return None if (status, location) == (302, redirect_to_login(url).url) else "302 to the login page"
    allowed = route.get if method == "GET" else route.write
    if (role == "admin" and route.admin) or who in allowed:
        if method == "GET":
            return None if status == route.get_status else str(route.get_status)
        return None if status not in (401, 403, 404, 405) else "accepted (not 401/403/404/405)"
    seen = route.seen if route.seen is not None else (route.get + route.write if route.board else ALL)
    if who not in seen and role != "admin":  # an administrator sees everything, even where he may not act
        return None if status == 404 else "404 (not the user's object)"
    if method == "GET":
        return None if status in (403, 404) else "403 or 404"
    # Refused: 403/404/405 and nothing written. Rights are checked before a form or body is read, so an empty
    # body from someone without the right is a 403, never a 400 or a form shown again.
    refused = status in (403, 404, 405) and not wrote
    return None if refused else "refused (403/404/405, nothing written)"


def targets(world, name, role):
    """(owner code, url): HNA's object for everyone, and Thái Bình's twin for Hà Nam's users too.

    Thái Bình's users asking for Hà Nam's object is the mirror of Hà Nam's users asking for Thái Bình's.
    """
    route = ROUTES[name]
    codes = (("HNA", "TBH") if role.startswith("hna") else ("HNA",)) if route.board else ("",)
    result = []
    for owner in codes:
        board_world = world.boards[owner or "HNA"]
        url = reverse(name, kwargs=route.kwargs(world, board_world))
        query = route.query(world, board_world)
        result.append((owner, f"{url}?{urlencode(query)}" if query else url, route.data(world, board_world)))
    return result


def send(client, method, url, data):
    if method == "GET":
        return client.get(url)
    if method == "POST":
        return client.post(url, data)
    return getattr(client, method.lower())(url, data="{}", content_type="application/json")


def secrets_shown(world, role, response) -> list[str]:
    """Other boards' secrets in a board user's 200 (the bloc leader may read the members' emulation papers)."""
    if role not in BOARD_USERS or response.status_code != 200 or getattr(response, "streaming", False):
        return []
    text = response.content.decode(errors="replace")
    found = []
    for board_code, board_world in world.boards.items():
        if role.startswith(board_code.lower()):
            continue
        kept = board_world.secrets + (() if role == "bloc_leader" else board_world.emulation_secrets)
        found += [secret for secret in kept if secret in text]
    return found


@pytest.fixture(scope="module")
def sessions(matrix_world, django_db_blocker):
    """A session cookie per role, made once for the module (a test's own changes to it are rolled back)."""
    cookies = {}
    with django_db_blocker.unblock():
        for role, user in matrix_world.users.items():
            client = Client()
            client.force_login(user)
            cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


@pytest.fixture(scope="module")
def matrix_client():
    # One client for the module: each new one builds the middleware again, and WhiteNoise scans every static file.
    return Client(raise_request_exception=False)


@pytest.fixture(scope="module", autouse=True)
def _plain_templates():
    # The test runner copies every template context for assertTemplateUsed; thousands of pages do not need it.
    instrumented = Template._render
    Template._render = lambda self, context: self.nodelist.render(context)
    yield
    Template._render = instrumented


def client_for(client, sessions, role) -> Client:
    """The module's client with the role's session cookie and nothing else (messages of earlier tests dropped)."""
    client.cookies.clear()
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
    return client


def _cases():
    for name in ROUTES:
        for role in ROLES:
            hole = HOLES.get((name, role))
            marks = [pytest.mark.xfail(strict=True, reason=hole)] if hole else []
            yield pytest.param(name, role, marks=marks, id=f"{name}-{role}")


@pytest.mark.parametrize(("name", "role"), list(_cases()))
def test_permission_matrix(matrix_world, matrix_client, sessions, db, name, role):
    client, problems = client_for(matrix_client, sessions, role), []
    for owner, url, data in targets(matrix_world, name, role):
        for method in methods_of(name):
            audits = AuditRecord.objects.count() if method != "GET" else 0
            response = send(client, method, url, data)
            wrote = method != "GET" and AuditRecord.objects.count() != audits
            status, location = response.status_code, response.get("Location", "")
            expected = verdict(name, role, owner, method, status, location, url, wrote)
            if expected:
                problems.append(f"{method} {url} as {role}: {status} {location}, expected {expected}")
            if shown := secrets_shown(matrix_world, role, response):
                problems.append(f"{method} {url} as {role}: 200 shows another board's {shown}")
    assert not problems, "\n".join(problems)


def test_every_url_pattern_is_in_the_matrix():
    names = {name for name, _pattern in _patterns()}
    assert sorted(names - set(ROUTES)) == []  # a new route needs its entry in ROUTES
    assert sorted(set(ROUTES) - names) == []  # and a removed one leaves none behind
    assert len(ROUTES) == 150


def admin_urls() -> list[str]:
    """The admin's index and every model's change list."""
    models = [model._meta for model in admin.site._registry]
    return ["/admin/", *(reverse(f"admin:{m.app_label}_{m.model_name}_changelist") for m in models)]


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_site_needs_staff(matrix_world, matrix_client, sessions, db, role):
    client, urls = client_for(matrix_client, sessions, role), admin_urls()
    assert {"/admin/zones/zone/", "/admin/investment/project/", "/admin/reports/correction/"} < set(urls)
    for url in urls:
        response = client.get(url)
        answer = (response.status_code, response.get("Location", ""))
        expected = (200, "") if role == "admin" else (302, f"/admin/login/?next={url}")
        assert answer == expected, f"GET {url} as {role}: {answer}, expected {expected}"


# --- the bloc's and the nation's reports: scopes above one board ---------------------------------------

SUMMARIES = {
    "reports:report_detail": "/reports/{scope}/2019/",
    "reports:report_drilldown": "/reports/{scope}/2019/indicators/new_projects/",
    "api:report": "/api/v1/reports/{scope}/2019/",
}


def _summary_cases():
    for name in SUMMARIES:
        for scope_code in ("bloc:DBSH", "national"):
            for role in ROLES:
                yield pytest.param(name, scope_code, role, id=f"{name}-{scope_code}-{role}")


@pytest.mark.parametrize(("name", "scope_code", "role"), list(_summary_cases()))
def test_bloc_and_national_summaries(matrix_world, matrix_client, sessions, db, name, scope_code, role):
    """Every member reads its bloc's summary, only the ministry and administrators the nation's; no member's
    records show through to another member."""
    url = SUMMARIES[name].format(scope=scope_code)
    response = client_for(matrix_client, sessions, role).get(url)
    if role == "anonymous":
        expected = 401 if name.startswith("api:") else 302
    else:
        expected = 404 if scope_code == "national" and role in BOARD_USERS else 200
    assert response.status_code == expected, f"GET {url} as {role}: {response.status_code}, expected {expected}"
    assert secrets_shown(matrix_world, role, response) == [], f"GET {url} as {role} shows another board's records"
