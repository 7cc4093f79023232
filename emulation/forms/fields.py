"""Fields shared by the emulation forms: points and values typed the Vietnamese way ("0,25", "1.234,5")."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from kcn_portal.core.forms import parse_amount
from kcn_portal.core.templatetags.kcn_format import format_number


def show_points(value) -> str:
    """Points as a person types them: 0.25 → "0,25", 10.00 → "10" (blank for None)."""
    return "" if value is None else format_number(value, 2, trim=True)


class DecimalTextField(forms.CharField):
    """A number typed the Vietnamese way or plainly ("0,25", "1.234,5", "12.5"); None when blank."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value) -> Decimal | None:
        return parse_amount(super().clean(value))  # blank gives None
