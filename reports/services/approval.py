"""Approval of a board's period data, reopening and the ministry's acceptance (issue 7).

- A board leader approves a quarter, half or year once it has ended: the board's report of the
  period is built, its version pinned (`PeriodApproval.snapshot`, marked `relied_on`), and the
  licence events dated in the period and the enterprise reports of its quarters are locked
  (reports.locks, enforced by investment's services and importers).
- Bloc and national summaries add up each member's pinned version (reports.services.builds.report_build).
- After approval, figures change only through a Correction (reports.services.corrections: proposed by
  staff with a reason and a file, applied by the leader as a new version of the event) or a reopening
  granted by the leader for a limited time. Both end by re-pinning every approval of the board that the
  change reaches (`approvals_repin`): the rebuilt versions are "restated" against the version relied on before.
- The ministry accepts a bloc's or the nation's summary once every member has approved.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kcn_portal import periods
from kcn_portal.core import audit
from kcn_portal.core.enums import AuditAction, AuditSource
from kcn_portal.core.services import require as _require
from reports import scopes
from reports.enums import ReopenStatus
from reports.models import DataIssue, PeriodApproval, ReopenRequest, ReportSnapshot, ReportState, SummaryAcceptance
from reports.selectors import deadlines
from reports.services.builds import report_build
from reports.services.staleness import summaries_record
from zones import access
from zones.models import Board


def _approvable(code: str) -> periods.Period:
    try:
        period = periods.parse(code)
    except periods.PeriodError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    if period.kind not in deadlines.DEADLINE_KINDS:  # the reporting periods
        raise ValidationError({"period": _("Chỉ phê duyệt số liệu theo quý, 6 tháng hoặc năm.")})
    return period


def _board_snapshot(board: Board, period: periods.Period) -> ReportSnapshot:
    """The board's report of the period built now (one board: cheap) and its latest version."""
    report_build(period=period, targets=[scopes.Scope(scopes.BOARD, board.code)], keep_previous=True)
    state = ReportState.objects.get(scope=f"board:{board.code}", period=period.code)
    return ReportSnapshot.objects.get(scope=state.scope, period=period.code, version=state.latest_version)


def _approval_snapshot(approval: PeriodApproval) -> dict:
    data = audit.snapshot(approval)
    data["snapshot"] = approval.snapshot.version
    return data


def _record(user, source, action, instance, before, after, board) -> None:
    audit.record(actor=user, source=source, action=action, instance=instance, before=before, after=after, board=board)


# --- approval ---------------------------------------------------------------------------------------


def period_approve(
    *, user, board: Board, period: str, note: str = "", acknowledge_issues: bool = False, source=AuditSource.WEB
) -> PeriodApproval:
    """The board's leader approves its data of an ended quarter, half or year (see the module doc).

    Refused before the period ends, when already approved, and while data-quality warnings of the
    period are not acknowledged. The build that finds the warnings is committed first, so a refusal
    leaves the warnings it found for the leader to read.
    """
    _require(access.can_lead_board(user, board))
    parsed = _approvable(period)
    if parsed.end >= timezone.localdate():
        raise ValidationError(
            {"period": _("Kỳ %(period)s chưa kết thúc, chưa phê duyệt được.") % {"period": parsed.code}}
        )
    _refuse_approved_twice(board, parsed)
    snapshot = _board_snapshot(board, parsed)  # its own transaction (report_build)
    with transaction.atomic():
        _refuse_approved_twice(board, parsed)
        state = ReportState.objects.select_for_update().get(scope=f"board:{board.code}", period=parsed.code)
        if state.stale_since is not None or state.latest_version != snapshot.version:
            snapshot = _board_snapshot(board, parsed)  # changed since: approve what is there now
        issues = DataIssue.objects.filter(board=board, period=parsed.code).count()
        if issues and not acknowledge_issues:
            raise ValidationError(
                _("Số liệu kỳ %(period)s còn %(count)s cảnh báo chất lượng; hãy xem và xác nhận trước khi phê duyệt.")
                % {"period": parsed.code, "count": issues}
            )
        approval = PeriodApproval.objects.create(
            board=board, period=parsed.code, start=parsed.start, end=parsed.end, snapshot=snapshot,
            approved_by=user if getattr(user, "pk", None) else None, approved_at=timezone.now(),
            issue_count=issues, note=note.strip(),
        )  # fmt: skip
        ReportSnapshot.objects.filter(pk=snapshot.pk).update(relied_on=True)
        _record(user, source, AuditAction.CREATE, approval, None, _approval_snapshot(approval), board)
        summaries_record(board=board, period_codes=[parsed.code])
    return approval


