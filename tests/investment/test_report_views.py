"""Enterprise report pages: one report, completeness, missing list, exchange rates (the grid: test_quarter_grid.py)."""

import datetime
import html as htmllib
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from investment.models import EnterpriseReport, ExchangeRate
from investment.services import enterprise_reports as services
from investment.views import enterprise_reports as views_reports
from tests.factories import make_project

URL = "/projects/5421000001/reports/2019-Q2/"
GRID = "/boards/HNA/reports/2019-Q2/"


def text_of(html, pattern):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", re.search(pattern, html, re.S).group(1))).strip()


def cells(html, row_pattern):
    """The text of each cell of the first table row matching `row_pattern`."""
    row = re.search(rf"<tr {row_pattern}[^>]*>(.*?)</tr>", html, re.S).group(1)
    return [text_of(cell, r"(.*)") for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]


def inputs(html):
    """What a browser would post: every named input of the page's POST form with its value."""
    form = re.search(r'<form method="post"[^>]*data-(?:report|grid)-form>.*?</form>', html, re.S).group(0)
    data = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="checkbox"' not in tag:
            data[name.group(1)] = htmllib.unescape(value.group(1)) if value else ""
    return data


def figures(report):
    return [getattr(report, name) for name in ("revenue_vnd", "export_usd", "employees", "employees_foreign")]


@pytest.fixture
def project(hna_zone):
    return make_project(hna_zone, "5421000001", project_name="Dự án Hanwha")


@pytest.fixture
def other(hna_zone):
    return make_project(hna_zone, "5421000002", project_name="Dự án Foxconn", event_date=datetime.date(2019, 5, 2))


def save(project, quarter=2, user=None, **figures):
    return services.enterprise_report_save(user=user, project=project, year=2019, quarter=quarter, **figures)[0]


# --- one project's report ----------------------------------------------------------------------


def test_staff_saves_a_new_report(client, hna_staff, project):
    client.force_login(hna_staff)
    data = {**inputs(client.get(URL).content.decode()), "revenue_vnd": "12500000000", "export_usd": "1234567.89"}
    data.update(employees="850", employees_foreign="12")
    response = client.post(URL, data, follow=True)
    report = EnterpriseReport.objects.get(project=project, year=2019, quarter=2)
    assert figures(report) == [12_500_000_000, Decimal("1234567.89"), 850, 12]
    assert (report.version, report.updated_by, data["version"]) == (1, hna_staff, "0")
    assert text_of(response.content.decode(), r'role="alert">(.*?)<button') == (
        "Đã lưu báo cáo quý 2019-Q2 của dự án 5421000001."
    )


def test_figures_are_checked_and_nothing_is_saved(client, hna_staff, project):
    client.force_login(hna_staff)
    data = {"version": "0", "revenue_vnd": "1.5", "export_usd": "10.1234", "employees": "10", "employees_foreign": "11"}
    html = client.post(URL, data).content.decode()
    errors = re.findall(
        r'for="id_(\w+)">(?:(?!for="id_).)*?<div class="invalid-feedback d-block">(.*?)</div>', html, re.S
    )
    assert errors == [
        (
            "revenue_vnd",
            "Doanh thu (đồng): &#x27;1.5&#x27; có phần lẻ, số đồng phải là số nguyên. Hãy viết 1.234.567 hoặc 1234567.",
        ),
        (
            "export_usd",
            "Xuất khẩu (USD): &#x27;10.1234&#x27; có quá 2 chữ số thập phân. Hãy viết 1.234.567,89 hoặc 1234567.89.",
        ),
        ("employees_foreign", "Lao động nước ngoài không được lớn hơn tổng số lao động."),
    ]
    assert EnterpriseReport.objects.count() == 0


