"""A Hà Nam official registers a project, adjusts it twice and ends it in a real browser; Thái Bình cannot see it."""

import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "kcn-test-pass"  # tests.factories.UserFactory's password
CODE = "5421000123"


def login(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")


def register(page, live_server):
    page.goto(f"{live_server.url}/projects/new/")
    page.get_by_label("Khu").select_option(label="HNA-DV1 – KCN Đồng Văn I")
    page.get_by_label("Mã số dự án").fill(CODE)
    page.get_by_label("Loại dự án").select_option("fdi")
    page.locator("[name=investors-0-name]").fill("Hanwha Aero Engines")
    page.locator("[name=investors-0-country]").select_option(label="Hàn Quốc")
    page.locator("[name=investors-0-share_pct]").fill("100")
    page.get_by_label("Số giấy chứng nhận đăng ký đầu tư").fill("GCN-001")
    page.get_by_label("Ngày cấp mới").fill("2019-03-15")
    page.get_by_label("Tên dự án").fill("Nhà máy linh kiện động cơ")
    page.get_by_label("Vốn đầu tư (đồng)").fill("1152500000000")
    page.get_by_label("Vốn đầu tư (USD)").fill("50000000")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"{live_server.url}/projects/{CODE}/")


def adjust(page, number, day, vnd, usd, expected_change):
    page.get_by_role("link", name="Điều chỉnh", exact=True).click()
    page.get_by_label("Số giấy chứng nhận điều chỉnh").fill(number)
    page.get_by_label("Ngày cấp điều chỉnh").fill(day)
    page.get_by_label("Vốn đầu tư sau điều chỉnh (đồng)").fill(vnd)
    page.get_by_label("Vốn đầu tư sau điều chỉnh (USD)").fill(usd)
    # The change is computed in the page as the user types, before anything is saved.
    assert page.locator('[data-change-for="capital_vnd"]').inner_text() == expected_change
    page.get_by_role("button", name="Lưu").click()


def test_staff_records_a_licence_history_that_another_board_cannot_see(
    browser, page, live_server, hna_staff, hna_zone, tbh_staff
):
    login(page, live_server, "hna.staff")
    register(page, live_server)
    adjust(page, "DC-1", "2020-06-01", "1200000000000", "52000000", "+47.500.000.000")
    assert "Đã ghi nhận Điều chỉnh lần 1 (số DC-1)" in page.locator(".alert-success").inner_text()
    adjust(page, "DC-2", "2021-01-05", "1100000000000", "47500000", "−100.000.000.000")
    page.get_by_role("link", name="Chấm dứt").click()
    page.get_by_label("Số quyết định chấm dứt").fill("QĐ-99")
    page.get_by_label("Ngày chấm dứt").fill("2023-02-01")
    page.get_by_label("Nhà đầu tư chấm dứt (khoản 1 Điều 48)").check()
    page.get_by_role("button", name="Lưu quyết định chấm dứt").click()
    page.wait_for_url(f"{live_server.url}/projects/{CODE}/")

    assert page.locator("[data-ledger] [data-label]").all_inner_texts() == [
        "Cấp mới", "Điều chỉnh lần 1", "Điều chỉnh lần 2", "Chấm dứt",
    ]  # fmt: skip
    assert page.locator("[data-change-vnd]").all_inner_texts() == ["+47.500.000.000 đồng", "−100.000.000.000 đồng"]
    assert page.locator("[data-change-usd]").all_inner_texts() == ["+2.000.000 USD", "−4.500.000 USD"]
    assert page.locator("[data-status]").inner_text() == "Đã chấm dứt"
    assert page.locator("[data-capital-chart] [data-chart-point]").count() == 3
    assert re.fullmatch(r"M.* H.* V.* H.* V.* H.*", page.locator("[data-chart-line]").get_attribute("d"))
    assert page.locator("[data-chart-terminated]").count() == 1

    other = browser.new_context(locale="vi-VN")
    try:
        tbh_page = other.new_page()
        login(tbh_page, live_server, "tbh.staff")
        response = tbh_page.goto(f"{live_server.url}/projects/{CODE}/")
        assert response.status == 404
        assert CODE not in tbh_page.content()
    finally:
        other.close()
