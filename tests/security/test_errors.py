"""Errors with DEBUG off (issue 6, hostile users): a crash inside a view gives the portal's Vietnamese 500
page and an unknown address its Vietnamese 404, neither with a traceback, settings or the URL patterns;
the API answers its errors in JSON with the reason only."""

import logging

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

from reports.api.reports import IndicatorListView
from web.views import HomeView

SECRET = "kcn-boom-detail"  # in the exception's message: must reach the log, never the browser
LEAKS = ("Traceback", SECRET, "SECRET_KEY", "DATABASES", "INSTALLED_APPS", "kcn_portal", "site-packages", 'File "')
ERROR_500 = "Đã xảy ra lỗi khi xử lý yêu cầu của bạn. Lỗi đã được ghi lại để quản trị viên kiểm tra"
NOT_FOUND = "Trang bạn tìm không tồn tại, đã được chuyển đi, hoặc bạn không được xem."


def _boom(*args, **kwargs):
    raise RuntimeError(f"{SECRET}: the database said no")


def _leaks(html):
    return [text for text in LEAKS if text in html]


@pytest.fixture
def crashing_client(hna_staff):
    client = Client(raise_request_exception=False)
    client.force_login(hna_staff)
    return client


@override_settings(DEBUG=False)
def test_a_crash_in_a_page_shows_the_vietnamese_500_page_only(crashing_client, monkeypatch, caplog):
    monkeypatch.setattr(HomeView, "get_context_data", _boom)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = crashing_client.get("/")
    html = response.content.decode()
    assert (response.status_code, response["Content-Type"], _leaks(html)) == (500, "text/html; charset=utf-8", [])
    assert ('<html lang="vi">' in html, "<h1>Hệ thống gặp lỗi</h1>" in html, ERROR_500 in html) == (True, True, True)
    # The traceback is in the server's log for the administrators.
    assert [(r.levelname, r.exc_info[0].__name__, str(r.exc_info[1])) for r in caplog.records] == [
        ("ERROR", "RuntimeError", f"{SECRET}: the database said no")
    ]


@override_settings(DEBUG=False)
def test_an_unknown_address_gives_the_vietnamese_404_without_the_url_patterns(client, hna_staff):
    client.force_login(hna_staff)
    response = client.get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert (response.status_code, "<h1>Không tìm thấy trang</h1>" in html, NOT_FOUND in html) == (404, True, True)
    assert [text for text in ("Using the URLconf", "api/v1/", "admin/", "urlpatterns", *LEAKS) if text in html] == []


@override_settings(DEBUG=False)
def test_an_unknown_api_address_is_a_json_404(client, hna_staff):
    client.force_login(hna_staff)
    response = client.get("/api/v1/khong-co/")
    assert (response.status_code, response["Content-Type"], response.json()) == (
        404, "application/json", {"detail": "Không tìm thấy."})  # fmt: skip


@override_settings(DEBUG=False)
def test_a_page_outside_the_users_boards_is_the_same_404(client, hna_staff, tbh_zone):
    client.force_login(hna_staff)
    response = client.get(f"/zones/{tbh_zone.pk}/")
    html = response.content.decode()
    assert (response.status_code, NOT_FOUND in html, "TBH" in html, "Phúc Khánh" in html) == (404, True, False, False)


@pytest.mark.parametrize(
    ("method", "url", "body", "status", "detail"),
    [
        ("GET", "/api/v1/zones/999999/", "", 404, "Không tìm thấy khu này."),
        ("DELETE", "/api/v1/zones/", "", 405, "Phương thức “DELETE” không được chấp nhận."),
        ("GET", "/api/v1/reports/board:HNA/2019-Q9/", "", 400,
         "Mã kỳ '2019-Q9' không hợp lệ: số sau Q phải từ 1 đến 4."),
        # kcn_portal.core.parsers: where the JSON is malformed, in Vietnamese (DRF's own message is English).
        ("POST", "/api/v1/zones/", "{not json", 400, "Dữ liệu JSON không hợp lệ ở dòng 1, cột 2."),
    ],
)  # fmt: skip
@override_settings(DEBUG=False)
def test_api_errors_are_json_with_the_reason_only(api_client, hna_staff, method, url, body, status, detail):
    api_client.force_authenticate(hna_staff)
    response = api_client.generic(method, url, body, content_type="application/json")
    assert (response.status_code, response["Content-Type"], response.json()) == (
        status,
        "application/json",
        {"detail": detail},
    )
    assert _leaks(response.content.decode()) == []


@override_settings(DEBUG=False)
def test_a_crash_in_an_api_view_is_json_without_a_traceback(hna_staff, monkeypatch):
    monkeypatch.setattr(IndicatorListView, "get", _boom)
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(hna_staff)
    response = client.get("/api/v1/indicators/")
    assert _leaks(response.content.decode()) == []
    assert (response.status_code, response["Content-Type"]) == (500, "application/json")
