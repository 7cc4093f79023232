"""Corrections (issue 7): changing a licence event of an approved period, the only way in besides a reopening.

Staff propose a change with a reason and a supporting file (tried on the ledger at once and rolled back,
so a change the ledger would refuse is refused with the same message); the board's leader approves it —
a new version of the event, and every approved report it reaches rebuilt, re-pinned and restated
(reports.services.approval.approvals_repin) — or rejects it with a reason.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from investment.models import LicenceEvent
from investment.services import licences as investment_services
from kcn_portal.core import audit
from kcn_portal.core.enums import AuditAction, AuditSource
from kcn_portal.core.files import check_attachment
from kcn_portal.core.services import require as _require
from reports.enums import CorrectionStatus
from reports.models import Correction, PeriodApproval
from reports.services import approval
from zones import access

# The licence-event values a correction may propose (investment.services.licence_correct's **data).
CORRECTABLE = investment_services.EVENT_FIELDS


def _changes_typed(changes: dict) -> dict:
    """Proposed values as licence_correct takes them (JSON keeps dates and decimals as text)."""
    typed = {}
    for name, value in changes.items():
        if name not in CORRECTABLE:
            raise ValidationError(_("Trường '%(name)s' không đính chính được.") % {"name": name})
        typed[name] = LicenceEvent._meta.get_field(name).to_python(value) if value not in ("", None) else None
    return typed


class _DryRun(Exception):
    pass


@transaction.atomic
def correction_propose(
    *, user, event: LicenceEvent, reason: str, attachment, voided: bool = False, changes: dict | None = None,
    source=AuditSource.WEB,
) -> Correction:  # fmt: skip
    """Staff propose changing an event of an approved period (or dated before one: its figures can move),
    with a reason and a supporting file.

    The change is tried on the ledger at once (and rolled back), so a proposal the ledger would
    refuse is refused now with the same message. An event outside approved periods is corrected
    directly on the project page instead.
    """
    board = event.project.zone.board
    _require(access.can_write_board(user, board))
    if not event.is_current:
        raise ValidationError(_("Sự kiện này đã được đính chính hoặc hủy; hãy tải lại trang."))
    # Dated in an approved period, or before one: a change can reach the figures of every period ending
    # on or after its date (a correction of an earlier year moves the stocks and the "same period last year").
    approvals = PeriodApproval.objects.filter(board=board, end__gte=event.event_date)
    if not approvals.exists():
        raise ValidationError(_("Sự kiện không thuộc kỳ đã phê duyệt: hãy đính chính trực tiếp trên trang dự án."))
    if not reason.strip():
        raise ValidationError({"reason": _("Cần ghi lý do đính chính.")})
    if attachment is None:
        raise ValidationError({"attachment": _("Cần kèm tệp căn cứ đính chính (văn bản, giấy chứng nhận…).")})
    check_attachment(attachment)
    changes = {k: v for k, v in (changes or {}).items() if v not in (None, "")}
    typed = _changes_typed(changes)
    try:
        with transaction.atomic():
            investment_services.licence_correct(
                user=user, event=event, reason=reason, voided=voided, approved_correction=True, source=source, **typed
            )
            raise _DryRun
    except _DryRun:
        pass
    correction = Correction(
        board=board, event=event, changes=_json(changes),
        voided=voided, reason=reason.strip(), attachment_name=attachment.name[:255],
        proposed_by=user if getattr(user, "pk", None) else None,
    )  # fmt: skip
    correction.attachment.save(attachment.name, attachment, save=False)
    correction.save()
    _record(user, source, AuditAction.CREATE, correction, None)
    return correction


def _record(user, source, action, correction: Correction, before) -> None:
    """The audit record of a write of the correction: its state now, under its board."""
    audit.record(
        actor=user, source=source, action=action, instance=correction, before=before,
        after=audit.snapshot(correction), board=correction.board,
    )  # fmt: skip


def _json(changes: dict) -> dict:
    """Dates and decimals as text, as a JSONField keeps them."""
    return json.loads(json.dumps(changes, cls=DjangoJSONEncoder))


def _pending(user, correction: Correction) -> Correction:
    correction = Correction.objects.select_for_update().select_related("board", "event__project").get(pk=correction.pk)
    _require(access.can_lead_board(user, correction.board))
    if correction.status != CorrectionStatus.PROPOSED:
        raise ValidationError(_("Đề nghị đính chính này đã được quyết định."))
    return correction


@transaction.atomic
def correction_approve(*, user, correction: Correction, note: str = "", source=AuditSource.WEB) -> Correction:
    """The leader approves a proposed correction: a new version of the event, and the approved reports
    it reaches rebuilt, re-pinned and restated."""
    correction = _pending(user, correction)
    event = correction.event
    # The new version is the proposer's change (they write the board's data); the leader's approval is
    # recorded on the correction itself.
    applied = investment_services.licence_correct(
        user=correction.proposed_by, event=event, reason=correction.reason, voided=correction.voided,
        approved_correction=True, source=source, **_changes_typed(correction.changes),
    )  # fmt: skip
    before = audit.snapshot(correction)
    correction.status, correction.applied_event = CorrectionStatus.APPLIED, applied
    correction.decided_by = user if getattr(user, "pk", None) else None
    correction.decided_at, correction.decision_note = timezone.now(), note.strip()
    correction.save()
    _record(user, source, AuditAction.UPDATE, correction, before)
    why = _("Đính chính #%(id)s") % {"id": correction.pk}
    since = min(event.event_date, applied.event_date)
    approval.approvals_repin(board=correction.board, since=since, user=user, source=source, why=why)
    return correction


@transaction.atomic
def correction_reject(*, user, correction: Correction, note: str, source=AuditSource.WEB) -> Correction:
    correction = _pending(user, correction)
    if not note.strip():
        raise ValidationError({"note": _("Cần ghi lý do không duyệt.")})
    before = audit.snapshot(correction)
    correction.status, correction.decided_at, correction.decision_note = CorrectionStatus.REJECTED, timezone.now(), note
    correction.decided_by = user if getattr(user, "pk", None) else None
    correction.save()
    _record(user, source, AuditAction.UPDATE, correction, before)
    return correction
