"""Report pages: the index, one report (figures, members, charts, versions), compare, build, the catalogue.

The demo data (Hà Nam, Thái Bình, Hà Nội and the 11 boards of the bloc) is seeded once for the module;
each test builds the reports it reads with reports.services.report_build.
"""

import datetime
import html as htmllib
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kcn_portal import periods
from kcn_portal.core.models import TaskRun
from kcn_portal.core.templatetags.kcn_format import vn_date
from kcn_portal.indicators import CATALOGUE, INDICATORS
from reports import presentation, scopes
from reports.models import ReportSnapshot, ReportState
from reports.selectors import snapshots
from reports.services import builds
from reports.services import plans as plan_services
from tests.demo import demo_fixture
from tests.factories import ZoneFactory
from zones.models import Board

HNA_2019 = "/reports/board:HNA/2019/"
HNA = scopes.Scope(scopes.BOARD, "HNA")

seeded = demo_fixture()


@pytest.fixture
def demo(seeded, db):
    return seeded


@pytest.fixture
def built(demo):
    builds.report_build(period=periods.parse("2019"))
    return ReportSnapshot.objects.get(scope="board:HNA", period="2019")


def text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment)).strip())


def cells(html: str, attribute: str) -> list[str]:
    """The text of each cell of the first table row carrying `attribute`."""
    row = re.search(rf"<tr {attribute}[^>]*>(.*?)</tr>", html, re.S).group(1)
    return [text(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]


def html_of(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def build_hna(code: str) -> None:
    builds.report_build(period=periods.parse(code), targets=[HNA])


# --- one report ----------------------------------------------------------------------------------


def test_the_ha_nam_2019_report_shows_the_published_figures(client, built, hna_staff):
    html = html_of(client, hna_staff, HNA_2019)
    assert cells(html, 'data-indicator="new_projects"') == [
        "Số dự án cấp mới",
        "số lượng",
        "67",
        "31",
        "+116,13",
        "–",
        "–",
    ]
    assert cells(html, 'data-indicator="new_and_added_capital_fdi_usd"') == [
        "Vốn cấp mới và tăng thêm, dự án FDI (USD)", "USD", "753.850.000,00", "256.741.055,74", "+193,62", "–", "–",
    ]  # fmt: skip
    assert cells(html, 'data-indicator="new_and_added_capital_ddi_vnd"')[2] == "3.604.090.000.000"
    assert cells(html, 'data-indicator="valid_projects"')[2:5] == ["410", "351", "+16,81"]
    assert cells(html, 'data-indicator="occupancy_pct"')[2:5] == ["39,35", "39,35", "–"]
    assert cells(html, 'data-indicator="employees"')[1:5] == ["người", "70.973", "58.875", "+20,55"]


def test_every_figure_of_the_page_is_the_json_document(client, built, hna_staff):
    document = snapshots.document(built)
    html = html_of(client, hna_staff, HNA_2019)
    shown = {code: cells(html, f'data-indicator="{code}"')[2] for code in document["indicators"]}
    assert len(shown) == len(CATALOGUE) == 52
    assert shown == {
        code: presentation.value_text(item["value"], INDICATORS[code].unit)
        for code, item in document["indicators"].items()
    }


def test_the_groups_follow_the_ministrys_forms(client, built, hna_staff):
    html = html_of(client, hna_staff, HNA_2019)
    assert re.findall(r'<h2 class="h5 mt-4" data-group-title="([a-z]+)">([^<]+)</h2>', html) == [
        ("attraction", "Thu hút đầu tư"),
        ("valid", "Dự án còn hiệu lực"),
        ("zones", "Khu công nghiệp, khu kinh tế"),
        ("enterprises", "Hoạt động sản xuất kinh doanh"),
    ]
    assert re.findall(r"<th[^>]*>([^<]+)</th>", html.split('data-group="attraction"')[1].split("</thead>")[0]) == [
        "Chỉ tiêu", "Đơn vị", "Kỳ này", "Cùng kỳ năm trước", "Tăng/giảm (%)", "Kế hoạch năm", "Đạt (% KH)",
    ]  # fmt: skip


def test_the_header_names_scope_period_version_time_and_rate_rule(client, built, hna_staff):
    html = html_of(client, hna_staff, HNA_2019)
    meta = {key: text(value) for key, value in re.findall(r'data-meta="(\w+)">(.*?)</dd>', html, re.S)}
    assert meta == {
        "scope": "Ban Quản lý các khu công nghiệp tỉnh Hà Nam (HNA)",
        "period": "Năm 2019: từ 01/01/2019 đến 31/12/2019",
        "version": "1",
        "generated": vn_date(built.generated_at),
        "rate": built.rate_rule,
    }
    assert "Tỷ giá áp dụng ngày 31/12/2019: 23.050 đồng/USD" in meta["rate"]
    assert 'href="/boards/HNA/reports/completeness/" data-completeness' in html


def test_each_figure_links_to_its_records_and_last_years(client, built, hna_staff):
    html = html_of(client, hna_staff, HNA_2019)
    row = re.search(r'<tr data-indicator="adjustments_fdi">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'href="([^"]+)"', row) == [
        "/reports/board:HNA/2019/indicators/adjustments_fdi/",
        "/reports/board:HNA/2018/indicators/adjustments_fdi/",
    ]
    assert html.count('href="/reports/board:HNA/2019/indicators/') == 52


