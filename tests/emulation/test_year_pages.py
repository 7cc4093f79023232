"""Bloc-year pages: the years list and detail, members and roles, the scoring table, registrations."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from emulation.enums import AwardKind, AwardLevel, RoundKind, SubmissionStatus
from emulation.models import BlocYear, Criterion, Registration
from emulation.services import registrations, scoring
from emulation.services import years as years_services
from emulation.services.awards import award_title_save
from tests.factories import BoardFactory

BASE = "/emulation/DBSH/2025/"


def text(response) -> str:
    """The page's visible text with tags removed and whitespace collapsed (for exact assertions)."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", body).strip()


def rows(response, marker: str) -> list[str]:
    """The text of every <tr> carrying the data attribute `marker`."""
    html = response.content.decode()
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", tr)).strip() for tr in re.findall(
        rf"<tr[^>]*{marker}[^>]*>(.*?)</tr>", html, re.S)]  # fmt: skip


def add_years(bloc, boards, years):
    for year in years:
        years_services.bloc_year_save(
            user=None, bloc=bloc, year=year, members=boards, leader=boards[0], deputy=boards[1]
        )


def test_list_shows_each_year_with_its_roles(client, bloc_year, hna_leader):
    client.force_login(hna_leader)
    response = client.get("/emulation/")
    assert rows(response, "data-bloc-year=") == [
        "DBSH Khối thi đua Đồng bằng sông Hồng 2025 3 HNA TBH HNA Bảng chấm điểm · Đăng ký"
    ]
    assert "Thêm năm" not in text(response)


def test_list_queries_do_not_grow_with_years(client, bloc_year, hna, tbh, ndh, ministry_user):
    client.force_login(ministry_user)
    client.get("/emulation/")  # warm the session and the content types
    with CaptureQueriesContext(connection) as one:
        assert client.get("/emulation/").status_code == 200
    add_years(bloc_year.bloc, [hna, tbh, ndh], [2023, 2024])
    with CaptureQueriesContext(connection) as three:
        response = client.get("/emulation/")
    assert [row.split(" Bảng")[0] for row in rows(response, "data-bloc-year=")] == [
        f"DBSH Khối thi đua Đồng bằng sông Hồng {year} 3 HNA TBH {host}"
        for year, host in ((2025, "HNA"), (2024, "–"), (2023, "–"))
    ]
    assert len(three) == len(one)
    assert 'href="/emulation/DBSH/2026/edit/"' in response.content.decode()


def test_detail_shows_members_in_order_with_roles(client, bloc_year, ndh_staff):
    client.force_login(ndh_staff)
    response = client.get(BASE)
    assert rows(response, "data-member=") == [
        "1 HNA Ban Quản lý các KCN tỉnh Hà Nam Khối trưởng Đăng cai tổng kết",
        "2 TBH Ban Quản lý KKT và các KCN tỉnh Thái Bình Khối phó",
        "3 NDH Ban Quản lý các KCN tỉnh Nam Định",
    ]
    assert "12/QĐ-KTĐ ngày 10/01/2025" in text(response)


def test_ministry_sets_members_and_roles(client, bloc_year, hna, tbh, ndh, ministry_user):
    vpc = BoardFactory(code="VPC", name="Ban Quản lý các KCN tỉnh Vĩnh Phúc")
    client.force_login(ministry_user)
    data = {
        "version": bloc_year.version,
        "members": [vpc.pk, ndh.pk, hna.pk],
        "leader": ndh.pk,
        "deputy": vpc.pk,
        "host": hna.pk,
        "alternate_reviewer": hna.pk,
        "decision_no": "15/QĐ",
        "decision_date": "20/01/2025",
    }
    response = client.post(BASE + "edit/", data)
    assert response.status_code == 302 and response["Location"] == BASE
    year = BlocYear.objects.get(pk=bloc_year.pk)
    assert list(year.memberships.values_list("board__code", flat=True)) == ["VPC", "NDH", "HNA"]
    assert (year.leader, year.deputy, year.host, year.alternate_reviewer) == (ndh, vpc, hna, hna)
    assert (year.decision_no, year.decision_date) == ("15/QĐ", datetime.date(2025, 1, 20))


