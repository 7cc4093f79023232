"""Approved periods lock a board's data (issue 7); the apps that write it ask here.

The approvals live in `reports` (which reads investment); investment must not import it, so
reports registers the function that lists a board's locked ranges when it starts
(ReportsConfig.ready). Nothing registered: nothing is locked.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Lock:
    """One approved period of a board: its code, dates and when the leader approved it."""

    period: str
    start: datetime.date
    end: datetime.date
    approved_on: datetime.date


_source: Callable[[Iterable[int]], dict[int, list[Lock]]] | None = None


def register(source: Callable[[Iterable[int]], dict[int, list[Lock]]]) -> None:
    """`source(board_ids)` → {board id: locks in force now} (periods approved and not reopened)."""
    global _source
    _source = source


def locks_of(board_ids: Iterable[int]) -> dict[int, list[Lock]]:
    """The locks in force on the given boards' data (one query); boards without any are left out."""
    return _source(list(board_ids)) if _source else {}


def covering(locks: list[Lock], day: datetime.date) -> Lock | None:
    return next((lock for lock in locks if lock.start <= day <= lock.end), None)


def message(lock: Lock, what: str) -> str:
    """The refusal for writing `what` into a locked period, Vietnamese first."""
    return _(
        "Số liệu kỳ %(period)s của Ban đã được lãnh đạo phê duyệt ngày %(date)s nên không sửa được %(what)s. "
        "Hãy đề nghị đính chính, hoặc đề nghị mở lại kỳ."
    ) % {"period": lock.period, "date": lock.approved_on.strftime("%d/%m/%Y"), "what": what}


def refuse_locked(board_id: int, days: Iterable[datetime.date], what: str, field: str | None = None) -> None:
    """Raise ValidationError when any of `days` falls in a locked period of the board."""
    locks = locks_of([board_id]).get(board_id, [])
    for day in days:
        lock = covering(locks, day)
        if lock:
            text = message(lock, what)
            raise ValidationError({field: text} if field else text)
