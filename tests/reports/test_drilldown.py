"""Drill-down pages: the records behind one figure of a report, and their total, equal to the figure.

The demo data is seeded once for the module; each test builds the 2019 reports of every scope.
"""

import html as htmllib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from investment.models import LicenceEvent, live_event_q
from kcn_portal import periods
from kcn_portal.core.templatetags.kcn_format import format_number
from reports import presentation, scopes
from reports.models import ReportSnapshot
from reports.services import builds
from tests.demo import demo_fixture

seeded = demo_fixture()


@pytest.fixture
def demo(seeded, db):
    return seeded


@pytest.fixture
def built(demo):
    builds.report_build(period=periods.parse("2019"))
    return {s.scope: s for s in ReportSnapshot.objects.filter(period="2019")}


def text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment)).strip())


def page(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def total_of(html: str) -> str:
    return text(re.search(r"data-total-value>(.*?)</span>", html, re.S).group(1))


def value_of(html: str) -> str:
    return text(re.search(r'<div class="fs-5 num" data-value>(.*?)</div>', html, re.S).group(1))


def rows_of(html: str) -> list[str]:
    return re.findall(r'<tr data-row="([^"]+)">', html)


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("new_projects_fdi", "50"),
        ("new_capital_fdi_usd", "561.826.000,00"),
        ("new_and_added_capital_fdi_usd", "753.850.000,00"),
        ("new_and_added_capital_ddi_vnd", "3.604.090.000.000"),
        ("adjustments", "119"),
        ("capital_increase_adjustments_fdi", "22"),
        ("added_capital_ddi_vnd", "2.162.400.000.000"),
        ("net_capital_change_fdi_usd", "192.024.000,00"),
        ("terminated_projects_ddi", "3"),
        ("valid_projects_ddi", "170"),
        ("valid_capital_fdi_usd", "3.246.230.000,00"),
        ("implemented_capital_ddi_vnd", "20.866.870.000.000"),
        ("zones_total", "8"),
        ("zone_area_ha", "2.553,00"),
        ("production_value_vnd", "93.070.000.000.000"),
        ("export_usd", "2.192.000.000,00"),
        ("employees", "70.973"),
    ],
)
def test_the_total_of_the_records_is_the_reports_figure(client, built, hna_staff, code, shown):
    html = page(client, hna_staff, f"/reports/board:HNA/2019/indicators/{code}/")
    stored = built["board:HNA"].indicators[code]["value"]
    assert (value_of(html), total_of(html)) == (shown, shown)
    assert presentation.value_text(stored, presentation.INDICATORS[code].unit) == shown
    assert "data-matches" in html


def test_a_count_lists_one_row_per_event_fifty_a_page(client, built, hna_staff):
    html = page(client, hna_staff, "/reports/board:HNA/2019/indicators/new_projects/")
    assert (len(rows_of(html)), text(re.search(r"data-count>(.*?)</p>", html, re.S).group(1))) == (50, "67 bản ghi.")
    second = page(client, hna_staff, "/reports/board:HNA/2019/indicators/new_projects/?page=2")
    assert (len(rows_of(second)), total_of(second)) == (17, "67")
    issues = LicenceEvent.objects.filter(live_event_q(), kind="issue", project__zone__board__code="HNA",
                                         event_date__year=2019)  # fmt: skip
    assert sorted(rows_of(html) + rows_of(second)) == sorted(str(pk) for pk in issues.values_list("pk", flat=True))


def test_an_event_row_shows_the_certificate_and_links_to_the_project(client, built, hna_staff):
    html = page(client, hna_staff, "/reports/board:HNA/2019/indicators/adjustments_fdi/")
    adjustments = LicenceEvent.objects.filter(
        live_event_q(), kind="adjust", project__kind="fdi", project__zone__board__code="HNA", event_date__year=2019
    )
    event = adjustments.select_related("project").order_by("event_date", "project__code", "pk").first()
    row = re.search(rf'<tr data-row="{event.pk}">(.*?)</tr>', html, re.S).group(1)
    assert [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] == [
        "HNA", event.project.code, event.project_name, "FDI", f"Điều chỉnh lần {event.adjust_no}", event.certificate_no,
        event.event_date.strftime("%d/%m/%Y"), format_number(event.capital_vnd), format_number(event.capital_usd, 2),
        format_number(event.capital_change_vnd), format_number(event.capital_change_usd, 2),
    ]  # fmt: skip
    assert f'href="/projects/{event.project.code}/"' in row


