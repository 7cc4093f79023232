"""Annual plans: a board's target for each indicator and year, set by its leaders.

Each write is atomic, checked against zones.access (board leaders and administrators set a board's
plans), validated with full_clean() and audited. `user=None` is the system. A plan is part of every
report of its year: a change marks those reports stale once it commits (reports.services.staleness).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kcn_portal.core import audit
from kcn_portal.core.enums import AuditAction, AuditSource
from kcn_portal.core.signals import PLANS
from reports.models import Plan
from reports.services.staleness import changes_record
from zones import access
from zones.models import Board

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

    # A plan is part of every report of its year: those snapshots are rebuilt once this commits.
    changes_record(changes={board.pk: datetime.date(int(year), 1, 1)}, records=PLANS)
    return plan, CREATED if created else UPDATED


@transaction.atomic
def plans_set(*, user, board: Board, year: int, values: dict[str, Decimal], source=AuditSource.WEB) -> dict[str, int]:
    """Set several of a board's targets for a year, all or none; returns how many were created / updated.

    Raises ValidationError with one entry per indicator code that was refused (nothing is saved then),
    PermissionDenied like plan_set.
    """
    outcomes = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
    errors: dict[str, list[str]] = {}
    for code, value in values.items():
        try:
            # Its own savepoint: a refused row leaves the transaction usable to check the others.
            with transaction.atomic():
                _plan, outcome = plan_set(user=user, board=board, year=year, indicator=code, value=value, source=source)
        except ValidationError as exc:
            errors[code] = exc.messages
        else:
            outcomes[outcome] += 1
    if errors:
        raise ValidationError(errors)  # the decorator's transaction rolls back the rows saved meanwhile
    return outcomes
