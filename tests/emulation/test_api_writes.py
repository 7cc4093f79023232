"""The emulation API's writes: registrations, movements, award decisions, and the eligibility check.

Each write goes through its service (audited as API); a refusal answers 404 (not the user's to see), 403
(seen but not theirs to change), 400 (the service's or the shape's Vietnamese message) or 412 (a stale
If-Match) and leaves the database exactly as it was.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from emulation.enums import AwardKind, AwardLevel, LaunchLevel
from emulation.models import AwardDecision, Movement, Recipient, Registration
from emulation.services import awards, registrations
from kcn_portal.core.models import AuditRecord
from tests.api import as_user
from tests.factories import MembershipFactory, UserFactory
from zones.enums import MembershipRole

from .conftest import RULE_A, RULE_B, RULE_C, give

YEAR = "/api/v1/bloc-years/DBSH/2025/"
REGS = YEAR + "registrations/"
NDH_REG = REGS + "NDH/"
NO_NDH_REG = {"detail": "Không tìm thấy đăng ký thi đua của Ban “NDH”."}
NDH_NAME = "Ban Quản lý các KCN tỉnh Nam Định"
MOVEMENTS = "/api/v1/movements/"
DECISIONS = "/api/v1/award-decisions/"
NOT_ALLOWED = {"detail": "Bạn không có quyền thực hiện thao tác này."}


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# --- registrations --------------------------------------------------------------------------------------


@pytest.fixture
def titles(db):
    save = awards.award_title_save
    return [
        save(user=None, code="TTLDXS", name="Tập thể lao động xuất sắc", kind=AwardKind.TITLE, level=AwardLevel.BASE),
        save(user=None, code="CO_BO", name="Cờ thi đua của Bộ", kind=AwardKind.TITLE, level=AwardLevel.PROVINCE),
    ]


def _register(bloc_year, board, titles, *targets, note=""):
    rows = [{"description": d, "indicator": i, "target_value": v} for d, i, v in targets]
    return registrations.registration_save(user=None, bloc_year=bloc_year, board=board, titles=titles, targets=rows,
                                      note=note)  # fmt: skip


def _stored(bloc_year, code="NDH"):
    """What the database holds for a member's registration, exactly (None when there is none)."""
    registration = Registration.objects.filter(bloc_year=bloc_year, board__code=code).first()
    if registration is None:
        return None
    targets = [(t.order, t.description, t.indicator, t.target_value) for t in registration.targets.order_by("order")]
    titles = sorted(registration.titles.values_list("code", flat=True))
    return (registration.status, registration.version, registration.note, titles, targets,
            registration.submitted_by_id)  # fmt: skip


BODY = {
    "titles": ["CO_BO", "TTLDXS"],
    "targets": [
        {"indicator": "new_projects", "target_value": "12"},
        {"description": "Đào tạo 300 lao động", "indicator": ""},
        {"description": "", "indicator": ""},  # a blank row is skipped, as on the page
    ],
    "note": "Phấn đấu vượt chỉ tiêu",
}


def test_staff_creates_then_changes_the_registration_with_put(api_client, bloc_year, titles, ndh_staff):
    client = as_user(api_client, ndh_staff)
    response = client.put(NDH_REG, BODY, format="json")
    expected = {
        "board": "NDH", "board_name": NDH_NAME, "status": "draft", "status_name": "Đang soạn", "submitted_at": None,
        "note": "Phấn đấu vượt chỉ tiêu",
        "titles": [{"code": "CO_BO", "name": "Cờ thi đua của Bộ"},
                   {"code": "TTLDXS", "name": "Tập thể lao động xuất sắc"}],
        "targets": [
            {"order": 1, "description": "Số dự án cấp mới", "indicator": "new_projects", "target_value": 12.0},
            {"order": 2, "description": "Đào tạo 300 lao động", "indicator": "", "target_value": None},
        ],
        "version": 1,
    }  # fmt: skip
    assert (response.status_code, response["ETag"], response.json()) == (201, '"1"', expected)
    assert _stored(bloc_year) == ("draft", 1, "Phấn đấu vượt chỉ tiêu", ["CO_BO", "TTLDXS"], [
        (1, "Số dự án cấp mới", "new_projects", Decimal("12.00")),
        (2, "Đào tạo 300 lao động", "", None)], None)  # fmt: skip
    response = client.put(NDH_REG, {"titles": ["TTLDXS"], "targets": [{"description": "Vốn", "target_value": "5,5"}]},
                          format="json", HTTP_IF_MATCH='"1"')  # fmt: skip
    assert (response.status_code, response["ETag"]) == (200, '"2"')
    assert _stored(bloc_year) == ("draft", 2, "", ["TTLDXS"], [(1, "Vốn", "", Decimal("5.50"))], None)
    record = AuditRecord.objects.filter(model="emulation.registration").order_by("-id").first()
    assert (record.source, record.actor_id, record.changes["titles"]) == ("api", ndh_staff.pk, [
        ["CO_BO", "TTLDXS"], ["TTLDXS"]])  # fmt: skip