def _refuse_approved_twice(board: Board, period: periods.Period) -> None:
    existing = PeriodApproval.objects.filter(board=board, period=period.code).first()
    if existing:
        raise ValidationError(
            {"period": _("Số liệu kỳ %(period)s đã được phê duyệt ngày %(date)s.") % {
                "period": period.code, "date": timezone.localtime(existing.approved_at).strftime("%d/%m/%Y")}}
        )  # fmt: skip


def approvals_repin(*, board: Board, since: datetime.date, user, source, why: str) -> list[PeriodApproval]:
    """Rebuild the board's approved reports ending on or after `since` and pin their new versions.

    A rebuilt version differs only where the change reached; it is then "restated" against the
    version relied on before (reports.services.builds._store). Audited per approval whose pin moved;
    the bloc and national reports of the moved periods are marked stale after commit. Called inside the caller's
    transaction (the end of a reopening, an approved correction).
    """
    moved = []
    for approval in PeriodApproval.objects.select_for_update().filter(board=board, end__gte=since).order_by("start"):
        snapshot = _board_snapshot(board, periods.parse(approval.period))
        if snapshot.pk == approval.snapshot_id:
            continue
        before = _approval_snapshot(approval)
        approval.snapshot = snapshot
        approval.version += 1
        approval.save(update_fields=["snapshot", "version"])
        ReportSnapshot.objects.filter(pk=snapshot.pk).update(relied_on=True)
        after = _approval_snapshot(approval) | {"why": why}
        _record(user, source, AuditAction.UPDATE, approval, before, after, board)
        moved.append(approval)
    if moved:
        summaries_record(board=board, period_codes=[approval.period for approval in moved])
    return moved


# --- reopening --------------------------------------------------------------------------------------


@transaction.atomic
def reopen_request(*, user, approval: PeriodApproval, reason: str, source=AuditSource.WEB) -> ReopenRequest:
    """Staff ask the leader to reopen an approved period, with a reason (one request pending at a time)."""
    _require(access.can_write_board(user, approval.board))
    if not reason.strip():
        raise ValidationError({"reason": _("Cần ghi lý do đề nghị mở lại kỳ.")})
    pending = approval.reopen_requests.filter(status__in=[ReopenStatus.REQUESTED, ReopenStatus.GRANTED])
    if pending.filter(status=ReopenStatus.REQUESTED).exists() or pending.filter(open_until__gt=timezone.now()).exists():
        raise ValidationError(
            _("Kỳ %(period)s đã có đề nghị mở lại đang chờ hoặc đang mở.") % {"period": approval.period}
        )
    request = ReopenRequest.objects.create(
        approval=approval, reason=reason.strip(), requested_by=user if getattr(user, "pk", None) else None
    )
    _record(user, source, AuditAction.CREATE, request, None, audit.snapshot(request), approval.board)
    return request


def _decide(user, request: ReopenRequest) -> ReopenRequest:
    request = ReopenRequest.objects.select_for_update().select_related("approval__board").get(pk=request.pk)
    _require(access.can_lead_board(user, request.approval.board))
    if request.status != ReopenStatus.REQUESTED:
        raise ValidationError(
            _("Đề nghị này đã được quyết định (%(status)s).") % {"status": request.get_status_display()}
        )
    return request


@transaction.atomic
def reopen_grant(*, user, request: ReopenRequest, days: int, note: str = "", source=AuditSource.WEB) -> ReopenRequest:
    """The leader reopens the period for `days` days (at most KCN_REOPEN_MAX_DAYS); it locks again by itself."""
    request = _decide(user, request)
    limit = settings.KCN_REOPEN_MAX_DAYS
    if not 1 <= int(days) <= limit:
        raise ValidationError({"days": _("Mở lại từ 1 đến %(limit)s ngày.") % {"limit": limit}})
    before = audit.snapshot(request)
    now = timezone.now()
    request.status, request.decided_at, request.decision_note = ReopenStatus.GRANTED, now, note.strip()
    request.decided_by = user if getattr(user, "pk", None) else None
    request.open_until = now + datetime.timedelta(days=int(days))
    request.save()
    _record(user, source, AuditAction.UPDATE, request, before, audit.snapshot(request), request.approval.board)
    return request


