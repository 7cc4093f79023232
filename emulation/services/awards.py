"""Writes of movements, files (movement attachments and scorecard evidence), the awards catalogue (titles and
their eligibility rules), award decisions and the year-end review's proposals (DOMAIN.md §8).

Same rules as every emulation service: keyword-only, atomic, access-checked, validated, audited.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emulation import access
from emulation.enums import LaunchLevel, MovementStatus, RoundKind, RoundStatus, SubmissionStatus
from emulation.models import (
    Attachment,
    AwardDecision,
    AwardTitle,
    Bloc,
    BlocMember,
    BlocYear,
    EligibilityRule,
    Movement,
    Proposal,
    Recipient,
    Score,
)
from emulation.services.common import record
from emulation.services.years import year_snapshot
from kcn_portal.core import audit
from kcn_portal.core.concurrency import ConflictError, changes_since
from kcn_portal.core.enums import AuditAction, AuditSource
from kcn_portal.core.files import check_attachment
from kcn_portal.core.services import require as _require
from zones.models import Board

MOVEMENT_FIELDS = (
    "name", "launched_by_level", "launched_by", "kind", "starts_on", "ends_on", "decision_no", "decision_date",
    "content", "slogan",
)  # fmt: skip
STATUS_ORDER = [MovementStatus.LAUNCHED, MovementStatus.REVIEWING, MovementStatus.AWARDED]
TITLE_FIELDS = ("name", "kind", "level", "awarded_to", "order", "active")


def movement_next_status(movement: Movement) -> MovementStatus | None:
    """The status a movement may move on to, or None once awarded."""
    index = STATUS_ORDER.index(movement.status)
    return STATUS_ORDER[index + 1] if index + 1 < len(STATUS_ORDER) else None


@transaction.atomic
def movement_save(
    *,
    user,
    movement: Movement | None = None,
    blocs: Sequence[Bloc] = (),
    boards: Sequence[Board] = (),
    launched_by_board: Board | None = None,
    expected_version: int | None = None,
    source=AuditSource.WEB,
    **data,
) -> Movement:
    """Create or change a movement and who takes part. Audited; a stale version is refused."""
    if movement is not None:
        movement = Movement.objects.select_for_update().get(pk=movement.pk)
        _require(access.can_write_movement(user, movement))
        if expected_version is not None and expected_version != movement.version:
            raise ConflictError(current=_movement_snapshot(movement), changed=changes_since(movement, expected_version))
    before = _movement_snapshot(movement) if movement else None
    movement = movement or Movement(created_by=user if getattr(user, "pk", None) else None)
    for name, value in data.items():
        if name not in MOVEMENT_FIELDS:
            raise TypeError(f"unknown field {name!r}")
        setattr(movement, name, value)
    movement.launched_by_board = launched_by_board
    if movement.launched_by_level == LaunchLevel.BOARD and launched_by_board is None:
        raise ValidationError({"launched_by_board": _("Phong trào do Ban phát động cần chọn Ban.")})
    _require(access.can_write_movement(user, movement))
    if movement.ends_on and movement.starts_on and movement.ends_on < movement.starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    movement.full_clean(exclude=["version"])
    if movement.pk:
        movement.version += 1
    movement.save()
    movement.blocs.set(list(blocs))
    movement.boards.set(list(boards))
    after = _movement_snapshot(movement)
    audit.record(
        actor=user, source=source, action=AuditAction.UPDATE if before else AuditAction.CREATE,
        instance=movement, before=before, after=after,
    )  # fmt: skip
    return movement


def _movement_snapshot(movement: Movement) -> dict:
    data = audit.snapshot(movement)
    data["blocs"] = sorted(movement.blocs.values_list("code", flat=True))
    data["boards"] = sorted(movement.boards.values_list("code", flat=True))
    return data


@transaction.atomic
def movement_advance(*, user, movement: Movement, status: str, source=AuditSource.WEB) -> Movement:
    """Move a movement forward: launched → reviewing → awarded (never back)."""
    movement = Movement.objects.select_for_update().get(pk=movement.pk)
    _require(access.can_write_movement(user, movement))
    if status not in STATUS_ORDER or STATUS_ORDER.index(status) <= STATUS_ORDER.index(movement.status):
        raise ValidationError(
            _("Trạng thái phong trào chỉ chuyển tiếp: đã phát động → đang sơ kết, tổng kết → đã khen thưởng.")
        )
    before = audit.snapshot(movement)
    movement.status = status
    movement.version += 1
    movement.save()
    audit.record(actor=user, source=source, action=AuditAction.UPDATE, instance=movement, before=before,
                 after=audit.snapshot(movement))  # fmt: skip
    return movement


# --- attachments ----------------------------------------------------------------------------------


def _attach(user, upload, *, movement=None, score=None, board=None, source) -> Attachment:
    owner = {"movement": movement} if movement is not None else {"score": score}
    if Attachment.objects.filter(**owner).count() >= settings.KCN_ATTACHMENTS_PER_ITEM:
        raise ValidationError(
            _("Đã đủ %(n)s tệp đính kèm, không thêm được.") % {"n": settings.KCN_ATTACHMENTS_PER_ITEM}
        )
    kind = check_attachment(upload)
    attachment = Attachment(
        file=upload, name=upload.name[:255], size=upload.size, content_type=kind.content_type,
        uploaded_by=user if getattr(user, "pk", None) else None, **owner,
    )  # fmt: skip
    attachment.save()
    try:
        audit.record(actor=user, source=source, action=AuditAction.CREATE, instance=attachment, before=None,
                     after=audit.snapshot(attachment), board=board)  # fmt: skip
    except Exception:
        # The file reached storage before the row could commit: do not leave it behind.
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def movement_attach(*, user, movement: Movement, upload, source=AuditSource.WEB) -> Attachment:
    """Attach a checked file (decision, plan, report) to a movement."""
    _require(access.can_write_movement(user, movement))
    return _attach(user, upload, movement=movement, source=source)


@transaction.atomic
def evidence_attach(*, user, score: Score, upload, source=AuditSource.WEB) -> Attachment:
    """Attach a checked evidence file to a criterion of the member's own draft scorecard."""
    card = score.scorecard
    _require(access.can_edit_own_card(user, card))
    if card.status == SubmissionStatus.SUBMITTED or card.round.status != "open":
        raise ValidationError(_("Phiếu đã gửi hoặc đợt chấm không mở: không thêm minh chứng được."))
    return _attach(user, upload, score=score, board=card.board, source=source)