def test_a_period_of_part_quarters_has_no_enterprise_figures(client, demo, hna_staff):
    build_hna("2019-M07")
    html = html_of(client, hna_staff, "/reports/board:HNA/2019-M07/")
    assert cells(html, 'data-indicator="employees"') == [
        "Số lao động", "người", "không có số liệu", "không có số liệu", "–", "–", "–",
    ]  # fmt: skip
    assert 'href="/reports/board:HNA/2019-M07/indicators/employees/"' not in html
    assert cells(html, 'data-indicator="new_projects"')[2] == "3"


def test_a_stale_report_says_it_is_being_rebuilt(client, built, hna_staff):
    ReportState.objects.filter(scope="board:HNA", period="2019").update(
        stale_since=timezone.make_aware(datetime.datetime(2024, 3, 5, 9, 30))
    )
    html = html_of(client, hna_staff, HNA_2019)
    assert text(re.search(r"<div [^>]*data-stale>(.*?)</div>", html, re.S).group(1)) == (
        "Số liệu đã thay đổi, báo cáo đang được tính lại (từ 05/03/2024 09:30)."
    )


def test_a_report_not_built_yet_offers_the_build(client, built, hna_staff):
    html = html_of(client, hna_staff, "/reports/board:HNA/2018/")
    assert text(re.search(r"data-no-snapshot>(.*?)</div>", html, re.S).group(1)) == (
        "Chưa có báo cáo của phạm vi và kỳ này. Bấm “Tính lại” để tính báo cáo từ số liệu hiện có."
    )
    assert '<form method="post" action="/reports/board:HNA/2018/build/" data-build>' in html
    assert "data-group=" not in html


def test_the_build_button_queues_a_build_and_opens_its_task(
    client, demo, hna_staff, django_capture_on_commit_callbacks
):
    client.force_login(hna_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/board:HNA/2018/build/")
    run = TaskRun.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/tasks/{run.pk}/")
    assert (run.kind, run.params["period"], run.params["scope"], run.created_by) == (
        "report_build", "2018", "board:HNA", hna_staff,
    )  # fmt: skip
    assert ReportSnapshot.objects.get(scope="board:HNA", period="2018").indicators["new_projects"]["value"] == 31
    assert '<a href="/reports/board:HNA/2018/">Xem báo cáo</a>' in client.get(response["Location"]).content.decode()


def test_the_excel_button_posts_to_the_export(client, built, hna_staff):
    html = html_of(client, hna_staff, HNA_2019)
    assert '<form method="post" action="/reports/board:HNA/2019/export/" data-export>' in html


# --- access and bad addresses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", [HNA_2019, "/reports/national/2019/", "/reports/board:HNA/2019/indicators/new_projects/"]
)
def test_another_boards_staff_gets_404(client, built, tbh_staff, url):
    client.force_login(tbh_staff)
    assert client.get(url).status_code == 404
    assert client.post("/reports/board:HNA/2019/build/").status_code == 404
    assert TaskRun.objects.filter(kind="report_build").count() == 0  # nothing was queued


