"""Board and zone pages: scope (404 outside it), filters, pagination, create/edit, conflicts, queries."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kcn_portal.core.models import AuditRecord
from tests.factories import BoardFactory, ZoneFactory
from tests.factories import zone_form_data as form_data
from zones import services
from zones.enums import ZoneKind, ZoneStatus
from zones.models import Zone


def codes(response, attr="zone"):
    return re.findall(rf'data-{attr}="([^"]+)"', response.content.decode())


def text_of(html, pattern):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", re.search(pattern, html, re.S).group(1))).strip()


def snapshot(zone):
    return list(Zone.objects.filter(pk=zone.pk).values())


@pytest.fixture
def many_zones(hna, tbh, hna_zone, tbh_zone):
    ZoneFactory(code="HNA-CN", name="KCN Châu Sơn", board=hna, kind=ZoneKind.KCN_HIGHTECH)
    ZoneFactory(code="HNA-TL", name="KCN Thanh Liêm", board=hna, status=ZoneStatus.PLANNED, developer="Hòa Phát")
    ZoneFactory(code="TBH-TH", name="KCN Thái Thụy", board=tbh, status=ZoneStatus.PLANNED)


# Scope: a Hà Nam user never reaches a Thái Bình object.


def test_hna_staff_gets_404_for_tbh_pages(client, hna_staff, tbh_zone):
    client.force_login(hna_staff)
    assert client.get("/boards/TBH/").status_code == 404
    assert client.get(f"/zones/{tbh_zone.pk}/").status_code == 404
    assert client.get(f"/zones/{tbh_zone.pk}/edit/").status_code == 404


def test_hna_staff_cannot_change_tbh_zone_by_post(client, hna_staff, tbh_zone):
    before = snapshot(tbh_zone)
    client.force_login(hna_staff)
    response = client.post(f"/zones/{tbh_zone.pk}/edit/", form_data(tbh_zone, name="Đã bị sửa"))
    assert response.status_code == 404
    assert snapshot(tbh_zone) == before
    assert AuditRecord.objects.count() == 0


def test_ministry_reads_all_but_cannot_edit(client, ministry_user, hna_zone, tbh_zone):
    client.force_login(ministry_user)
    assert codes(client.get("/boards/"), "board") == ["HNA", "TBH"]
    assert codes(client.get("/zones/")) == ["HNA-DV1", "TBH-PK"]
    assert client.get(f"/zones/{tbh_zone.pk}/edit/").status_code == 404
    assert client.post(f"/zones/{tbh_zone.pk}/edit/", form_data(tbh_zone, name="x")).status_code == 404
    assert client.get("/zones/new/").status_code == 404
    assert Zone.objects.get(pk=tbh_zone.pk).name == "KCN Phúc Khánh"


def test_leader_cannot_create(client, hna_leader, hna_zone):
    client.force_login(hna_leader)
    assert client.get("/zones/new/").status_code == 404
    assert client.get(f"/zones/{hna_zone.pk}/edit/").status_code == 404
    assert "data-create" not in client.get("/zones/").content.decode()


def test_board_list_is_scoped(client, hna_staff, tbh):
    client.force_login(hna_staff)
    assert codes(client.get("/boards/"), "board") == ["HNA"]
    assert codes(client.get("/boards/?q=Thái"), "board") == []


# Pages show the figures in Vietnamese formats.


def test_zone_detail_figures(client, hna_leader, hna_zone):
    client.force_login(hna_leader)
    html = client.get(f"/zones/{hna_zone.pk}/").content.decode()
    figures = dict(re.findall(r'data-figure="(\w+)">([^<]*)<', html))
    assert figures == {"natural": "320 ha", "industrial": "234,5 ha", "leased": "123,45 ha", "occupancy": "52,6 %"}
    assert text_of(html, r'data-field="wastewater">(.*?)</dd>') == "Không"
    assert "data-edit" not in html  # a leader reads, staff write


def test_zone_detail_decision_and_edit_link(client, hna_staff, hna):
    zone = ZoneFactory(board=hna, established_decision_no="123/QĐ-TTg", established_on="2019-05-01")
    client.force_login(hna_staff)
    html = client.get(f"/zones/{zone.pk}/").content.decode()
    assert text_of(html, r'data-field="decision">(.*?)</dd>') == "Số 123/QĐ-TTg, ngày 01/05/2019"
    assert f'href="/zones/{zone.pk}/edit/" data-edit>Sửa</a>' in html


def test_board_detail_lists_zones_and_members(client, hna_staff, hna_zone):
    client.force_login(hna_staff)
    html = client.get("/boards/HNA/").content.decode()
    assert re.findall(r'data-zone="([^"]+)"', html) == ["HNA-DV1"]
    assert re.findall(r'data-member="([^"]+)"', html) == ["hna.staff"]
    assert text_of(html, r'<tr data-zone="HNA-DV1">(.*?)</tr>') == (
        "HNA-DV1 KCN Đồng Văn I Khu công nghiệp Đang hoạt động 320 ha 234,5 ha 123,45 ha 52,6 %"
    )


def test_board_detail_fields(client, hna_leader, hna):
    client.force_login(hna_leader)
    html = client.get("/boards/HNA/").content.decode()
    fields = re.findall(r"<dt[^>]*>(.*?)</dt><dd[^>]*>(.*?)</dd>", html)
    assert fields[:4] == [
        ("Mã", "HNA"), ("Tỉnh/thành phố", "Hà Nam"), ("Loại Ban", "Ban Quản lý các KCN"), ("Khối thi đua", "DBSH"),
    ]  # fmt: skip
    assert "data-history" in html and "Chưa có thay đổi nào được ghi nhận." in html


def test_ministry_does_not_see_members(client, ministry_user, hna_staff):
    client.force_login(ministry_user)
    assert codes(client.get("/boards/HNA/"), "member") == []


# Zone list: filters and pagination.


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["HNA-CN", "HNA-DV1", "HNA-TL", "TBH-PK", "TBH-TH"]),
        ("board=HNA", ["HNA-CN", "HNA-DV1", "HNA-TL"]),
        ("kind=KCN_HIGHTECH", ["HNA-CN"]),
        ("status=planned", ["HNA-TL", "TBH-TH"]),
        ("board=HNA&status=planned", ["HNA-TL"]),
        ("q=thái", ["TBH-TH"]),
        ("q=hòa phát", ["HNA-TL"]),
    ],
)
def test_zone_list_filters(client, admin_user, many_zones, query, expected):
    client.force_login(admin_user)
    assert codes(client.get(f"/zones/?{query}")) == expected


def test_invalid_filter_value_is_reported_not_applied(client, hna_staff, many_zones):
    client.force_login(hna_staff)
    response = client.get("/zones/?kind=BAD")
    assert codes(response) == ["HNA-CN", "HNA-DV1", "HNA-TL"]
    assert "BAD không phải là một trong các lựa chọn khả thi." in response.content.decode()


def test_zone_list_filters_within_scope(client, hna_staff, many_zones):
    client.force_login(hna_staff)
    assert codes(client.get("/zones/?status=planned")) == ["HNA-TL"]
    assert codes(client.get("/zones/?board=TBH")) == []


def test_zone_list_pagination_keeps_filter(client, hna_staff, hna, tbh):
    ZoneFactory.create_batch(30, board=hna)
    ZoneFactory(board=tbh)
    client.force_login(hna_staff)
    first = client.get("/zones/?board=HNA")
    assert len(codes(first)) == 25
    assert 'href="?board=HNA&amp;page=2">Trang sau</a>' in first.content.decode()
    second = client.get("/zones/?board=HNA&page=2")
    assert len(codes(second)) == 5
    assert "Trang 2/2" in second.content.decode()
    assert "Tìm thấy 30 khu." in second.content.decode()


def test_create_button_only_for_writers(client, hna_staff, ministry_user, hna):
    client.force_login(hna_staff)
    assert 'href="/zones/new/" data-create>Thêm khu</a>' in client.get("/zones/").content.decode()
    client.force_login(ministry_user)
    assert "data-create" not in client.get("/zones/").content.decode()


# Create and edit.


def test_staff_creates_zone_with_audit_on_board_page(client, hna_staff, hna, tbh):
    client.force_login(hna_staff)
    assert re.findall(r'<option value="(\d+)"', client.get("/zones/new/").content.decode()) == [str(hna.pk)]
    data = form_data(Zone(board=hna, natural_area_ha=300, industrial_land_ha=200, leased_land_ha=50))
    data.update(code="HNA-DV3", name="KCN Đồng Văn III", kind="KCN", status="operating", version="")
    response = client.post("/zones/new/", data)
    zone = Zone.objects.get(code="HNA-DV3")
    assert response["Location"] == f"/zones/{zone.pk}/"
    assert (zone.board, zone.leased_land_ha, zone.version) == (hna, Decimal("50.00"), 1)
    assert "Đã thêm khu HNA-DV3 – KCN Đồng Văn III." in client.get(response["Location"]).content.decode()
    board_page = client.get("/boards/HNA/").content.decode()
    assert f'data-audit="zones.zone:{zone.pk}:create"' in board_page


def test_create_cannot_pick_another_board(client, hna_staff, tbh):
    client.force_login(hna_staff)
    data = form_data(Zone(board=tbh, natural_area_ha=1, industrial_land_ha=1, leased_land_ha=0))
    data.update(code="TBH-X", name="X", kind="KCN", status="operating")
    response = client.post("/zones/new/", data)
    errors = re.findall(r'<div class="invalid-feedback d-block">(.*?)</div>', response.content.decode())
    assert errors == ["Hãy chọn một lựa chọn hợp lệ. Lựa chọn đó không phải là một trong các lựa chọn khả thi."]
    assert not Zone.objects.filter(code="TBH-X").exists()


def test_staff_edits_zone_and_history_shows_it(client, hna_staff, hna_zone):
    client.force_login(hna_staff)
    response = client.post(f"/zones/{hna_zone.pk}/edit/", form_data(hna_zone, leased_land_ha="200"))
    assert response["Location"] == f"/zones/{hna_zone.pk}/"
    zone = Zone.objects.get(pk=hna_zone.pk)
    assert (zone.leased_land_ha, zone.version) == (Decimal("200.00"), 2)
    html = client.get("/boards/HNA/").content.decode()
    row = text_of(html, rf'<tr data-audit="zones.zone:{zone.pk}:update">(.*?)</tr>')
    assert row.endswith(
        "hna.staff Trang web Sửa Khu: HNA-DV1 – KCN Đồng Văn I Diện tích đã cho thuê (ha): 123,45 → 200"
    )


def test_service_validation_error_is_shown_on_the_form(client, hna_staff, hna_zone):
    client.force_login(hna_staff)
    before = snapshot(hna_zone)
    response = client.post(f"/zones/{hna_zone.pk}/edit/", form_data(hna_zone, leased_land_ha="300"))
    assert response.status_code == 200
    assert "Diện tích đã cho thuê không được lớn hơn diện tích đất công nghiệp." in response.content.decode()
    assert snapshot(hna_zone) == before


def test_stale_version_shows_conflict_and_changes_nothing(client, hna_staff, hna_zone, admin_user):
    services.zone_update(user=admin_user, zone=hna_zone, name="KCN Đồng Văn I mở rộng", status="closed")
    before = snapshot(hna_zone)
    client.force_login(hna_staff)
    stale = form_data(hna_zone, name="KCN Đồng Văn I", status="operating", developer="Công ty X", version=1)
    response = client.post(f"/zones/{hna_zone.pk}/edit/", stale)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Khu này đã được người khác thay đổi trong lúc bạn sửa" in html
    assert [text_of(li, "(.*)") for li in re.findall(r"<li data-conflict-field>(.*?)</li>", html)] == [
        "Tên khu: KCN Đồng Văn I mở rộng",
        "Tình trạng: Đã đóng",
    ]
    assert snapshot(hna_zone) == before
    assert 'name="version" value="2"' in html  # saving again is now a deliberate choice


# Query counts: the same number of queries whatever the number of rows.


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_zone_list_query_count_is_constant(client, hna_staff, hna):
    client.force_login(hna_staff)
    ZoneFactory(board=hna)
    one = count_queries(client, "/zones/")
    ZoneFactory.create_batch(29, board=hna)
    assert count_queries(client, "/zones/") == one


def test_board_list_query_count_is_constant(client, admin_user):
    client.force_login(admin_user)
    ZoneFactory(board=BoardFactory())
    one = count_queries(client, "/boards/")
    for _ in range(29):
        ZoneFactory(board=BoardFactory())
    assert count_queries(client, "/boards/") == one
