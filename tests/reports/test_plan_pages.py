"""Annual plans pages: the boards' plans by year and one board's plans for a year (edited by its leaders)."""

import datetime
import html as htmllib
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kcn_portal.core.forms import parse_amount
from kcn_portal.core.models import AuditRecord
from kcn_portal.indicators import INDICATOR_CODES
from reports.models import Plan, ReportSnapshot
from reports.services.plans import plan_set

pytestmark = pytest.mark.django_db

URL = "/plans/HNA/2025/"


def text_of(html, pattern):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", re.search(pattern, html, re.S).group(1))).strip()


def cells(html, code):
    """The text of each cell of the indicator's row."""
    row = re.search(rf'<tr data-indicator="{code}"[^>]*>(.*?)</tr>', html, re.S).group(1)
    return [text_of(cell, r"(.*)") for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]


def inputs(html):
    """What a browser posts: every named input of the plan form with its value."""
    form = re.search(r'<form method="post"[^>]*data-plan-form>.*?</form>', html, re.S).group(0)
    data = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = htmllib.unescape(value.group(1)) if value else ""
    return data


def post(client, typed, url=URL, **kwargs):
    """Open the page, type {indicator: text} into the boxes and save."""
    data = inputs(client.get(url).content.decode())
    data.update({f"plan-{code}": text for code, text in typed.items()})
    return client.post(url, data, **kwargs)


def alerts(response):
    return [text_of(a, r"(.*)") for a in re.findall(r'role="alert">(.*?)<button', response.content.decode(), re.S)]


def set_plan(board, indicator, value, year=2025):
    return plan_set(user=None, board=board, year=year, indicator=indicator, value=Decimal(value))[0]


def stored(year=2025):
    return dict(Plan.objects.filter(year=year).values_list("indicator", "value"))


# --- saving -------------------------------------------------------------------------------------


def test_a_leader_saves_three_plans_audited(client, hna, hna_leader):
    client.force_login(hna_leader)
    typed = {"new_projects": "40", "export_usd": "1.250.000.000,5", "zone_area_ha": "1234.56"}
    response = post(client, typed, follow=True)
    assert stored() == {
        "new_projects": Decimal("40.00"),
        "export_usd": Decimal("1250000000.50"),
        "zone_area_ha": Decimal("1234.56"),
    }
    records = AuditRecord.objects.order_by("pk")
    assert [(r.action, r.actor, r.board, r.changes["indicator"][1], r.changes["value"]) for r in records] == [
        ("create", hna_leader, hna, "new_projects", [None, "40"]),
        ("create", hna_leader, hna, "zone_area_ha", [None, "1234.56"]),
        ("create", hna_leader, hna, "export_usd", [None, "1250000000.5"]),
    ]
    assert alerts(response) == ["Đã lưu kế hoạch năm 2025: 3 chỉ tiêu đặt mới, 0 chỉ tiêu sửa."]


def test_the_saved_page_shows_the_plans_and_a_second_save_counts_updates(client, hna, hna_leader):
    client.force_login(hna_leader)
    post(client, {"new_projects": "40", "export_usd": "1.250.000.000,5"})
    response = post(client, {"new_projects": "45"}, follow=True)
    html = response.content.decode()
    assert cells(html, "new_projects")[1:3] == ["số lượng", "45"]
    assert cells(html, "export_usd")[1:3] == ["USD", "1.250.000.000,50"]
    assert inputs(html)["plan-export_usd"] == "1.250.000.000,5"
    assert alerts(response) == ["Đã lưu kế hoạch năm 2025: 0 chỉ tiêu đặt mới, 1 chỉ tiêu sửa."]


def test_a_bad_row_saves_nothing_and_is_marked_next_to_itself(client, hna, hna_leader):
    client.force_login(hna_leader)
    response = post(client, {"new_projects": "40", "export_usd": "-5", "employees": "12,5", "revenue_vnd": "1,2,3"})
    html = response.content.decode()
    assert Plan.objects.count() == 0 and AuditRecord.objects.count() == 0
    assert text_of(html, r'<tr data-indicator="export_usd"[^>]*>.*?data-error>(.*?)</div>') == (
        "Kế hoạch không được là số âm."
    )
    assert text_of(html, r'<tr data-indicator="employees"[^>]*>.*?data-error>(.*?)</div>') == (
        "Chỉ tiêu này tính bằng người: nhập số nguyên, không có phần thập phân."
    )
    assert text_of(html, r'<tr data-indicator="revenue_vnd"[^>]*>.*?data-error>(.*?)</div>') == (
        "Nhập một số, ví dụ 1.234.567,89 hoặc 1234567.89."
    )
    assert "data-error" not in re.search(r'<tr data-indicator="new_projects".*?</tr>', html, re.S).group(0)
    assert alerts(response) == ["Chưa lưu gì: hãy sửa các dòng có lỗi rồi lưu lại."]