@pytest.mark.parametrize(
    "url",
    [
        "/reports/board:ZZZ/2019/",
        "/reports/board:HNA/2019-Q5/",
        "/reports/everything/2019/",
        "/reports/board:HNA/2019/?version=7",
        "/reports/board:HNA/2019/?version=abc",
    ],
)
def test_malformed_or_missing_reports_are_not_found(client, built, ministry_user, url):
    client.force_login(ministry_user)
    assert client.get(url).status_code == 404


def test_anonymous_users_are_sent_to_login(client, built):
    assert client.get(HNA_2019)["Location"] == "/login/?next=/reports/board%3AHNA/2019/"


# --- blocs and the nation ------------------------------------------------------------------------


def test_the_ministry_sees_the_nation_with_its_eleven_boards_and_a_total(client, built, ministry_user):
    national = ReportSnapshot.objects.get(scope="national", period="2019").indicators
    html = html_of(client, ministry_user, "/reports/national/2019/")
    assert re.findall(r'<tr data-member="(\w+)">', html) == [
        "BNH", "HDG", "HNA", "HNI", "HPG", "HYN", "NBH", "NDH", "QNH", "TBH", "VPC",
    ]  # fmt: skip
    assert cells(html, 'data-member="HNA"') == [
        "Hà Nam HNA Chưa phê duyệt", "67", "753.850.000,00", "3.604.090.000.000", "119", "410",
        "3.246.230.000,00", "29.713.400.000.000", "70.973",
    ]  # fmt: skip
    assert cells(html, 'data-member="QNH"')[1:] == ["0", "0,00", "0", "0", "0", "0,00", "0", "0"]
    head = html.split("data-members>")[1].split("</thead>")[0]
    assert [text(c) for c in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)] == [
        "Ban quản lý", "Dự án cấp mới", "Vốn mới và tăng thêm FDI (USD)", "Vốn mới và tăng thêm DDI (đồng)",
        "Lượt điều chỉnh", "Dự án còn hiệu lực", "Vốn đăng ký còn hiệu lực FDI (USD)",
        "Vốn đăng ký còn hiệu lực DDI (đồng)", "Lao động (người)",
    ]  # fmt: skip
    total = cells(html, "data-member-total")
    assert total[0] == "Tổng cộng 0/11 Ban đã phê duyệt"
    assert total[1] == presentation.figure(national["new_projects"]["value"], "count")
    assert total[5] == presentation.figure(national["valid_projects"]["value"], "count")


def test_a_member_board_links_only_to_reports_its_reader_may_open(client, built, hna_staff):
    html = html_of(client, hna_staff, "/reports/bloc:DBSH/2019/")
    hna_row = re.search(r'<tr data-member="HNA">(.*?)</tr>', html, re.S).group(1)
    tbh_row = re.search(r'<tr data-member="TBH">(.*?)</tr>', html, re.S).group(1)
    assert 'href="/reports/board:HNA/2019/"' in hna_row
    assert 'href="/reports/board:TBH/2019/"' not in tbh_row
    # TBH's figures are shown, the records behind them are not (the drill-down is for readable boards only).
    assert 'href="/reports/bloc:DBSH/2019/indicators/new_projects/?board=TBH"' not in tbh_row
    assert 'href="/reports/bloc:DBSH/2019/indicators/new_projects/?board=HNA"' in hna_row
    assert "data-completeness" not in html


# --- versions ------------------------------------------------------------------------------------


def new_version_with_a_plan(hna):
    plan_services.plan_set(user=None, board=hna, year=2019, indicator="new_projects", value=Decimal("70"))
    build_hna("2019")


