"""Schemathesis against the OpenAPI schema as each role (issue 6, hostile users).

The schema is loaded from the WSGI application itself (`/api/v1/schema/`). Every GET operation is called
as Hà Nam's staff, Thái Bình's staff, a ministry official and an administrator (token auth) with a few
derandomized examples: fully generated ones, and ones whose path parameters name the seeded objects of
both boards. The write operations run for Hà Nam's staff with fewer examples. Every response must not be
a server error and must match its documented schema; a board user's responses never carry the other
board's codes or names unless the request itself named them (a 404 may echo the URL). The integer filters
of the collections are also tried at their limits. The gaps this found (a read schema without the blank
termination ground, 500s for out-of-range year and id filters) are fixed and pinned by the tests below.
"""

import datetime
import traceback
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import unquote

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from investment.models import EnterpriseReport, LicenceEvent
from investment.services import enterprise_reports as enterprise_report_services
from investment.services import licences as licence_services
from kcn_portal.periods import parse
from reports.services import approval as approval_services
from reports.services import builds
from tests.factories import make_project
from zones.models import Zone

HNA_CODE, TBH_CODE = "5421000001", "5421000003"
# What only the other board's records hold (codes, names): a board user must never receive them.
MARKERS = {
    "hna_staff": ("TBH", TBH_CODE, "Thái Bình", "ZQX"),
    "tbh_staff": ("HNA", HNA_CODE, "Hà Nam", "Đồng Văn"),
}
GET_EXAMPLES, KNOWN_EXAMPLES, WRITE_EXAMPLES = 10, 4, 5
FUZZ = settings(
    derandomize=True,  # the same examples on every run and machine
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # a failure is reported as found; shrinking would only cost time
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def api_schema(django_db_setup, django_db_blocker):
    from kcn_portal.wsgi import application

    # The schema is for signed-in users: a reader with a token is made for the load and removed after it.
    with django_db_blocker.unblock():
        reader = get_user_model().objects.create_user("schema-reader")
        try:
            token = Token.objects.create(user=reader)
            schema = schemathesis.openapi.from_wsgi(
                "/api/v1/schema/?format=json", application, headers={"Authorization": f"Token {token.key}"}
            )
        finally:
            reader.delete()
    return schema


@pytest.fixture
def same_examples_every_run(monkeypatch):
    """Hypothesis mixes constants read from the project's loaded modules into its examples; they change
    with every edit of the app and with the tests run before, so derandomized runs would still differ."""
    from hypothesis.internal.conjecture import providers

    monkeypatch.setattr(providers, "_get_local_constants", providers.Constants, raising=False)
    if hasattr(providers, "CONSTANTS_CACHE"):
        providers.CONSTANTS_CACHE.cache.clear()


@pytest.fixture
def in_process(db, same_examples_every_run):
    """Django's test client keeps the test's connection open between requests; so must the WSGI calls here.
    An exception inside a view is recorded (request and error) to explain the 500 it becomes."""
    errors = []

    def record(sender, request=None, **kwargs):
        errors.append(f"{request.method} {request.get_full_path()}: {traceback.format_exc().strip().splitlines()[-1]}")

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    got_request_exception.connect(record)
    yield errors
    got_request_exception.disconnect(record)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(hna, tbh, hna_zone, tbh_zone, hna_staff, tbh_staff):
    """Both boards with a project each (issued, adjusted), a quarter's report, built reports, an approval."""
    hna_project = make_project(hna_zone, HNA_CODE)
    investors = [{"name": "ZQX Holdings", "country": "JP", "share_pct": Decimal("100")}]
    tbh_project = make_project(tbh_zone, TBH_CODE, project_name="Nhà máy ZQX Thái Bình", investors=investors)
    for project in (hna_project, tbh_project):
        licence_services.licence_adjust(
            user=None,
            project=project,
            certificate_no=f"{project.code}-DC1",
            event_date=datetime.date(2019, 6, 1),
            capital_vnd=1_383 * 10**9,
            capital_usd=Decimal("60000000.00"),
        )
        enterprise_report_services.enterprise_report_save(user=None, project=project, year=2019, quarter=1,
                                                          revenue_vnd=10**10, employees=100)  # fmt: skip
    builds.report_build(period=parse("2019"))
    builds.report_build(period=parse("2019-Q1"))
    approval_services.period_approve(user=None, board=tbh, period="2019-Q1")
    return {"hna": hna_project, "tbh": tbh_project}


def _known_path_parameters(seeded, sides=("hna", "tbh")):
    """Path parameters naming real objects of the boards of `sides`, by operation path."""
    found = {}
    for project in (seeded[side] for side in sides):
        board = project.zone.board.code
        event = LicenceEvent.objects.get(project=project, kind="adjust")
        report = EnterpriseReport.objects.get(project=project)
        zone = Zone.objects.get(board__code=board)
        for path, params in {
            "/api/v1/boards/{code}/": {"code": board},
            "/api/v1/boards/{code}/approvals/": {"code": board},
            "/api/v1/boards/{code}/approvals/{period}/": {"code": board, "period": "2019-Q1"},
            "/api/v1/boards/{code}/data-issues/": {"code": board},
            "/api/v1/projects/{code}/": {"code": project.code},
            "/api/v1/projects/{project_code}/events/": {"project_code": project.code},
            "/api/v1/projects/{project_code}/events/{id}/": {"project_code": project.code, "id": event.pk},
            "/api/v1/projects/{project_code}/events/{id}/corrections/": {"project_code": project.code, "id": event.pk},
            "/api/v1/enterprise-reports/{id}/": {"id": report.pk},
            "/api/v1/zones/{id}/": {"id": zone.pk},
            "/api/v1/reports/{scope}/{period}/": {"scope": f"board:{board}", "period": "2019"},
            "/api/v1/reports/{scope}/{period}/versions/": {"scope": f"board:{board}", "period": "2019"},
            "/api/v1/reports/{scope}/{period}/restated/": {"scope": f"board:{board}", "period": "2019"},
            "/api/v1/reports/{scope}/{period}/build/": {"scope": f"board:{board}", "period": "2019-Q1"},
        }.items():
            found.setdefault(path, []).append(params)
    for path in ("/api/v1/reports/{scope}/{period}/", "/api/v1/reports/{scope}/{period}/versions/"):
        found[path] += [{"scope": "national", "period": "2019"}, {"scope": "bloc:DBSH", "period": "2019"}]
    return found


def no_data_of_another_board(markers):
    """A schemathesis check: the response holds none of `markers` that the request did not send itself."""

    def check(ctx, response, case):
        request = response.request
        body = request.body.decode(errors="replace") if isinstance(request.body, bytes) else request.body or ""
        sent = unquote(request.url) + body
        leaked = [marker for marker in markers if marker in response.text and marker not in sent]
        assert not leaked, f"the response carries another board's data: {leaked}"

    return check


def _run_examples(strategy, count, checks, answered: set) -> None:
    """Call and check `count` generated cases; the statuses answered go into `answered`."""

    @settings(FUZZ, max_examples=count)
    @given(case=strategy)
    def run(case):
        answered.add(case.call_and_validate(checks=checks).status_code)

    run()


def _fuzz(api_schema, user, *, methods, examples, known, markers):
    """Call each operation of `methods` as `user`. Returns the failures as readable text (empty when all
    passed) and the statuses answered, by (method, path, path parameters given)."""
    headers = {"Authorization": f"Token {Token.objects.create(user=user).key}"}
    checks = [not_a_server_error, response_schema_conformance]
    if markers:
        checks.append(no_data_of_another_board(markers))
    failures, statuses = [], {}
    for result in api_schema.get_all_operations():
        operation = result.ok()
        method = operation.method.upper()
        if method not in methods:
            continue
        variants = [({}, examples)] + [(params, KNOWN_EXAMPLES) for params in known.get(operation.path, [])]
        for params, count in variants:
            strategy = operation.as_strategy(path_parameters=params, headers=headers)
            answered = statuses.setdefault((method, operation.path, *params.values()), set())
            try:
                _run_examples(strategy, count, checks, answered)
            except (Exception, BaseExceptionGroup) as exc:  # schemathesis' FailureGroup is a BaseExceptionGroup
                failures.append(f"{method} {operation.path} {params}: {exc}")
    return failures, statuses


@pytest.mark.parametrize(
    ("role", "hna_project", "tbh_project"),
    [("hna_staff", {200}, {404}), ("tbh_staff", {404}, {200}), ("ministry_user", {200}, {200}),
     ("admin_user", {200}, {200})],
)  # fmt: skip
def test_every_get_operation_as_each_role(request, api_schema, in_process, seeded, role, hna_project, tbh_project):
    user = request.getfixturevalue(role)
    known = _known_path_parameters(seeded)
    failures, statuses = _fuzz(api_schema, user, methods={"GET"}, examples=GET_EXAMPLES, known=known,
                               markers=MARKERS.get(role))  # fmt: skip
    assert (failures, in_process) == ([], [])
    # The fuzzer reached real objects, so the checks above saw real data: each project as its scope says.
    detail = "/api/v1/projects/{code}/"
    assert (statuses["GET", detail, HNA_CODE], statuses["GET", detail, TBH_CODE]) == (hna_project, tbh_project)


def test_write_operations_as_ha_nam_staff(api_schema, in_process, seeded, hna_staff):
    known = _known_path_parameters(seeded, sides=("hna",))
    failures, statuses = _fuzz(api_schema, hna_staff, methods={"POST", "PUT", "PATCH"}, examples=WRITE_EXAMPLES,
                               known=known, markers=MARKERS["hna_staff"])  # fmt: skip
    assert (failures, in_process) == ([], [])
    # Staff may not edit their board itself; a build of their own board's report is accepted.
    build = ("POST", "/api/v1/reports/{scope}/{period}/build/", "board:HNA", "2019-Q1")
    assert (statuses["PATCH", "/api/v1/boards/{code}/", "HNA"], statuses[build]) == ({403}, {202})


def test_the_leak_check_flags_a_foreign_code_unless_the_request_named_it():
    check = no_data_of_another_board(MARKERS["hna_staff"])
    request = SimpleNamespace(url="http://localhost/api/v1/projects/", body=None)
    with pytest.raises(AssertionError, match=r"another board's data: \['TBH', 'Thái Bình'\]"):
        check(None, SimpleNamespace(request=request, text='{"board": "TBH", "name": "Thái Bình"}'), None)
    echoed = SimpleNamespace(url="http://localhost/api/v1/boards/TBH/", body=None)
    assert check(None, SimpleNamespace(request=echoed, text='{"detail": "Không tìm thấy “TBH”."}'), None) is None


LIMITS = (2**63, -(2**63) - 1, 2**31, 10_000, 0, -1)


def test_integer_query_parameters_at_their_limits(api_schema, api_client, admin_user, in_process):
    api_client.raise_request_exception = False
    api_client.force_authenticate(admin_user)
    found = set()
    for path, operations in api_schema.raw_schema["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []) if "{" not in path else []:
            if parameter["in"] == "query" and parameter["schema"].get("type") == "integer":
                for limit in LIMITS:
                    if api_client.get(path, {parameter["name"]: limit}).status_code >= 500:
                        found.add((path, parameter["name"], limit))
    assert (found, in_process) == (set(), [])


def test_award_decision_filters_beyond_64_bits_match_nothing(api_client, hna_staff, in_process):
    api_client.raise_request_exception = False
    api_client.force_authenticate(hna_staff)
    response = api_client.get("/api/v1/award-decisions/", {"movement": 2**63})
    assert (response.status_code, response.json()["count"], in_process) == (200, 0, [])


def test_movement_years_are_held_to_the_years_a_date_can_have(api_client, hna_staff, in_process):
    api_client.raise_request_exception = False
    api_client.force_authenticate(hna_staff)
    response = api_client.get("/api/v1/movements/", {"year": "-303664"})
    assert (response.status_code, response.json()["count"], in_process) == (200, 0, [])