def test_the_bloc_leader_reads_a_members_registration_but_may_not_change_it(
    api_client, bloc_year, titles, hna_leader, ndh
):
    _register(bloc_year, ndh, titles[1:], ("Đào tạo 300 lao động", "", "300"), note="Ghi chú")
    client = as_user(api_client, hna_leader)
    response = client.get(NDH_REG)
    assert (response.status_code, response["ETag"], response.json()["targets"]) == (200, '"1"', [
        {"order": 1, "description": "Đào tạo 300 lao động", "indicator": "", "target_value": 300.0}])  # fmt: skip
    before = _stored(bloc_year)
    response = client.put(NDH_REG, BODY, format="json")
    assert (response.status_code, response.json()) == (
        403, {"detail": "Chỉ chuyên viên của Ban được sửa đăng ký thi đua của Ban mình."})  # fmt: skip
    assert _stored(bloc_year) == before


def test_a_member_without_a_registration_is_404_with_its_own_message(api_client, bloc_year, ndh_staff):
    response = as_user(api_client, ndh_staff).get(NDH_REG)
    assert (response.status_code, response.json()) == (
        404, {"detail": "Ban “NDH” chưa có đăng ký thi đua năm 2025."})  # fmt: skip


def test_another_members_staff_gets_404_through_every_call_and_nothing_changes(
    api_client, bloc_year, titles, tbh_staff, ndh
):
    _register(bloc_year, ndh, titles, ("Đào tạo 200 lao động", "", ""))
    before = _stored(bloc_year)
    client = as_user(api_client, tbh_staff)
    answers = [client.get(NDH_REG), client.put(NDH_REG, BODY, format="json"), client.post(NDH_REG + "submit/")]
    assert [(a.status_code, a.json()) for a in answers] == [(404, NO_NDH_REG)] * 3
    assert _stored(bloc_year) == before == ("draft", 1, "", ["CO_BO", "TTLDXS"], [
        (1, "Đào tạo 200 lao động", "", None)], None)  # fmt: skip
    # Before anything is registered too: a PUT must not create another member's registration.
    assert client.put(REGS + "HNA/", BODY, format="json").status_code == 404
    assert _stored(bloc_year, "HNA") is None


def test_stale_if_match_is_412_with_what_changed_and_nothing_is_saved(api_client, bloc_year, titles, ndh_staff, ndh):
    _register(bloc_year, ndh, titles, ("Đào tạo 200 lao động", "", ""))
    _register(bloc_year, ndh, titles, ("Đào tạo 300 lao động", "", ""))  # version 2 now
    response = as_user(api_client, ndh_staff).put(NDH_REG, BODY, format="json", HTTP_IF_MATCH='"1"')
    body = response.json()
    assert (response.status_code, response["ETag"], body["current"]["version"], body["changed"]) == (
        412, '"2"', 2,
        {"targets": [[["Đào tạo 200 lao động", "", None]], [["Đào tạo 300 lao động", "", None]]]})  # fmt: skip
    assert _stored(bloc_year) == ("draft", 2, "", ["CO_BO", "TTLDXS"], [(1, "Đào tạo 300 lao động", "", None)], None)


def test_if_match_before_anything_is_registered_is_412_and_nothing_is_created(api_client, bloc_year, ndh_staff):
    response = as_user(api_client, ndh_staff).put(NDH_REG, BODY, format="json", HTTP_IF_MATCH='"1"')
    assert (response.status_code, response.json()["current"], response.has_header("ETag")) == (412, None, False)
    assert _stored(bloc_year) is None


