"""The emulation year end to end through the services (DOMAIN.md §8)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from emulation.models import BlocYear, RankingEntry, Scorecard
from emulation.services import awards, scoring, years

from .conftest import points


def card_of(year_end, code):
    return Scorecard.objects.get(round=year_end, board__code=code)


def test_opening_a_round_locks_the_table_and_gives_every_member_a_card(year_end, table):
    table.refresh_from_db()
    assert table.locked_at is not None
    assert sorted(year_end.scorecards.values_list("board__code", flat=True)) == ["HNA", "NDH", "TBH"]
    assert card_of(year_end, "NDH").scores.count() == 3
    with pytest.raises(ValidationError, match="đã khóa"):
        scoring.table_settings_save(user=None, table=table, bonus_cap="5", penalty_cap="3", tie_break=[])


def test_a_year_scored_reviewed_closed_and_published(
    year_end, hna, tbh, ndh, hna_leader, tbh_leader, ndh_staff, ndh_leader, hna_staff
):
    for code, scores in (("HNA", {"1.1": 9, "1.2": 5, "2.1": 18}), ("TBH", {"1.1": 8, "1.2": 4.5, "2.1": 19}),
                         ("NDH", {"1.1": 10, "1.2": 5, "2.1": 20})):  # fmt: skip
        card = card_of(year_end, code)
        scoring.scorecard_self_save(user=None, scorecard=card, scores=points(card, scores))
        scoring.scorecard_submit(user=None, scorecard=card)
    ndh_card = card_of(year_end, "NDH")
    with pytest.raises(PermissionDenied):  # a staff member cannot review, and no one reviews their own board
        scoring.scorecard_review(user=ndh_staff, scorecard=ndh_card, reviews=points(ndh_card, {"1.1": 1}))
    hna_card = card_of(year_end, "HNA")
    with pytest.raises(PermissionDenied):
        scoring.scorecard_review(user=hna_leader, scorecard=hna_card, reviews=points(hna_card, {"1.1": 9}))
    scoring.scorecard_review(
        user=tbh_leader, scorecard=hna_card, reviews=points(hna_card, {"1.1": 9, "1.2": 5, "2.1": 16})
    )
    tbh_card = card_of(year_end, "TBH")
    scoring.scorecard_review(
        user=hna_leader, scorecard=tbh_card, reviews=points(tbh_card, {"1.1": 8, "1.2": 4.5, "2.1": 17.5})
    )
    with pytest.raises(ValidationError, match="Chưa thẩm định xong: NDH"):
        scoring.round_close(user=hna_leader, scoring_round=year_end)
    scoring.scorecard_review(
        user=hna_leader, scorecard=ndh_card, reviews=points(ndh_card, {"1.1": 9.75, "1.2": 5, "2.1": 15.25})
    )
    with pytest.raises(PermissionDenied):  # the deputy does not close
        scoring.round_close(user=tbh_leader, scoring_round=year_end)
    ranking = scoring.round_close(user=hna_leader, scoring_round=year_end)
    # Equal totals of 30; the bloc's rule (group order) decides: group 1 gives NDH 14.75, HNA 14, TBH 12.5.
    assert [(e.board.code, str(e.total), e.rank, e.tie_note) for e in ranking] == [
        ("NDH", "30.00", 1, "Bằng điểm, xét theo: Điểm thẩm định cao hơn ở nhóm tiêu chí trước (theo thứ tự nhóm)"),
        ("HNA", "30.00", 2, "Bằng điểm, xét theo: Điểm thẩm định cao hơn ở nhóm tiêu chí trước (theo thứ tự nhóm)"),
        ("TBH", "30.00", 3, "Bằng điểm, xét theo: Điểm thẩm định cao hơn ở nhóm tiêu chí trước (theo thứ tự nhóm)"),
    ]
    scoring.round_publish(user=hna_leader, scoring_round=year_end)
    from emulation.models import AwardTitle

    flag = AwardTitle.objects.create(code="CO_BO", name="Cờ thi đua của Bộ", kind="title", level="province")
    awards.year_conclude(
        user=hna_leader, bloc_year=year_end.bloc_year, proposals=[(ndh, flag)], next_leader=ndh, next_deputy=hna
    )
    following = BlocYear.objects.get(year=2026)
    assert (following.leader.code, following.deputy.code, following.memberships.count()) == ("NDH", "HNA", 3)
    assert RankingEntry.objects.count() == 3


def submit_all(year_end, scores=None):
    for code in ("HNA", "TBH", "NDH"):
        card = card_of(year_end, code)
        scoring.scorecard_self_save(
            user=None, scorecard=card, scores=points(card, scores or {"1.1": 10, "1.2": 5, "2.1": 20})
        )
        scoring.scorecard_submit(user=None, scorecard=card)


def review(card, by, scores, claims=None):
    scoring.scorecard_review(user=by, scorecard=card, reviews=points(card, scores), claims=claims or {})


def test_bonus_and_penalty_caps_reach_the_frozen_ranking(year_end, table, hna_leader, tbh_leader):
    submit_all(year_end)
    bonus, penalty = (table.rules.get(kind=k).pk for k in ("bonus", "penalty"))
    ndh, tbh, hna = (card_of(year_end, c) for c in ("NDH", "TBH", "HNA"))
    # NDH: 5 initiatives (1 each, rule cap 3, table cap 2) and 3 late reports (2 each, rule cap 4, table cap 3).
    review(ndh, hna_leader, {"1.1": 10, "1.2": 5, "2.1": 20}, {bonus: {"count": 5}, penalty: {"count": 3}})
    review(tbh, hna_leader, {"1.1": 9.5, "1.2": 5, "2.1": 18.25}, {bonus: {"count": 1}})
    review(hna, tbh_leader, {"1.1": 8, "1.2": 4.25, "2.1": 20})
    ranking = scoring.round_close(user=hna_leader, scoring_round=year_end)
    assert [
        (e.board.code, str(e.reviewed_points), str(e.bonus), str(e.penalty), str(e.total), e.rank) for e in ranking
    ] == [
        ("NDH", "35.00", "2.00", "3.00", "34.00", 1),
        ("TBH", "32.75", "1.00", "0.00", "33.75", 2),
        ("HNA", "32.25", "0.00", "0.00", "32.25", 3),
    ]


def test_before_publication_a_member_sees_only_its_own_card(year_end, hna_leader, tbh_leader, ndh_staff, ministry_user):
    from emulation import access

    assert list(access.visible_scorecards(ndh_staff, year_end).values_list("board__code", flat=True)) == ["NDH"]
    assert sorted(access.visible_scorecards(hna_leader, year_end).values_list("board__code", flat=True)) == [
        "HNA",  # its own board's card, and the two it reviews
        "NDH",
        "TBH",
    ]
    assert access.visible_scorecards(ministry_user, year_end).count() == 3
    submit_all(year_end)
    for code, by in (("NDH", hna_leader), ("TBH", hna_leader), ("HNA", tbh_leader)):
        review(card_of(year_end, code), by, {"1.1": 10, "1.2": 5, "2.1": 20})
    scoring.round_close(user=hna_leader, scoring_round=year_end)
    assert access.visible_scorecards(ndh_staff, year_end).count() == 1  # closed, not yet published
    published = scoring.round_publish(user=hna_leader, scoring_round=year_end)
    assert access.visible_scorecards(ndh_staff, published).count() == 3


def test_a_member_cannot_self_score_another_members_card(year_end, ndh_staff):
    hna_card = card_of(year_end, "HNA")
    with pytest.raises(PermissionDenied):
        scoring.scorecard_self_save(user=ndh_staff, scorecard=hna_card, scores=points(hna_card, {"1.1": 1}))
    assert set(hna_card.scores.values_list("self_points", flat=True)) == {None}


def test_the_named_member_reviews_the_leader_and_the_deputy(bloc_year, hna, tbh, ndh, year_end, ndh_leader, tbh_leader):
    from emulation import access

    assert access.reviewer_board_ids(bloc_year, hna.pk) == {tbh.pk}
    assert access.reviewer_board_ids(bloc_year, ndh.pk) == {hna.pk, tbh.pk}
    bloc_year.alternate_reviewer = ndh
    bloc_year.save()
    assert access.reviewer_board_ids(bloc_year, hna.pk) == {tbh.pk, ndh.pk}
    assert access.reviewer_board_ids(bloc_year, ndh.pk) == {hna.pk, tbh.pk}  # never itself
    assert access.can_review(ndh_leader, card_of(year_end, "HNA"))
    assert not access.can_review(ndh_leader, card_of(year_end, "NDH"))


def test_self_scores_are_checked_against_the_criterion(year_end, ndh_staff):
    card = card_of(year_end, "NDH")
    with pytest.raises(ValidationError) as refused:
        scoring.scorecard_self_save(user=ndh_staff, scorecard=card, scores=points(card, {"1.1": 10.5, "1.2": 4.1}))
    assert refused.value.messages == [
        "Tiêu chí 1.1: 10,5 điểm vượt quá điểm chuẩn 10.",
        "Tiêu chí 1.2: điểm phải là bội số của 0,25.",
    ]
    assert set(card.scores.values_list("self_points", flat=True)) == {None}


def test_a_stale_scorecard_save_is_refused(year_end, ndh_staff):
    from kcn_portal.core.concurrency import ConflictError

    card = card_of(year_end, "NDH")
    scoring.scorecard_self_save(user=ndh_staff, scorecard=card, scores=points(card, {"1.1": 5}), expected_version=1)
    with pytest.raises(ConflictError):
        scoring.scorecard_self_save(user=ndh_staff, scorecard=card, scores=points(card, {"1.1": 7}), expected_version=1)
    assert card.scores.get(criterion__code="1.1").self_points == 5


def test_bloc_year_roles_must_be_members(bloc_year, hna, tbh, ndh):
    from tests.factories import BoardFactory

    outsider = BoardFactory(code="QNH", name="Ban Quản lý KKT Quảng Ninh")
    with pytest.raises(ValidationError) as refused:
        years.bloc_year_save(
            user=None, bloc=bloc_year.bloc, year=2025, members=[hna, tbh, ndh], leader=outsider, deputy=tbh
        )
    assert refused.value.message_dict == {
        "leader": ["Ban Quản lý KKT Quảng Ninh không phải là thành viên của khối năm 2025."]
    }
    bloc_year.refresh_from_db()
    assert bloc_year.leader == hna


def test_members_cannot_change_once_a_round_is_open(year_end, bloc_year, hna, tbh):
    with pytest.raises(ValidationError, match="Đã mở đợt chấm điểm"):
        years.bloc_year_save(user=None, bloc=bloc_year.bloc, year=2025, members=[hna, tbh], leader=hna, deputy=tbh)
    assert bloc_year.memberships.count() == 3


def test_a_movement_moves_forward_only(db):
    import datetime

    from emulation.services import awards

    movement = awards.movement_save(
        user=None, name="Người tốt, việc tốt", launched_by_level="ministry", launched_by="Bộ Tài chính",
        kind="regular", starts_on=datetime.date(2025, 1, 1),
    )  # fmt: skip
    assert awards.movement_next_status(movement) == "reviewing"
    movement = awards.movement_advance(user=None, movement=movement, status="awarded")
    assert awards.movement_next_status(movement) is None
    with pytest.raises(ValidationError):
        awards.movement_advance(user=None, movement=movement, status="reviewing")
