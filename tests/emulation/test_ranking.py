"""Totals, caps and tie-breaks of the ranking (emulation.ranking), exact to the quarter point."""

from decimal import Decimal as D

import pytest

from emulation.ranking import Card, capped, rank

GROUPS = "groups"


def card(board_id, groups, bonus="0", penalty="0", self_points=None):
    groups = [D(g) for g in groups]
    return Card(board_id, D(self_points) if self_points else sum(groups), groups, D(bonus), D(penalty))


def test_bonus_and_penalty_are_capped_per_rule_then_in_total():
    # Rule caps: 3 × 1 point capped at 2; 1 × 1.5 under its cap of 3 → 3.5, then the table's cap of 3.
    assert capped([(D("1"), 3, D("2")), (D("1.5"), 1, D("3"))], D("3")) == D("3")
    assert capped([(D("0.25"), 3, D("1"))], D("5")) == D("0.75")
    assert capped([], D("5")) == D("0")


def test_total_is_reviewed_plus_bonus_minus_penalty():
    ranked = rank([card(1, ["40", "50.25"], bonus="2", penalty="1.5"), card(2, ["45", "46"])], [GROUPS])
    assert [(c.board_id, c.total, c.rank) for c in ranked] == [(2, D("91"), 1), (1, D("90.75"), 2)]


def test_equal_totals_follow_the_blocs_rules_in_order():
    cards = [
        card(1, ["40", "50"], penalty="0"),  # 90
        card(2, ["45", "45"], bonus="1", penalty="1"),  # 90, better in group 1
        card(3, ["40", "50"], bonus="0.5", penalty="0.5"),  # 90, same groups as 1, more penalty
    ]
    ranked = rank(cards, [GROUPS, "less_penalty"])
    assert [(c.board_id, c.rank) for c in ranked] == [(2, 1), (1, 2), (3, 3)]
    ranked = rank(cards, ["less_penalty", GROUPS])
    assert [(c.board_id, c.rank) for c in ranked] == [(1, 1), (3, 2), (2, 3)]


def test_members_still_equal_share_a_rank_and_the_next_rank_is_skipped():
    cards = [card(1, ["50", "40"]), card(2, ["50", "40"]), card(3, ["80", "0"]), card(4, ["95", "0"])]
    ranked = rank(cards, [GROUPS])
    assert [(c.board_id, c.rank, c.tie_note) for c in ranked] == [
        (4, 1, ""),
        (1, 2, "Bằng điểm, đồng hạng"),
        (2, 2, "Bằng điểm, đồng hạng"),
        (3, 4, ""),
    ]


def test_smaller_gap_between_self_and_reviewed_wins_a_tie():
    honest = card(1, ["90"], self_points="91")
    generous = card(2, ["90"], self_points="100")
    ranked = rank([generous, honest], ["smaller_gap"])
    assert [(c.board_id, c.rank, c.tie_note) for c in ranked] == [
        (1, 1, "Bằng điểm, xét theo: Chênh lệch giữa tự chấm và thẩm định nhỏ hơn"),
        (2, 2, "Bằng điểm, xét theo: Chênh lệch giữa tự chấm và thẩm định nhỏ hơn"),
    ]


def test_an_unknown_rule_is_refused():
    with pytest.raises(ValueError):
        rank([card(1, ["1"])], ["coin_toss"])