@transaction.atomic
def attachment_delete(*, user, attachment: Attachment, source=AuditSource.WEB) -> None:
    """Remove an attachment (same rights as adding it; evidence only from a draft card)."""
    if attachment.movement_id:
        _require(access.can_write_movement(user, attachment.movement))
    else:
        card = attachment.score.scorecard
        _require(access.can_edit_own_card(user, card))
        if card.status == SubmissionStatus.SUBMITTED or card.round.status != "open":
            raise ValidationError(_("Phiếu đã gửi hoặc đợt chấm không mở: không xóa minh chứng được."))
    audit.record(actor=user, source=source, action=AuditAction.DELETE, instance=attachment,
                 before=audit.snapshot(attachment), after=None)  # fmt: skip
    attachment.file.delete(save=False)
    attachment.delete()


# --- awards catalogue and decisions -----------------------------------------------------------------


@transaction.atomic
def award_title_save(*, user, code: str, source=AuditSource.WEB, **data) -> AwardTitle:
    """Create or change a title or form of commendation (administrators)."""
    _require(access.is_admin(user))
    title = AwardTitle.objects.filter(code=code).first() or AwardTitle(code=code)
    before = audit.snapshot(title) if title.pk else None
    for name, value in data.items():
        if name not in TITLE_FIELDS:
            raise TypeError(f"unknown field {name!r}")
        setattr(title, name, value)
    title.full_clean()
    title.save()
    audit.record(actor=user, source=source, action=AuditAction.UPDATE if before else AuditAction.CREATE,
                 instance=title, before=before, after=audit.snapshot(title))  # fmt: skip
    return title


