"""Reads of the approval workflow (issue 7): a board's periods and their approval, a period's data-quality
warnings, reopen requests and corrections — for the pages and the API, scoped by zones.access.

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
from zones import access
from zones.models import Board

from . import deadlines
from .enums import CorrectionStatus, ReopenStatus
from .models import Correction, DataIssue, PeriodApproval, ReopenRequest


def board_get(*, user, code: str) -> Board:
    """A board the user may read, by code; 404 otherwise."""
    return get_object_or_404(access.readable_boards(user), code=code)


def approvable_period(code: str) -> periods.Period:
    """A quarter, half or year from its code; 404 for anything else (a URL the pages never make)."""
    try:
        period = periods.parse(code)
    except periods.PeriodError as exc:
        raise Http404(str(exc)) from exc
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


def data_issues(*, board: Board, period: str) -> QuerySet[DataIssue]:
    return DataIssue.objects.filter(board=board, period=period).order_by("rule", "project_code", "pk")


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


def _corrections() -> QuerySet[Correction]:
    return Correction.objects.select_related(
        "board", "event__project", "applied_event", "proposed_by", "decided_by"
    ).order_by("-proposed_at", "-pk")


def corrections_in(*, board: Board, start: datetime.date, end: datetime.date) -> QuerySet[Correction]:
    """The board's corrections of events dated in [start, end] (before or after the correction)."""
    dated = Q(event__event_date__range=(start, end)) | Q(applied_event__event_date__range=(start, end))
    return _corrections().filter(dated, board=board)


def correction_list(*, user, board: str = "", status: str = "") -> QuerySet[Correction]:
    """Corrections of the boards the user may read, newest first, optionally of one board and status."""
    qs = _corrections().filter(board__in=access.readable_boards(user))
    if board:
        qs = qs.filter(board__code=board)
    if status:
        qs = qs.filter(status=status)
    return qs


def correction_get(*, user, pk: int) -> Correction:
    """A correction of a board the user may read; 404 otherwise."""
    return get_object_or_404(_corrections().filter(board__in=access.readable_boards(user)), pk=pk)