def test_unknown_indicator_code_is_400_with_the_row_named_and_nothing_is_saved(
    api_client, bloc_year, titles, ndh_staff, ndh
):
    _register(bloc_year, ndh, titles[:1], ("Đào tạo 200 lao động", "", ""))
    before = _stored(bloc_year)
    body = {"titles": ["CO_BO"], "targets": [{"description": "Vốn", "target_value": "5"},
                                             {"indicator": "khong_co", "target_value": "3"}]}  # fmt: skip
    response = as_user(api_client, ndh_staff).put(NDH_REG, body, format="json")
    assert (response.status_code, response.json()) == (400, {"targets": ["Dòng 2: không có chỉ tiêu mã 'khong_co'."]})
    assert _stored(bloc_year) == before
    response = api_client.put(NDH_REG, {**body, "titles": ["KHONG"]}, format="json")
    assert (response.status_code, response.json()) == (
        400, {"titles": ["Không có danh hiệu đang dùng nào mã “KHONG”."]})  # fmt: skip
    assert _stored(bloc_year) == before


def test_only_the_members_leader_submits_and_a_submitted_registration_is_final(
    api_client, bloc_year, titles, ndh_staff, ndh_leader, ndh
):
    _register(bloc_year, ndh, titles, ("Đào tạo 200 lao động", "", ""))
    response = as_user(api_client, ndh_staff).post(NDH_REG + "submit/")
    assert (response.status_code, response.json()) == (
        403, {"detail": "Chỉ lãnh đạo của Ban được gửi đăng ký thi đua của Ban mình."})  # fmt: skip
    assert _stored(bloc_year)[:2] == ("draft", 1)
    response = as_user(api_client, ndh_leader).post(NDH_REG + "submit/", HTTP_IF_MATCH='"1"')
    registration = Registration.objects.get(board=ndh)
    assert (response.status_code, response["ETag"], response.json()["status"], response.json()["status_name"]) == (
        200, '"2"', "submitted", "Đã gửi")  # fmt: skip
    assert response.json()["submitted_at"] == timezone.localtime(registration.submitted_at).isoformat()
    assert _stored(bloc_year) == ("submitted", 2, "", ["CO_BO", "TTLDXS"], [
        (1, "Đào tạo 200 lao động", "", None)], ndh_leader.pk)  # fmt: skip
    response = as_user(api_client, ndh_staff).put(NDH_REG, BODY, format="json")
    assert (response.status_code, response.json()) == (
        400, {"non_field_errors": ["Đăng ký đã gửi, không sửa được nữa."]})  # fmt: skip
    assert _stored(bloc_year)[:2] == ("submitted", 2)


def test_submit_refusals_nothing_to_submit_and_stale_if_match(api_client, bloc_year, titles, ndh_leader, ndh):
    client = as_user(api_client, ndh_leader)
    response = client.post(NDH_REG + "submit/")
    assert (response.status_code, response.json()) == (400, {"non_field_errors": ["Chưa có đăng ký để gửi."]})
    _register(bloc_year, ndh, [])
    response = client.post(NDH_REG + "submit/")
    assert (response.status_code, response.json()) == (
        400, {"non_field_errors": ["Đăng ký chưa có danh hiệu hay chỉ tiêu nào."]})  # fmt: skip
    _register(bloc_year, ndh, titles)  # version 2
    response = client.post(NDH_REG + "submit/", HTTP_IF_MATCH='"1"')
    assert (response.status_code, response.json()["changed"]) == (412, {"titles": [[], ["CO_BO", "TTLDXS"]]})
    assert _stored(bloc_year)[:2] == ("draft", 2)


def test_list_shows_every_members_status_and_only_the_readable_contents(
    api_client, bloc_year, titles, ndh_staff, hna, ndh
):
    _register(bloc_year, hna, titles, ("Vốn", "", "5"))
    _register(bloc_year, ndh, titles[1:], ("Đào tạo", "", ""), ("Lao động", "", ""))
    response = as_user(api_client, ndh_staff).get(REGS)
    assert response.json() == [
        {"board": "HNA", "board_name": "Ban Quản lý các KCN tỉnh Hà Nam", "status": "draft", "status_name": "Đang soạn",
         "submitted_at": None, "readable": False, "registration": None},
        {"board": "TBH", "board_name": "Ban Quản lý KKT và các KCN tỉnh Thái Bình", "status": None,
         "status_name": "Chưa đăng ký", "submitted_at": None, "readable": False, "registration": None},
        {"board": "NDH", "board_name": NDH_NAME, "status": "draft", "status_name": "Đang soạn", "submitted_at": None,
         "readable": True, "registration": {"titles": [{"code": "CO_BO", "name": "Cờ thi đua của Bộ"}],
                                            "target_count": 2, "version": 1}},
    ]  # fmt: skip