def test_versions_are_listed_newest_first_with_compare_links(client, built, hna, hna_staff):
    new_version_with_a_plan(hna)
    html = html_of(client, hna_staff, HNA_2019)
    assert re.findall(r'<tr data-version="(\d+)"', html) == ["2", "1"]
    assert re.findall(r'href="([^"]+)" data-compare', html) == ["/reports/board:HNA/2019/compare/?a=1&amp;b=2"]
    assert cells(html, 'data-indicator="new_projects"')[5:] == ["70", "95,71"]


def test_an_earlier_version_is_shown_on_request(client, built, hna, hna_staff):
    new_version_with_a_plan(hna)
    html = html_of(client, hna_staff, HNA_2019 + "?version=1")
    assert text(re.search(r'data-meta="version">(.*?)</dd>', html, re.S).group(1)) == "1 không phải bản mới nhất"
    assert cells(html, 'data-indicator="new_projects"')[5:] == ["–", "–"]
    assert '<input type="hidden" name="version" value="1">' in html


def test_compare_lists_what_changed_between_two_versions(client, built, hna, hna_staff):
    new_version_with_a_plan(hna)
    html = html_of(client, hna_staff, "/reports/board:HNA/2019/compare/?a=1&b=2")
    assert re.findall(r'<tr data-difference="(\w+)">', html) == ["new_projects", "new_projects"]
    rows = re.findall(r'<tr data-difference="\w+">(.*?)</tr>', html, re.S)
    assert [[text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in rows] == [
        ["Số dự án cấp mới", "số lượng", "Kế hoạch năm", "–", "70", "–"],
        ["Số dự án cấp mới", "số lượng", "Đạt (% KH)", "–", "95,71", "–"],
    ]


def test_compare_needs_two_existing_versions(client, built, hna_staff):
    client.force_login(hna_staff)
    assert client.get("/reports/board:HNA/2019/compare/?a=1&b=2").status_code == 404
    assert client.get("/reports/board:HNA/2019/compare/?a=1").status_code == 404


# --- charts --------------------------------------------------------------------------------------


def test_the_charts_show_built_years_and_gaps_for_the_others(client, built, hna_staff):
    build_hna("2017")
    html = html_of(client, hna_staff, HNA_2019)
    chart = html.split('data-chart="new_projects"')[1].split("</figure>")[0]
    bars = re.findall(r'<g data-bar="(\S+ \w+)">.*?<text [^>]*>([^<]+)</text>', chart, re.S)
    expected_2017 = ReportSnapshot.objects.get(scope="board:HNA", period="2017").indicators
    assert bars == [
        ("2017 fdi", str(expected_2017["new_projects_fdi"]["value"])),
        ("2017 ddi", str(expected_2017["new_projects_ddi"]["value"])),
        ("2019 fdi", "50"),
        ("2019 ddi", "17"),
    ]
    assert re.findall(r'data-gap="(\d+)"', chart) == ["2015", "2016", "2018"]
    assert text(re.search(r"data-charts-missing>(.*?)</p>", html, re.S).group(1)) == (
        "Chưa tính báo cáo các kỳ: 2015, 2016, 2018 (để trống trên biểu đồ)."
    )
    assert re.findall(r'data-chart="(\w+)"', html) == ["new_projects", "capital_fdi", "capital_ddi", "valid_projects"]


def test_trend_periods_step_back_within_the_kind():
    codes = [p.code for p in presentation.trend_periods(periods.parse("2019"))]
    assert codes == ["2015", "2016", "2017", "2018", "2019"]
    assert [p.code for p in presentation.trend_periods(periods.parse("2019-Q2"))] == [
        "2017-Q3", "2017-Q4", "2018-Q1", "2018-Q2", "2018-Q3", "2018-Q4", "2019-Q1", "2019-Q2",
    ]  # fmt: skip
    assert [p.code for p in presentation.trend_periods(periods.parse("2019-H1"))] == [
        "2016-H2", "2017-H1", "2017-H2", "2018-H1", "2018-H2", "2019-H1",
    ]  # fmt: skip
    months = presentation.trend_periods(periods.parse("2019-M02"))
    assert (len(months), months[0].code, months[-1].code) == (12, "2018-M03", "2019-M02")
    assert [p.code for p in presentation.trend_periods(periods.parse("2019-YTD11"))][-2:] == [
        "2018-YTD11",
        "2019-YTD11",
    ]


def test_the_axis_top_is_a_round_number_above_the_largest_value():
    assert presentation.nice_top(67) == (80, 20)
    assert presentation.nice_top(753.85) == (800, 200)
    assert presentation.nice_top(3) == (4, 1)
    assert presentation.nice_top(9) == (10, 2.5)
    assert presentation.nice_top(0) == (4, 1)


def test_a_chart_has_a_bar_per_series_and_a_gap_where_nothing_is_built():
    spec = presentation.ChartSpec(
        "x", "Dự án", "dự án", 1, (presentation.Series("a", "FDI", "fdi"), presentation.Series("b", "DDI", "ddi"))
    )
    points = [(periods.parse("2018"), None), (periods.parse("2019"), {"a": {"value": 8}, "b": {"value": 4}})]
    chart = presentation.trend_chart(spec, points)
    assert [(b["x"], b["y"], b["w"], b["h"], b["text"], b["css"]) for b in chart["bars"]] == [
        ("280.9", "28.0", "67.6", "172.0", "8", "fdi"),
        ("350.5", "114.0", "67.6", "86.0", "4", "ddi"),
    ]
    assert [(c["x"], c["label"], c["missing"]) for c in chart["categories"]] == [
        ("151.5", "2018", True),
        ("350.5", "2019", False),
    ]
    assert (chart["missing"], chart["baseline"], [t["text"] for t in chart["ticks"]]) == (
        ["2018"], "200.0", ["0", "2", "4", "6", "8"],
    )  # fmt: skip


def test_month_labels_are_tilted_and_gaps_are_outlined_without_words():
    stored = {"2019-M07": {"new_projects_fdi": {"value": 2}, "new_projects_ddi": {"value": 1}}}
    chart = presentation.report_charts(periods.parse("2019-M07"), stored)[0]
    assert (chart["tilt"], chart["box"].bottom, chart["baseline"], chart["gap_text"]) == (True, 48, "182.0", False)
    assert [c["label"] for c in chart["categories"]][::4] == ["T8/2018", "T12/2018", "T4/2019"]
    assert len(chart["missing"]) == 11
    year = presentation.report_charts(periods.parse("2019"), {})[0]
    assert (year["tilt"], year["box"].bottom, year["gap_text"]) == (False, 30, True)


def test_capital_charts_are_scaled_to_millions_and_billions():
    stored = {"2019": {"new_and_added_capital_fdi_usd": {"value": 753850000.0}, "new_and_added_capital_ddi_vnd": {
        "value": 3604090000000}}}  # fmt: skip
    charts = {chart["key"]: chart for chart in presentation.report_charts(periods.parse("2019"), stored)}
    assert [(b["period"], b["text"]) for b in charts["capital_fdi"]["bars"]] == [("2019", "753,9")]
    assert [(b["period"], b["text"]) for b in charts["capital_ddi"]["bars"]] == [("2019", "3.604,1")]
    assert (charts["capital_fdi"]["unit"], charts["capital_ddi"]["unit"]) == ("triệu USD", "tỷ đồng")
    assert charts["capital_fdi"]["missing"] == ["2015", "2016", "2017", "2018"]


# --- queries -------------------------------------------------------------------------------------


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_report_page_queries_do_not_grow_with_versions_and_periods(client, built, hna, ministry_user):
    client.force_login(ministry_user)
    few = queries(client, HNA_2019)
    new_version_with_a_plan(hna)
    for code in ("2015", "2016", "2017", "2018"):
        build_hna(code)
    assert queries(client, HNA_2019) == few


def test_the_national_page_queries_do_not_grow_with_versions(client, built, ministry_user):
    client.force_login(ministry_user)
    few = queries(client, "/reports/national/2019/")
    ZoneFactory(code="QNH-NEW", board=Board.objects.get(code="QNH"))
    builds.report_build(period=periods.parse("2019"))
    assert ReportSnapshot.objects.filter(scope="national", period="2019").count() == 2
    assert queries(client, "/reports/national/2019/") == few


# --- the index -----------------------------------------------------------------------------------


def test_the_index_lists_the_latest_reports_the_user_may_read(client, built, hna_staff):
    html = html_of(client, hna_staff, "/reports/")
    assert re.findall(r'<tr data-report="([^"]+)">', html) == ["bloc:DBSH 2019", "board:HNA 2019"]
    state = ReportState.objects.get(scope="board:HNA", period="2019")
    assert cells(html, 'data-report="board:HNA 2019"') == [
        "Ban Quản lý các khu công nghiệp tỉnh Hà Nam", "Năm 2019", "01/01/2019 – 31/12/2019", "1",
        vn_date(state.built_at), "",
    ]  # fmt: skip
    assert re.findall(r'<option value="([^"]+)"', html.split('name="scope"')[1].split("</select>")[0]) == [
        "board:HNA", "bloc:DBSH",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "location"),
    [
        ("scope=board:HNA&year=2019&kind=", "/reports/board:HNA/2019/"),
        ("scope=board:HNA&year=2019&kind=-Q3", "/reports/board:HNA/2019-Q3/"),
        ("scope=bloc:DBSH&year=2019&kind=-YTD11", "/reports/bloc:DBSH/2019-YTD11/"),
        ("scope=board:HNA&year=2019&kind=-Q3&code=2018-m07", "/reports/board:HNA/2018-M07/"),
    ],
)
def test_the_index_form_opens_the_chosen_report(client, demo, hna_staff, query, location):
    client.force_login(hna_staff)
    response = client.get(f"/reports/?{query}")
    assert (response.status_code, response["Location"]) == (302, location)


