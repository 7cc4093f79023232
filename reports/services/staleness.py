"""Staleness: which built reports a change of the records can alter, marking them, and rebuilding them.

Apps that must not import reports send kcn_portal.core.signals.records_changed with {board id: earliest
date affected} (ReportsConfig connects it to `reports_mark_stale`); plans, approvals and corrections call
these functions directly. A marked report is rebuilt after commit by the task reports.rebuild_stale:
stale boards afresh, then blocs and the nation by adding up the boards' stored snapshots.
"""

from __future__ import annotations

import datetime
import logging

from celery import current_app
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from kcn_portal import periods
from reports import scopes
from reports.models import ReportState
from reports.services import builds
from zones.models import Board

logger = logging.getLogger(__name__)


def reports_mark_stale(*, changes: dict[int, datetime.date]) -> int:
    """Mark the built reports a change can alter as stale and rebuild them after commit.

    `changes` maps the id of each board whose data changed to the earliest date affected: every
    report of the board, its bloc and the nation whose period ends on or after that date is marked.
    Returns how many.
    """
    if not changes:
        return 0
    now, marked = timezone.now(), 0
    for board in Board.objects.filter(pk__in=list(changes)):
        since = changes[board.pk]
        marked += ReportState.objects.filter(
            scope__in=[str(scope) for scope in scopes.scopes_of_board(board)], end__gte=since
        ).update(stale_since=now, stale_from=Least(Coalesce("stale_from", Value(since)), Value(since)))
    if marked:
        rebuild_stale_after_commit()
    return marked


def _send_rebuild() -> None:
    # By the task's name (kcn_portal.core.queue): services and tasks never import each other.
    current_app.tasks["reports.rebuild_stale"].delay()


def rebuild_stale_after_commit() -> None:
    """Send the rebuild of the stale reports once the transaction commits (once per transaction)."""
    # One rebuild per transaction, however many rows it changed (an import of 500 plans marks 500 times).
    pending = transaction.get_connection().run_on_commit
    if not any(func is _send_rebuild for _sids, func, _robust in pending):
        transaction.on_commit(_send_rebuild)


def reports_rebuild_stale() -> list[builds.Built]:
    """Rebuild every stale report: the stale boards afresh, then blocs and the nation from the boards.

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
        period = periods.parse(code)
        boards = [scope for scope in targets if scope.kind == scopes.BOARD]
        if boards:
            built += builds.report_build(period=period, targets=boards, keep_previous=True)
        others = [scope for scope in targets if scope.kind != scopes.BOARD]
        if others:
            built += builds.report_build(period=period, targets=others, recompute=False)
    return built


def summaries_mark_stale(*, board: Board, period_codes: list[str]) -> None:
    """Mark the bloc and national reports of these periods stale and rebuild them after commit: they add up
    the board's approved version, which an approval, a reopening or a correction has just (re)pinned."""
    others = [str(scope) for scope in scopes.scopes_of_board(board) if scope.kind != scopes.BOARD]
    marked = ReportState.objects.filter(scope__in=others, period__in=period_codes).update(stale_since=timezone.now())
    if marked:
        rebuild_stale_after_commit()