def test_list_query_count_does_not_grow_with_registrations(
    api_client, bloc_year, titles, ministry_user, hna, tbh, ndh, django_assert_max_num_queries
):
    _register(bloc_year, hna, titles, ("Vốn", "", "5"))
    client = as_user(api_client, ministry_user)
    client.get(REGS)  # warm the user's memberships
    one = _queries(client, REGS)
    _register(bloc_year, tbh, titles, ("Vốn", "", "5"), ("Lao động", "", ""))
    _register(bloc_year, ndh, titles[:1], ("Vốn", "", "5"))
    with django_assert_max_num_queries(one):
        rows = client.get(REGS).json()
    assert [(r["board"], r["readable"], [t["code"] for t in r["registration"]["titles"]],
             r["registration"]["target_count"]) for r in rows] == [
        ("HNA", True, ["CO_BO", "TTLDXS"], 1),
        ("TBH", True, ["CO_BO", "TTLDXS"], 2),
        ("NDH", True, ["TTLDXS"], 1)]  # fmt: skip
    # The year; the registrations, their titles, their targets; the statuses; the members.
    assert one == 6


# --- movements ---------------------------------------------------------------------------------------------


MOVEMENT = {
    "name": "Thi đua đổi mới, sáng tạo", "launched_by_level": "ministry", "launched_by": "Bộ Tài chính",
    "kind": "thematic", "starts_on": "2025-03-01", "ends_on": "2025-12-31", "decision_no": "15/QĐ-BTC",
    "decision_date": "2025-02-20", "content": "Thu hút đầu tư đổi mới sáng tạo.", "slogan": "Đổi mới để phát triển",
    "blocs": ["DBSH"], "boards": ["NDH", "HNA"],
}  # fmt: skip


def _movement_stored(movement):
    movement = Movement.objects.get(pk=movement.pk)
    return (movement.name, movement.launched_by_level, movement.launched_by, movement.launched_by_board_id,
            movement.kind, movement.starts_on, movement.ends_on, movement.decision_no, movement.decision_date,
            movement.content, movement.slogan, movement.status, movement.version,
            sorted(movement.blocs.values_list("code", flat=True)),
            sorted(movement.boards.values_list("code", flat=True)))  # fmt: skip


@pytest.fixture
def board_movement(db, ndh, tbh):
    return awards.movement_save(
        user=None, name="Ban Nam Định thi đua cải cách hành chính", launched_by_level=LaunchLevel.BOARD,
        launched_by=NDH_NAME, launched_by_board=ndh, starts_on=datetime.date(2025, 2, 1), boards=[ndh, tbh],
    )  # fmt: skip


def test_ministry_launches_a_movement(api_client, bloc_year, ministry_user):
    response = as_user(api_client, ministry_user).post(MOVEMENTS, MOVEMENT, format="json")
    movement = Movement.objects.get()
    assert (response.status_code, response["ETag"], response["Location"]) == (
        201, '"1"', f"http://testserver/api/v1/movements/{movement.pk}/")  # fmt: skip
    assert response.json() == {
        "id": movement.pk, "name": "Thi đua đổi mới, sáng tạo", "kind": "thematic", "status": "launched",
        "launched_by_level": "ministry", "launched_by": "Bộ Tài chính", "launched_by_board": None,
        "starts_on": "2025-03-01", "ends_on": "2025-12-31", "decision_no": "15/QĐ-BTC", "decision_date": "2025-02-20",
        "content": "Thu hút đầu tư đổi mới sáng tạo.", "slogan": "Đổi mới để phát triển", "blocs": ["DBSH"],
        "boards": ["HNA", "NDH"], "attachments": [], "version": 1,
    }  # fmt: skip
    assert _movement_stored(movement) == (
        "Thi đua đổi mới, sáng tạo", "ministry", "Bộ Tài chính", None, "thematic", datetime.date(2025, 3, 1),
        datetime.date(2025, 12, 31), "15/QĐ-BTC", datetime.date(2025, 2, 20), "Thu hút đầu tư đổi mới sáng tạo.",
        "Đổi mới để phát triển", "launched", 1, ["DBSH"], ["HNA", "NDH"])  # fmt: skip
    assert AuditRecord.objects.get(model="emulation.movement").source == "api"


