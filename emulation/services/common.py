"""What the emulation service modules share: the audit shorthand and reading a number of points typed by a person."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kcn_portal.core import audit

ZERO = Decimal("0")


def record(user, source, action, instance, before, after, board=None) -> None:
    """audit.record with its arguments in order (the services write one record per change)."""
    audit.record(actor=user, source=source, action=action, instance=instance, before=before, after=after, board=board)


def parse_points(value, label: str) -> Decimal | None:
    """A score typed by a person: None when blank; ValidationError when not a number."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise ValidationError(_("%(label)s: '%(value)s' không phải là số.") % {"label": label, "value": value}) from exc
