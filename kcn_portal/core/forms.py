"""Form helpers the apps' views share: Bootstrap classes and a service's errors on a form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class DateInput(forms.DateInput):
    """The browser's date picker: it sends and shows ISO dates (the page formats them dd/mm/yyyy)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


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
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    return form


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (unknown names: on the form)."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    for name, messages_ in errors.items():
        form.add_error(name if name in form.fields else None, messages_)