def test_board_staff_launch_only_their_boards_movements(api_client, bloc_year, ndh_staff, ndh):
    client = as_user(api_client, ndh_staff)
    response = client.post(MOVEMENTS, {**MOVEMENT, "blocs": []}, format="json")
    assert (response.status_code, response.json()) == (403, NOT_ALLOWED)
    response = client.post(MOVEMENTS, {**MOVEMENT, "blocs": [], "launched_by_level": "board",
                                       "launched_by_board": "HNA"}, format="json")  # fmt: skip
    assert (response.status_code, response.json()) == (400, {"launched_by_board": [
        "Ban quản lý “HNA” không tồn tại hoặc bạn không được phát động phong trào cho Ban này."]})  # fmt: skip
    response = client.post(MOVEMENTS, {**MOVEMENT, "blocs": [], "launched_by_level": "board"}, format="json")
    assert (response.status_code, response.json()) == (
        400, {"launched_by_board": ["Phong trào do Ban phát động cần chọn Ban."]})  # fmt: skip
    assert (Movement.objects.count(), AuditRecord.objects.filter(model="emulation.movement").count()) == (0, 0)
    own = {"name": "Ban thi đua", "launched_by_level": "board", "launched_by": NDH_NAME, "launched_by_board": "NDH",
           "starts_on": "2025-04-01"}  # fmt: skip
    response = client.post(MOVEMENTS, own, format="json")
    assert (response.status_code, response.json()["launched_by_board"], response.json()["kind"]) == (
        201, "NDH", "regular")  # fmt: skip
    assert Movement.objects.get().launched_by_board == ndh


def test_a_leader_without_staff_rights_launches_nothing(api_client, ndh_leader):
    response = as_user(api_client, ndh_leader).post(MOVEMENTS, {**MOVEMENT, "blocs": []}, format="json")
    assert (response.status_code, response.json()) == (403, {"detail": "Bạn không có quyền phát động phong trào."})
    assert Movement.objects.count() == 0


def test_movement_refusals_name_the_field_in_vietnamese(api_client, ministry_user, hna, ndh):
    response = as_user(api_client, ministry_user).post(
        MOVEMENTS, {**MOVEMENT, "kind": "khac", "starts_on": "01/03/2025", "blocs": ["XYZ"]}, format="json"
    )
    assert (response.status_code, response.json()) == (400, {
        "kind": ["“khac” không hợp lệ; chỉ nhận: regular, thematic."],
        "starts_on": ["Ngày không hợp lệ; ghi theo dạng YYYY-MM-DD, ví dụ 2025-03-01."],
        "blocs": ["Không có khối thi đua mã “XYZ”."],
    })  # fmt: skip
    response = api_client.post(MOVEMENTS, {**MOVEMENT, "blocs": [], "ends_on": "2025-01-01"}, format="json")
    assert (response.status_code, response.json()) == (400, {"ends_on": ["Ngày kết thúc phải sau ngày bắt đầu."]})
    assert Movement.objects.count() == 0


def test_board_staff_change_their_movement_with_patch_keeping_what_is_left_out(api_client, ndh_staff, board_movement):
    before = _movement_stored(board_movement)
    response = as_user(api_client, ndh_staff).patch(
        f"{MOVEMENTS}{board_movement.pk}/", {"slogan": "Nhanh hơn, gọn hơn", "ends_on": "2025-11-30"},
        format="json", HTTP_IF_MATCH='"1"',
    )  # fmt: skip
    assert (response.status_code, response["ETag"], response.json()["boards"], response.json()["slogan"]) == (
        200, '"2"', ["NDH", "TBH"], "Nhanh hơn, gọn hơn")  # fmt: skip
    after = list(before)
    after[6], after[10], after[12] = datetime.date(2025, 11, 30), "Nhanh hơn, gọn hơn", 2
    assert _movement_stored(board_movement) == tuple(after)