@transaction.atomic
def eligibility_rule_save(
    *,
    user,
    title: AwardTitle,
    description: str,
    required: Sequence[AwardTitle],
    min_count: int,
    window_years: int | None = None,
    consecutive: bool = False,
    order: int = 0,
    rule: EligibilityRule | None = None,
    source=AuditSource.WEB,
) -> EligibilityRule:
    """Create or change one condition of a title (administrators): the thresholds are data."""
    _require(access.is_admin(user))
    if not required:
        raise ValidationError({"required": _("Chọn ít nhất một danh hiệu, hình thức được tính.")})
    before = audit.snapshot(rule) if rule else None
    rule = rule or EligibilityRule(title=title)
    rule.description, rule.min_count, rule.window_years = description, min_count, window_years
    rule.consecutive, rule.order = consecutive, order
    rule.full_clean()
    rule.save()
    rule.required.set(list(required))
    audit.record(actor=user, source=source, action=AuditAction.UPDATE if before else AuditAction.CREATE,
                 instance=rule, before=before, after=audit.snapshot(rule))  # fmt: skip
    return rule


@transaction.atomic
def eligibility_rule_delete(*, user, rule: EligibilityRule, source=AuditSource.WEB) -> None:
    """Remove one condition of a title (administrators); audited with what it said."""
    _require(access.is_admin(user))
    before = audit.snapshot(rule)
    before["required"] = sorted(rule.required.values_list("code", flat=True))
    audit.record(actor=user, source=source, action=AuditAction.DELETE, instance=rule, before=before, after=None)
    rule.delete()


@transaction.atomic
def recipient_get_or_create(*, user, kind: str, board: Board, name: str, position: str = "") -> Recipient:
    """The recipient of that kind and name in the board, created when new."""
    _require(access.can_write_awards_of(user, {board.pk}))
    recipient = Recipient.objects.filter(board=board, kind=kind, name=name.strip()).first()
    if recipient:
        return recipient
    recipient = Recipient(board=board, kind=kind, name=name.strip(), position=position.strip())
    recipient.full_clean()
    recipient.save()
    return recipient


@transaction.atomic
def award_decision_save(
    *,
    user,
    number: str,
    date: datetime.date,
    issuer: str,
    title: AwardTitle,
    year: int,
    recipients: Sequence[Recipient],
    note: str = "",
    movement: Movement | None = None,
    decision: AwardDecision | None = None,
    source=AuditSource.WEB,
) -> AwardDecision:
    """Record (or correct) an award decision and its recipients. Audited."""
    if not recipients:
        raise ValidationError({"recipients": _("Quyết định cần ít nhất một người hoặc tập thể được khen.")})
    _require(access.can_write_awards_of(user, {r.board_id for r in recipients}))
    if decision is not None:
        _require(access.can_write_awards_of(user, set(decision.recipients.values_list("board_id", flat=True))))
    if year > date.year:
        raise ValidationError({"year": _("Năm thành tích không thể sau năm ra quyết định.")})
    before = _decision_snapshot(decision) if decision else None
    decision = decision or AwardDecision(created_by=user if getattr(user, "pk", None) else None)
    decision.number, decision.date, decision.issuer = number.strip(), date, issuer.strip()
    decision.title, decision.year, decision.note, decision.movement = title, year, note, movement
    decision.full_clean()
    decision.save()
    decision.recipients.set(list(recipients))
    audit.record(actor=user, source=source, action=AuditAction.UPDATE if before else AuditAction.CREATE,
                 instance=decision, before=before, after=_decision_snapshot(decision))  # fmt: skip
    return decision


