"""Vietnamese number, date and audit-value formatting for templates: `{% load kcn_format %}`.

Formatting is done here by hand rather than through Django's localisation so a page shows
"1.234,5 ha" whatever language is active (an English page still shows Vietnamese figures,
as the boards' paper reports do) and the output is the same on every machine.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()

EMPTY = "–"  # an en dash marks a figure that is not available, never a zero


def _to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        value = repr(value)  # the shortest exact text of the float, not its binary expansion
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_number(value, decimals: int = 0, *, trim: bool = False) -> str:
    """1234.5 → "1.234,5" (dot groups thousands, comma before decimals), rounded half up.

    With trim=True trailing zero decimals are dropped ("234,50" → "234,5", "320,00" → "320").
    None and the empty string give "–"; text that is not a number is returned unchanged.
    """
    number = _to_decimal(value)
    if number is None:
        return EMPTY if value is None or value == "" else str(value)
    decimals = max(int(decimals), 0)
    number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _dot, fraction = f"{abs(number):.{decimals}f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    if trim:
        fraction = fraction.rstrip("0")
    text = ".".join(groups) + ("," + fraction if fraction else "")
    # "-0" after rounding a tiny negative number is just zero.
    return text if text.strip("0.,") == "" else sign + text


@register.filter
def vn_number(value, decimals=0):
    """`{{ 1234.5|vn_number:1 }}` → "1.234,5"; `{{ None|vn_number }}` → "–"."""
    return format_number(value, decimals)


@register.filter
def vn_area(value):
    """Hectares with up to two decimals: 1234.5 → "1.234,5 ha", 320.00 → "320 ha"."""
    text = format_number(value, 2, trim=True)
    return text if text == EMPTY else f"{text} ha"


@register.filter
def vn_percent(value, decimals=1):
    """52.64 → "52,6 %"."""
    text = format_number(value, decimals)
    return text if text == EMPTY else f"{text} %"


@register.filter
def vn_date(value):
    """A date (or ISO date text) as dd/mm/yyyy; a datetime in local time as dd/mm/yyyy HH:MM."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value) if "T" in value else datetime.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


@register.filter
def vn_duration(value):
    """A timedelta as "30 phút", "2 giờ", "1 giờ 30 phút"."""
    if not isinstance(value, datetime.timedelta):
        return EMPTY if value is None else str(value)
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(_("%(n)s giờ") % {"n": hours})
    if minutes or not hours:
        parts.append(_("%(n)s phút") % {"n": minutes})
    return " ".join(parts)


@register.filter
def yes_no(value):
    """True → "Có", False → "Không", None → "–"."""
    if value is None:
        return EMPTY
    return _("Có") if value else _("Không")


def display(field: models.Field | None, value, related: dict | None = None) -> str:
    """One stored value shown the way a person reads it (choice label, Có/Không, dd/mm/yyyy, 1.234,5)."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, list):  # a many-to-many field is audited as its list of ids
        return ", ".join(display(field, item, related) for item in value) or EMPTY
    if field is None:
        return str(value)
    if field.is_relation:
        # Foreign keys are stored by id; name the object when the caller knows it.
        return str((related or {}).get((field.related_model._meta.label_lower, value), f"#{value}"))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return yes_no(value)
    if isinstance(field, (models.DateField, models.DateTimeField)):
        return vn_date(value)
    if isinstance(field, models.DecimalField):
        return format_number(value, field.decimal_places, trim=True)
    if isinstance(field, (models.IntegerField, models.FloatField)):
        return format_number(value, 0 if isinstance(field, models.IntegerField) else 2, trim=True)
    return str(value)


def _field(model_label: str, name: str) -> models.Field | None:
    """The model's own field of that name; None for an unknown one or a reverse relation (no label of its own)."""
    try:
        field = apps.get_model(model_label)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None
    return field if getattr(field, "concrete", False) else None


def field_value(instance: models.Model, name: str) -> str:
    """The current value of one field of an instance, formatted for reading."""
    field = instance._meta.get_field(name)
    if field.is_relation:
        related = getattr(instance, name)
        return str(related) if related is not None else EMPTY
    return display(field, getattr(instance, field.attname))


@register.simple_tag
def audit_changes(record, related=None):
    """`{% audit_changes record related as rows %}`: [(field label, before, after)] of one audit record.

    `related` maps (model label, id) to a name so that a foreign key shows e.g. the board's code.
    """
    rows = []
    for name, pair in (record.changes or {}).items():
        before, after = [*pair, None, None][:2]
        field = _field(record.model, name)
        label = str(field.verbose_name) if field is not None else name
        rows.append((label, display(field, before, related), display(field, after, related)))
    return rows


@register.filter
def model_label(label: str) -> str:
    """ "zones.zone" → "Khu": the verbose name of a model label, capitalised."""
    try:
        name = str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label
    return name[:1].upper() + name[1:]


@register.filter
def person(user, nobody: str = EMPTY) -> str:
    """Who did something: full name, else user name; `nobody` ("–": the account is gone) without a user."""
    if user is None:
        return nobody
    return user.get_full_name() or user.username


@register.filter
def period_label(value) -> str:
    """`{{ "2026-Q3"|period_label }}` → "Quý 3/2026" (kcn_portal.periods.label_of); a Period works too."""
    from kcn_portal import periods

    return periods.label_of(value)


@register.filter
def scope_code(value) -> str:
    """The code a person reads after a scope's name: "board:HNA" → "HNA", "bloc:DBSH" → "DBSH", "national" → ""."""
    _kind, colon, code = str(value or "").partition(":")
    return code if colon else ""