def test_patching_a_movement_of_another_board_or_level_is_403(api_client, tbh_staff, ndh_staff, board_movement):
    before = _movement_stored(board_movement)
    response = as_user(api_client, tbh_staff).patch(f"{MOVEMENTS}{board_movement.pk}/", {"slogan": "X"}, format="json")
    assert (response.status_code, response.json()) == (403, {"detail": "Bạn không có quyền sửa phong trào này."})
    # Its own board's staff may not lift it to the ministry's level either.
    response = as_user(api_client, ndh_staff).patch(
        f"{MOVEMENTS}{board_movement.pk}/", {"launched_by_level": "ministry"}, format="json"
    )
    assert (response.status_code, response.json()) == (403, NOT_ALLOWED)
    assert _movement_stored(board_movement) == before
    assert as_user(api_client, tbh_staff).patch(f"{MOVEMENTS}999999/", {"slogan": "X"}, format="json").json() == {
        "detail": "Không tìm thấy phong trào thi đua này."}  # fmt: skip


def test_stale_if_match_on_a_movement_is_412_and_nothing_changes(api_client, ministry_user, board_movement):
    url = f"{MOVEMENTS}{board_movement.pk}/"
    client = as_user(api_client, ministry_user)
    assert client.patch(url, {"slogan": "Bản thứ nhất"}, format="json", HTTP_IF_MATCH='"1"').status_code == 200
    before = _movement_stored(board_movement)
    response = client.patch(url, {"slogan": "Bản thứ hai"}, format="json", HTTP_IF_MATCH='"1"')
    body = response.json()
    assert (response.status_code, response["ETag"], body["current"]["slogan"], body["changed"]) == (
        412, '"2"', "Bản thứ nhất", {"slogan": ["", "Bản thứ nhất"]})  # fmt: skip
    response = client.post(url + "advance/", {"status": "reviewing"}, format="json", HTTP_IF_MATCH='"1"')
    assert (response.status_code, response.json()["current"]["status"]) == (412, "launched")
    assert _movement_stored(board_movement) == before


def test_advance_moves_forward_only(api_client, ndh_staff, tbh_staff, board_movement):
    url = f"{MOVEMENTS}{board_movement.pk}/advance/"
    response = as_user(api_client, tbh_staff).post(url, {"status": "reviewing"}, format="json")
    assert (response.status_code, response.json()) == (403, {"detail": "Bạn không có quyền sửa phong trào này."})
    client = as_user(api_client, ndh_staff)
    response = client.post(url, {"status": "reviewing"}, format="json", HTTP_IF_MATCH='"1"')
    assert (response.status_code, response["ETag"], response.json()["status"]) == (200, '"2"', "reviewing")
    response = client.post(url, {"status": "launched"}, format="json")
    assert (response.status_code, response.json()) == (400, {"non_field_errors": [
        "Trạng thái phong trào chỉ chuyển tiếp: đã phát động → đang sơ kết, tổng kết → đã khen thưởng."]})  # fmt: skip
    response = client.post(url, {"status": "done"}, format="json")
    assert (response.status_code, response.json()) == (
        400, {"status": ["“done” không hợp lệ; chỉ nhận: launched, reviewing, awarded."]})  # fmt: skip
    assert Movement.objects.get().status == "reviewing"
    assert Movement.objects.get().version == 2


# --- award decisions ---------------------------------------------------------------------------------------


@pytest.fixture
def bk_bo(db):
    return awards.award_title_save(user=None, code="BK_BO", name="Bằng khen của Bộ trưởng",
                                            kind=AwardKind.COMMENDATION, level=AwardLevel.PROVINCE)  # fmt: skip


DECISION = {
    "number": "55/QĐ-BTC", "date": "2025-04-10", "issuer": "Bộ trưởng Bộ Tài chính", "title": "BK_BO", "year": 2024,
    "recipients": [
        {"kind": "person", "board": "TBH", "name": "Trần Thị Bình", "position": "Phó Trưởng ban"},
        {"kind": "board", "board": "HNA", "name": "Ban Quản lý các KCN tỉnh Hà Nam"},
    ],
}  # fmt: skip