def test_a_stale_form_is_refused_with_what_changed(client, hna_staff, project):
    save(project, revenue_vnd=5_000_000, employees=100)
    client.force_login(hna_staff)
    data = inputs(client.get(URL).content.decode())
    save(project, revenue_vnd=7_000_000, employees=100)  # someone else saves meanwhile
    html = client.post(URL, {**data, "revenue_vnd": "6000000"}).content.decode()
    assert re.findall(r"<li data-conflict-field>(.*?)</li>", html) == [
        '<span class="fw-semibold">Doanh thu (đồng)</span>: 7.000.000'
    ]
    report = EnterpriseReport.objects.get()
    assert (report.revenue_vnd, report.version, inputs(html)["version"], inputs(html)["revenue_vnd"]) == (
        7_000_000, 2, "2", "6000000",
    )  # fmt: skip


def test_leader_reads_the_report_and_cannot_post(client, hna_leader, project):
    save(project, revenue_vnd=12_500_000_000, export_usd=Decimal("1234567.8"), employees=850)
    client.force_login(hna_leader)
    html = client.get(URL).content.decode()
    assert "data-report-form" not in html
    assert cells(html, 'data-figure="revenue_vnd"') == ["Doanh thu (đồng)", "12.500.000.000"]
    assert cells(html, 'data-figure="export_usd"') == ["Xuất khẩu (USD)", "1.234.567,80"]
    assert cells(html, 'data-figure="employees_foreign"') == ["Trong đó lao động nước ngoài", "–"]
    assert client.post(URL, {"version": "1", "revenue_vnd": "1"}).status_code == 404
    assert EnterpriseReport.objects.get().revenue_vnd == 12_500_000_000


def test_other_boards_do_not_see_the_report(client, tbh_staff, project):
    client.force_login(tbh_staff)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"version": "0", "revenue_vnd": "1"}).status_code == 404
    assert EnterpriseReport.objects.count() == 0


def test_an_invalid_quarter_code_says_so(client, hna_staff, project):
    client.force_login(hna_staff)
    response = client.get("/projects/5421000001/reports/2019-Q5/")
    assert response.status_code == 404
    assert text_of(response.content.decode(), r"data-invalid-period>(.*?)</div>") == (
        "“2019-Q5” không phải là một quý: cần dạng YYYY-QN (năm, chữ Q và số quý từ 1 đến 4), ví dụ 2019-Q3."
    )


def test_a_quarter_before_the_issue_has_no_form(client, hna_staff, project):
    client.force_login(hna_staff)
    html = client.get("/projects/5421000001/reports/2018-Q4/").content.decode()
    assert text_of(html, r"data-problem>(.*?)</div>") == "Dự án được cấp mới ngày 15/03/2019, sau quý 2018-Q4."
    assert "data-report-form" not in html
    assert re.findall(r'href="/projects/5421000001/reports/([^/]+)/" data-(?:previous|next)', html) == [
        "2018-Q3", "2019-Q1",
    ]  # fmt: skip


# --- completeness and missing list --------------------------------------------------------------


@pytest.fixture
def year_2019(project, other):
    late = make_project(project.zone, "5421000003", event_date=datetime.date(2019, 8, 1))
    save(project, quarter=1, revenue_vnd=1)
    save(project, quarter=2, revenue_vnd=1)
    save(other, quarter=2, revenue_vnd=1)
    save(late, quarter=3, revenue_vnd=1)
    return late


def test_completeness_of_a_year(client, hna_leader, year_2019):
    client.force_login(hna_leader)
    html = client.get("/boards/HNA/reports/completeness/?year=2019").content.decode()
    rows = [cells(html, f'data-period="2019-Q{q}"')[:5] for q in (4, 3, 2, 1)]
    assert rows == [
        ["Quý 4/2019", "3", "0", "3", "100,0 %"],
        ["Quý 3/2019", "3", "1", "2", "66,7 %"],
        ["Quý 2/2019", "2", "2", "0", "0,0 %"],
        ["Quý 1/2019", "1", "1", "0", "0,0 %"],
    ]
    assert 'href="/boards/HNA/reports/2019-Q3/missing/" data-missing-link>2</a>' in html