def test_a_leader_who_is_not_a_member_is_refused(client, bloc_year, hna, tbh, ndh, ministry_user):
    client.force_login(ministry_user)
    data = {"version": bloc_year.version, "members": [hna.pk, ndh.pk], "leader": tbh.pk, "deputy": hna.pk}
    response = client.post(BASE + "edit/", data)
    assert "Ban Quản lý KKT và các KCN tỉnh Thái Bình không phải là thành viên của khối năm 2025." in text(response)
    year = BlocYear.objects.get(pk=bloc_year.pk)
    assert (year.version, year.leader, year.memberships.count()) == (bloc_year.version, hna, 3)


def test_a_stale_year_edit_saves_nothing_and_names_what_changed(client, bloc_year, hna, tbh, ndh, ministry_user):
    client.force_login(ministry_user)
    seen = bloc_year.version
    kept = {"version": seen, "members": [hna.pk, tbh.pk, ndh.pk], "host": hna.pk, "decision_no": "12/QĐ-KTĐ",
            "decision_date": "10/01/2025"}  # fmt: skip
    assert client.post(BASE + "edit/", {**kept, "leader": ndh.pk, "deputy": tbh.pk}).status_code == 302
    second = {**kept, "leader": hna.pk, "deputy": ndh.pk}
    response = client.post(BASE + "edit/", second)
    assert response.status_code == 200
    assert (
        "Khối năm này đã được người khác thay đổi trong lúc bạn sửa. Chưa có gì được lưu; hãy kiểm tra lại rồi "
        "bấm “Lưu” lần nữa. Đã thay đổi: Khối trưởng."
    ) in text(response)
    year = BlocYear.objects.get(pk=bloc_year.pk)
    assert (year.version, year.leader, year.deputy) == (seen + 1, ndh, tbh)
    assert f'name="version" value="{seen + 1}"' in response.content.decode()  # saving again is deliberate


def test_board_users_may_not_edit_the_year(client, bloc_year, ndh_staff):
    client.force_login(ndh_staff)
    assert client.get(BASE + "edit/").status_code == 403
    assert client.get("/emulation/DBSH/2024/edit/").status_code == 404
    assert client.post(BASE + "edit/", {"version": bloc_year.version, "members": []}).status_code == 403
    year = BlocYear.objects.get(pk=bloc_year.pk)
    assert (year.version, list(year.memberships.values_list("board__code", flat=True))) == (
        bloc_year.version, ["HNA", "TBH", "NDH"])  # fmt: skip
    assert "data-edit-year" not in client.get(BASE).content.decode()


def test_table_shows_criteria_sums_rules_and_tie_break(client, table, ndh_staff):
    client.force_login(ndh_staff)
    response = client.get(BASE + "table/")
    assert rows(response, "data-group=") == ["1 Thực hiện nhiệm vụ chuyên môn 15", "2 Công tác thi đua, khen thưởng 20"]
    assert rows(response, "data-criterion=")[0] == "1.1 Thu hút đầu tư 10"
    assert rows(response, "data-rule=") == ["Điểm thưởng Sáng kiến 1 3", "Điểm trừ Nộp chậm 2 4"]
    assert "Tổng điểm chuẩn 35" in text(response)
    assert "Điểm thẩm định cao hơn ở nhóm tiêu chí trước (theo thứ tự nhóm)" in text(response)
    assert 'data-form="criterion"' not in response.content.decode()


def test_leader_adds_a_criterion_with_vietnamese_decimals(client, table, hna_leader):
    client.force_login(hna_leader)
    group = table.groups.get(order=2)
    data = {"action": "criterion", "criterion-group": group.pk, "criterion-order": 2, "criterion-code": "2.2",
            "criterion-name": "Sáng kiến kinh nghiệm", "criterion-max_points": "0,25"}  # fmt: skip
    response = client.post(BASE + "table/", data)
    assert response.status_code == 302 and response["Location"] == BASE + "table/"
    assert Criterion.objects.get(group=group, code="2.2").max_points == Decimal("0.25")
    data["criterion-order"], data["criterion-max_points"] = 3, "0,3"
    response = client.post(BASE + "table/", data)
    assert response.status_code == 400 and 'data-form="criterion"' in response.content.decode()
    assert "Điểm phải là bội số của 0,25." in text(response)
    assert group.criteria.count() == 2


