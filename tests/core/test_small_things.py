"""Small things a user trips over (issue 16, item 7): no English on the Vietnamese interface, no raw codes
in text, unique Vietnamese country names, the ministry's report picker on "Cả nước"."""

import re
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.utils import translation
from django_countries import countries

from investment.filters import LicenceEventFilter, ProjectFilter
from kcn_portal import periods
from kcn_portal.core.templatetags.kcn_format import period_label
from reports.templatetags.report_scopes import scope_label
from tests.investment.test_views import register_data
from web.views import HomeView

FORBIDDEN = "Bạn không có quyền thực hiện thao tác này. Nếu cần quyền, hãy liên hệ lãnh đạo Ban hoặc quản trị viên."


def text_of(html, pattern):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(pattern, html, re.S).group(1))).strip()


# --- English left on the Vietnamese interface ----------------------------------------------------


def test_a_registration_without_investors_says_so_in_vietnamese(client, hna_staff, hna_zone):
    client.force_login(hna_staff)
    data = register_data(
        hna_zone, **{f"investors-{i}-{f}": "" for i in (0, 1) for f in ("name", "country", "share_pct")}
    )
    html = client.post("/projects/new/", data).content.decode()
    assert re.findall(r"data-formset-errors>(.*?)</div>", html) == ["Cần nhập ít nhất 1 dòng."]
    assert "Please submit" not in html


def test_filter_selects_offer_tat_ca_not_dashes():
    event_kinds = LicenceEventFilter().form.fields["kind"].choices
    assert (event_kinds[0], ProjectFilter().form.fields["status"].choices[0]) == (("", "Tất cả"), ("", "Tất cả"))


@override_settings(DEBUG=False)
def test_a_refusal_is_the_vietnamese_403_page(client, hna_staff, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionDenied

    monkeypatch.setattr(HomeView, "get_context_data", refuse)
    client.force_login(hna_staff)
    response = client.get("/")
    html = response.content.decode()
    assert (response.status_code, text_of(html, r"<h1>(.*?)</h1>"), text_of(html, r"<p>(.*?)</p>")) == (
        403, "Không có quyền truy cập", FORBIDDEN)  # fmt: skip
    assert ('<html lang="vi">' in html, "Forbidden" in html) == (True, False)


def test_a_refused_csrf_check_is_the_vietnamese_403_page(hna_staff):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "hna.staff", "password": "x"})
    html = response.content.decode()
    assert (response.status_code, text_of(html, r"<h1>(.*?)</h1>")) == (403, "Không có quyền truy cập")
    assert text_of(html, r"<p>(.*?)</p>") == (
        "Phiên làm việc của trang đã hết hạn hoặc trình duyệt đã chặn cookie, nên yêu cầu không được gửi đi. "
        "Hãy tải lại trang, nhập lại và gửi lần nữa; nếu vẫn lỗi, hãy bật cookie cho trang này."
    )
    assert [word for word in ("CSRF verification failed", "Forbidden", "Help") if word in html] == []


# --- country names ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_country_name_in_the_investor_list_is_unique(language):
    with translation.override(language):
        names = [str(name) for _code, name in ProjectFilter().form.fields["country"].choices if _code]
    assert (len(names), [name for name, n in Counter(names).items() if n > 1]) == (249, [])


def test_the_corrected_vietnamese_country_names():
    codes = ("IS", "IE", "AT", "JE", "NE", "NG", "RE", "SZ", "LY")
    assert {code: str(countries.name(code)) for code in codes} == {
        "IS": "Ai-xơ-len", "IE": "Ai-len", "AT": "Áo", "JE": "Jersey", "NE": "Ni-giê", "NG": "Ni-giê-ri-a",
        "RE": "Réunion", "SZ": "Eswatini", "LY": "Libya",
    }  # fmt: skip
    with translation.override("en"):
        assert [str(countries.name(code)) for code in ("IS", "IE", "AT", "JE", "NE", "NG")] == [
            "Iceland", "Ireland", "Austria", "Jersey", "Niger", "Nigeria"]  # fmt: skip


# --- codes in words --------------------------------------------------------------------------------


def test_period_codes_in_words():
    codes = ["2026-Q3", "2026-H1", "2026-H2", "2026", "2026-M07", "2026-YTD11", "không-phải-mã"]
    assert [periods.label_of(code) for code in codes] == [
        "Quý 3/2026", "6 tháng đầu năm 2026", "6 tháng cuối năm 2026", "Năm 2026", "Tháng 7/2026",
        "11 tháng năm 2026", "không-phải-mã",
    ]  # fmt: skip
    assert (period_label(periods.parse("2019-Q1")), period_label(None)) == ("Quý 1/2019", "")


def test_scope_codes_in_words(hna):
    assert [scope_label(text) for text in ("board:HNA", "national", "bloc:DBSH", "board:ZZZ")] == [
        "Ban Quản lý các KCN tỉnh Hà Nam", "Cả nước", "Khối thi đua DBSH", "board:ZZZ"]  # fmt: skip


def test_form_selects_offer_chon_not_dashes(client, hna_staff, hna_zone):
    client.force_login(hna_staff)
    zone_form = client.get("/zones/new/").content.decode()
    movement_form = client.get("/emulation/movements/new/").content.decode()
    first = r'<select name="%s"[^>]*>\s*<option value=""[^>]*>(.*?)</option>'
    assert (re.search(first % "board", zone_form)[1], re.search(first % "launched_by_board", movement_form)[1]) == (
        "— Chọn —", "— Chọn —")  # fmt: skip
    assert ("---------" in zone_form, "---------" in movement_form) == (False, False)


# --- the report picker -----------------------------------------------------------------------------


def _chosen_scope(client, user):
    client.force_login(user)
    select = client.get("/reports/").content.decode().split('name="scope"')[1].split("</select>")[0]
    return re.findall(r'<option value="([^"]+)" selected>([^<]*)</option>', select)


def test_the_ministrys_report_picker_starts_on_ca_nuoc(client, ministry_user, hna_staff, tbh):
    assert _chosen_scope(client, ministry_user) == [("national", "Cả nước")]
    assert _chosen_scope(client, hna_staff) == [("board:HNA", "Ban Quản lý các KCN tỉnh Hà Nam")]
