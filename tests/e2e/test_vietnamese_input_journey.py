"""A clerk types amounts and dates the Vietnamese way in the registration, adjustment and quarterly forms.

The figures stored are exact; an ambiguous amount is refused with what was typed still in the box; the
registration form shows the "245 tỷ đồng" reading under the capital while typing (docs/screenshots).
"""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from investment.models import EnterpriseReport, LicenceEvent
from tests.e2e.test_licence_journey import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CODE = "5421000456"
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "amount-input.png"


def register(page, live_server):
    page.goto(f"{live_server.url}/projects/new/")
    page.get_by_label("Khu").select_option(label="HNA-DV1 – KCN Đồng Văn I")
    page.get_by_label("Mã số dự án").fill(CODE)
    page.get_by_label("Loại dự án").select_option("fdi")
    page.locator("[name=investors-0-name]").fill("Hanwha Aero Engines")
    page.locator("[name=investors-0-country]").select_option(label="Hàn Quốc")
    page.locator("[name=investors-0-share_pct]").fill("100")
    page.get_by_label("Số giấy chứng nhận đăng ký đầu tư").fill("GCN-456")
    page.get_by_label("Ngày cấp mới").fill("05/11/2026")
    page.get_by_label("Tên dự án").fill("Nhà máy linh kiện")
    page.get_by_label("Vốn đầu tư (đồng)").press_sequentially("245.000.000.000")
    page.get_by_label("Vốn đầu tư (USD)").fill("10.500.000,50")
    hint = page.locator('[data-amount-hint-for="id_capital_vnd"]')
    assert hint.inner_text() == "245.000.000.000 đồng · 245 tỷ đồng"
    assert page.locator('[data-amount-hint-for="id_capital_usd"]').inner_text() == ("10.500.000,5 USD · 10,5 triệu USD")
    hint.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOT))
    page.get_by_role("button", name="Chọn ngày trên lịch").click()  # the vendored picker, in Vietnamese
    assert page.locator(".flatpickr-calendar.open .flatpickr-day.selected").inner_text() == "5"
    page.wait_for_timeout(500)  # the calendar fades in (300 ms): picture it drawn, not half transparent
    page.screenshot(path=str(SCREENSHOT.with_name("date-picker.png")))
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"{live_server.url}/projects/{CODE}/")


def test_a_clerk_types_vietnamese_amounts_and_dates(browser, page, live_server, hna_staff, hna_zone):
    login(page, live_server, "hna.staff")
    register(page, live_server)
    issue = LicenceEvent.objects.get(project__code=CODE)
    assert (issue.capital_vnd, issue.capital_usd, issue.event_date) == (
        245_000_000_000, Decimal("10500000.50"), datetime.date(2026, 11, 5),
    )  # fmt: skip

    page.get_by_role("link", name="Điều chỉnh", exact=True).click()
    page.get_by_label("Số giấy chứng nhận điều chỉnh").fill("DC-1")
    page.get_by_label("Ngày cấp điều chỉnh").fill("1/12/2026")
    vnd = page.get_by_label("Vốn đầu tư sau điều chỉnh (đồng)")
    vnd.fill("1,234,567")
    page.get_by_role("button", name="Lưu").click()
    assert vnd.input_value() == "1,234,567"  # refused, and what was typed is still there
    assert "Vốn đầu tư sau điều chỉnh (đồng): không hiểu '1,234,567'. Hãy viết 1.234.567 hoặc 1234567." in (
        page.locator(".invalid-feedback").all_inner_texts()
    )
    assert LicenceEvent.objects.count() == 1
    vnd.fill("300.000.000.000")
    assert page.locator('[data-change-for="capital_vnd"]').inner_text() == "+55.000.000.000"
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"{live_server.url}/projects/{CODE}/")
    adjusted = LicenceEvent.objects.get(kind="adjust")
    assert (adjusted.capital_vnd, adjusted.capital_change_vnd, adjusted.event_date) == (
        300_000_000_000, 55_000_000_000, datetime.date(2026, 12, 1),
    )  # fmt: skip

    page.goto(f"{live_server.url}/projects/{CODE}/reports/2026-Q4/")
    page.get_by_label("Doanh thu (đồng)").fill("1.234.567.890")
    page.get_by_label("Xuất khẩu (USD)").fill("10.500.000,50")
    page.get_by_label("Lao động cuối quý").fill("1.200")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    report = EnterpriseReport.objects.get()
    assert (report.revenue_vnd, report.export_usd, report.employees) == (1_234_567_890, Decimal("10500000.50"), 1200)
