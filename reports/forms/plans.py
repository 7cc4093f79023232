"""The annual plans form: one amount per indicator of the catalogue, typed the Vietnamese way or plainly.

Amounts are read by the portal's one parser (kcn_portal.core.amounts.parse): "1.234.567,89" (dot groups
thousands, comma before decimals), "1234567.89" and "1234567,89". A single dot followed by exactly three
digits ("1.234") groups thousands: no plan may have three decimals, so that is the only reading that
could be meant; the English "1,234,567" is refused rather than guessed.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kcn_portal.core.forms import parse_amount
from kcn_portal.core.templatetags.kcn_format import format_number
from kcn_portal.indicators import CATALOGUE, COUNT, PEOPLE, VND, Indicator

WHOLE_UNITS = (COUNT, PEOPLE, VND)
# Plan.value is DecimalField(24, 2): at most 22 digits before the decimal point.
MAX_VALUE = Decimal(10) ** 22
SPACES = re.compile(r"[\s\u00a0\u202f]+")

NEGATIVE = _("Kế hoạch không được là số âm.")
WHOLE_ONLY = _("Chỉ tiêu này tính bằng %(unit)s: nhập số nguyên, không có phần thập phân.")
TWO_DECIMALS = _("Nhập tối đa 2 chữ số thập phân.")
TOO_LARGE = _("Số quá lớn.")


def decimals_of(indicator: Indicator) -> int:
    """How many decimals a plan of the indicator has: none for counts, people and đồng, two otherwise."""
    return 0 if indicator.unit in WHOLE_UNITS else 2


def show_amount(indicator: Indicator, value, *, trim: bool = False) -> str:
    """A plan or achieved value in Vietnamese format ("–" when None); `trim` drops trailing zero decimals."""
    return format_number(value, decimals_of(indicator), trim=trim)


class AmountField(forms.Field):
    """A non-negative plan amount in the indicator's precision; blank is None (no plan typed)."""

    widget = forms.TextInput

    def __init__(self, indicator: Indicator, **kwargs):
        self.indicator = indicator
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", capfirst(str(indicator.name)))
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "class": "form-control form-control-sm text-end",
                "inputmode": "decimal",
                "autocomplete": "off",
                "style": "min-width: 10rem",
                "aria-label": capfirst(str(indicator.name)),
            }
        )

    def to_python(self, value) -> Decimal | None:
        if isinstance(value, Decimal) or value is None:
            return value
        return parse_amount(str(value))

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value < 0:
            raise ValidationError(NEGATIVE, code="negative")
        places = decimals_of(self.indicator)
        if value != value.quantize(Decimal(1).scaleb(-places)):
            if places == 0:
                raise ValidationError(WHOLE_ONLY, code="decimals", params={"unit": self.indicator.unit_label.lower()})
            raise ValidationError(TWO_DECIMALS, code="decimals")
        if value >= MAX_VALUE:
            raise ValidationError(TOO_LARGE, code="too_large")

    def clean(self, value) -> Decimal | None:
        value = super().clean(value)
        return None if value is None else value.quantize(Decimal(1).scaleb(-decimals_of(self.indicator)))

    def has_changed(self, initial, data) -> bool:
        # A blank box never changes a plan (the page cannot delete plans); an equal number is no change.
        try:
            typed = self.to_python(data)
        except ValidationError:
            return True
        if typed is None:
            return False
        try:
            seen = self.to_python(initial)
        except ValidationError:
            return True
        return seen is None or typed != seen


class PlanForm(forms.Form):
    """A board's plans for one year: one AmountField per catalogue indicator, named by its code.

    Each box also posts the value shown when the page was opened (Django's hidden initial), so
    only the rows this user changed are saved and a row another leader saved meanwhile is kept.
    """

    prefix = "plan"

    def __init__(self, *args, plans: dict[str, Decimal], **kwargs):
        initial = {
            indicator.code: show_amount(indicator, plans[indicator.code], trim=True)
            for indicator in CATALOGUE
            if plans.get(indicator.code) is not None
        }
        super().__init__(*args, initial=initial, **kwargs)
        for indicator in CATALOGUE:
            self.fields[indicator.code] = AmountField(indicator, show_hidden_initial=True)

    def changes(self) -> list[tuple[str, Decimal]]:
        """(indicator code, new value) of every row changed, in catalogue order (after is_valid())."""
        changed = set(self.changed_data)
        return [
            (indicator.code, self.cleaned_data[indicator.code])
            for indicator in CATALOGUE
            if indicator.code in changed and self.cleaned_data.get(indicator.code) is not None
        ]

    def blanked(self, existing) -> list[str]:
        """Codes of the rows left blank although the indicator has a plan (those plans are kept)."""
        return [code for code in self.fields if code in existing and not SPACES.sub("", self[code].data or "")]