def _decisions():
    return [
        (d.number, d.date, d.issuer, d.title.code, d.year, d.movement_id, d.note,
         sorted((r.board.code, r.kind, r.name, r.position) for r in d.recipients.all()))
        for d in AwardDecision.objects.order_by("pk")
    ]  # fmt: skip


def test_ministry_records_a_decision_with_its_recipients(api_client, ministry_user, bk_bo, hna, tbh, board_movement):
    response = as_user(api_client, ministry_user).post(DECISIONS, {**DECISION, "movement": board_movement.pk},
                                                   format="json")  # fmt: skip
    decision = AwardDecision.objects.get()
    person, board = Recipient.objects.get(kind="person"), Recipient.objects.get(kind="board")
    assert (response.status_code, response["Location"]) == (
        201,
        f"http://testserver/api/v1/award-decisions/{decision.pk}/",
    )
    assert response.json() == {
        "id": decision.pk, "number": "55/QĐ-BTC", "date": "2025-04-10", "issuer": "Bộ trưởng Bộ Tài chính",
        "title": "BK_BO", "title_name": "Bằng khen của Bộ trưởng", "year": 2024, "movement": board_movement.pk,
        "note": "",
        "recipients": [
            {"id": board.pk, "kind": "board", "board": "HNA", "name": "Ban Quản lý các KCN tỉnh Hà Nam",
             "position": ""},
            {"id": person.pk, "kind": "person", "board": "TBH", "name": "Trần Thị Bình",
             "position": "Phó Trưởng ban"},
        ],
    }  # fmt: skip
    assert _decisions() == [(
        "55/QĐ-BTC", datetime.date(2025, 4, 10), "Bộ trưởng Bộ Tài chính", "BK_BO", 2024, board_movement.pk, "",
        [("HNA", "board", "Ban Quản lý các KCN tỉnh Hà Nam", ""), ("TBH", "person", "Trần Thị Bình", "Phó Trưởng ban")],
    )]  # fmt: skip
    assert AuditRecord.objects.get(model="emulation.awarddecision").source == "api"


def test_board_staff_record_only_their_boards_recipients_and_a_refusal_stores_nothing(
    api_client, hna_staff, bk_bo, hna, tbh
):
    client = as_user(api_client, hna_staff)
    response = client.post(DECISIONS, DECISION, format="json")
    assert (response.status_code, response.json()) == (400, {"recipients": {"0": {"board": [
        "Ban quản lý “TBH” không tồn tại hoặc bạn không được ghi khen thưởng cho Ban này."]}}})  # fmt: skip
    assert (_decisions(), Recipient.objects.count()) == ([], 0)
    response = client.post(DECISIONS, {**DECISION, "recipients": DECISION["recipients"][1:]}, format="json")
    assert (response.status_code, [r["board"] for r in response.json()["recipients"]]) == (201, ["HNA"])
    assert [d[3:5] for d in _decisions()] == [("BK_BO", 2024)]


def test_decision_refusals_store_nothing(api_client, ministry_user, hna_leader, bk_bo, hna, tbh):
    response = as_user(api_client, hna_leader).post(DECISIONS, DECISION, format="json")
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Bạn không có quyền ghi quyết định khen thưởng."},
    )
    client = as_user(api_client, ministry_user)
    response = client.post(DECISIONS, {**DECISION, "year": 2026}, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"year": ["Năm thành tích không thể sau năm ra quyết định."]},
    )
    response = client.post(DECISIONS, {**DECISION, "recipients": []}, format="json")
    assert (response.status_code, response.json()) == (
        400, {"recipients": ["Quyết định cần ít nhất một người hoặc tập thể được khen."]})  # fmt: skip
    response = client.post(DECISIONS, {**DECISION, "title": "KHONG", "movement": 999999}, format="json")
    assert (response.status_code, response.json()) == (400, {
        "title": ["Không có danh hiệu, hình thức đang dùng nào mã “KHONG”."],
        "movement": ["Không có phong trào thi đua id 999999."],
    })  # fmt: skip
    # The recipients created before the year was refused are not kept either.
    assert (_decisions(), Recipient.objects.count()) == ([], 0)


