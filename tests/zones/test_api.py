"""The /api/v1/ boards and zones endpoints: scope, writes through services, ETag/If-Match, query counts."""

import pytest
from rest_framework.authtoken.models import Token

from kcn_portal.core.models import AuditRecord
from tests.api import as_user
from tests.factories import BoardFactory, ZoneFactory
from zones import services
from zones.models import Board, Zone

TOKEN = "/api/v1/auth/token/"
BOARDS = "/api/v1/boards/"
ZONES = "/api/v1/zones/"
CANNOT_WRITE = "Bạn chỉ được xem, không được sửa dữ liệu khu của Ban quản lý này."
NO_ZONE = {"detail": "Không tìm thấy khu này."}


def _codes(response):
    return [row["code"] for row in response.json()["results"]]


def _zone_payload(**overrides):
    return {
        "code": "HNA-TL3",
        "name": "KCN Thanh Liêm",
        "board": "HNA",
        "kind": "KCN",
        "status": "planned",
        "natural_area_ha": 200.5,
        "industrial_land_ha": 150,
        "leased_land_ha": 37.5,
        "developer": "Công ty CP Phát triển KCN Thanh Liêm",
        "established_decision_no": "1234/QĐ-TTg",
        "established_on": "2019-05-20",
        "has_wastewater_plant": True,
        **overrides,
    }


def _unchanged(zone, name, version=1):
    zone.refresh_from_db()
    return (zone.name, zone.version) == (name, version)


# --- token authentication -------------------------------------------------------------------


def test_token_obtain_and_use(api_client, hna_staff, hna_zone, tbh_zone):
    response = api_client.post(TOKEN, {"username": "hna.staff", "password": "kcn-test-pass"})
    assert response.json() == {"token": Token.objects.get(user=hna_staff).key}
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert _codes(api_client.get(ZONES)) == ["HNA-DV1"]


def test_token_is_refused_once_axes_locked_the_login(api_client, hna_staff, settings):
    # django-axes sees the token view's attempts (DRF passes `request` to authenticate()).
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api_client.post(TOKEN, {"username": "hna.staff", "password": "sai-mat-khau"})
    response = api_client.post(TOKEN, {"username": "hna.staff", "password": "kcn-test-pass"})
    assert (response.status_code, response.json()) == (
        400,
        {"non_field_errors": ["Không thể đăng nhập với thông tin đã nhập."]},
    )
    assert not Token.objects.exists()


# --- zones: reading within scope --------------------------------------------------------------


def test_hna_staff_lists_only_hna_zones(api_client, hna_staff, hna, hna_zone, tbh_zone):
    ZoneFactory(code="HNA-CT", name="KCN Châu Sơn", board=hna)
    response = as_user(api_client, hna_staff).get(ZONES)
    assert _codes(response) == ["HNA-CT", "HNA-DV1"]
    assert response.json()["count"] == 2


def test_filter_by_another_board_is_empty(api_client, hna_staff, hna_zone, tbh_zone):
    response = as_user(api_client, hna_staff).get(ZONES, {"board": "TBH"})
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_zone_filters_are_the_page_filters(api_client, ministry_user, hna, hna_zone, tbh_zone):
    ZoneFactory(code="HNA-KCX", board=hna, kind="KCX", status="planned")
    client = as_user(api_client, ministry_user)
    assert _codes(client.get(ZONES, {"board": "hna"})) == ["HNA-DV1", "HNA-KCX"]
    assert _codes(client.get(ZONES, {"kind": "KCX"})) == ["HNA-KCX"]
    assert _codes(client.get(ZONES, {"status": "operating"})) == ["HNA-DV1", "TBH-PK"]
    assert _codes(client.get(ZONES, {"q": "phúc"})) == ["TBH-PK"]
    assert client.get(ZONES, {"kind": "XX"}).json() == {
        "kind": ["Hãy chọn một lựa chọn hợp lệ. XX không phải là một trong các lựa chọn khả thi."]
    }


