"""A board official signs in through the real login page and works within their own board."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


PASSWORD = "kcn-test-pass"  # tests.factories.UserFactory's password


def _login(page, live_server, username, password=PASSWORD):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_staff_signs_in_and_sees_only_their_board(page, live_server, hna_staff, hna_zone, tbh_zone):
    _login(page, live_server, "hna.staff")
    page.wait_for_url(f"{live_server.url}/")
    assert "Ban Quản lý các KCN tỉnh Hà Nam" in page.content()
    page.goto(f"{live_server.url}/zones/")
    codes = page.locator("table tbody tr td:first-child").all_inner_texts()
    assert [c.strip() for c in codes] == ["HNA-DV1"]
    response = page.goto(f"{live_server.url}/zones/{tbh_zone.pk}/")
    assert response.status == 404


def test_wrong_password_shows_a_vietnamese_error(page, live_server, hna_staff):
    _login(page, live_server, "hna.staff", password="sai-mat-khau")
    assert page.url == f"{live_server.url}/login/"
    assert page.locator(".alert-danger").inner_text().strip() == (
        "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa và chữ thường."
    )
