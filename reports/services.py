"""Writes to annual plans (kế hoạch năm). Pages, the API and the workbook importer call these.

Each write is atomic, checked against zones.access (board leaders and administrators set a
board's plans), validated with full_clean() (the indicator must be in the catalogue), and
audited with kcn_portal.core.audit. `user=None` is the system.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kcn_portal.core import audit
from kcn_portal.core.enums import AuditAction, AuditSource
from zones import access
from zones.models import Board

from .models import Plan

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
PLAN_SNAPSHOT_EXCLUDE = ("id", "updated_at", "updated_by")


@transaction.atomic
def plan_set(
    *, user, board: Board, year: int, indicator: str, value: Decimal, source=AuditSource.WEB
) -> tuple[Plan, str]:
    """Set a board's target for one indicator in one year; returns (plan, "created"/"updated"/"unchanged").

    Only the board's leaders (and administrators, the system) may; others get PermissionDenied.
    Raises ValidationError with the model's field names (an unknown indicator, a year outside
    2000–2100, a missing value). An equal value writes nothing and leaves no audit record.
    """
    if not access.can_lead_board(user, board):
        raise PermissionDenied(_("Chỉ lãnh đạo Ban được đặt kế hoạch năm."))
    indicator = (indicator or "").strip()
    plan = Plan.objects.select_for_update().filter(board=board, year=year, indicator=indicator).first()
    created = plan is None
    if created:
        plan = Plan(board=board, year=year, indicator=indicator)
    before = None if created else audit.snapshot(plan, exclude=PLAN_SNAPSHOT_EXCLUDE)
    plan.value = value
    plan.full_clean()
    after = audit.snapshot(plan, exclude=PLAN_SNAPSHOT_EXCLUDE)
    if before == after:
        return plan, UNCHANGED
    plan.updated_by = user if getattr(user, "pk", None) else None
    plan.save()
    audit.record(
        actor=user,
        source=source,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        instance=plan,
        before=before,
        after=after,
        board=board,
    )
    return plan, CREATED if created else UPDATED