def test_the_index_form_explains_a_bad_code_and_refuses_a_scope_not_readable(client, demo, hna_staff):
    html = html_of(client, hna_staff, "/reports/?scope=board:HNA&year=2019&code=2019-Q5")
    assert text(re.search(r'data-error="code">(.*?)</div>', html, re.S).group(1)) == (
        "Mã kỳ '2019-Q5' không hợp lệ: số sau Q phải từ 1 đến 4."
    )
    html = html_of(client, hna_staff, "/reports/?scope=national&year=2019")
    assert re.search(r'name="scope"[^>]*aria-invalid="true"', html)


# --- the catalogue and the menu ------------------------------------------------------------------------


def test_the_catalogue_lists_every_indicator_by_group(client, hna_staff):
    html = html_of(client, hna_staff, "/reports/indicators/")
    assert len(re.findall(r"<tr data-indicator=", html)) == 52
    assert cells(html, 'data-indicator="new_projects_fdi"') == [
        "new_projects_fdi",
        "Số dự án cấp mới – FDI",
        "số lượng",
        "Số sự kiện cấp mới (cấp GCNĐKĐT lần đầu) có ngày trong kỳ. Chỉ tính dự án FDI.",
    ]
    assert re.findall(r'data-group-title="(\w+)"', html) == ["attraction", "valid", "zones", "enterprises"]


def test_the_menu_links_to_reports_and_plans(client, hna_staff):
    html = html_of(client, hna_staff, "/")
    assert re.findall(r'<a class="dropdown-item" href="(/reports/[^"]*)"[^>]*>([^<]+)</a>', html) == [
        ("/reports/", "Báo cáo tổng hợp"),
        ("/reports/deadlines/", "Hạn nộp và tình hình báo cáo"),
        ("/reports/approvals/", "Phê duyệt số liệu"),
        ("/reports/corrections/", "Đề nghị đính chính"),
    ]
    assert re.search(r'<a class="nav-link" href="/[^"]+" data-nav="plans">Kế hoạch</a>', html)