def test_a_locked_table_refuses_changes(client, table, bloc_year, hna_leader):
    scoring_round = scoring.round_save(
        user=None,
        bloc_year=bloc_year,
        kind=RoundKind.YEAR_END,
        opens_on=datetime.date(2025, 11, 1),
        closes_on=datetime.date(2025, 12, 15),
    )
    scoring.round_open(user=None, scoring_round=scoring_round)
    client.force_login(hna_leader)
    group = table.groups.get(order=2)
    data = {"action": "criterion", "criterion-group": group.pk, "criterion-order": 2, "criterion-code": "2.2",
            "criterion-name": "Sáng kiến", "criterion-max_points": "1"}  # fmt: skip
    response = client.post(BASE + "table/", data, follow=True)
    assert "Bảng chấm điểm đã khóa khi mở đợt chấm, không sửa được." in text(response)
    assert "Đã khóa từ" in text(response) and 'data-form="criterion"' not in response.content.decode()
    assert group.criteria.count() == 1


@pytest.fixture
def titles(db):
    return [
        award_title_save(user=None, code="TTLDXS", name="Tập thể lao động xuất sắc", kind=AwardKind.TITLE,
                         level=AwardLevel.BASE),
        award_title_save(user=None, code="CO_BO", name="Cờ thi đua của Bộ", kind=AwardKind.TITLE,
                         level=AwardLevel.PROVINCE),
    ]  # fmt: skip


def test_registration_journey(client, bloc_year, titles, ndh_staff, ndh_leader, tbh_staff, hna_leader):
    url = BASE + "registrations/NDH/"
    client.force_login(ndh_staff)
    data = {"titles": [titles[1].pk], "note": "", "target-TOTAL_FORMS": 2, "target-INITIAL_FORMS": 0,
            "target-0-description": "", "target-0-indicator": "new_projects", "target-0-target_value": "12",
            "target-1-description": "", "target-1-indicator": "", "target-1-target_value": ""}  # fmt: skip
    assert "data-registration-form" in client.get(url).content.decode()
    assert client.post(url, data)["Location"] == url
    registration = Registration.objects.get(bloc_year=bloc_year, board__code="NDH")
    assert [t.code for t in registration.titles.all()] == ["CO_BO"]
    assert [(t.description, t.indicator, t.target_value) for t in registration.targets.all()] == [
        ("Số dự án cấp mới", "new_projects", Decimal("12.00"))
    ]
    client.force_login(ndh_leader)
    assert "data-submit" in client.get(url).content.decode()
    assert client.post(url + "submit/")["Location"] == url
    registration.refresh_from_db()
    assert registration.status == SubmissionStatus.SUBMITTED
    client.force_login(tbh_staff)
    assert client.get(url).status_code == 404
    assert rows(client.get(BASE + "registrations/"), "data-registration=")[2].startswith(
        "Ban Quản lý các KCN tỉnh Nam Định Đã gửi"
    )
    client.force_login(hna_leader)
    response = client.get(url)
    assert rows(response, "data-target=") == ["Số dự án cấp mới new_projects 12,00"]
    assert "data-registration-form" not in response.content.decode() and "data-submit" not in response.content.decode()


def test_a_stale_registration_save_saves_nothing_and_names_what_changed(client, bloc_year, titles, ndh_staff):
    url = BASE + "registrations/NDH/"
    client.force_login(ndh_staff)
    data = {"titles": [titles[1].pk], "note": "", "target-TOTAL_FORMS": 1, "target-INITIAL_FORMS": 0,
            "target-0-description": "Đào tạo 200 lao động", "target-0-indicator": "",
            "target-0-target_value": ""}  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "version": 1, "target-0-description": "Đào tạo 300 lao động"}).status_code == 302
    response = client.post(url, {**data, "version": 1, "note": "Bản của người thứ hai"})
    assert response.status_code == 409
    assert (
        "Đăng ký đã được người khác thay đổi trong lúc bạn sửa. Chưa có gì được lưu. Đã thay đổi: Chỉ tiêu cam kết."
    ) in text(response)
    registration = Registration.objects.get(bloc_year=bloc_year, board__code="NDH")
    assert (registration.version, registration.note) == (2, "")
    assert [t.description for t in registration.targets.all()] == ["Đào tạo 300 lao động"]


