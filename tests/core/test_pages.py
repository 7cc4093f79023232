"""Login, lockout, layout and the home page of every role."""

import re

import pytest

from tests.factories import UserFactory


def board_rows(response):
    return re.findall(r'data-board="([^"]+)"', response.content.decode())


def login(client, password, username="hna.staff"):
    return client.post("/login/", {"username": username, "password": password})


def test_login_page_is_vietnamese(client, db):
    html = client.get("/login/").content.decode()
    assert '<html lang="vi">' in html
    assert '<h1 class="h3 mb-3">Đăng nhập</h1>' in html
    assert '<label class="form-label" for="id_username">Tên đăng nhập' in html
    assert '<label class="form-label" for="id_password">Mật khẩu' in html


def test_layout_serves_bootstrap_itself(client, db):
    html = client.get("/login/").content.decode()
    assert '<link rel="stylesheet" href="/static/bootstrap/css/bootstrap.min.css">' in html
    assert '<script src="/static/bootstrap/js/bootstrap.bundle.min.js"></script>' in html
    assert '<link rel="stylesheet" href="/static/css/portal.css">' in html
    assert "cdn" not in html.lower()


def test_wrong_password_is_refused_in_vietnamese(client, hna_staff):
    response = login(client, "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_right_password_reaches_home(client, hna_staff):
    response = login(client, "kcn-test-pass")
    assert (response.status_code, response["Location"]) == (302, "/")
    assert board_rows(client.get("/")) == ["HNA"]


def test_lockout_after_five_failures(client, hna_staff):
    for _ in range(4):
        assert "mật khẩu không đúng" in login(client, "sai").content.decode()
    login(client, "sai")
    response = login(client, "kcn-test-pass")  # even the right password is refused now
    html = response.content.decode()
    assert response.status_code == 429
    assert "Tài khoản tạm thời bị khóa vì đã đăng nhập sai 5 lần liên tiếp." in html
    assert "Vui lòng thử lại sau 30 phút" in html
    assert "_auth_user_id" not in client.session


def test_home_needs_login(client, db):
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/")


@pytest.mark.parametrize(
    ("fixture", "boards", "role"),
    [
        ("hna_staff", ["HNA"], "Chuyên viên Ban"),
        ("hna_leader", ["HNA"], "Lãnh đạo Ban"),
        ("tbh_staff", ["TBH"], "Chuyên viên Ban"),
        ("ministry_user", ["HNA", "TBH"], "Cán bộ Bộ"),
        ("admin_user", ["HNA", "TBH"], "Quản trị hệ thống"),
    ],
)
def test_home_shows_the_boards_of_each_role(client, request, hna_zone, tbh_zone, fixture, boards, role):
    client.force_login(request.getfixturevalue(fixture))
    html = client.get("/").content.decode()
    assert re.findall(r'data-board="([^"]+)"', html) == boards
    assert f'<span class="badge text-bg-light ms-1" data-nav-role>{role}</span>' in html


def test_board_home_row_has_figures(client, hna_staff, hna_zone):
    client.force_login(hna_staff)
    html = client.get("/").content.decode()
    row = re.search(r'<tr data-board="HNA">(.*?)</tr>', html, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells == [
        "HNA",
        "Ban Quản lý các KCN tỉnh Hà Nam",
        "Hà Nam",
        "1",
        "320 ha",
        "234,5 ha",
        "123,45 ha",
        "52,6 %",
    ]


def test_ministry_overview_has_totals_and_no_admin_link(client, ministry_user, hna_zone, tbh_zone):
    client.force_login(ministry_user)
    html = client.get("/").content.decode()
    totals = re.search(r"<tr [^>]*data-totals>(.*?)</tr>", html, re.S).group(1)
    assert [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", totals, re.S)] == [
        "Tổng cộng", "2", "620 ha", "434,5 ha", "273,45 ha", "62,9 %",
    ]  # fmt: skip
    assert "/admin/" not in html


def test_admin_home_links_to_admin(client, admin_user, hna):
    client.force_login(admin_user)
    html = client.get("/").content.decode()
    assert 'href="/admin/" data-admin-link>Trang quản trị</a>' in html
    assert '<a class="nav-link" href="/admin/">Quản trị</a>' in html


def test_user_without_role_is_told_so(client, hna):
    client.force_login(UserFactory(username="nobody"))
    html = client.get("/").content.decode()
    assert '<h2 class="h5 alert-heading">Tài khoản chưa được phân quyền</h2>' in html
    assert board_rows(client.get("/")) == []


def test_navigation_names_board_users_boards(client, hna_staff, ministry_user):
    client.force_login(hna_staff)
    assert "Ban của tôi" in client.get("/").content.decode()
    client.force_login(ministry_user)
    assert "Các Ban quản lý" in client.get("/").content.decode()


def test_logout_is_a_post(client, hna_staff):
    client.force_login(hna_staff)
    html = client.get("/").content.decode()
    assert '<form method="post" action="/logout/" class="d-inline">' in html
    response = client.post("/logout/")
    assert (response.status_code, response["Location"]) == (302, "/login/")
    assert client.get("/")["Location"] == "/login/?next=/"


def test_language_switch(client, hna_staff):
    client.force_login(hna_staff)
    assert '<form method="post" action="/i18n/setlang/"' in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()