def _decision_snapshot(decision: AwardDecision) -> dict:
    data = audit.snapshot(decision)
    data["recipients"] = sorted(
        f"{r.board.code}:{r.kind}:{r.name}" for r in decision.recipients.select_related("board")
    )
    return data


@transaction.atomic
def award_decision_record(
    *, user, rows: Sequence[dict], decision: AwardDecision | None = None, source=AuditSource.WEB, **fields
) -> AwardDecision:
    """A decision with its recipients given as rows ({kind, board, name, position}), all or nothing:
    recipients created for a decision that is then refused are not kept.
    """
    recipients = [
        recipient_get_or_create(
            user=user, kind=row["kind"], board=row["board"], name=row["name"], position=row.get("position", "")
        )
        for row in rows
    ]
    return award_decision_save(user=user, decision=decision, recipients=recipients, source=source, **fields)


# --- the year-end review: proposals and next year's roles -----------------------------------------


@transaction.atomic
def year_conclude(
    *,
    user,
    bloc_year: BlocYear,
    proposals: Sequence[tuple[Board, AwardTitle]],
    next_leader: Board,
    next_deputy: Board,
    next_host: Board | None = None,
    source=AuditSource.WEB,
) -> BlocYear:
    """Record the year-end review's decisions: who is proposed for which award, next year's leader,
    deputy and host. Next year's bloc year is created with the same members when it does not exist.
    """
    _require(access.leads_year(user, bloc_year))
    bloc_year = BlocYear.objects.select_for_update().get(pk=bloc_year.pk)
    if not bloc_year.rounds.filter(kind=RoundKind.YEAR_END, status=RoundStatus.PUBLISHED).exists():
        raise ValidationError(_("Chưa công bố kết quả tổng kết năm."))
    member_ids = set(bloc_year.memberships.values_list("board_id", flat=True))
    errors = {}
    for name, board in (("next_leader", next_leader), ("next_deputy", next_deputy), ("next_host", next_host)):
        if board is not None and board.pk not in member_ids:
            errors[name] = _("%(board)s không phải là thành viên của khối.") % {"board": board.name}
    if next_leader and next_deputy and next_leader.pk == next_deputy.pk:
        errors["next_deputy"] = _("Khối phó phải khác Khối trưởng.")
    outsiders = [board.name for board, _title in proposals if board.pk not in member_ids]
    if outsiders:
        errors["proposals"] = _("Không phải thành viên của khối: %(boards)s.") % {"boards": ", ".join(outsiders)}
    if errors:
        raise ValidationError(errors)
    before = year_snapshot(bloc_year)
    bloc_year.next_leader, bloc_year.next_deputy, bloc_year.next_host = next_leader, next_deputy, next_host
    bloc_year.concluded_at = timezone.now()
    bloc_year.version += 1
    bloc_year.save()
    bloc_year.proposals.all().delete()
    Proposal.objects.bulk_create(Proposal(bloc_year=bloc_year, board=board, title=title) for board, title in proposals)
    after = year_snapshot(bloc_year)
    after["proposals"] = sorted(f"{board.code}:{title.code}" for board, title in proposals)
    record(user, source, AuditAction.UPDATE, bloc_year, before, after)
    following, created = BlocYear.objects.get_or_create(bloc=bloc_year.bloc, year=bloc_year.year + 1)
    if created:
        BlocMember.objects.bulk_create(
            BlocMember(bloc_year=following, board_id=m.board_id, order=m.order) for m in bloc_year.memberships.all()
        )
    if created or (following.leader_id is None and following.deputy_id is None):
        following_before = None if created else year_snapshot(following)
        following.leader, following.deputy, following.host = next_leader, next_deputy, next_host
        if not created:
            following.version += 1  # one audited update per version (concurrency.changes_since)
        following.save()
        record(user, source, AuditAction.CREATE if created else AuditAction.UPDATE, following, following_before,
                year_snapshot(following))  # fmt: skip
    return bloc_year