def test_completeness_defaults_to_the_last_eight_ended_quarters(client, hna_leader, year_2019, monkeypatch):
    monkeypatch.setattr(views_reports, "current_quarter", lambda: (2020, 2))
    client.force_login(hna_leader)
    html = client.get("/boards/HNA/reports/completeness/").content.decode()
    assert re.findall(r'<tr data-period="([^"]+)"', html) == [
        "2020-Q1", "2019-Q4", "2019-Q3", "2019-Q2", "2019-Q1", "2018-Q4", "2018-Q3", "2018-Q2",
    ]  # fmt: skip
    assert cells(html, 'data-period="2018-Q4"')[:5] == ["Quý 4/2018", "0", "0", "0", "–"]


def test_missing_list_of_a_quarter(client, hna_staff, year_2019):
    client.force_login(hna_staff)
    html = client.get("/boards/HNA/reports/2019-Q3/missing/").content.decode()
    assert cells(html, 'data-project="5421000001"')[:6] == [
        "5421000001", "Dự án Hanwha", "HNA-DV1", "FDI (vốn nước ngoài)", "15/03/2019", "–",
    ]  # fmt: skip
    assert re.findall(r'<tr data-project="(\d+)"', html) == ["5421000001", "5421000002"]
    assert text_of(html, r"data-count>(.*?)</p>") == "2 trên 3 dự án phải báo cáo chưa báo cáo quý này."
    assert 'href="/projects/5421000002/reports/2019-Q3/">Nhập báo cáo</a>' in html


def test_missing_list_queries_do_not_grow_with_projects(client, hna_staff, hna_zone):
    client.force_login(hna_staff)
    make_project(hna_zone, "5421000100")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/boards/HNA/reports/2019-Q3/missing/").status_code == 200
    for number in range(101, 120):
        make_project(hna_zone, f"54210{number:05d}")
    with CaptureQueriesContext(connection) as twenty:
        html = client.get("/boards/HNA/reports/2019-Q3/missing/").content.decode()
    assert (len(re.findall(r'<tr data-project="', html)), len(twenty)) == (20, len(one))


def test_completeness_is_404_for_other_boards(client, tbh_staff, year_2019):
    client.force_login(tbh_staff)
    assert client.get("/boards/HNA/reports/completeness/").status_code == 404
    assert client.get("/boards/HNA/reports/2019-Q3/missing/").status_code == 404


# --- exchange rates ---------------------------------------------------------------------------------


def test_exchange_rates_newest_first(client, hna_leader):
    ExchangeRate.objects.filter(valid_from__year=2026).update(source="")
    client.force_login(hna_leader)
    with CaptureQueriesContext(connection) as before:
        html = client.get("/exchange-rates/").content.decode()
    assert re.findall(r'data-rate="([^"]+)"', html)[:3] == ["2026-01-01", "2025-01-01", "2024-01-01"]
    assert cells(html, 'data-rate="2026-01-01"') == ["01/01/2026", "nay", "26.150,00", "–"]
    assert cells(html, 'data-rate="2019-01-01"')[:3] == ["01/01/2019", "31/12/2019", "23.050,00"]
    assert "data-admin-add" not in html and "data-admin-edit" not in html
    ExchangeRate.objects.create(valid_from=datetime.date(1999, 1, 1), valid_to=datetime.date(1999, 12, 31),
                                vnd_per_usd=Decimal("13943.5"))  # fmt: skip
    with CaptureQueriesContext(connection) as after:
        html = client.get("/exchange-rates/").content.decode()
    assert (re.findall(r'data-rate="([^"]+)"', html)[-1], len(after)) == ("1999-01-01", len(before))


def test_administrators_get_admin_links_for_rates(client, admin_user):
    rate = ExchangeRate.objects.get(valid_from=datetime.date(2026, 1, 1))
    client.force_login(admin_user)
    html = client.get("/exchange-rates/").content.decode()
    assert re.findall(r'href="([^"]+)" data-admin-edit', html)[0] == f"/admin/investment/exchangerate/{rate.pk}/change/"
    assert 'href="/admin/investment/exchangerate/add/" data-admin-add' in html