def test_zone_detail_json_and_etag(api_client, hna_staff, hna_zone):
    response = as_user(api_client, hna_staff).get(f"{ZONES}{hna_zone.pk}/")
    assert response["ETag"] == '"1"'
    assert response.json() == {
        "id": hna_zone.pk,
        "code": "HNA-DV1",
        "name": "KCN Đồng Văn I",
        "board": "HNA",
        "board_name": "Ban Quản lý các KCN tỉnh Hà Nam",
        "kind": "KCN",
        "status": "operating",
        "natural_area_ha": 320.0,
        "industrial_land_ha": 234.5,
        "leased_land_ha": 123.45,
        "occupancy_pct": 52.6,
        "developer": "",
        "established_decision_no": "",
        "established_on": None,
        "has_wastewater_plant": False,
        "version": 1,
    }


def test_hna_staff_cannot_read_or_change_a_thai_binh_zone(api_client, hna_staff, tbh_zone):
    client, url = as_user(api_client, hna_staff), f"{ZONES}{tbh_zone.pk}/"
    assert (client.get(url).status_code, client.get(url).json()) == (404, NO_ZONE)
    assert client.patch(url, {"name": "Đổi tên"}, format="json").json() == NO_ZONE
    put = client.put(url, _zone_payload(code="TBH-PK", board="HNA"), format="json")
    assert (put.status_code, put.json()) == (404, NO_ZONE)
    assert _unchanged(tbh_zone, "KCN Phúc Khánh")
    assert not AuditRecord.objects.exists()


def test_ministry_reads_both_boards_but_cannot_change(api_client, ministry_user, hna_zone, tbh_zone):
    client = as_user(api_client, ministry_user)
    assert _codes(client.get(ZONES)) == ["HNA-DV1", "TBH-PK"]
    response = client.patch(f"{ZONES}{tbh_zone.pk}/", {"name": "Đổi tên"}, format="json")
    assert (response.status_code, response.json()) == (403, {"detail": CANNOT_WRITE})
    assert _unchanged(tbh_zone, "KCN Phúc Khánh")


def test_board_leader_reads_but_cannot_change_or_create(api_client, hna_leader, hna_zone):
    client = as_user(api_client, hna_leader)
    assert client.get(f"{ZONES}{hna_zone.pk}/").json()["code"] == "HNA-DV1"
    assert client.patch(f"{ZONES}{hna_zone.pk}/", {"name": "x"}, format="json").json() == {"detail": CANNOT_WRITE}
    created = client.post(ZONES, _zone_payload(), format="json")
    assert (created.status_code, created.json()) == (403, {"detail": "Bạn không có quyền tạo khu cho Ban quản lý nào."})
    assert _unchanged(hna_zone, "KCN Đồng Văn I")
    assert Zone.objects.count() == 1


# --- zones: writing -----------------------------------------------------------------------------


def test_staff_creates_a_zone_in_own_board(api_client, hna_staff, hna):
    response = as_user(api_client, hna_staff).post(ZONES, _zone_payload(), format="json")
    zone = Zone.objects.get(code="HNA-TL3")
    assert (response.status_code, response["ETag"]) == (201, '"1"')
    expected = {"id": zone.pk, "board_name": hna.name, "occupancy_pct": 25.0, "version": 1}
    assert response.json() == {**_zone_payload(), **expected}
    record = AuditRecord.objects.get()
    assert (record.source, record.action, record.actor_name, record.board, record.object_id) == (
        "api",
        "create",
        "hna.staff",
        hna,
        str(zone.pk),
    )


def test_creating_a_zone_in_another_board_is_refused_on_board(api_client, hna_staff, tbh):
    response = as_user(api_client, hna_staff).post(ZONES, _zone_payload(code="TBH-X", board="TBH"), format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"board": ["Ban quản lý “TBH” không tồn tại hoặc bạn không có quyền nhập dữ liệu cho Ban này."]},
    )
    assert not Zone.objects.exists()


def test_put_without_if_match_replaces_the_zone(api_client, hna_staff, hna_zone):
    payload = _zone_payload(code="HNA-DV1", name="KCN Đồng Văn I (mở rộng)")
    response = as_user(api_client, hna_staff).put(f"{ZONES}{hna_zone.pk}/", payload, format="json")
    assert (response.status_code, response["ETag"]) == (200, '"2"')
    assert response.json() == {
        **payload,
        "id": hna_zone.pk,
        "board_name": hna_zone.board.name,
        "occupancy_pct": 25.0,
        "version": 2,
    }
    assert _unchanged(hna_zone, "KCN Đồng Văn I (mở rộng)", version=2)
    assert AuditRecord.objects.get().source == "api"


