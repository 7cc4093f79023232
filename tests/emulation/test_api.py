"""The emulation API under /api/v1/: scope (404 outside it), writes through the services, If-Match, query counts.

The must-show: before publication a member can neither see nor change another member's scores through
any call; every refusal leaves the stored values exactly as they were.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from emulation.enums import AwardKind, AwardLevel, LaunchLevel, RecipientKind, RoundKind
from emulation.models import BlocYear, Scorecard
from emulation.services import awards, scoring, years
from tests.factories import BoardFactory, MembershipFactory, UserFactory
from zones.enums import MembershipRole

from .conftest import points

YEAR = "/api/v1/bloc-years/DBSH/2025/"
ROUND = YEAR + "rounds/year_end/"
CARDS = ROUND + "scorecards/"
NO_HNA_CARD = {"detail": "Không tìm thấy phiếu chấm điểm của Ban “HNA”."}
NO_RANKING = {"detail": "Chưa có kết quả xếp hạng của đợt chấm này."}
SCORES = {"HNA": {"1.1": 9, "1.2": 5, "2.1": 18}, "TBH": {"1.1": 8, "1.2": 4.5, "2.1": 19},
          "NDH": {"1.1": 10, "1.2": 5, "2.1": 20}}  # fmt: skip


def _as(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def card_of(year_end, code):
    return Scorecard.objects.get(round=year_end, board__code=code)


def _stored(card):
    """What the database holds for a card: its state and every line, exactly."""
    card.refresh_from_db()
    lines = [
        (s.criterion.code, s.self_points, s.evidence, s.reviewed_points, s.review_comment)
        for s in card.scores.select_related("criterion").order_by("criterion__code")
    ]
    return (card.status, card.version, card.returned_note, lines)


def _self_score(year_end, *codes, submit=True):
    for code in codes:
        card = card_of(year_end, code)
        scoring.scorecard_self_save(user=None, scorecard=card, scores=points(card, SCORES[code]))
        if submit:
            scoring.scorecard_submit(user=None, scorecard=card)


@pytest.fixture
def submitted(year_end):
    _self_score(year_end, "HNA", "TBH", "NDH")
    return year_end


def _review_all(year_end):
    """Reviews giving totals HNA 30, TBH 30, NDH 30 (ties broken by group 1: NDH, HNA, TBH)."""
    for code, reviewer, given in (("HNA", None, {"1.1": 9, "1.2": 5, "2.1": 16}),
                                  ("TBH", None, {"1.1": 8, "1.2": 4.5, "2.1": 17.5}),
                                  ("NDH", None, {"1.1": 9.75, "1.2": 5, "2.1": 15.25})):  # fmt: skip
        card = card_of(year_end, code)
        scoring.scorecard_review(user=reviewer, scorecard=card, reviews=points(card, given))


# --- bloc years and the table -----------------------------------------------------------------------


def test_bloc_year_list_and_detail_name_members_in_order_and_roles(api_client, ndh_staff, year_end):
    rows = _as(api_client, ndh_staff).get("/api/v1/bloc-years/").json()["results"]
    assert [(r["code"], r["year"], r["members"], r["leader"], r["deputy"], r["host"]) for r in rows] == [
        ("DBSH", 2025, ["HNA", "TBH", "NDH"], "HNA", "TBH", "HNA")
    ]
    detail = api_client.get(YEAR).json()
    assert (detail["decision_no"], detail["decision_date"], detail["next_leader"], detail["proposals"]) == (
        "12/QĐ-KTĐ", "2025-01-10", None, [])  # fmt: skip
    assert [(r["kind"], r["status"]) for r in detail["rounds"]] == [("year_end", "open")]


def test_a_board_outside_the_bloc_gets_404_for_the_year(api_client, bloc_year):
    outsider = UserFactory(username="vpc.staff")
    MembershipFactory(user=outsider, board=BoardFactory(code="VPC"), role=MembershipRole.STAFF)
    assert _as(api_client, outsider).get("/api/v1/bloc-years/").json()["results"] == []
    response = api_client.get(YEAR)
    assert (response.status_code, response.json()) == (404, {"detail": "Không tìm thấy khối thi đua “DBSH” năm 2025."})


def test_table_lists_groups_criteria_rules_and_caps_as_decimal_strings(api_client, ndh_staff, table):
    data = _as(api_client, ndh_staff).get(YEAR + "table/").json()
    assert [(g["order"], [(c["code"], c["max_points"]) for c in g["criteria"]]) for g in data["groups"]] == [
        (1, [("1.1", "10.00"), ("1.2", "5.00")]),
        (2, [("2.1", "20.00")]),
    ]
    assert [(r["kind"], r["name"], r["points"], r["cap"]) for r in data["rules"]] == [
        ("bonus", "Sáng kiến", "1.00", "3.00"), ("penalty", "Nộp chậm", "2.00", "4.00")]  # fmt: skip
    assert (data["bonus_cap"], data["penalty_cap"], data["tie_break"]) == ("2.00", "3.00", ["groups"])


# --- a member sees and changes only its own card before publication ---------------------------------------


def test_member_lists_only_its_own_card(api_client, ndh_staff, year_end):
    _self_score(year_end, "NDH", submit=False)
    rows = _as(api_client, ndh_staff).get(CARDS).json()
    assert [(r["board"], r["status"], r["scored"], r["self_total"], r["reviewed_total"]) for r in rows] == [
        ("NDH", "draft", 3, "35.00", "0.00")
    ]


def test_member_cannot_read_or_change_another_members_card_through_any_call(api_client, ndh_staff, year_end):
    _self_score(year_end, "HNA", submit=False)
    hna_card = card_of(year_end, "HNA")
    before = _stored(hna_card)
    client = _as(api_client, ndh_staff)
    answers = [
        client.get(CARDS + "HNA/"),
        client.patch(CARDS + "HNA/self/", {"scores": {"1.1": {"points": "1"}}}, format="json"),
        client.post(CARDS + "HNA/submit/"),
        client.patch(CARDS + "HNA/review/", {"reviews": {"1.1": {"points": "1"}}}, format="json"),
        client.post(CARDS + "HNA/return/", {"note": "Sai"}, format="json"),
    ]
    assert [(a.status_code, a.json()) for a in answers] == [(404, NO_HNA_CARD)] * 5
    lines = [("1.1", 9, "Báo cáo", None, ""), ("1.2", 5, "Báo cáo", None, ""), ("2.1", 18, "Báo cáo", None, "")]
    assert _stored(hna_card) == before == ("draft", 2, "", lines)


def test_staff_self_scores_by_criterion_code_with_if_match(api_client, ndh_staff, year_end):
    response = _as(api_client, ndh_staff).patch(
        CARDS + "NDH/self/", {"scores": {"1.1": {"points": "9.75", "evidence": "Báo cáo 2025"}}},
        format="json", HTTP_IF_MATCH='"1"',
    )  # fmt: skip
    assert (response.status_code, response["ETag"], response.json()["self_total"]) == (200, '"2"', "9.75")
    assert _stored(card_of(year_end, "NDH"))[3] == [
        ("1.1", 9.75, "Báo cáo 2025", None, ""), ("1.2", None, "", None, ""), ("2.1", None, "", None, "")]  # fmt: skip


def test_self_score_above_the_maximum_is_400_and_nothing_is_saved(api_client, ndh_staff, year_end):
    response = _as(api_client, ndh_staff).patch(
        CARDS + "NDH/self/", {"scores": {"1.2": {"points": "4"}, "1.1": {"points": "10.5"}}}, format="json"
    )
    assert (response.status_code, response.json()) == (
        400, {"non_field_errors": ["Tiêu chí 1.1: 10,5 điểm vượt quá điểm chuẩn 10."]})  # fmt: skip
    assert _stored(card_of(year_end, "NDH"))[1:] == (1, "", [
        ("1.1", None, "", None, ""), ("1.2", None, "", None, ""), ("2.1", None, "", None, "")])  # fmt: skip


def test_unknown_criterion_code_is_400(api_client, ndh_staff, year_end):
    response = _as(api_client, ndh_staff).patch(
        CARDS + "NDH/self/", {"scores": {"9.9": {"points": "1"}}}, format="json"
    )
    assert (response.status_code, response.json()) == (
        400, {"scores": ["Tiêu chí “9.9” không thuộc bảng chấm điểm của phiếu này."]})  # fmt: skip


def test_stale_if_match_is_412_and_nothing_is_saved(api_client, ndh_staff, year_end):
    _self_score(year_end, "NDH", submit=False)  # version 2 now
    response = _as(api_client, ndh_staff).patch(
        CARDS + "NDH/self/", {"scores": {"1.1": {"points": "1"}}}, format="json", HTTP_IF_MATCH='"1"'
    )
    body = response.json()
    assert (response.status_code, response["ETag"], body["current"]["version"]) == (412, '"2"', 2)
    assert body["changed"]["1.1"] == [None, "10.00"]
    assert _stored(card_of(year_end, "NDH"))[1:3] == (2, "")
    assert _stored(card_of(year_end, "NDH"))[3][0] == ("1.1", 10, "Báo cáo", None, "")


def test_claims_by_rule_id_keep_the_note_left_out_and_refuse_a_rule_of_no_card(api_client, ndh_staff, year_end):
    card = card_of(year_end, "NDH")
    bonus, penalty = (card.claims.get(rule__kind=kind).rule_id for kind in ("bonus", "penalty"))
    client = _as(api_client, ndh_staff)
    client.patch(CARDS + "NDH/self/", {"claims": {str(bonus): {"count": 2, "note": "Sáng kiến A, B"}}}, format="json")
    response = client.patch(CARDS + "NDH/self/", {"claims": {str(bonus): {"count": 3}}}, format="json")
    assert [(c["rule"], c["rule_name"], c["self_count"], c["note"]) for c in response.json()["claims"]] == [
        (bonus, "Sáng kiến", 3, "Sáng kiến A, B"), (penalty, "Nộp chậm", 0, "")]  # fmt: skip
    response = client.patch(CARDS + "NDH/self/", {"claims": {"999999": {"count": 1}}}, format="json")
    assert (response.status_code, response.json()) == (
        400, {"claims": ["Nội dung thưởng, trừ không thuộc bảng chấm điểm của phiếu này."]})  # fmt: skip
    assert _stored(card_of(year_end, "NDH"))[1] == 3


def test_stale_if_match_on_submit_and_return_is_412_and_nothing_changes(api_client, ndh_leader, hna_leader, year_end):
    _self_score(year_end, "NDH", submit=False)  # version 2 now
    response = _as(api_client, ndh_leader).post(CARDS + "NDH/submit/", HTTP_IF_MATCH='"1"')
    assert (response.status_code, response["ETag"], response.json()["current"]["status"]) == (412, '"2"', "draft")
    assert _as(api_client, ndh_leader).post(CARDS + "NDH/submit/", HTTP_IF_MATCH='"2"').status_code == 200
    response = _as(api_client, hna_leader).post(CARDS + "NDH/return/", {"note": "Sai"}, format="json",
                                                 HTTP_IF_MATCH='"2"')  # fmt: skip
    changed = response.json()["changed"]
    assert (response.status_code, changed["status"], changed["submitted_by"]) == (
        412, ["draft", "submitted"], [None, ndh_leader.pk])  # fmt: skip
    assert _stored(card_of(year_end, "NDH"))[:3] == ("submitted", 3, "")


def test_only_the_members_leader_submits(api_client, ndh_staff, ndh_leader, year_end):
    _self_score(year_end, "NDH", submit=False)
    response = _as(api_client, ndh_staff).post(CARDS + "NDH/submit/")
    assert (response.status_code, response.json()) == (
        403, {"detail": "Chỉ lãnh đạo của Ban được gửi phiếu tự chấm của Ban mình."})  # fmt: skip
    response = _as(api_client, ndh_leader).post(CARDS + "NDH/submit/")
    assert (response.status_code, response.json()["status"], response["ETag"]) == (200, "submitted", '"3"')


# --- review --------------------------------------------------------------------------------------------


def test_bloc_leader_cannot_review_its_own_card_but_reviews_a_member(api_client, hna_leader, submitted):
    hna_card = card_of(submitted, "HNA")
    before = _stored(hna_card)
    client = _as(api_client, hna_leader)
    response = client.patch(CARDS + "HNA/review/", {"reviews": {"1.1": {"points": "9"}}}, format="json")
    assert (response.status_code, response.json()) == (403, {"detail": (
        "Bạn không thẩm định được phiếu này: lãnh đạo Ban Khối trưởng, Khối phó thẩm định, "
        "không Ban nào tự thẩm định mình.")})  # fmt: skip
    assert _stored(hna_card) == before
    response = client.patch(CARDS + "NDH/review/", {"reviews": {"1.1": {"points": "9", "comment": "Thiếu minh chứng"},
                                                               "2.1": {"points": "19.5"}}}, format="json")  # fmt: skip
    assert (response.status_code, response.json()["reviewed_total"]) == (200, "28.50")
    assert _stored(card_of(submitted, "NDH"))[3] == [
        ("1.1", 10, "Báo cáo", 9, "Thiếu minh chứng"),
        ("1.2", 5, "Báo cáo", None, ""),
        ("2.1", 20, "Báo cáo", 19.5, ""),
    ]


def test_reviewer_returns_a_card_with_a_note(api_client, hna_leader, submitted):
    response = _as(api_client, hna_leader).post(
        CARDS + "NDH/return/", {"note": "Bổ sung minh chứng 2.1"}, format="json"
    )
    assert (response.status_code, response.json()["status"], response.json()["returned_note"]) == (
        200, "draft", "Bổ sung minh chứng 2.1")  # fmt: skip
    assert _stored(card_of(submitted, "NDH"))[:3] == ("draft", 4, "Bổ sung minh chứng 2.1")


# --- the ranking -----------------------------------------------------------------------------------------


def test_ranking_is_hidden_from_members_until_published(api_client, hna_leader, ndh_staff, ministry_user, submitted):
    _review_all(submitted)
    assert _as(api_client, ndh_staff).get(ROUND + "ranking/").json() == NO_RANKING
    closed = _as(api_client, hna_leader).post(ROUND + "close/").json()
    expected = [(1, "NDH", "30.00", "35.00"), (2, "HNA", "30.00", "32.00"), (3, "TBH", "30.00", "31.50")]
    assert [(e["rank"], e["board"], e["total"], e["self_points"]) for e in closed] == expected
    response = _as(api_client, ndh_staff).get(ROUND + "ranking/")
    assert (response.status_code, response.json()) == (404, NO_RANKING)
    seen = _as(api_client, ministry_user).get(ROUND + "ranking/").json()
    assert [(e["rank"], e["board"], e["total"], e["self_points"]) for e in seen] == expected
    assert _as(api_client, hna_leader).post(ROUND + "publish/").json()["status"] == "published"
    shown = _as(api_client, ndh_staff).get(ROUND + "ranking/").json()
    assert [(e["rank"], e["board"], e["total"], e["self_points"]) for e in shown] == expected
    assert [r["board"] for r in api_client.get(CARDS).json()] == ["HNA", "NDH", "TBH"]


def test_only_the_bloc_leader_closes(api_client, tbh_leader, submitted):
    _review_all(submitted)
    response = _as(api_client, tbh_leader).post(ROUND + "close/")
    assert (response.status_code, response.json()) == (
        403, {"detail": "Chỉ lãnh đạo Ban Khối trưởng được khóa và công bố kết quả chấm điểm."})  # fmt: skip
    assert BlocYear.objects.get().rounds.get().status == "open"


# --- query counts -------------------------------------------------------------------------------------------


def _second_year(bloc_year, *boards):
    """DBSH 2026 with the 2025 members plus `boards`, its table copied and its year-end round open."""
    members = [m.board for m in bloc_year.memberships.order_by("order")] + list(boards)
    year = years.bloc_year_save(user=None, bloc=bloc_year.bloc, year=2026, members=members,
                                   leader=bloc_year.leader, deputy=bloc_year.deputy)  # fmt: skip
    scoring.table_create(user=None, bloc_year=year)
    opens_on, closes_on = datetime.date(2026, 11, 1), datetime.date(2026, 12, 1)
    scoring_round = scoring.round_save(
        user=None, bloc_year=year, kind=RoundKind.YEAR_END, opens_on=opens_on, closes_on=closes_on
    )
    return scoring.round_open(user=None, scoring_round=scoring_round)


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_scorecard_list_query_count_does_not_grow_with_members(api_client, ministry_user, year_end, bloc_year):
    _second_year(bloc_year, BoardFactory(code="VPC"))
    client = _as(api_client, ministry_user)
    three = _queries(client, CARDS)
    assert len(client.get("/api/v1/bloc-years/DBSH/2026/rounds/year_end/scorecards/").json()) == 4
    assert _queries(client, "/api/v1/bloc-years/DBSH/2026/rounds/year_end/scorecards/") == three


def test_bloc_year_list_query_count_does_not_grow_with_years(api_client, ministry_user, year_end, bloc_year):
    client = _as(api_client, ministry_user)
    one = _queries(client, "/api/v1/bloc-years/")
    _second_year(bloc_year, BoardFactory(code="VPC"))
    assert [r["year"] for r in client.get("/api/v1/bloc-years/").json()["results"]] == [2026, 2025]
    assert _queries(client, "/api/v1/bloc-years/") == one


# --- movements and awards --------------------------------------------------------------------------------------


@pytest.fixture
def decisions(hna, ndh):
    title = awards.award_title_save(user=None, code="BK_BO", name="Bằng khen của Bộ trưởng",
                                             kind=AwardKind.COMMENDATION, level=AwardLevel.PROVINCE)  # fmt: skip
    for number, board in (("101/QĐ-BKHĐT", hna), ("102/QĐ-BKHĐT", ndh)):
        recipient = awards.recipient_get_or_create(user=None, kind=RecipientKind.BOARD, board=board,
                                                            name=board.name)  # fmt: skip
        awards.award_decision_save(user=None, number=number, date=datetime.date(2025, 3, 1), issuer="Bộ KH&ĐT",
                                            title=title, year=2024, recipients=[recipient])  # fmt: skip
    return title


def test_award_decisions_are_scoped_to_the_users_boards(api_client, ndh_staff, ministry_user, decisions):
    rows = _as(api_client, ndh_staff).get("/api/v1/award-decisions/").json()["results"]
    assert [(r["number"], r["title"], r["year"], r["recipient_count"]) for r in rows] == [
        ("102/QĐ-BKHĐT", "BK_BO", 2024, 1)]  # fmt: skip
    hna_decision = next(r for r in _as(api_client, ministry_user).get("/api/v1/award-decisions/").json()["results"]
                        if r["number"] == "101/QĐ-BKHĐT")  # fmt: skip
    response = _as(api_client, ndh_staff).get(f"/api/v1/award-decisions/{hna_decision['id']}/")
    assert (response.status_code, response.json()) == (404, {"detail": "Không tìm thấy quyết định khen thưởng này."})


def test_movements_and_title_catalogue(api_client, ndh_staff, decisions):
    awards.movement_save(user=None, name="Người tốt, việc tốt", launched_by_level=LaunchLevel.MINISTRY,
                                  launched_by="Bộ Kế hoạch và Đầu tư", starts_on=datetime.date(2025, 1, 1))  # fmt: skip
    rows = _as(api_client, ndh_staff).get("/api/v1/movements/").json()["results"]
    assert [(r["name"], r["status"], r["launched_by_level"], r["blocs"]) for r in rows] == [
        ("Người tốt, việc tốt", "launched", "ministry", [])]  # fmt: skip
    titles = api_client.get("/api/v1/award-titles/").json()
    assert [(t["code"], t["name"], t["level"], t["rules"]) for t in titles] == [
        ("BK_BO", "Bằng khen của Bộ trưởng", "province", [])]  # fmt: skip


def test_movement_and_decision_lists_query_count_does_not_grow(api_client, ndh_staff, decisions, ndh, tbh):
    def movement(name):
        awards.movement_save(user=None, name=name, launched_by_level=LaunchLevel.MINISTRY, launched_by="Bộ",
                                      starts_on=datetime.date(2025, 1, 1), boards=[ndh, tbh])  # fmt: skip

    def decision(number):
        recipient = awards.recipient_get_or_create(user=None, kind=RecipientKind.PERSON, board=ndh,
                                                            name=f"Người {number}")  # fmt: skip
        awards.award_decision_save(user=None, number=number, date=datetime.date(2025, 4, 1), issuer="Bộ",
                                            title=decisions, year=2024, recipients=[recipient])  # fmt: skip

    client = _as(api_client, ndh_staff)
    movement("Phong trào 1")
    one = (_queries(client, "/api/v1/movements/"), _queries(client, "/api/v1/award-decisions/"))
    for number in range(2, 6):
        movement(f"Phong trào {number}")
        decision(f"{number}/QĐ")
    rows = client.get("/api/v1/movements/").json()["results"]
    assert [(r["name"], r["boards"]) for r in rows] == [(f"Phong trào {n}", ["NDH", "TBH"]) for n in range(1, 6)]
    assert len(client.get("/api/v1/award-decisions/").json()["results"]) == 5
    assert (_queries(client, "/api/v1/movements/"), _queries(client, "/api/v1/award-decisions/")) == one
