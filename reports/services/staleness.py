"""Staleness: which built reports a change of the records can alter, marking them, and rebuilding them.

A writer's transaction only notes what changed; the reports are marked and rebuilt once it commits:

- apps that must not import reports send kcn_portal.core.signals.records_changed ({board id: earliest
  date affected}, and the kind of records when the sender knows it; ReportsConfig connects it to
  `changes_record`), plans call `changes_record` and approvals `summaries_record`. These only add to a
  note kept with the transaction (one per transaction and connection, merged across every change:
  each board's earliest date, the kinds of records), and register one callback, `_send_rebuild`;
  nothing is noted when no built report can be affected;
- after commit (transaction.on_commit, robust) that callback marks the noted reports stale in its
  own short transaction (`stale_since`, `stale_from`, `stale_records`) and sends the task
  reports.rebuild_stale: one build per period, in which a stale board recomputes only the figures
  and data-quality rules the kinds of records changed can alter (the rest from its latest snapshot),
  blocs and the nation adding up the boards' stored snapshots.

So the writers of different boards never lock the same ReportState rows (those of a bloc and of the
nation are shared by every board), and an error marking or rebuilding — eager, in the request's
process, when there is no broker — is logged, never raised into the request that saved the change.
The reports stay marked then, and beat's periodic reports.rebuild_stale tries again.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from celery import current_app
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce, Concat, Least
from django.utils import timezone

from kcn_portal import periods
from kcn_portal.core import signals
from reports import scopes
from reports.enums import StaleRecords
from reports.models import ReportState
from reports.services import builds
from zones.models import Board

logger = logging.getLogger(__name__)

# The kinds of records a sender of records_changed may name, as ReportState.stale_records bits.
RECORD_KINDS = {
    signals.LICENCE_EVENTS: StaleRecords.LICENCE_EVENTS,
    signals.LICENCE_ADJUSTMENTS: StaleRecords.LICENCE_ADJUSTMENTS,
    signals.ENTERPRISE_REPORTS: StaleRecords.ENTERPRISE_REPORTS,
    signals.PLANS: StaleRecords.PLANS,
}


@dataclass
class _Noted:
    """What one transaction changed, to mark once it commits."""

    # board id → (earliest date changed, kinds of records changed as StaleRecords bits; 0: any)
    changes: dict[int, tuple[datetime.date, int]] = field(default_factory=dict)
    summaries: dict[int, set[str]] = field(default_factory=dict)  # board id → periods whose approval moved
    rebuild: bool = False  # something was marked inside the transaction: the rebuild is to send
    done: bool = False

    def add_changes(self, changes: dict[int, datetime.date], kinds: int) -> None:
        for board_id, since in changes.items():
            if board_id in self.changes:
                before, known = self.changes[board_id]
                since, kinds_of_board = min(before, since), (known | kinds if known and kinds else 0)
            else:
                kinds_of_board = kinds
            self.changes[board_id] = (since, kinds_of_board)


def _noted_so_far() -> _Noted | None:
    """The note of the current transaction, found among the connection's on_commit callbacks.

    So it lives and dies with the transaction: a rolled-back savepoint that registered it drops it (a
    later change starts a new one); a change noted in a savepoint rolled back afterwards stays noted,
    which at worst rebuilds a report that did not need it.
    """
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for _sids, func, _robust in connection.run_on_commit:
            noted = getattr(func, "noted", None)
            if noted is not None and not noted.done:
                return noted
    return None


def _note(add: Callable[[_Noted], None]) -> None:
    """Add to the current transaction's note; the first time, register its after-commit callback (robust:
    an error is logged, never raised into the saved request). Outside a transaction it runs at once."""
    noted = _noted_so_far()
    if noted is not None:
        add(noted)
        return
    noted = _Noted()
    add(noted)

    def _send_rebuild() -> None:
        _after_commit(noted)

    _send_rebuild.noted = noted
    transaction.on_commit(_send_rebuild, robust=True)


def _built(when: Q, *, board_ids: list[int] = ()) -> bool:
    """Whether a built report the change can alter may exist: a bloc's or the nation's, or one of these boards',
    matching `when` (one read, no lock). With none, nothing is noted: there is nothing to mark."""
    summaries = Q(scope=str(scopes.Scope(scopes.NATIONAL))) | Q(scope__startswith=f"{scopes.BLOC}:")
    if board_ids:
        board_scopes = Board.objects.filter(pk__in=board_ids).values(scope=Concat(Value(f"{scopes.BOARD}:"), "code"))
        summaries |= Q(scope__in=board_scopes)
    return ReportState.objects.filter(when, summaries).exists()


def changes_record(*, changes: dict[int, datetime.date], records: str | None = None) -> None:
    """Note, in the current transaction, that these boards' records changed from these dates on.

    `records` is the kind of records that changed (kcn_portal.core.signals), None for any: a rebuild
    recomputes only the figures that kind can alter. After commit the reports of each board, its
    bloc and the nation whose period ends on or after the date are marked stale and rebuilt.
    """
    if changes and _built(Q(end__gte=min(changes.values())), board_ids=list(changes)):
        kinds = int(RECORD_KINDS[records]) if records else 0
        _note(lambda noted: noted.add_changes(changes, kinds))


def summaries_record(*, board: Board, period_codes: list[str]) -> None:
    """Note, in the current transaction, that the board's approved versions of these periods were
    (re)pinned: after commit its bloc's and the nation's reports of them are marked stale and rebuilt."""
    if _built(Q(period__in=list(period_codes))):
        _note(lambda noted: noted.summaries.setdefault(board.pk, set()).update(period_codes))


def rebuild_stale_after_commit() -> None:
    """Send the rebuild of the stale reports once the transaction commits (once per transaction)."""
    # One rebuild per transaction, however many rows it changed (an import of 500 plans marks 500 times).
    _note(lambda noted: setattr(noted, "rebuild", True))


def _after_commit(noted: _Noted) -> None:
    """Mark what a committed transaction noted, in a short transaction of its own, then send the rebuild."""
    noted.done = True
    marked = 0
    if noted.changes or noted.summaries:
        with transaction.atomic():
            marks = _marks(noted.changes)
            for board in Board.objects.filter(pk__in=list(noted.summaries)).order_by("pk"):
                marks.append(_summary_marks(board, noted.summaries[board.pk]))
            marked = _apply(marks)
    if marked or noted.rebuild:
        try:
            # By the task's name (kcn_portal.core.queue): services and tasks never import each other.
            current_app.tasks["reports.rebuild_stale"].delay()
        except Exception:
            # Eager without a broker, the rebuild runs here: its failure must not undo or error the saved change.
            logger.exception("Rebuilding the stale reports failed; they stay marked for the next rebuild")


def _marks(changes: dict[int, tuple[datetime.date, int]]) -> list[tuple[Q, dict]]:
    """(which states, what to set) for the reports of each board (its own, its bloc's, the nation's) whose
    period ends on or after its date; the kinds of records changed add to those already noted (0, any,
    stays 0)."""
    now, marks = timezone.now(), []
    for board in Board.objects.filter(pk__in=list(changes)).order_by("pk"):
        since, kinds = changes[board.pk]
        records = Value(0)
        if kinds:
            records = Case(
                When(stale_since__isnull=True, then=Value(kinds)),
                When(stale_records=0, then=Value(0)),
                default=F("stale_records").bitor(kinds),
            )
        which = Q(scope__in=[str(scope) for scope in scopes.scopes_of_board(board)], end__gte=since)
        values = {
            "stale_since": now,
            "stale_from": Least(Coalesce("stale_from", Value(since)), Value(since)),
            "stale_records": records,
        }
        marks.append((which, values))
    return marks


def _summary_marks(board: Board, period_codes) -> tuple[Q, dict]:
    others = [str(scope) for scope in scopes.scopes_of_board(board) if scope.kind != scopes.BOARD]
    return Q(scope__in=others, period__in=list(period_codes)), {"stale_since": timezone.now()}


def _apply(marks: list[tuple[Q, dict]]) -> int:
    """Set the marks (in the caller's transaction); returns how many states were marked.

    The rows are locked first, all at once, in the order every build stores them (boards, blocs, the
    nation): two markings, or a marking and a build, then never wait on each other in a circle.
    """
    if not marks:
        return 0
    every = Q()
    for which, _values in marks:
        every |= which
    rank = Case(
        When(scope__startswith=f"{scopes.BOARD}:", then=Value(0)),
        When(scope__startswith=f"{scopes.BLOC}:", then=Value(1)),
        default=Value(2),
    )
    locked = ReportState.objects.select_for_update().filter(every).order_by(rank, "scope", "period")
    list(locked.values_list("pk", flat=True))
    return sum(ReportState.objects.filter(which).update(**values) for which, values in marks)


def reports_mark_stale(*, changes: dict[int, datetime.date]) -> int:
    """Mark, now, the built reports a change can alter as stale, and rebuild them after commit.

    `changes` maps the id of each board whose data changed to the earliest date affected: every
    report of the board, its bloc and the nation whose period ends on or after that date is marked,
    for any kind of records. Returns how many. Writers call `changes_record` instead (marked after
    commit); this is for callers that already are outside the writer's transaction.
    """
    if not changes:
        return 0
    marked = _apply(_marks({board_id: (since, 0) for board_id, since in changes.items()}))
    if marked:
        rebuild_stale_after_commit()
    return marked


def summaries_mark_stale(*, board: Board, period_codes: list[str]) -> None:
    """Mark, now, the bloc and national reports of these periods stale and rebuild them after commit: they
    add up the board's approved version, which an approval, a reopening or a correction has just (re)pinned."""
    if _apply([_summary_marks(board, period_codes)]):
        rebuild_stale_after_commit()


def reports_rebuild_stale() -> list[builds.Built]:
    """Rebuild every stale report, one build per period: of a stale board only the figures its changes can
    alter are computed again (the others are its latest snapshot's), blocs and the nation add up the boards.

    Idempotent: with nothing stale it does nothing.
    """
    built = []
    stale = ReportState.objects.filter(stale_since__isnull=False).values_list("scope", "period")
    by_period: dict[str, list[scopes.Scope]] = {}
    for scope, period in stale:
        try:
            by_period.setdefault(period, []).append(scopes.parse(scope))
        except scopes.ScopeError:
            logger.warning("Stale report of a scope that no longer exists: %s %s", scope, period)
    for code, targets in sorted(by_period.items()):
        built += builds.report_build(period=periods.parse(code), targets=targets, recompute=False)
    return built