@transaction.atomic
def reopen_refuse(*, user, request: ReopenRequest, note: str = "", source=AuditSource.WEB) -> ReopenRequest:
    request = _decide(user, request)
    before = audit.snapshot(request)
    request.status, request.decided_at, request.decision_note = ReopenStatus.REFUSED, timezone.now(), note.strip()
    request.decided_by = user if getattr(user, "pk", None) else None
    request.save()
    _record(user, source, AuditAction.UPDATE, request, before, audit.snapshot(request), request.approval.board)
    return request


def _end_reopening(request: ReopenRequest, status: str, ended_at, *, user, source) -> ReopenRequest:
    before = audit.snapshot(request)
    request.status, request.ended_at = status, ended_at
    if status == ReopenStatus.CLOSED:
        request.open_until = ended_at  # the lock is back from now on
    request.save()
    board = request.approval.board
    _record(user, source, AuditAction.UPDATE, request, before, audit.snapshot(request), board)
    why = _("Khóa lại sau khi mở lại kỳ %(period)s") % {"period": request.approval.period}
    approvals_repin(board=board, since=request.approval.start, user=user, source=source, why=why)
    return request


@transaction.atomic
def reopen_close(*, user, request: ReopenRequest, source=AuditSource.WEB) -> ReopenRequest:
    """The leader locks a reopened period again before its time runs out."""
    request = ReopenRequest.objects.select_for_update().select_related("approval__board").get(pk=request.pk)
    _require(access.can_lead_board(user, request.approval.board))
    if request.status != ReopenStatus.GRANTED or request.open_until <= timezone.now():
        raise ValidationError(_("Kỳ này không còn đang mở lại."))
    return _end_reopening(request, ReopenStatus.CLOSED, timezone.now(), user=user, source=source)


def reopens_expire(*, now: datetime.datetime | None = None) -> list[ReopenRequest]:
    """Record the reopenings whose time ran out (the periods are already locked again, see reports.locks)
    and re-pin the approvals their changes reach. Beat runs it every few minutes; idempotent."""
    now = now or timezone.now()
    ended = []
    due = ReopenRequest.objects.filter(status=ReopenStatus.GRANTED, open_until__lte=now).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            request = ReopenRequest.objects.select_for_update().select_related("approval__board").get(pk=pk)
            if request.status == ReopenStatus.GRANTED:
                ended.append(
                    _end_reopening(
                        request, ReopenStatus.EXPIRED, request.open_until, user=None, source=AuditSource.COMMAND
                    )
                )
    return ended


# --- the ministry's acceptance -----------------------------------------------------------------------


@transaction.atomic
def summary_accept(*, user, scope: str, period: str, source=AuditSource.WEB) -> SummaryAcceptance:
    """The ministry accepts a bloc's or the nation's summary once every member approved the period."""
    _require(user is None or user.is_superuser or getattr(user, "is_ministry", False))
    parsed = _approvable(period)
    target = scopes.parse(scope)
    if target.kind == scopes.BOARD:
        raise ValidationError(
            {"scope": _("Chỉ tiếp nhận báo cáo tổng hợp của khối hoặc toàn quốc, không tiếp nhận báo cáo của một Ban.")}
        )
    members = list(scopes.members(target, parsed.year))
    approved = set(
        PeriodApproval.objects.filter(period=parsed.code, board__in=members).values_list("board_id", flat=True)
    )
    missing = [board.code for board in members if board.pk not in approved]
    if missing:
        raise ValidationError(
            _("Các Ban chưa phê duyệt kỳ %(period)s: %(boards)s.")
            % {"period": parsed.code, "boards": ", ".join(missing)}
        )
    state = ReportState.objects.filter(scope=str(target), period=parsed.code, stale_since__isnull=True).first()
    if state is None or not state.latest_version:
        raise ValidationError(_("Báo cáo tổng hợp chưa được tính xong; hãy thử lại sau ít phút."))
    snapshot = ReportSnapshot.objects.get(scope=str(target), period=parsed.code, version=state.latest_version)
    existing = (
        SummaryAcceptance.objects.filter(scope=str(target), period=parsed.code).select_related("snapshot").first()
    )
    before = audit.snapshot(existing) | {"snapshot": existing.snapshot.version} if existing else None
    acceptance, created = SummaryAcceptance.objects.update_or_create(
        scope=str(target), period=parsed.code,
        defaults={"snapshot": snapshot, "accepted_by": user if getattr(user, "pk", None) else None,
                  "accepted_at": timezone.now()},
    )  # fmt: skip
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(relied_on=True)
    after = audit.snapshot(acceptance) | {"snapshot": snapshot.version}
    _record(user, source, AuditAction.CREATE if created else AuditAction.UPDATE, acceptance, before, after, None)
    return acceptance