def test_staff_of_two_boards_record_a_decision_naming_both(api_client, bk_bo, hna, tbh):
    user = UserFactory(username="two.staff")
    MembershipFactory(user=user, board=hna, role=MembershipRole.STAFF)
    MembershipFactory(user=user, board=tbh, role=MembershipRole.STAFF)
    response = as_user(api_client, user).post(DECISIONS, DECISION, format="json")
    assert (response.status_code, len(_decisions()), Recipient.objects.count()) == (201, 1, 2)


# --- eligibility -------------------------------------------------------------------------------------------


@pytest.fixture
def bk_ttg(eligibility_titles):
    return eligibility_titles


@pytest.fixture
def an(person):
    return person


def test_eligibility_explains_every_rule(api_client, hna_staff, bk_ttg, an):
    give(bk_ttg, an, "HTTNV", 2018, 2019, 2020, 2021, 2023, 2024)
    give(bk_ttg, an, "CSTDCS", 2021, 2022, 2024)
    response = as_user(api_client, hna_staff).get("/api/v1/award-titles/bk_ttg/eligibility/",
                                              {"recipient": an.pk, "year": 2025})  # fmt: skip
    assert (response.status_code, response.json()) == (200, {
        "title": "BK_TTG", "title_name": "Bằng khen của Thủ tướng",
        "recipient": {"id": an.pk, "kind": "person", "board": "HNA", "name": "Nguyễn Văn An",
                      "position": "Trưởng phòng"},
        "year": 2025, "eligible": False,
        "rules": [
            {"order": 1, "description": RULE_A, "met": False, "years": [], "explanation":
             f"Chưa đạt – {RULE_A}: Bằng khen của Bộ trưởng trước năm 2025: 0 lần (không có), cần 1."},
            {"order": 2, "description": RULE_B, "met": False, "years": [2023, 2024], "explanation":
             f"Chưa đạt – {RULE_B}: Hoàn thành tốt nhiệm vụ: 2 năm liên tục đến năm 2024 (2023, 2024), cần 5."},
            {"order": 3, "description": RULE_C, "met": True, "years": [2021, 2022, 2024], "explanation":
             f"Đạt – {RULE_C}: Chiến sĩ thi đua cơ sở trong 5 năm 2020–2024: 3 lần (2021, 2022, 2024), cần 3."},
        ],
    })  # fmt: skip


def test_eligible_when_every_rule_is_met(api_client, ministry_user, bk_ttg, an):
    give(bk_ttg, an, "BK_BO", 2021)
    give(bk_ttg, an, "HTTNV", 2020, 2021, 2022, 2023, 2024)
    give(bk_ttg, an, "CSTDCS", 2019, 2021, 2022, 2024)
    body = as_user(api_client, ministry_user).get("/api/v1/award-titles/BK_TTG/eligibility/",
                                              {"recipient": an.pk, "year": 2025}).json()  # fmt: skip
    assert (body["eligible"], [r["explanation"] for r in body["rules"]]) == (True, [
        f"Đạt – {RULE_A}: Bằng khen của Bộ trưởng trước năm 2025: 1 lần (2021), cần 1.",
        f"Đạt – {RULE_B}: Hoàn thành tốt nhiệm vụ: 5 năm liên tục đến năm 2024 (2020, 2021, 2022, 2023, 2024), cần 5.",
        f"Đạt – {RULE_C}: Chiến sĩ thi đua cơ sở trong 5 năm 2020–2024: 3 lần (2021, 2022, 2024), cần 3.",
    ])  # fmt: skip


def test_eligibility_of_another_boards_recipient_or_a_bad_query_is_refused(api_client, tbh_staff, bk_ttg, an):
    client = as_user(api_client, tbh_staff)
    url = "/api/v1/award-titles/BK_TTG/eligibility/"
    response = client.get(url, {"recipient": an.pk, "year": 2025})
    assert (response.status_code, response.json()) == (404, {"detail": "Không tìm thấy người, tập thể được khen này."})
    response = client.get(url, {"recipient": "an", "year": 1900})
    assert (response.status_code, response.json()) == (400, {
        "recipient": ["Mã người, tập thể được khen phải là số nguyên."],
        "year": ["Năm không được trước 1990."],
    })  # fmt: skip
    response = client.get("/api/v1/award-titles/KHONG/eligibility/", {"recipient": an.pk, "year": 2025})
    assert (response.status_code, response.json()) == (
        404, {"detail": "Không tìm thấy danh hiệu, hình thức khen thưởng này."})  # fmt: skip
