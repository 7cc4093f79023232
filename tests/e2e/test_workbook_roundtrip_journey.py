"""Hà Nam's staff downloads the board's workbook, uploads it unchanged ("Không có thay đổi") with an approved
quarter present, then changes one cell of an open quarter, reads before → after in the preview, confirms, and
the stored figure is exact."""

import openpyxl
import pytest

from investment.models import EnterpriseReport
from reports.services import approval as approval_services

from .test_licence_journey import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def upload(page, live_server, path):
    page.goto(f"{live_server.url}/workbook/upload/")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_selector("[data-summary]")


def test_the_board_round_trips_its_own_workbook(page, live_server, ledger, hna, hna_leader, hna_staff, tmp_path):
    approval_services.period_approve(user=hna_leader, board=hna, period="2019-Q1", acknowledge_issues=True)
    login(page, live_server, "hna.staff")
    page.goto(f"{live_server.url}/boards/HNA/")
    page.get_by_role("link", name="Xuất bảng tính dữ liệu").click()
    page.get_by_role("button", name="Xuất bảng tính dữ liệu").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải tệp .xlsx").click()
    exported = tmp_path / "hna.xlsx"
    info.value.save_as(exported)

    upload(page, live_server, exported)
    assert page.locator("[data-no-changes]").inner_text().startswith("Không có thay đổi")

    wb = openpyxl.load_workbook(exported)
    ws = wb["enterprise_reports"]
    row = next(r for r in ws.iter_rows(min_row=2) if (r[0].value, r[1].value) == ("5421000001", "2019-Q3"))
    row[2].value = 31_500_000_000  # revenue_vnd of an open quarter
    wb.save(tmp_path / "edited.xlsx")
    upload(page, live_server, tmp_path / "edited.xlsx")
    change = page.locator(f"[data-changes=enterprise_reports] [data-change='{row[0].row}']")
    assert " ".join(change.inner_text().split()) == (
        f"{row[0].row} Sửa 5421000001 / 2019-Q3 revenue_vnd: 30000000000 → 31500000000"
    )
    page.get_by_role("button", name="Ghi vào cơ sở dữ liệu").click()
    page.wait_for_selector("[data-summary]")
    assert page.locator("[data-summary]").inner_text() == "Đã ghi dữ liệu vào cơ sở dữ liệu."
    assert EnterpriseReport.objects.get(project__code="5421000001", year=2019, quarter=3).revenue_vnd == 31_500_000_000
