"""A board's quarter grid (investment.views.grid): rows by zone and page, each page saved row by row, the
typed values kept on errors, optimistic versions per row, scope, field limits and constant query counts."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from investment.models import EnterpriseReport, Project
from investment.views import grid as views_grid
from kcn_portal.core.models import AuditRecord
from tests.factories import ZoneFactory, make_project

from .test_report_views import GRID, cells, inputs, save, text_of


@pytest.fixture
def project(hna_zone):
    return make_project(hna_zone, "5421000001", project_name="Dự án Hanwha")


@pytest.fixture
def other(hna_zone):
    return make_project(hna_zone, "5421000002", project_name="Dự án Foxconn", event_date=datetime.date(2019, 5, 2))


def test_grid_lists_each_expected_project_with_totals(client, hna_leader, project, other, tbh_zone):
    make_project(tbh_zone, "5421000009")  # another board's project
    save(project, revenue_vnd=1_000_000, export_usd=Decimal("10.5"), employees=10)
    save(other, revenue_vnd=2_500_000, employees=5, employees_foreign=1)
    make_project(project.zone, "5421000003", event_date=datetime.date(2019, 7, 1))  # issued after 2019-Q2
    client.force_login(hna_leader)
    html = client.get(GRID).content.decode()
    assert re.findall(r'<tr data-project="(\d+)"', html) == ["5421000001", "5421000002"]
    assert cells(html, 'data-project="5421000002"') == [
        "5421000002", "Dự án Foxconn", "Có", "2.500.000", "–", "–", "–", "–", "5", "1", "–", "–",
    ]  # fmt: skip
    assert cells(html, "data-totals") == [
        "Tổng các báo cáo đã lưu (cả Ban)", "3.500.000", "–", "10,50", "–", "–", "15", "1", "–", "–",
    ]  # fmt: skip
    assert "data-grid-form" not in html  # a leader reads


def test_grid_filter_shows_only_projects_not_reported(client, hna_staff, project, other):
    save(project, revenue_vnd=1)
    client.force_login(hna_staff)
    html = client.get(GRID + "?missing=1").content.decode()
    assert re.findall(r'<tr data-project="(\d+)"', html) == ["5421000002"]
    assert text_of(html, r"data-count>(.*?)</p>") == "1 dự án chưa báo cáo quý này."
    assert re.findall(r'href="/boards/HNA/reports/([^"]+)" data-(?:previous|next)', html) == [
        "2019-Q1/?missing=1", "2019-Q3/?missing=1",
    ]  # fmt: skip


def test_grid_saves_changed_rows_only_in_one_post(client, hna_staff, project, other):
    untouched = save(other, revenue_vnd=9, employees=3)
    client.force_login(hna_staff)
    data = inputs(client.get(GRID).content.decode())
    assert (data["form-0-project"], data["form-0-version"], data["form-1-version"]) == ("5421000001", "0", "1")
    data.update({"form-0-revenue_vnd": "4000000", "form-0-employees": "20", "form-0-export_usd": "12.34"})
    response = client.post(GRID, data, follow=True)
    saved = EnterpriseReport.objects.get(project=project)
    assert (saved.revenue_vnd, saved.export_usd, saved.employees, saved.version) == (4_000_000, Decimal("12.34"), 20, 1)
    assert EnterpriseReport.objects.get(pk=untouched.pk).version == 1
    assert list(AuditRecord.objects.filter(actor=hna_staff).values_list("action", "object_id")) == [
        ("create", str(saved.pk))
    ]
    assert "Đã lưu 1 báo cáo." in response.content.decode()


def test_grid_saves_the_valid_rows_and_keeps_a_failed_one_as_typed(client, hna_staff, project, other):
    # Each row is saved on its own (it was all rows or none before the grid had pages): the valid row is stored.
    client.force_login(hna_staff)
    data = inputs(client.get(GRID).content.decode())
    data.update({"form-0-revenue_vnd": "4000000", "form-1-employees": "5", "form-1-employees_foreign": "6"})
    html = client.post(GRID, data).content.decode()
    assert re.findall(r'<tr data-project="(\d+)" class="table-danger"', html) == ["5421000002"]
    assert re.findall(r"data-error>(.*?)</div>", html) == ["Lao động nước ngoài không được lớn hơn tổng số lao động."]
    assert (inputs(html)["form-1-employees"], inputs(html)["form-1-employees_foreign"]) == ("5", "6")  # kept
    assert text_of(html, r"data-failed-summary>\s*<p[^>]*>(.*?)</p>") == "1 dòng chưa lưu được: 5421000002."
    assert text_of(html, r'role="alert">(.*?)<button') == "Đã lưu 1 báo cáo."
    assert list(EnterpriseReport.objects.values_list("project__code", "revenue_vnd", "employees")) == [
        ("5421000001", 4_000_000, None)
    ]


def test_grid_checks_each_rows_version(client, hna_staff, project, other):
    save(project, revenue_vnd=1)
    save(other, revenue_vnd=2)
    client.force_login(hna_staff)
    data = inputs(client.get(GRID).content.decode())
    save(project, revenue_vnd=10)  # changed by someone else meanwhile, in both rows
    save(other, revenue_vnd=20)
    data.update({"form-0-revenue_vnd": "100", "form-1-employees": "7"})
    html = client.post(GRID, data).content.decode()
    assert text_of(html, r'data-row-errors="5421000001">(.*?)</tr>') == (
        "Người khác đã sửa báo cáo này trong lúc bạn nhập: Doanh thu (đồng): 10."
    )
    assert text_of(html, r'data-row-errors="5421000002">(.*?)</tr>') == (
        "Người khác đã sửa báo cáo này trong lúc bạn nhập: Doanh thu (đồng): 20."
    )
    assert list(EnterpriseReport.objects.order_by("project__code").values_list("revenue_vnd", "employees")) == [
        (10, None), (20, None),
    ]  # fmt: skip


def test_grid_an_untouched_row_changed_meanwhile_is_no_conflict(client, hna_staff, project, other):
    save(other, revenue_vnd=2)
    client.force_login(hna_staff)
    data = inputs(client.get(GRID).content.decode())
    save(other, revenue_vnd=20)  # someone else; this user does not touch that row
    client.post(GRID, {**data, "form-0-revenue_vnd": "100"})
    assert list(EnterpriseReport.objects.order_by("project__code").values_list("revenue_vnd", "version")) == [
        (100, 1), (20, 2),
    ]  # fmt: skip


def test_grid_is_404_outside_scope_and_read_only_for_writers_of_nothing(client, tbh_staff, hna_leader, project):
    client.force_login(tbh_staff)
    assert client.get(GRID).status_code == 404
    client.force_login(hna_leader)
    assert client.post(GRID, {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"}).status_code == 404
    assert client.get("/boards/HNA/reports/2019-Q0/").status_code == 404


def test_grid_page_queries_do_not_grow_with_projects_or_zones(client, hna_staff, hna_zone):
    client.force_login(hna_staff)
    make_project(hna_zone, "5421000100")
    with CaptureQueriesContext(connection) as one:
        assert client.get(GRID).status_code == 200
    second = ZoneFactory(code="HNA-DV2", board=hna_zone.board)
    for number in range(101, 160):
        project = make_project(hna_zone if number < 130 else second, f"54210{number:05d}")
        save(project, revenue_vnd=number)
    for query, rows in (("", 30), ("?zone=all&page=2", 10), ("?zone=HNA-DV2&missing=1", 0), ("?zone=HNA-DV2", 30)):
        with CaptureQueriesContext(connection) as many:
            html = client.get(GRID + query).content.decode()
        # An empty page reads neither its rows nor their reports: two queries fewer.
        assert (len(rows_of(html)), len(many)) == (rows, len(one) - (2 if rows == 0 else 0))


def test_grid_filtered_rows_reported_meanwhile_are_not_overwritten(client, hna_staff, project, other):
    client.force_login(hna_staff)
    data = inputs(client.get(GRID + "?missing=1").content.decode())
    save(project, revenue_vnd=5)  # reported by someone else after the grid was opened
    response = client.post(GRID + "?missing=1", {**data, "form-1-revenue_vnd": "7"})
    assert response.url == GRID + "?missing=1"
    assert list(EnterpriseReport.objects.order_by("project__code").values_list("revenue_vnd", "version")) == [
        (5, 1), (7, 1),
    ]  # fmt: skip


# --- zones and pages -------------------------------------------------------------------------------


def rows_of(html):
    return re.findall(r'<tr data-project="(\d+)"', html)


@pytest.fixture
def two_zones(hna_zone, monkeypatch):
    """Pages of two rows: three projects in HNA-DV1, two in HNA-DV2."""
    monkeypatch.setattr(views_grid, "PAGE_SIZE", 2)
    second = ZoneFactory(code="HNA-DV2", name="KCN Đồng Văn II", board=hna_zone.board)
    for number, zone in ((3, hna_zone), (1, hna_zone), (2, hna_zone), (5, second), (4, second)):
        make_project(zone, f"542100000{number}")
    return second


def test_grid_pages_by_zone_with_exact_rows(client, hna_staff, two_zones):
    save(Project.objects.get(code="5421000004"), revenue_vnd=1)
    client.force_login(hna_staff)
    html = client.get(GRID).content.decode()
    assert rows_of(html) == ["5421000001", "5421000002"]  # the first zone, its first page
    assert re.findall(r'data-zone="([^"]+)"[^>]*>([^<]*)<span[^>]*>([^<]*)</span>', html) == [
        ("HNA-DV1", "HNA-DV1 ", "0/3"), ("HNA-DV2", "HNA-DV2 ", "1/2"),
    ]  # fmt: skip
    assert text_of(html, r"data-page-rows>(.*?)</p>") == "HNA-DV1 – KCN Đồng Văn I: dòng 1–2 trên 3"
    assert rows_of(client.get(GRID + "?zone=HNA-DV1&page=2").content.decode()) == ["5421000003"]
    assert rows_of(client.get(GRID + "?zone=HNA-DV2").content.decode()) == ["5421000004", "5421000005"]
    assert rows_of(client.get(GRID + "?zone=all&page=2").content.decode()) == ["5421000003", "5421000004"]
    assert rows_of(client.get(GRID + "?zone=HNA-DV2&missing=1").content.decode()) == ["5421000005"]


def test_grid_of_an_unknown_zone_is_404(client, hna_staff, two_zones, tbh_zone):
    client.force_login(hna_staff)
    assert client.get(GRID + "?zone=TBH-PK").status_code == 404
    assert client.get(GRID + "?zone=HNA-XX").status_code == 404


def test_saving_a_page_stores_its_rows_and_leaves_the_others(client, hna_staff, two_zones):
    client.force_login(hna_staff)
    page = GRID + "?zone=HNA-DV1&page=2"
    data = inputs(client.get(page).content.decode())
    assert (data["form-TOTAL_FORMS"], data["form-0-project"]) == ("1", "5421000003")
    data.update({"form-0-revenue_vnd": "7250000000", "form-0-export_usd": "1234.5", "form-0-employees": "41"})
    response = client.post(page, data)
    assert response.url == page
    assert list(EnterpriseReport.objects.values_list("project__code", "revenue_vnd", "export_usd", "employees")) == [
        ("5421000003", 7_250_000_000, Decimal("1234.50"), 41)
    ]
    html = client.get(page).content.decode()
    assert re.findall(r'<tr data-project="(\d+)" class="table-success"[^>]*data-saved>', html) == ["5421000003"]
    assert "data-saved" not in client.get(page).content.decode()  # said once, after the save


def test_the_amount_inputs_are_text(client, hna_staff, project):
    client.force_login(hna_staff)
    html = client.get(GRID).content.decode()
    tags = re.findall(r'<input[^>]*name="form-0-(?:revenue_vnd|export_usd|employees)"[^>]*>', html)
    assert [re.search(r'type="(\w+)"', tag).group(1) for tag in tags] == ["text", "text", "text"]


def test_a_saved_rows_version_moves_on_when_the_page_comes_back_with_errors(client, hna_staff, project, other):
    client.force_login(hna_staff)
    data = inputs(client.get(GRID).content.decode())
    data.update({"form-0-revenue_vnd": "10", "form-1-employees": "x"})
    again = inputs(client.post(GRID, data).content.decode())
    assert (again["form-0-version"], again["form-0-revenue_vnd"], again["form-1-employees"]) == ("1", "10", "x")
    again["form-1-employees"] = "3"
    assert client.post(GRID, again).status_code == 302  # no conflict with one's own save
    stored = EnterpriseReport.objects.order_by("project__code").values_list("revenue_vnd", "employees", "version")
    assert list(stored) == [(10, None, 1), (None, 3, 1)]


def test_a_post_for_another_boards_project_is_404_and_stores_nothing(client, hna_staff, project, tbh_zone):
    make_project(tbh_zone, "5421000009")
    client.force_login(hna_staff)
    data = inputs(client.get(GRID).content.decode())
    data.update({"form-0-project": "5421000009", "form-0-revenue_vnd": "5"})
    assert client.post(GRID, data).status_code == 404
    data["form-0-project"] = "5421999999"  # no such project at all: the same answer
    assert client.post(GRID, data).status_code == 404
    assert (EnterpriseReport.objects.count(), AuditRecord.objects.filter(actor=hna_staff).count()) == (0, 0)


def test_more_rows_than_a_page_are_refused_whole(client, hna_staff, project, monkeypatch):
    monkeypatch.setattr(views_grid, "PAGE_SIZE", 1)
    client.force_login(hna_staff)
    data = inputs(client.get(GRID).content.decode())
    data.update({"form-TOTAL_FORMS": "2", "form-0-revenue_vnd": "5", "form-1-project": "5421000001"})
    html = client.post(GRID, data).content.decode()
    assert text_of(html, r'role="alert">(.*?)<button') == (
        "Chưa lưu gì: mỗi lần lưu được tối đa 1 dòng, của một trang; hãy tải lại trang rồi lưu."
    )
    assert EnterpriseReport.objects.count() == 0


def test_too_many_fields_get_a_vietnamese_page_not_djangos_english_400(client, hna_staff, project, settings):
    client.force_login(hna_staff)
    data = {f"form-{index}-revenue_vnd": "1" for index in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(GRID, data)
    html = response.content.decode()
    assert (response.status_code, re.search(r"<h1>(.*?)</h1>", html).group(1)) == (400, "Yêu cầu không hợp lệ")
    assert "các giá trị đã nhập vẫn được giữ trong trình duyệt" in html
    assert "Bad Request" not in html and EnterpriseReport.objects.count() == 0