def test_the_head_shows_the_definition_and_the_columns_of_the_source(client, built, hna_staff):
    html = page(client, hna_staff, "/reports/board:HNA/2019/indicators/zones_operating/")
    assert text(re.search(r"data-definition>(.*?)</p>", html, re.S).group(1)) == (
        "Trong số khu trên, số khu có tình trạng đang hoạt động."
    )
    head = html.split('data-rows="zones"')[1].split("</thead>")[0]
    assert [text(c) for c in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)] == [
        "Ban", "Mã khu", "Tên khu", "Loại khu", "Tình trạng", "Ngày thành lập", "Diện tích tự nhiên (ha)",
        "Đất công nghiệp (ha)", "Đã cho thuê (ha)",
    ]  # fmt: skip
    assert (len(rows_of(html)), total_of(html)) == (5, "5")


def test_a_bloc_figure_adds_up_its_members_and_can_be_filtered_by_board(client, built, ministry_user):
    bloc = built["bloc:DBSH"]
    html = page(client, ministry_user, "/reports/bloc:DBSH/2019/indicators/new_projects/")
    assert total_of(html) == value_of(html) == format_number(bloc.indicators["new_projects"]["value"])
    one = page(client, ministry_user, "/reports/bloc:DBSH/2019/indicators/new_projects/?board=HNA")
    assert (value_of(one), total_of(one), len(rows_of(one))) == ("67", "67", 50)
    assert '<option value="HNA" selected>' in one


def test_the_nation_filtered_by_board_shows_that_boards_figure(client, built, ministry_user):
    html = page(client, ministry_user, "/reports/national/2019/indicators/valid_capital_ddi_vnd/?board=HNA")
    assert (value_of(html), total_of(html)) == ("29.713.400.000.000", "29.713.400.000.000")
    national = page(client, ministry_user, "/reports/national/2019/indicators/valid_projects/")
    assert (
        total_of(national)
        == value_of(national)
        == format_number(built["national"].indicators["valid_projects"]["value"])
    )


def test_a_ratio_has_no_row_total(client, built, hna_staff):
    html = page(client, hna_staff, "/reports/board:HNA/2019/indicators/occupancy_pct/")
    assert value_of(html) == "39,35"
    assert "data-total-value" not in html
    assert "Tỷ lệ được tính lại từ các tổng, không cộng theo từng dòng." in html


def test_enterprise_records_of_a_period_of_part_quarters_do_not_exist(client, demo, hna_staff):
    builds.report_build(period=periods.parse("2019-M07"), targets=[scopes.Scope(scopes.BOARD, "HNA")])
    html = page(client, hna_staff, "/reports/board:HNA/2019-M07/indicators/employees/")
    assert value_of(html) == "không có số liệu"
    assert text(re.search(r"data-empty>(.*?)</td>", html, re.S).group(1)) == (
        "Kỳ này không gồm trọn các quý nên không có số liệu doanh nghiệp."
    )
    assert "data-total-value" not in html


def test_a_period_not_built_still_lists_its_records(client, demo, hna_staff):
    html = page(client, hna_staff, "/reports/board:HNA/2019/indicators/new_projects_ddi/")
    assert "Chưa tính báo cáo kỳ này." in html
    assert (len(rows_of(html)), total_of(html)) == (17, "17")


@pytest.mark.parametrize(
    "url",
    [
        "/reports/board:HNA/2019/indicators/profit_vnd/",
        "/reports/board:HNA/2019/indicators/new_projects/?board=HNA",
        "/reports/bloc:DBSH/2019/indicators/new_projects/?board=XYZ",
    ],
)
def test_unknown_indicators_and_boards_are_not_found(client, built, ministry_user, url):
    client.force_login(ministry_user)
    assert client.get(url).status_code == 404


def test_another_boards_staff_cannot_drill_into_its_figures(client, built, tbh_staff):
    client.force_login(tbh_staff)
    assert client.get("/reports/board:HNA/2019/indicators/new_projects/").status_code == 404
    assert client.get("/reports/national/2019/indicators/new_projects/").status_code == 404
    # The bloc's figures are shared with its members; the records behind them stay with their own board.
    assert client.get("/reports/bloc:DBSH/2019/indicators/new_projects/?board=HNA").status_code == 404
    html = client.get("/reports/bloc:DBSH/2019/indicators/new_projects/").content.decode()
    assert "data-partial" in html and "Chỉ liệt kê bản ghi của các Ban bạn được xem" in html
    assert re.findall(r'<option value="(\w+)"', html) == ["TBH"]


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "code", ["new_projects_fdi", "valid_projects", "valid_capital_fdi_usd", "zones_total", "revenue_vnd", "employees"]
)
def test_drilldown_queries_do_not_grow_with_the_rows(client, built, ministry_user, code):
    # Thái Bình has a few records of each kind in the demo's 2019, Hà Nam hundreds (50 a page).
    client.force_login(ministry_user)
    many = queries(client, f"/reports/board:HNA/2019/indicators/{code}/")
    assert queries(client, f"/reports/board:TBH/2019/indicators/{code}/") == many
