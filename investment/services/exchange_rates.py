"""Writes to the USD→VND exchange-rate catalogue (administrators only, from the admin)."""

from __future__ import annotations

from django.db import transaction

from kcn_portal.core import audit
from kcn_portal.core.enums import AuditAction, AuditSource
from kcn_portal.core.services import require as _require
from zones import access

from ..models import ExchangeRate


@transaction.atomic
def exchange_rate_save(
    *, user, rate: ExchangeRate | None = None, audit_source=AuditSource.ADMIN, **data
) -> ExchangeRate:
    """Create or change a USD→VND rate (administrators only). Audited with `audit_source`.

    (`source` is the rate's own field, the publication it comes from.)
    Only amounts derived later use a changed rate; stored derived amounts are not recomputed.
    """
    _require(access.can_manage_boards(user))
    created = rate is None
    rate = rate or ExchangeRate()
    before = None if created else audit.snapshot(rate)
    for name, value in data.items():
        if name not in ("valid_from", "valid_to", "vnd_per_usd", "source"):
            raise TypeError(f"unknown field {name!r}")
        setattr(rate, name, value)
    rate.full_clean()
    rate.save()
    audit.record(
        actor=user,
        source=audit_source,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        instance=rate,
        before=before,
        after=audit.snapshot(rate),
    )
    return rate
