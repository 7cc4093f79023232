"""The ranking of a closed round: totals and the bloc's tie-break rules (pure Python, no database).

total = reviewed points + bonus − penalty, where a rule gives points × occurrences up to its own cap
and the table caps the sums of bonuses and of penalties. Members with equal totals are ordered by the
bloc's tie-break rules in the order it lists them; those still equal share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .enums import TieBreak


@dataclass
class Card:
    """What ranking needs of one member's scorecard."""

    board_id: int
    self_points: Decimal
    reviewed_by_group: list[Decimal]  # in the table's group order
    bonus: Decimal
    penalty: Decimal
    rank: int = 0
    tie_note: str = ""
    key: tuple = field(default=(), repr=False)

    @property
    def reviewed_points(self) -> Decimal:
        return sum(self.reviewed_by_group, Decimal("0"))

    @property
    def total(self) -> Decimal:
        return self.reviewed_points + self.bonus - self.penalty

    @property
    def gap(self) -> Decimal:
        return abs(self.self_points - self.reviewed_points)


def capped(items: Iterable[tuple[Decimal, int, Decimal]], table_cap: Decimal) -> Decimal:
    """Σ min(points × count, rule cap) over the rules, then at most the table's cap."""
    total = sum((min(points * count, cap) for points, count, cap in items), Decimal("0"))
    return min(total, table_cap)


def _tie_key(card: Card, rule: str) -> tuple:
    # Larger is better in every key (penalty and gap are negated).
    if rule == TieBreak.GROUPS:
        return tuple(card.reviewed_by_group)
    if rule == TieBreak.LESS_PENALTY:
        return (-card.penalty,)
    if rule == TieBreak.MORE_BONUS:
        return (card.bonus,)
    if rule == TieBreak.SMALLER_GAP:
        return (-card.gap,)
    raise ValueError(f"unknown tie-break rule {rule!r}")


def rank(cards: Sequence[Card], tie_break: Sequence[str]) -> list[Card]:
    """The cards best first with `rank` and, where a rule separated equal totals, `tie_note` set."""
    for card in cards:
        card.key = (card.total, *(_tie_key(card, rule) for rule in tie_break))
    ordered = sorted(cards, key=lambda c: c.key, reverse=True)
    for position, card in enumerate(ordered, start=1):
        before = ordered[position - 2] if position > 1 else None
        card.rank = before.rank if before is not None and before.key == card.key else position
    labels = dict(TieBreak.choices)
    for card in ordered:
        same_total = [other for other in ordered if other is not card and other.total == card.total]
        if not same_total:
            continue
        if all(other.key == card.key for other in same_total):
            card.tie_note = _("Bằng điểm, đồng hạng")
            continue
        # The first rule that tells this card from some equal-total card is the one that decided.
        for index, rule in enumerate(tie_break, start=1):
            if any(other.key[: index + 1] != card.key[: index + 1] for other in same_total):
                card.tie_note = _("Bằng điểm, xét theo: %(rule)s") % {"rule": labels[rule]}
                break
    return ordered
