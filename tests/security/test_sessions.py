"""Sessions and CSRF (issue 6, hostile users): the session key rotates on login, logout ends it, the cookie
is HttpOnly (and Secure + SameSite under the production settings), and the session-authenticated API
writes refuse a request without the CSRF token while token-authenticated calls need none."""

import json
import os
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from emulation.models import Movement
from investment.models import EnterpriseReport, LicenceEvent, Project
from kcn_portal.periods import parse
from reports.models import Correction, PeriodApproval
from reports.services import approval as approval_services
from reports.services import builds
from tests.factories import make_project

ROOT = Path(__file__).resolve().parents[2]
SESSION = settings.SESSION_COOKIE_NAME
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CSRF_FAILED = "CSRF Failed: CSRF token missing."


def _login(client, username="hna.staff"):
    return client.post("/login/", {"username": username, "password": "kcn-test-pass"})


# --- the session --------------------------------------------------------------------------------------


def test_login_gives_a_new_session_key_and_drops_the_old_one(client, hna_staff):
    session = client.session  # an anonymous session, as an attacker could plant in a victim's browser
    session["planted"] = "x"
    session.save()
    before = client.cookies[SESSION].value
    assert _login(client)["Location"] == "/"
    after = client.cookies[SESSION].value
    assert (after != before, SessionStore().exists(before), client.session["_auth_user_id"]) == (
        True,
        False,
        str(hna_staff.pk),
    )


def test_logout_ends_the_session_and_its_old_cookie_no_longer_works(client, hna_staff):
    _login(client)
    stolen = client.cookies[SESSION].value
    assert client.post("/logout/")["Location"] == "/login/"
    replay = APIClient()
    replay.cookies[SESSION] = stolen
    assert (SessionStore().exists(stolen), replay.get("/")["Location"], replay.get("/api/v1/zones/").status_code) == (
        False,
        "/login/?next=/",
        401,
    )


def test_the_session_cookie_is_http_only_lax_and_lasts_a_working_day(client, hna_staff):
    cookie = _login(client).cookies[SESSION]
    assert (cookie["httponly"], cookie["samesite"], cookie["secure"], cookie["max-age"]) == (True, "Lax", "", 28800)


def _production_settings(*names):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "kcn_portal.settings.production",
        "DJANGO_SECRET_KEY": "p9#Lq2!vz9@mP4$wL8^nR1&tY6*uB3(eC5)oD0_fG2+hJ9-iK4=lM7~sN1|aQ8",
        "DATABASE_URL": "postgres://kcn@db.example.vn:5432/kcn",
        "CELERY_BROKER_URL": "redis://redis.example.vn:6379/0",
        "DJANGO_ALLOWED_HOSTS": "kcn.example.vn",
    })  # fmt: skip
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


COOKIE_SETTINGS = ("SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
                   "CSRF_COOKIE_SECURE", "CSRF_COOKIE_SAMESITE")  # fmt: skip


def test_production_cookies_are_secure_http_only_and_same_site(client, hna_staff):
    production = _production_settings(*COOKIE_SETTINGS)
    assert production == dict(zip(COOKIE_SETTINGS, (True, True, "Lax", True, "Lax"), strict=True))
    with override_settings(**production):
        cookie = _login(client).cookies[SESSION]
    assert (cookie["secure"], cookie["httponly"], cookie["samesite"]) == (True, True, "Lax")


# --- CSRF on the session-authenticated API ------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def project(hna_zone):
    return make_project(hna_zone, "5421000001")


def _build_q2(project, leader):
    """An approval is of a period whose report is built."""
    builds.report_build(period=parse("2019-Q2"))
    return {}


def _lock_q1(project, leader):
    """A correction is of an event in an approved (locked) period."""
    builds.report_build(period=parse("2019-Q1"))
    approval_services.period_approve(user=leader, board=project.zone.board, period="2019-Q1")
    return {"event": LicenceEvent.objects.get(project=project).pk}


