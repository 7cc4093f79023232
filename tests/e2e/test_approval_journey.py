"""Hà Nam's leader approves a half year; staff cannot change it any more, and the figures change only through
a correction the leader approves or a reopening that locks again — each leaves a restated report with a diff."""

import datetime

import pytest

from reports.models import PeriodApproval, ReportSnapshot

from .test_licence_journey import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def as_user(browser, live_server, username):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, live_server, username)
    return context, page


def approve(page, live_server, period):
    page.goto(f"{live_server.url}/reports/approvals/HNA/{period}/")
    page.get_by_role("button", name="Phê duyệt", exact=True).click()
    page.wait_for_url(f"{live_server.url}/reports/approvals/HNA/{period}/")
    return page.locator(".alert-success").inner_text()


def test_a_correction_after_approval_leaves_a_restated_report(
    browser,
    page,
    live_server,
    ledger,
    hna_leader,
    hna_staff,
):
    login(page, live_server, "hna.lead")
    assert (
        "Đã phê duyệt số liệu kỳ 6 tháng đầu năm 2019 của Ban Quản lý các KCN tỉnh Hà Nam (bản báo cáo phiên bản 1)."
        in approve(page, live_server, "2019-H1")
    )
    assert page.locator("[data-approval-status] .badge").inner_text() == "Đã phê duyệt"

    context, staff = as_user(browser, live_server, "hna.staff")
    try:
        # A new adjustment dated in the approved half is refused with the period and the way out.
        staff.goto(f"{live_server.url}/projects/5421000001/")
        assert staff.locator("[data-locked]").all_inner_texts() == ["Kỳ 6 tháng đầu năm 2019 đã phê duyệt"] * 2
        staff.get_by_role("link", name="Điều chỉnh", exact=True).click()
        staff.get_by_label("Số giấy chứng nhận điều chỉnh").fill("DC-LATE")
        staff.get_by_label("Ngày cấp điều chỉnh").fill("2019-05-20")
        staff.get_by_label("Vốn đầu tư sau điều chỉnh (đồng)").fill("1500000000000")
        staff.get_by_label("Vốn đầu tư sau điều chỉnh (USD)").fill("65000000")
        staff.get_by_role("button", name="Lưu").click()
        assert staff.locator(".invalid-feedback").first.inner_text() == (
            f"Số liệu kỳ 2019-H1 của Ban đã được lãnh đạo phê duyệt ngày {datetime.date.today():%d/%m/%Y} nên không "
            "sửa được sự kiện ngày 20/05/2019. Hãy đề nghị đính chính, hoặc đề nghị mở lại kỳ."
        )
        # The adjustment of 01/06/2019 is corrected through a proposal with a file.
        staff.goto(f"{live_server.url}/projects/5421000001/")
        staff.locator("[data-propose-correction]").last.click()
        staff.get_by_label("Vốn đầu tư sau điều chỉnh (đồng)").fill("1400000000000")
        staff.get_by_label("Lý do đính chính").fill("Sai vốn theo GCN bản gốc")
        staff.get_by_label("Tệp căn cứ đính chính").set_input_files(
            {"name": "gcn-dieu-chinh.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        staff.get_by_role("button", name="Gửi đề nghị đính chính").click()
        assert "chờ lãnh đạo Ban duyệt" in staff.locator(".alert-success").inner_text()
        correction_url = staff.url
    finally:
        context.close()

    page.goto(correction_url)
    assert page.locator("[data-changes] tbody tr").all_inner_texts() == [
        "Vốn đầu tư (đồng)\t1.383.000.000.000\t1.400.000.000.000"
    ]
    page.get_by_role("button", name="Duyệt đính chính").click()
    assert "sự kiện có phiên bản mới 2" in page.locator(".alert-success").inner_text()

    # The approval now pins version 2, which restates version 1, and the report page shows the difference.
    approval = PeriodApproval.objects.get(board__code="HNA", period="2019-H1")
    assert (approval.snapshot.version, approval.snapshot.restates.version) == (2, 1)
    page.goto(f"{live_server.url}/reports/board:HNA/2019-H1/")
    assert_restated(page, old="1.383.000.000.000", new="1.400.000.000.000")


def test_a_reopening_unlocks_for_a_time_and_leaves_a_restated_report(
    browser,
    page,
    live_server,
    ledger,
    hna_leader,
    hna_staff,
):
    login(page, live_server, "hna.lead")
    approve(page, live_server, "2019-Q3")
    context, staff = as_user(browser, live_server, "hna.staff")
    try:
        staff.goto(f"{live_server.url}/reports/approvals/HNA/2019-Q3/")
        staff.get_by_label("Lý do đề nghị mở lại").fill("Bổ sung báo cáo quý 3 của dự án 5421000001")
        staff.get_by_role("button", name="Gửi đề nghị mở lại").click()
        assert "chờ lãnh đạo Ban quyết định" in staff.locator(".alert-success").inner_text()

        page.goto(f"{live_server.url}/reports/approvals/HNA/2019-Q3/")
        page.get_by_label("Mở trong (ngày)").fill("2")
        page.get_by_role("button", name="Đồng ý mở lại").click()
        assert "Đã mở lại kỳ 2019-Q3 đến" in page.locator(".alert-success").inner_text()

        # While open, the quarter's report of the project is changed on its own page.
        staff.goto(f"{live_server.url}/projects/5421000001/reports/2019-Q3/")
        staff.get_by_label("Doanh thu (đồng)").fill("45000000000")
        staff.get_by_role("button", name="Lưu").click()
        assert "Đã lưu báo cáo quý" in staff.locator(".alert-success").inner_text()
    finally:
        context.close()

    page.goto(f"{live_server.url}/reports/approvals/HNA/2019-Q3/")
    page.get_by_role("button", name="Khóa lại ngay").click()
    assert "Đã khóa lại kỳ 2019-Q3" in page.locator(".alert-success").inner_text()
    approval = PeriodApproval.objects.get(board__code="HNA", period="2019-Q3")
    assert ReportSnapshot.objects.get(pk=approval.snapshot_id).version == 2
    page.goto(f"{live_server.url}/reports/board:HNA/2019-Q3/")
    assert_restated(page, old="37.000.000.000", new="52.000.000.000")


def assert_restated(page, *, old: str, new: str) -> None:
    banner = page.locator("[data-restated]")
    assert "phiên bản 1" in banner.inner_text()
    rows = page.locator("[data-restated-diff] tbody tr").all_inner_texts()
    assert any(old in row and new in row for row in rows), rows
