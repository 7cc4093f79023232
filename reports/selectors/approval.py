"""Reads of the approval workflow (issue 7): a board's periods and their approval, a period's data-quality
warnings, reopen requests, and the approval marks of the report pages and workbooks (members' approvals,
the ministry's acceptance) — for the pages and the API, scoped by zones.access.

Objects of a board the user may not read answer 404, as everywhere. Lists run a fixed number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kcn_portal import periods
from reports.enums import CorrectionStatus, ReopenStatus
from reports.models import Correction, DataIssue, PeriodApproval, ReopenRequest, SummaryAcceptance
from reports.selectors import deadlines
from zones import access
from zones.models import Board


def approvable_period(period: periods.Period) -> periods.Period:
    """The period itself when it is a quarter, half or year (what a board approves); 404 for any other kind
    (a URL the pages never make)."""
    if period.kind not in deadlines.DEADLINE_KINDS:
        raise Http404
    return period


def _open_reopening() -> Q:
    return Q(status=ReopenStatus.GRANTED, open_until__gt=timezone.now())


@dataclass
class PeriodRow:
    """One period of a board on the approval page: deadline status, approval, warnings, reopening, corrections."""

    period: periods.Period
    status: deadlines.BoardStatus
    approval: PeriodApproval | None
    issues: int
    reopen: ReopenRequest | None  # a request waiting for the leader, or a reopening still open
    corrections: int  # proposed, waiting for the leader

    @property
    def ended(self) -> bool:
        return self.period.end < timezone.localdate()

    @property
    def reopened(self) -> bool:
        return self.reopen is not None and self.reopen.status == ReopenStatus.GRANTED


def period_rows(*, user, board: Board, today: datetime.date | None = None) -> list[PeriodRow]:
    """The board's recent quarters, halves and years (the deadline page's list) and any older approved
    period, newest first within each kind. Eight queries, however many periods."""
    today = today or timezone.localdate()
    approvals = {
        approval.period: approval
        for approval in PeriodApproval.objects.filter(board=board).select_related("approved_by", "snapshot")
    }
    codes = list(dict.fromkeys(deadlines.recent_periods(today) + sorted(approvals, reverse=True)))
    kinds = list(deadlines.DEADLINE_KINDS)
    parsed = sorted((periods.parse(code) for code in codes), key=lambda p: (kinds.index(p.kind), -p.start.toordinal()))
    by_period = deadlines.board_statuses(user=user, period_codes=[p.code for p in parsed], boards=[board])
    statuses = {code: rows[0] for code, rows in by_period.items()}
    issues = dict(DataIssue.objects.filter(board=board, period__in=codes).values_list("period").annotate(n=Count("pk")))
    reopens = {}
    for request in (
        ReopenRequest.objects.filter(approval__board=board)
        .filter(Q(status=ReopenStatus.REQUESTED) | _open_reopening())
        .select_related("approval")
        .order_by("requested_at")
    ):
        reopens[request.approval.period] = request
    pending = list(
        Correction.objects.filter(board=board, status=CorrectionStatus.PROPOSED).values_list(
            "event__event_date", flat=True
        )
    )
    return [
        PeriodRow(
            period=period,
            status=statuses[period.code],
            approval=approvals.get(period.code),
            issues=issues.get(period.code, 0),
            reopen=reopens.get(period.code),
            corrections=sum(1 for day in pending if period.start <= day <= period.end),
        )
        for period in parsed
    ]


def data_issues(*, board: Board, period: str | None = None) -> QuerySet[DataIssue]:
    """The board's data-quality warnings of a period (None: of every period, for reports.filters.DataIssueFilter)."""
    issues = DataIssue.objects.filter(board=board)
    if period is not None:
        issues = issues.filter(period=period)
    return issues.order_by("rule", "project_code", "pk")


def approval_of(*, board: Board, period: str) -> PeriodApproval | None:
    return PeriodApproval.objects.filter(board=board, period=period).select_related("approved_by", "snapshot").first()


def approvals_covering(*, board: Board, day: datetime.date) -> list[PeriodApproval]:
    """The board's approved periods that contain `day` (a quarter, its half and its year)."""
    return list(PeriodApproval.objects.filter(board=board, start__lte=day, end__gte=day).order_by("end", "start"))


def reopen_requests(*, approval: PeriodApproval) -> QuerySet[ReopenRequest]:
    return approval.reopen_requests.select_related("requested_by", "decided_by").order_by("-requested_at", "-pk")


def reopen_get(*, user, pk: int) -> ReopenRequest:
    """A reopen request of a board the user may read; 404 otherwise."""
    return get_object_or_404(
        ReopenRequest.objects.select_related("approval__board"), pk=pk, approval__board__in=access.readable_boards(user)
    )


# A pinned or accepted version is shown by its number: its figures are not loaded.
_SNAPSHOT_FIGURES = ("snapshot__indicators", "snapshot__members", "snapshot__member_values", "snapshot__rate_rule")


def member_approvals(period_code: str, board_codes) -> dict[str, PeriodApproval]:
    """{board code: approval} of the boards among `board_codes` that approved the period (one query, with
    the approver and the pinned version's number); a board that has not approved is absent."""
    approvals = (
        PeriodApproval.objects.filter(period=period_code, board__code__in=list(board_codes))
        .select_related("board", "approved_by", "snapshot")
        .defer(*_SNAPSHOT_FIGURES)
    )
    return {approval.board.code: approval for approval in approvals}


def summary_acceptance(scope: str, period_code: str) -> SummaryAcceptance | None:
    """The ministry's acceptance of a bloc's or the nation's summary of a period, None when not accepted."""
    return (
        SummaryAcceptance.objects.filter(scope=scope, period=period_code)
        .select_related("accepted_by", "snapshot")
        .defer(*_SNAPSHOT_FIGURES)
        .first()
    )


def reopen_requests_waiting(*, user, boards) -> QuerySet[ReopenRequest]:
    """Reopening requests of `boards` that wait for a decision the user may take (they lead the board)."""
    led = access.led_boards(user).filter(pk__in=[board.pk for board in boards])
    return (
        ReopenRequest.objects.filter(status=ReopenStatus.REQUESTED, approval__board__in=led)
        .select_related("approval__board")
        .order_by("approval__board__code", "approval__start", "pk")
    )
