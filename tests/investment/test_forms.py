"""The project and quarterly report pages read amounts and dates as Vietnamese type them (investment/forms/)."""

import re
from decimal import Decimal

import pytest

from investment.models import EnterpriseReport, LicenceEvent, Project
from tests.factories import make_project
from tests.investment.test_views import errors, register_data

pytestmark = pytest.mark.django_db
CODE = "5421000777"


def test_register_stores_vietnamese_amounts_and_a_day_first_date_exactly(client, hna_staff, hna_zone):
    client.force_login(hna_staff)
    data = register_data(hna_zone, capital_vnd="2.300.000.000.000", capital_usd="100.000.000,50")
    data.update(land_area_ha="20,5", planned_employees="3.000", event_date="03/02/2020")
    assert client.post("/projects/new/", data)["Location"] == f"/projects/{CODE}/"
    e = LicenceEvent.objects.get(project__code=CODE)
    assert (e.capital_vnd, e.capital_usd, e.land_area_ha, e.planned_employees, str(e.event_date)) == (
        2_300_000_000_000, Decimal("100000000.50"), Decimal("20.50"), 3000, "2020-02-03",
    )  # fmt: skip


def test_an_ambiguous_amount_is_refused_with_the_typed_text_kept(client, hna_staff, hna_zone):
    client.force_login(hna_staff)
    response = client.post("/projects/new/", register_data(hna_zone, capital_vnd="1,234,567", event_date="31/02/2020"))
    assert errors(response) == [
        "Ngày cấp mới: ngày &#x27;31/02/2020&#x27; không có trong lịch. Hãy viết ngày/tháng/năm, ví dụ 05/11/2026.",
        "Vốn đầu tư (đồng): không hiểu &#x27;1,234,567&#x27;. Hãy viết 1.234.567 hoặc 1234567.",
    ]
    html = response.content.decode()
    assert ('value="1,234,567"' in html, 'value="31/02/2020"' in html, Project.objects.count()) == (True, True, 0)


def test_an_unusual_capital_is_saved_only_once_confirmed(client, hna_staff, hna_zone):
    client.force_login(hna_staff)
    data = register_data(hna_zone, capital_vnd="245", capital_usd="")
    first = client.post("/projects/new/", data).content.decode()
    warning = re.findall(r"<li data-amount-warning>(.*?)</li>", first)
    assert (warning, Project.objects.count()) == (
        [
            "Vốn đầu tư (đồng): 245 đồng — rất nhỏ so với vốn đầu tư thường gặp (từ 1 triệu đồng); kiểm tra lại "
            "hoặc đánh dấu “Tôi xác nhận số liệu này”."
        ],
        0,
    )
    assert 'name="confirm_amounts"' in first and 'value="245"' in first
    client.post("/projects/new/", {**data, "confirm_amounts": "on"})
    assert LicenceEvent.objects.get(project__code=CODE).capital_vnd == 245


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "1e400", "-Infinity"])
def test_nan_infinity_and_huge_exponents_in_the_adjustment_are_refused_not_a_500(client, hna_staff, hna_zone, typed):
    project = make_project(hna_zone, CODE, user=hna_staff)
    client.force_login(hna_staff)
    data = {"version": project.version, "certificate_no": "DC-1", "event_date": "01/06/2020", "project_name": "X"}
    response = client.post(f"/projects/{CODE}/adjust/", {**data, "capital_vnd": typed, "capital_usd": "50000000"})
    assert (response.status_code, errors(response), LicenceEvent.objects.count()) == (
        200, [f"Vốn đầu tư sau điều chỉnh (đồng): không hiểu &#x27;{typed}&#x27;. Hãy viết 1.234.567 hoặc 1234567."], 1,
    )  # fmt: skip


def test_the_adjustment_reads_grouped_amounts_and_shows_the_change(client, hna_staff, hna_zone):
    project = make_project(hna_zone, CODE, user=hna_staff)
    client.force_login(hna_staff)
    data = {"version": project.version, "certificate_no": "DC-1", "event_date": "1/6/2020", "project_name": "X"}
    client.post(f"/projects/{CODE}/adjust/", {**data, "capital_vnd": "1.200.000.000.000", "capital_usd": "52.000.000"})
    event = LicenceEvent.objects.get(kind="adjust")
    assert (event.capital_vnd, event.capital_usd, event.capital_change_vnd, str(event.event_date)) == (
        1_200_000_000_000, Decimal("52000000.00"), 47_500_000_000, "2020-06-01",
    )  # fmt: skip


def test_the_quarterly_report_stores_vietnamese_figures_exactly(client, hna_staff, hna_zone):
    make_project(hna_zone, CODE, user=hna_staff)
    client.force_login(hna_staff)
    data = {"version": "0", "revenue_vnd": "1.234.567.890", "export_usd": "10.500.000,50", "employees": "1.200"}
    client.post(f"/projects/{CODE}/reports/2019-Q2/", {**data, "employees_foreign": "12", "budget_vnd": "0"})
    report = EnterpriseReport.objects.get()
    assert (report.revenue_vnd, report.export_usd, report.employees, report.employees_foreign, report.budget_vnd) == (
        1_234_567_890, Decimal("10500000.50"), 1200, 12, 0,
    )  # fmt: skip


def test_a_small_quarterly_revenue_is_warned_and_kept_once_confirmed(client, hna_staff, hna_zone):
    make_project(hna_zone, CODE, user=hna_staff)
    client.force_login(hna_staff)
    url, data = f"/projects/{CODE}/reports/2019-Q2/", {"version": "0", "revenue_vnd": "500.000"}
    html = client.post(url, data).content.decode()
    assert (html.count("<li data-amount-warning>"), EnterpriseReport.objects.count()) == (1, 0)
    assert "Doanh thu (đồng): 500.000 đồng — rất nhỏ so với doanh thu một quý thường gặp (từ 1 triệu đồng)" in html
    client.post(url, {**data, "confirm_amounts": "on"})
    assert EnterpriseReport.objects.get().revenue_vnd == 500_000