NEW_PROJECT = {
    "zone": "HNA-DV1", "code": "5421000009", "kind": "fdi", "sector": "C2610", "certificate_no": "GCN-9",
    "investors": [{"name": "Samsung Display", "country": "KR", "share_pct": 100}], "event_date": "2020-03-15",
    "project_name": "Nhà máy mới", "capital_vnd": 2_305_000_000_000, "capital_usd": 100_000_000,
}  # fmt: skip
ADJUST = {"kind": "adjust", "certificate_no": "DC-1", "event_date": "2020-06-01", "capital_vnd": 1_200 * 10**9,
          "capital_usd": 52_000_000}  # fmt: skip
REPORT = {"project": "5421000001", "year": 2019, "quarter": 2, "revenue_vnd": 125 * 10**9, "employees": 820}
MOVEMENT = {"name": "Thi đua thu hút đầu tư", "launched_by_level": "board", "launched_by_board": "HNA",
            "launched_by": "Ban Quản lý các KCN tỉnh Hà Nam", "starts_on": "2025-04-01"}  # fmt: skip
CORRECTION = {"reason": "Sai vốn theo GCN bản gốc", "changes": json.dumps({"capital_vnd": 1_400 * 10**9})}
WRITES = [
    # (url, who writes, what must exist first, body, the model a write adds a row to)
    ("/api/v1/projects/", "hna_staff", None, NEW_PROJECT, Project),
    ("/api/v1/projects/5421000001/events/", "hna_staff", None, ADJUST, LicenceEvent),
    ("/api/v1/enterprise-reports/", "hna_staff", None, REPORT, EnterpriseReport),
    ("/api/v1/boards/HNA/approvals/", "hna_leader", _build_q2, {"period": "2019-Q2", "note": "Đã rà soát"},
     PeriodApproval),
    ("/api/v1/movements/", "hna_staff", None, MOVEMENT, Movement),
    ("/api/v1/corrections/", "hna_staff", _lock_q1, CORRECTION, Correction),
]  # fmt: skip


def _post(client, url, body, **headers):
    if url == "/api/v1/corrections/":  # multipart, with the supporting document (a fresh file each time)
        attachment = SimpleUploadedFile("gcn.pdf", PDF, content_type="application/pdf")
        return client.post(url, {**body, "attachment": attachment}, format="multipart", **headers)
    return client.post(url, body, format="json", **headers)


@pytest.mark.parametrize(("url", "who", "prepare", "body", "model"), WRITES, ids=[w[0] for w in WRITES])
def test_session_api_writes_need_the_csrf_token(request, project, hna_leader, media, url, who, prepare, body, model):
    body = {**body, **(prepare(project, hna_leader) if prepare else {})}
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(request.getfixturevalue(who))
    client.get("/")  # a page of the portal sets the CSRF cookie, which its scripts send back in the header
    rows = model.objects.count()
    refused = _post(client, url, body)  # a forged request carries the cookies, but cannot read the token
    assert (refused.status_code, refused.json(), model.objects.count()) == (403, {"detail": CSRF_FAILED}, rows)
    accepted = _post(client, url, body, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert (accepted.status_code, model.objects.count()) == (201, rows + 1), accepted.content


def test_a_wrong_csrf_token_is_refused_too(project, hna_staff):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(hna_staff)
    client.get("/")
    response = _post(client, "/api/v1/enterprise-reports/", REPORT, HTTP_X_CSRFTOKEN="x" * 32)
    assert (response.status_code, response.json(), EnterpriseReport.objects.count()) == (
        403,
        {"detail": "CSRF Failed: CSRF token from the 'X-Csrftoken' HTTP header incorrect."},
        0,
    )


def test_token_authenticated_writes_need_no_csrf_token(project, hna_staff):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(hna_staff)  # even with a session cookie beside it, the token decides
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=hna_staff).key}")
    response = _post(client, "/api/v1/enterprise-reports/", REPORT)
    data = response.json()
    assert (response.status_code, data["period"], data["updated_by"]) == (201, "2019-Q2", "hna.staff")
    assert EnterpriseReport.objects.count() == 1
