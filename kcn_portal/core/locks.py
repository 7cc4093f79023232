"""Approved periods lock a board's data (issue 7); the apps that write it ask here.

The approvals live in `reports` (which reads investment); investment must not import it, so
reports registers the function that lists a board's locked ranges when it starts
(ReportsConfig.ready). Nothing registered: nothing is locked.

Two rules, both asked by every writer (services; the importers through the same functions):
- a record dated in an approved period (a licence event, an enterprise report of its quarters) is
  not written (`covering`, `refuse_locked`);
- a change dated anywhere that would alter an approved period's figures — its values or its "same
  period last year" column — is not written either (`altering`, `refuse_altering`): a back-dated
  registration, a correction of an earlier year, a zone's areas, status, board or establishment
  date. Reports registers, per kind of record ("project", "zone"), the function giving what one
  record contributes to a period's figures (reports.locks); the writer passes the record before and
  after the change and the first approved period whose contribution differs is named.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kcn_portal import periods


@dataclass(frozen=True)
class Lock:
    """One approved period of a board: its code, dates and when the leader approved it."""

    period: str
    start: datetime.date
    end: datetime.date
    approved_on: datetime.date
    board_name: str = ""


@dataclass(frozen=True)
class Part:
    """One record as the figures see it: the board it counts under and the record itself.

    For "project": `records` is a ProjectRecords; for "zone": the zone (an object with its fields).
    """

    board_id: int
    records: object


@dataclass(frozen=True)
class ProjectRecords:
    """A project's kind, its live licence events and its enterprise reports (what its figures read)."""

    kind: str
    events: tuple
    reports: tuple


_source: Callable[[Iterable[int]], dict[int, list[Lock]]] | None = None
# kind of record → figures(lock, records) → {figure: value}, only the non-zero ones.
_figures: dict[str, Callable[[Lock, object], dict]] = {}
# kind of record → in_zone(zone id) → the records of that kind counted under the zone's board.
_in_zone: dict[str, Callable[[int], list]] = {}


def register(source: Callable[[Iterable[int]], dict[int, list[Lock]]]) -> None:
    """`source(board_ids)` → {board id: locks in force now} (periods approved and not reopened)."""
    global _source
    _source = source


def register_figures(kind: str, figures: Callable[[Lock, object], dict]) -> None:
    """`figures(lock, records)` → what one record of `kind` contributes to the locked period's figures."""
    _figures[kind] = figures


def register_in_zone(kind: str, in_zone: Callable[[int], list]) -> None:
    """`in_zone(zone_id)` → the records of `kind` that move with a zone to another board (investment: its
    projects, as ProjectRecords), so zones can refuse a move that alters an approved period without
    importing the app that owns them."""
    _in_zone[kind] = in_zone


def records_in_zone(zone_id: int) -> list[tuple[str, object]]:
    """(kind, records) of every registered kind for the zone, in registration order."""
    return [(kind, records) for kind, in_zone in _in_zone.items() for records in in_zone(zone_id)]


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


def altering(kind: str, before: Part | None, after: Part | None) -> Lock | None:
    """The first locked period (by board, then start) whose figures differ between the record `before` and
    `after` a change (None: the record does not exist on that side); None when no approved figure moves."""
    figures = _figures.get(kind)
    parts = [part for part in (before, after) if part is not None]
    if figures is None or not parts:
        return None
    board_ids = sorted({part.board_id for part in parts})
    in_force = locks_of(board_ids)
    for board_id in board_ids:
        for lock in in_force.get(board_id, []):
            old = figures(lock, before.records) if before is not None and before.board_id == board_id else {}
            new = figures(lock, after.records) if after is not None and after.board_id == board_id else {}
            if old != new:
                return lock
    return None


def altered_message(lock: Lock, what: str) -> str:
    """The refusal of a change that would alter an approved period's figures, naming the period."""
    return _(
        "%(period)s của %(board)s đã được phê duyệt ngày %(date)s; %(what)s làm thay đổi số liệu của kỳ này "
        "nên không được ghi. Hãy đề nghị đính chính, hoặc đề nghị mở lại kỳ."
    ) % {
        "period": periods.parse(lock.period).label,
        "board": lock.board_name or _("Ban"),
        "date": lock.approved_on.strftime("%d/%m/%Y"),
        "what": what,
    }


def refuse_altering(kind: str, before: Part | None, after: Part | None, what: str, field: str | None = None) -> None:
    """Raise ValidationError (on `field`, or the whole form) when the change would alter an approved period."""
    lock = altering(kind, before, after)
    if lock:
        text = altered_message(lock, what)
        raise ValidationError({field: text} if field else text)
