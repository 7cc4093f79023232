"""Form helpers the apps' views share: Bootstrap classes and a service's errors on a form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """The browser's date picker: it sends and shows ISO dates (the page formats them dd/mm/yyyy)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


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
