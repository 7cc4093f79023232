"""Writes of a member's registration for a bloc year: titles aimed for, covenant targets, submission."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emulation import access
from emulation.enums import SubmissionStatus
from emulation.models import AwardTitle, BlocYear, CovenantTarget, Registration
from emulation.services.common import parse_points, record
from kcn_portal.core import audit
from kcn_portal.core.concurrency import ConflictError, changes_since
from kcn_portal.core.enums import AuditAction, AuditSource
from kcn_portal.core.services import require as _require
from kcn_portal.indicators import INDICATORS
from zones.models import Board


def _registration_snapshot(registration: Registration) -> dict:
    data = audit.snapshot(registration)
    data["titles"] = sorted(registration.titles.values_list("code", flat=True))
    data["targets"] = [
        [t.description, t.indicator, str(t.target_value) if t.target_value is not None else None]
        for t in registration.targets.all()
    ]
    return data


@transaction.atomic
def registration_save(
    *,
    user,
    bloc_year: BlocYear,
    board: Board,
    titles: Iterable[AwardTitle],
    targets: Sequence[dict],
    note: str = "",
    expected_version: int | None = None,
    source=AuditSource.WEB,
) -> Registration:
    """Save a member's registration draft: titles aimed for and covenant targets (its staff).

    `targets`: [{"description", "indicator" (a reports catalogue code or ""), "target_value"}].
    Refused once submitted.
    """
    _require(access.can_edit_registration(user, board.pk))
    if not bloc_year.memberships.filter(board=board).exists():
        raise ValidationError(_("%(board)s không phải là thành viên của khối năm %(year)s.") % {
            "board": board.name, "year": bloc_year.year})  # fmt: skip
    registration = Registration.objects.select_for_update().filter(bloc_year=bloc_year, board=board).first()
    before = _registration_snapshot(registration) if registration else None
    if registration and expected_version is not None and expected_version != registration.version:
        raise ConflictError(current=before, changed=changes_since(registration, expected_version))
    if registration and registration.status == SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Đăng ký đã gửi, không sửa được nữa."))
    registration = registration or Registration(bloc_year=bloc_year, board=board)
    rows, errors = [], []
    for number, target in enumerate(targets, start=1):
        description = (target.get("description") or "").strip()
        indicator = (target.get("indicator") or "").strip()
        if not description and not indicator:
            continue
        if indicator and indicator not in INDICATORS:
            errors.append(_("Dòng %(n)s: không có chỉ tiêu mã '%(code)s'.") % {"n": number, "code": indicator})
            continue
        try:
            value = parse_points(target.get("target_value"), _("Dòng %(n)s") % {"n": number})
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        if indicator and value is None:
            errors.append(_("Dòng %(n)s: chỉ tiêu theo mã cần giá trị cam kết.") % {"n": number})
            continue
        rows.append((description or str(INDICATORS[indicator].name), indicator, value))
    if errors:
        raise ValidationError({"targets": errors})
    registration.note = note
    registration.full_clean(exclude=["version"])
    if registration.pk:
        registration.version += 1
    registration.save()
    registration.titles.set(list(titles))
    registration.targets.all().delete()
    CovenantTarget.objects.bulk_create(
        CovenantTarget(registration=registration, order=order, description=d[:500], indicator=i, target_value=v)
        for order, (d, i, v) in enumerate(rows, start=1)
    )
    after = _registration_snapshot(registration)
    action = AuditAction.UPDATE if before else AuditAction.CREATE
    record(user, source, action, registration, before, after, board=board)
    return registration


@transaction.atomic
def registration_submit(*, user, registration: Registration, source=AuditSource.WEB) -> Registration:
    """The member's leader submits its registration (it then cannot change)."""
    _require(access.can_submit_registration(user, registration.board_id))
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == SubmissionStatus.SUBMITTED:
        return registration
    if not registration.titles.exists() and not registration.targets.exists():
        raise ValidationError(_("Đăng ký chưa có danh hiệu hay chỉ tiêu nào."))
    before = audit.snapshot(registration)
    registration.status, registration.submitted_at = SubmissionStatus.SUBMITTED, timezone.now()
    registration.submitted_by = user if getattr(user, "pk", None) else None
    registration.version += 1
    registration.save()
    record(user, source, AuditAction.UPDATE, registration, before, audit.snapshot(registration), registration.board)
    return registration