def test_an_error_from_plan_set_rolls_back_the_rows_already_saved(client, hna, hna_leader, monkeypatch):
    from django.core.exceptions import ValidationError

    from reports.services import plans as plan_services

    real = plan_services.plan_set

    def failing(**kwargs):
        if kwargs["indicator"] == "export_usd":
            raise ValidationError({"value": ["Giá trị không hợp lệ."]})
        return real(**kwargs)

    client.force_login(hna_leader)
    monkeypatch.setattr(plan_services, "plan_set", failing)
    html = post(client, {"new_projects": "40", "export_usd": "5"}).content.decode()
    assert (Plan.objects.count(), AuditRecord.objects.count()) == (0, 0)
    assert text_of(html, r'<tr data-indicator="export_usd"[^>]*>.*?data-error>(.*?)</div>') == "Giá trị không hợp lệ."


def test_vietnamese_and_plain_amounts_parse_exactly():
    assert [parse_amount(t) for t in ("1.234.567,89", "1234567.89", "1234567,89", "1.234", " 1 234 567 ", "")] == [
        Decimal("1234567.89"),
        Decimal("1234567.89"),
        Decimal("1234567.89"),
        Decimal("1234"),
        Decimal("1234567"),
        None,
    ]


@pytest.mark.parametrize("text", ["1,234,567.89", "1.23.4", "1.234.567.89", "abc", ",5"])
def test_ambiguous_or_foreign_amounts_are_refused(client, hna, hna_leader, text):
    client.force_login(hna_leader)
    html = post(client, {"export_usd": text}).content.decode()
    assert Plan.objects.count() == 0
    assert text_of(html, r'<tr data-indicator="export_usd"[^>]*>.*?data-error>(.*?)</div>') == (
        "Nhập một số, ví dụ 1.234.567,89 hoặc 1234567.89."
    )


def test_a_vietnamese_amount_is_stored_exactly(client, hna, hna_leader):
    client.force_login(hna_leader)
    post(client, {"export_usd": "1.234.567,89", "revenue_vnd": "12.500.000.000", "occupancy_pct": "85,5"})
    assert stored() == {
        "export_usd": Decimal("1234567.89"),
        "revenue_vnd": Decimal("12500000000.00"),
        "occupancy_pct": Decimal("85.50"),
    }


def test_a_blank_box_keeps_the_existing_plan_and_says_so(client, hna, hna_leader):
    set_plan(hna, "new_projects", "40")
    client.force_login(hna_leader)
    response = post(client, {"new_projects": "", "export_usd": "7"}, follow=True)
    assert stored() == {"new_projects": Decimal("40.00"), "export_usd": Decimal("7.00")}
    assert alerts(response) == [
        "Đã lưu kế hoạch năm 2025: 1 chỉ tiêu đặt mới, 0 chỉ tiêu sửa.",
        "1 chỉ tiêu để trống vẫn giữ kế hoạch đã có (trang này chưa xóa được kế hoạch).",
    ]


def test_only_changed_rows_are_saved_so_a_concurrent_leader_keeps_theirs(client, hna, hna_leader):
    set_plan(hna, "new_projects", "40")
    set_plan(hna, "export_usd", "100")
    client.force_login(hna_leader)
    data = inputs(client.get(URL).content.decode())
    set_plan(hna, "new_projects", "50")  # another leader saves meanwhile
    data["plan-export_usd"] = "200"
    client.post(URL, data)
    assert stored() == {"new_projects": Decimal("50.00"), "export_usd": Decimal("200.00")}


def test_an_unchanged_page_saves_nothing(client, hna, hna_leader):
    set_plan(hna, "export_usd", "1250000000.5")
    client.force_login(hna_leader)
    response = post(client, {}, follow=True)
    assert AuditRecord.objects.filter(action="update").count() == 0
    assert alerts(response) == ["Không có kế hoạch nào thay đổi."]


# --- who sees what ------------------------------------------------------------------------------


def test_staff_of_the_board_reads_without_a_form_and_may_not_post(client, hna, hna_staff):
    set_plan(hna, "new_projects", "40")
    client.force_login(hna_staff)
    html = client.get(URL).content.decode()
    assert ("data-plan-form" in html, "<input" in re.search(r"data-plan-table.*?</table>", html, re.S).group(0)) == (
        False,
        False,
    )
    assert cells(html, "new_projects")[:3] == ["Số dự án cấp mới new_projects", "số lượng", "40"]
    response = client.post(URL, {"plan-new_projects": "99", "initial-plan-new_projects": "40"})
    assert (response.status_code, stored()) == (403, {"new_projects": Decimal("40.00")})


def test_another_board_is_not_found(client, hna, tbh, tbh_staff):
    client.force_login(tbh_staff)
    assert [client.get(URL).status_code, client.post(URL, {"plan-new_projects": "1"}).status_code] == [404, 404]
    assert Plan.objects.count() == 0