def test_patch_with_the_current_etag_is_saved(api_client, hna_staff, hna_zone):
    url = f"{ZONES}{hna_zone.pk}/"
    response = as_user(api_client, hna_staff).patch(
        url, {"developer": "Công ty Đồng Văn"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert (response.status_code, response["ETag"]) == (200, '"2"')
    assert (response.json()["developer"], response.json()["version"], response.json()["name"]) == (
        "Công ty Đồng Văn",
        2,
        "KCN Đồng Văn I",
    )
    assert AuditRecord.objects.get().changes == {"developer": ["", "Công ty Đồng Văn"]}


def test_stale_if_match_is_412_with_the_current_values(api_client, hna_staff, hna_zone):
    services.zone_update(user=hna_staff, zone=hna_zone, name="KCN Đồng Văn I (mở rộng)")
    url = f"{ZONES}{hna_zone.pk}/"
    response = as_user(api_client, hna_staff).patch(url, {"developer": "Công ty X"}, format="json", HTTP_IF_MATCH='"1"')
    assert (response.status_code, response["ETag"]) == (412, '"2"')
    body = response.json()
    assert (
        body["detail"] == "Dữ liệu đã được người khác thay đổi trong lúc bạn sửa. Hãy xem giá trị hiện tại rồi sửa lại."
    )
    assert (body["current"]["name"], body["current"]["developer"], body["current"]["version"]) == (
        "KCN Đồng Văn I (mở rộng)",
        "",
        2,
    )
    assert body["changed"] == {"name": ["KCN Đồng Văn I", "KCN Đồng Văn I (mở rộng)"]}
    hna_zone.refresh_from_db()
    assert (hna_zone.developer, hna_zone.version, AuditRecord.objects.count()) == ("", 2, 1)


def test_a_save_landing_between_read_and_write_is_412(api_client, hna_staff, hna_zone, monkeypatch):
    real_update = services.zone_update

    def someone_saves_first(**kwargs):
        Zone.objects.filter(pk=hna_zone.pk).update(name="Đổi bởi người khác", version=2)
        return real_update(**kwargs)

    monkeypatch.setattr(services, "zone_update", someone_saves_first)
    response = as_user(api_client, hna_staff).patch(f"{ZONES}{hna_zone.pk}/", {"developer": "X"}, format="json")
    assert (response.status_code, response.json()["current"]["name"]) == (412, "Đổi bởi người khác")
    assert Zone.objects.get(pk=hna_zone.pk).developer == ""


def test_negative_area_is_400_with_the_field_error(api_client, hna_staff, hna_zone):
    response = as_user(api_client, hna_staff).patch(f"{ZONES}{hna_zone.pk}/", {"natural_area_ha": -1}, format="json")
    assert (response.status_code, response.json()) == (400, {"natural_area_ha": ["Diện tích không được âm."]})
    hna_zone.refresh_from_db()
    assert (str(hna_zone.natural_area_ha), hna_zone.version) == ("320.00", 1)


def test_leased_above_stored_industrial_land_is_400(api_client, hna_staff, hna_zone):
    response = as_user(api_client, hna_staff).patch(f"{ZONES}{hna_zone.pk}/", {"leased_land_ha": 240}, format="json")
    assert response.json() == {
        "leased_land_ha": ["Diện tích đã cho thuê không được lớn hơn diện tích đất công nghiệp."]
    }
    assert _unchanged(hna_zone, "KCN Đồng Văn I")


def test_there_is_no_delete(api_client, admin_user, hna_zone):
    response = as_user(api_client, admin_user).delete(f"{ZONES}{hna_zone.pk}/")
    assert (response.status_code, Zone.objects.count()) == (405, 1)


# --- boards -------------------------------------------------------------------------------------


def test_hna_staff_lists_own_board_with_land_sums(api_client, hna_staff, hna_zone, tbh_zone):
    response = as_user(api_client, hna_staff).get(BOARDS)
    assert response.json()["results"] == [
        {
            "code": "HNA",
            "name": "Ban Quản lý các KCN tỉnh Hà Nam",
            "province": "Hà Nam",
            "kind": "kcn",
            "bloc_code": "DBSH",
            "address": "",
            "phone": "",
            "email": "",
            "website": "",
            "zone_count": 1,
            "natural_area_ha": 320.0,
            "industrial_land_ha": 234.5,
            "leased_land_ha": 123.45,
            "occupancy_pct": 52.6,
        }
    ]


def test_board_detail_is_scoped(api_client, hna_staff, ministry_user, tbh):
    response = as_user(api_client, hna_staff).get(f"{BOARDS}TBH/")
    assert (response.status_code, response.json()) == (404, {"detail": "Không tìm thấy Ban quản lý “TBH”."})
    board = as_user(api_client, ministry_user).get(f"{BOARDS}TBH/").json()
    # A board without zones sums to zero; occupancy has no meaning there.
    assert (board["zone_count"], board["natural_area_ha"], board["occupancy_pct"]) == (0, 0.0, None)


def test_admin_creates_and_renames_a_board(api_client, admin_user):
    client = as_user(api_client, admin_user)
    payload = {
        "code": "NBH",
        "name": "Ban Quản lý các KCN tỉnh Ninh Bình",
        "province": "Ninh Bình",
        "bloc_code": "DBSH",
    }
    created = client.post(BOARDS, payload, format="json")
    assert (created.status_code, created.json()["code"], created.json()["zone_count"]) == (201, "NBH", 0)
    renamed = client.patch(f"{BOARDS}NBH/", {"name": "Ban Quản lý KCN Ninh Bình"}, format="json")
    assert renamed.json()["name"] == Board.objects.get(code="NBH").name == "Ban Quản lý KCN Ninh Bình"
    assert list(AuditRecord.objects.order_by("id").values_list("source", "action")) == [
        ("api", "create"),
        ("api", "update"),
    ]


def test_only_administrators_write_boards(api_client, hna_staff, ministry_user, hna, tbh):
    denied = {"detail": "Chỉ quản trị hệ thống được tạo hoặc sửa Ban quản lý."}
    created = as_user(api_client, ministry_user).post(
        BOARDS, {"code": "NBH", "name": "x", "province": "y"}, format="json"
    )
    assert (created.status_code, created.json()) == (403, denied)
    assert as_user(api_client, hna_staff).patch(f"{BOARDS}HNA/", {"name": "x"}, format="json").json() == denied
    assert as_user(api_client, hna_staff).patch(f"{BOARDS}TBH/", {"name": "x"}, format="json").status_code == 404
    assert list(Board.objects.values_list("code", "name")) == [("HNA", hna.name), ("TBH", tbh.name)]


def test_board_code_must_be_unique_and_well_formed(api_client, admin_user, hna):
    response = as_user(api_client, admin_user).post(
        BOARDS, {"code": "hna", "name": "x", "province": "y"}, format="json"
    )
    assert response.json() == {"code": ["Mã chỉ gồm chữ in hoa không dấu, chữ số, '-' và '_'."]}
    assert Board.objects.count() == 1


# --- query counts: one row or thirty, the same number of queries ------------------------------


@pytest.mark.parametrize("rows", [1, 30])
def test_zone_list_query_count_does_not_grow(api_client, hna_staff, hna, rows, django_assert_num_queries):
    ZoneFactory.create_batch(rows, board=hna)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=hna_staff).key}")
    # token + user, page count, page rows (board joined, scope as a subquery)
    with django_assert_num_queries(3):
        response = api_client.get(ZONES)
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [1, 30])
def test_board_list_query_count_does_not_grow(api_client, ministry_user, rows, django_assert_num_queries):
    for board in BoardFactory.create_batch(rows):
        ZoneFactory.create_batch(2, board=board)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=ministry_user).key}")
    with django_assert_num_queries(3):
        response = api_client.get(BOARDS)
    assert [b["zone_count"] for b in response.json()["results"]] == [2] * rows
