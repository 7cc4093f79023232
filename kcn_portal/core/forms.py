"""Form helpers the apps' views share: amounts and dates as Vietnamese type them, Bootstrap classes,
a service's errors on a form.

Amounts: `AmountField(spec)` reads text with `core.amounts` (one parser for pages, API and import) and
refuses, naming the field, what it cannot read without guessing; `PlausibleAmountsForm` asks for a
confirmation when a changed amount is far outside its spec's usual range. Dates: `DateField` and the
text `DateInput` in dd/mm/yyyy whatever the browser's locale (ISO is still read), with the vendored
picker of static/js/date-input.js.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import amounts

# Dates as typed: day first as Vietnamese write them ("05/11/2026", "5/11/2026"), or ISO ("2026-11-05").
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
DATE_SHOWN = "%d/%m/%Y"
DATE_LIKE = re.compile(r"^(\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{1,2}-\d{1,2})$")
DATE_INVALID = _("%(label)s: không hiểu ngày '%(text)s'. Hãy viết ngày/tháng/năm, ví dụ 05/11/2026.")
DATE_IMPOSSIBLE = _("%(label)s: ngày '%(text)s' không có trong lịch. Hãy viết ngày/tháng/năm, ví dụ 05/11/2026.")
AMOUNT_INVALID = _("Nhập một số, ví dụ 1.234.567,89 hoặc 1234567.89.")


def parse_amount(text: str) -> Decimal | None:
    """The number typed in `text` ("1.234.567,89", "1234567.89", "-5"), None when blank: core.amounts.parse.

    Raises ValidationError (code "invalid") for text that is not a number in one of those forms.
    """
    try:
        return amounts.parse(text)
    except amounts.AmountError:
        raise ValidationError(AMOUNT_INVALID, code="invalid") from None


class DateInput(forms.DateInput):
    """A text input in dd/mm/yyyy (not the browser's date input, whose format follows its locale).

    `data-date-input` lets static/js/date-input.js add the calendar button; the typed text is never
    rewritten by the script, so what the user typed is what the server reads (and shows back).
    """

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "data-date-input": "",
            "maxlength": "10",
            "data-picker-label": _("Chọn ngày trên lịch"),
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format=DATE_SHOWN)


class DateField(forms.DateField):
    """A date typed dd/mm/yyyy or d/m/yyyy (or ISO); an impossible date is refused naming the field."""

    widget = DateInput
    input_formats = DATE_FORMATS

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            text = str(value).strip()
            message = DATE_IMPOSSIBLE if DATE_LIKE.match(text) else DATE_INVALID
            params = {"label": capfirst(str(self.label)), "text": text}
            raise ValidationError(message, code="invalid", params=params) from None


class AmountInput(forms.TextInput):
    """A text input for an amount: numeric keyboard with a decimal mark, enhanced by static/js/amount-input.js
    (it shows the amount grouped and in tỷ/triệu below the box as the user types)."""

    def __init__(self, unit: amounts.Unit, attrs=None):
        defaults = {
            "inputmode": "decimal",
            "autocomplete": "off",
            "data-amount": unit.code,
            "data-decimals": str(unit.decimals),
            "data-unit": str(unit.suffix),
            "data-word-billion": _("tỷ"),
            "data-word-million": _("triệu"),
            "data-invalid-text": _("Chưa đọc được số này; hãy viết"),
        }
        super().__init__(attrs={**defaults, **(attrs or {})})

    def format_value(self, value):
        # A stored amount is shown plainly ("1200000000000", "52000000.50"): the parser reads it back exactly.
        if isinstance(value, Decimal):
            return format(value, "f")
        return super().format_value(value)


class AmountField(forms.Field):
    """An amount of `spec` (core.amounts): int for đồng and people, Decimal otherwise; blank is None."""

    def __init__(self, spec: amounts.AmountSpec, *, required: bool = False, label=None, attrs=None, **kwargs):
        self.spec = spec
        kwargs.setdefault("widget", AmountInput(spec.unit, attrs))
        super().__init__(required=required, label=label if label is not None else spec.label, **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and not value.strip():
            return None
        try:
            return amounts.read(self.spec, value, capfirst(str(self.label)))
        except amounts.AmountRefused as exc:
            raise ValidationError(exc.message, code=exc.code, params=exc.params) from None

    def has_changed(self, initial, data) -> bool:
        try:
            return self.to_python(data) != self.to_python(initial)
        except ValidationError:
            return True


class PlausibleAmountsForm(forms.Form):
    """A form whose changed amounts far outside their usual range need "Tôi xác nhận số liệu này".

    The first save shows the warnings (on the fields and in templates/includes/_amount_confirm.html) and
    saves nothing; ticked, the values are kept exactly as typed. `confirm_amounts` never reaches
    `cleaned_data` (the views hand cleaned_data to the services). `check_plausibility = False` turns it off.
    """

    confirm_amounts = forms.BooleanField(label=_("Tôi xác nhận số liệu này"), required=False)
    check_plausibility = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.amount_warnings: list[str] = []

    def clean(self):
        cleaned = super().clean()
        confirmed = cleaned.pop("confirm_amounts", False)
        if not self.check_plausibility:
            return cleaned
        changed = set(self.changed_data)
        found = []
        for name, field in self.fields.items():
            if isinstance(field, AmountField) and name in changed and cleaned.get(name) is not None:
                text = amounts.warning(field.spec, cleaned[name], capfirst(str(field.label)))
                if text:
                    found.append((name, text))
        self.amount_warnings = [text for _name, text in found]
        if not confirmed:
            for name, text in found:
                self.add_error(name, ValidationError(text, code="unconfirmed"))
        return cleaned


DASHES = "---------"  # Django's empty choice of a select (ModelChoiceField, a model field's blank choice)


def _vietnamese_empty_choice(field: forms.Field) -> None:
    """ "— Chọn —" instead of Django's "---------" as a select's empty choice (filters say "Tất cả" themselves)."""
    if isinstance(field, forms.ModelChoiceField) and not isinstance(field, forms.ModelMultipleChoiceField):
        if field.empty_label == DASHES:
            field.empty_label = _("— Chọn —")
    elif isinstance(field, forms.ChoiceField) and any(
        value == "" and label == DASHES for value, label in field.choices
    ):
        field.choices = [
            (value, _("— Chọn —") if value == "" and label == DASHES else label) for value, label in field.choices
        ]


def style_form(form: forms.BaseForm) -> forms.BaseForm:
    """Give every widget its Bootstrap class (the forms stay free of presentation)."""
    for field in form.fields.values():
        widget = field.widget
        if widget.is_hidden:
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
            _vietnamese_empty_choice(field)
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    return form


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (unknown names: on the form)."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    for name, messages_ in errors.items():
        form.add_error(name if name in form.fields else None, messages_)