def test_settings_save_caps_and_tie_break_order(client, table, tbh_leader):
    client.force_login(tbh_leader)  # the deputy edits the table too
    data = {
        "action": "settings",
        "settings-bonus_cap": "2,5",
        "settings-penalty_cap": "3",
        "settings-tie_break_1": "less_penalty",
        "settings-tie_break_2": "",
        "settings-tie_break_3": "groups",
    }
    assert client.post(BASE + "table/", data).status_code == 302
    table.refresh_from_db()
    assert (table.bonus_cap, table.penalty_cap, table.tie_break) == (
        Decimal("2.5"),
        Decimal("3"),
        ["less_penalty", "groups"],
    )
    response = client.get(BASE + "table/")
    assert re.findall(r"<li>([^<]+)</li>", response.content.decode().split("data-tie-break")[1].split("</ol>")[0]) == [
        "Ít điểm trừ hơn", "Điểm thẩm định cao hơn ở nhóm tiêu chí trước (theo thứ tự nhóm)"]  # fmt: skip


def test_table_queries_do_not_grow_with_groups_and_criteria(client, table, hna_leader):
    client.force_login(hna_leader)  # the leader's page also renders the four forms
    client.get(BASE + "table/")
    with CaptureQueriesContext(connection) as small:
        client.get(BASE + "table/")
    for order in (3, 4, 5):
        group = scoring.group_save(user=None, table=table, order=order, name=f"Nhóm {order}")
        for n in (1, 2):
            scoring.criterion_save(user=None, group=group, order=n, code=f"{order}.{n}", name="X", max_points="0,5")
    with CaptureQueriesContext(connection) as large:
        response = client.get(BASE + "table/")
    assert rows(response, "data-group=")[2:] == ["3 Nhóm 3 1 Sửa Xóa", "4 Nhóm 4 1 Sửa Xóa", "5 Nhóm 5 1 Sửa Xóa"]
    assert "Tổng điểm chuẩn 38" in text(response) and len(large) == len(small)


def test_registration_list_queries_do_not_grow(client, bloc_year, titles, hna, tbh, ndh, ministry_user):
    def register(board):
        registrations.registration_save(user=None, bloc_year=bloc_year, board=board, titles=titles,
                                   targets=[{"description": "Vốn", "indicator": "", "target_value": "5"}])  # fmt: skip

    register(hna)
    client.force_login(ministry_user)
    client.get(BASE + "registrations/")
    with CaptureQueriesContext(connection) as one:
        client.get(BASE + "registrations/")
    register(tbh), register(ndh)
    with CaptureQueriesContext(connection) as three:
        response = client.get(BASE + "registrations/")
    assert rows(response, "data-registration=") == [
        f"{board.name} Đang soạn Cờ thi đua của Bộ; Tập thể lao động xuất sắc 1" for board in (hna, tbh, ndh)
    ]
    assert len(three) == len(one)


def test_detail_links_rounds_conclusion_and_other_years(client, year_end, hna, tbh, ndh, hna_leader):
    add_years(year_end.bloc_year.bloc, [hna, tbh, ndh], [2023, 2024])
    client.force_login(hna_leader)  # the Khối trưởng: creates rounds and concludes the year
    response = client.get(BASE)
    html = response.content.decode()
    assert rows(response, "data-round=") == [
        "Sơ kết 6 tháng – Chưa tạo Tạo đợt", "Tổng kết năm 01/11/2025 – 15/12/2025 Đang chấm Sửa đợt"]  # fmt: skip
    assert 'href="/emulation/DBSH/2025/year_end/"' in html and 'href="/emulation/DBSH/2025/conclude/"' in html
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split("data-history>")[1].split("</ul>")[0])).strip() == (
        "2024 (Khối trưởng HNA) 2023 (Khối trưởng HNA)"
    )