def test_an_administrator_may_set_plans_and_a_year_out_of_range_is_not_found(client, hna, admin_user):
    client.force_login(admin_user)
    post(client, {"new_projects": "3"})
    assert stored() == {"new_projects": Decimal("3.00")}
    assert client.get("/plans/HNA/1999/").status_code == 404


# --- achieved values from the year's report -----------------------------------------------------


def snapshot(version, indicators, board="HNA", year=2025):
    return ReportSnapshot.objects.create(
        scope=f"board:{board}",
        period=str(year),
        version=version,
        start=datetime.date(year, 1, 1),
        end=datetime.date(year, 12, 31),
        indicators={code: {"value": value} for code, value in indicators.items()},
        rate_rule="",
        generated_at=timezone.now(),
    )


def test_achieved_values_and_percent_of_plan_come_from_the_latest_report(client, hna, hna_staff):
    set_plan(hna, "new_projects", "40")
    set_plan(hna, "export_usd", "1000000")
    snapshot(1, {"new_projects": 5, "export_usd": 1.0})
    snapshot(2, {"new_projects": 12, "export_usd": 1234567.8, "revenue_vnd": 900})
    client.force_login(hna_staff)
    html = client.get(URL).content.decode()
    assert cells(html, "new_projects")[2:5] == ["40", "12", "30,0 %"]
    assert cells(html, "export_usd")[2:5] == ["1.000.000,00", "1.234.567,80", "123,5 %"]
    assert cells(html, "revenue_vnd")[2:5] == ["–", "900", "–"]
    assert "phiên bản 2" in text_of(html, r"data-snapshot>(.*?)</p>")


def test_without_a_report_no_achieved_values_are_shown(client, hna, hna_staff):
    set_plan(hna, "new_projects", "40")
    snapshot(1, {"new_projects": 12}, year=2024)
    client.force_login(hna_staff)
    html = client.get(URL).content.decode()
    assert cells(html, "new_projects")[2:5] == ["40", "–", "–"]


def test_plan_edit_queries_do_not_grow_with_the_plans(client, hna, hna_leader):
    client.force_login(hna_leader)
    snapshot(1, {"new_projects": 12})
    set_plan(hna, "new_projects", "1")
    client.get(URL)  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for code in INDICATOR_CODES:
        set_plan(hna, code, "2")
    with CaptureQueriesContext(connection) as many:
        html = client.get(URL).content.decode()
    assert len(many) == len(one)
    assert (
        text_of(html, r"data-count>(.*?)</p>")
        == f"{len(INDICATOR_CODES)} trên {len(INDICATOR_CODES)} chỉ tiêu đã có kế hoạch."
    )


# --- the list of boards and years ---------------------------------------------------------------


def list_rows(html):
    return {
        board: [text_of(c, r"(.*)") for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)][2:]
        for board, row in re.findall(r'<tr data-board="([^"]+)">(.*?)</tr>', html, re.S)
    }


def list_years(html):
    return re.findall(r'<th class="text-end" data-year="(\d+)"', html)


def test_plan_list_counts_plans_per_readable_board_and_year(client, hna, tbh, ministry_user):
    this_year = timezone.localdate().year
    set_plan(hna, "new_projects", "40", year=2019)
    set_plan(hna, "export_usd", "5", year=2019)
    set_plan(tbh, "new_projects", "7", year=this_year)
    client.force_login(ministry_user)
    html = client.get("/plans/").content.decode()
    assert list_years(html) == [str(this_year + 1), str(this_year), "2019"]
    assert list_rows(html) == {"HNA": ["0", "0", "2"], "TBH": ["0", "1", "0"]}
    assert f'href="/plans/TBH/{this_year}/"' in html


def test_plan_list_shows_only_the_users_boards_and_filters_a_year(client, hna, tbh, hna_leader):
    set_plan(hna, "new_projects", "40", year=2019)
    set_plan(tbh, "new_projects", "7", year=2018)
    client.force_login(hna_leader)
    html = client.get("/plans/?year=2019").content.decode()
    assert (list_years(html), list_rows(html)) == (["2019"], {"HNA": ["1"]})
    assert 'href="/plans/HNA/2019/" title="Nhập kế hoạch" data-can-edit' in html
    assert '<option value="2018"' not in html


def test_plan_list_queries_do_not_grow_with_boards_and_plans(client, hna, tbh, ministry_user):
    client.force_login(ministry_user)
    set_plan(hna, "new_projects", "1")
    client.get("/plans/")
    with CaptureQueriesContext(connection) as one:
        client.get("/plans/")
    for year in (2019, 2020, 2021):
        for code in INDICATOR_CODES[:5]:
            set_plan(tbh, code, "1", year=year)
    with CaptureQueriesContext(connection) as many:
        client.get("/plans/")
    assert len(many) == len(one)
