from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.test import override_settings

from kcn_portal.core.models import AuditRecord, User
from web.management.commands import seed_demo
from zones import demo_data
from zones.models import Board, Membership, Zone

CODES = ["BNH", "HDG", "HNA", "HNI", "HPG", "HYN", "NBH", "NDH", "QNH", "TBH", "VPC"]


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _zones_steps_only(monkeypatch):
    # The investment steps (thousands of projects and reports) are tested in tests/investment/test_demo_data.py.
    steps = [(label, step) for label, step in seed_demo.STEPS if step.__module__ == seed_demo.__name__]
    monkeypatch.setattr(seed_demo, "STEPS", steps)


@pytest.fixture
def seeded(db):
    return seed()


def test_eleven_boards_of_the_bloc(seeded):
    assert list(Board.objects.values_list("code", flat=True)) == CODES
    assert set(Board.objects.values_list("bloc_code", flat=True)) == {"DBSH"}
    assert list(Board.objects.filter(kind="kkt").values_list("code", flat=True)) == ["HPG", "QNH"]
    assert Board.objects.get(code="TBH").name == "Ban Quản lý Khu kinh tế và các khu công nghiệp tỉnh Thái Bình"


def test_ha_nam_has_8_zones_with_2553_ha(seeded):
    zones = Zone.objects.filter(board__code="HNA")
    assert zones.count() == 8
    totals = zones.aggregate(natural=Sum("natural_area_ha"), leased=Sum("leased_land_ha"))
    assert totals == {"natural": Decimal("2553.00"), "leased": Decimal("710.00")}
    assert zones.get(code="HNA-DV1").name == "KCN Đồng Văn I"


def test_every_zone_satisfies_the_area_constraints(seeded):
    zones = list(Zone.objects.all())
    assert len(zones) == 106
    bad = [z.code for z in zones if not Decimal(0) <= z.leased_land_ha <= z.industrial_land_ha <= z.natural_area_ha]
    assert bad == []
    assert {z.board.code for z in zones} == set(CODES)


def test_economic_zones_have_their_kinds(seeded):
    kinds = dict(Zone.objects.filter(kind__startswith="KKT").values_list("code", "kind"))
    assert kinds == {
        "HPG-DVCH": "KKT_COASTAL",
        "QNH-VDO": "KKT_COASTAL",
        "QNH-MC": "KKT_BORDER",
        "TBH-KKT": "KKT_COASTAL",
    }


def test_24_users_with_their_roles(seeded):
    assert User.objects.count() == 24
    assert list(User.objects.filter(is_superuser=True, is_staff=True).values_list("username", flat=True)) == ["admin"]
    assert list(User.objects.filter(is_ministry=True).values_list("username", flat=True)) == ["ministry"]
    roles = set(Membership.objects.values_list("user__username", "board__code", "role"))
    expected = {(f"{c.lower()}.staff", c, "staff") for c in CODES} | {(f"{c.lower()}.lead", c, "leader") for c in CODES}
    assert roles == expected


def test_demo_password_and_vietnamese_names(seeded):
    user = User.objects.get(username="hna.staff")
    assert check_password("kcn-demo", user.password)
    assert (user.last_name, user.first_name) == ("Nguyễn Thị", "Thu")


def test_first_run_is_audited_as_command(seeded):
    assert AuditRecord.objects.count() == 11 + 106 + 22
    assert set(AuditRecord.objects.values_list("source", "action", "actor_name")) == {("command", "create", "")}
    assert "Ban quản lý: 11 tạo mới, 0 cập nhật, 0 không đổi" in seeded


def test_second_run_changes_nothing(seeded):
    counts = [m.objects.count() for m in (Board, Zone, User, Membership, AuditRecord)]
    versions = set(Zone.objects.values_list("version", flat=True))
    output = seed()
    assert [m.objects.count() for m in (Board, Zone, User, Membership, AuditRecord)] == counts
    assert set(Zone.objects.values_list("version", flat=True)) == versions == {1}
    assert "Khu công nghiệp, khu kinh tế: 0 tạo mới, 0 cập nhật, 106 không đổi" in output


def test_rerun_keeps_what_users_changed(seeded):
    user = User.objects.get(username="tbh.lead")
    user.set_password("mat-khau-moi")
    user.save()
    Zone.objects.filter(code="TBH-PK").update(leased_land_ha=Decimal("1.00"))
    Zone.objects.get(code="TBH-NDC").delete()
    seed()
    assert check_password("mat-khau-moi", User.objects.get(username="tbh.lead").password)
    assert Zone.objects.get(code="TBH-PK").leased_land_ha == Decimal("1.00")
    assert Zone.objects.filter(code="TBH-NDC").count() == 1  # a missing demo row comes back
    assert AuditRecord.objects.filter(action="update").count() == 0


@override_settings(KCN_DEMO_ALLOWED=False)
@pytest.mark.parametrize("args", [(), ("--list-logins",)])
def test_refused_under_production_settings(db, args):
    with pytest.raises(CommandError, match="Không được nạp dữ liệu mẫu"):
        seed(*args)
    assert [m.objects.count() for m in (Board, Zone, User, AuditRecord)] == [0, 0, 0, 0]


def test_list_logins_prints_the_table_and_writes_nothing(db):
    output = seed("--list-logins")
    assert output.splitlines()[0] == "Tài khoản dùng thử (mật khẩu chung: kcn-demo)"
    assert "  hna.staff  Chuyên viên – Ban Quản lý các khu công nghiệp tỉnh Hà Nam" in output.splitlines()
    assert len(output.splitlines()) == 25
    assert Board.objects.count() == 0


def test_demo_logins_function():
    logins = demo_data.demo_logins()
    assert len(logins) == 24
    assert logins[:3] == [
        ("admin", "Quản trị hệ thống"),
        ("ministry", "Cán bộ Bộ (đọc dữ liệu mọi Ban)"),
        ("qnh.staff", "Chuyên viên – Ban Quản lý Khu kinh tế Quảng Ninh"),
    ]
    assert logins[-1] == ("hni.lead", "Lãnh đạo Ban – Ban Quản lý các khu công nghiệp và chế xuất Hà Nội")
    assert demo_data.DEMO_PASSWORD == "kcn-demo"


def test_every_demo_login_reaches_its_home_page_through_the_login_form(seeded, client):
    from zones.demo_data import DEMO_PASSWORD, demo_logins

    greeted = []
    for username, _role in demo_logins():
        response = client.post("/login/", {"username": username, "password": DEMO_PASSWORD}, follow=True)
        user = response.context["user"]
        if response.redirect_chain == [("/", 302)] and user.username == username:
            greeted.append(username)
        client.logout()
    assert greeted == [username for username, _role in demo_logins()]
    assert len(greeted) == 24
