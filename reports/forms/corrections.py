"""The correction form (issue 7): staff propose a change of a locked licence event with a supporting file.

Validation of substance is the service's (reports.services.corrections); the form types what was typed.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from investment.forms.licences import correct_form_class, event_initial
from investment.models import LicenceEvent


def correction_form(event: LicenceEvent, *args, **kwargs) -> forms.Form:
    """The event's correction form (its own fields, the reason, "void") plus the supporting file.

    `proposed_changes()` gives the fields whose value differs from the event's, as the service takes them.
    """
    base = correct_form_class(event.kind)

    class CorrectionProposeForm(base):
        attachment = forms.FileField(
            label=_("Tệp căn cứ đính chính"),
            help_text=_("Văn bản, giấy chứng nhận… (PDF, JPG, PNG, DOCX, XLSX)."),
            error_messages={"required": _("Cần kèm tệp căn cứ đính chính (văn bản, giấy chứng nhận…).")},
        )

        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            self.fields.pop("version", None)  # the leader applies it later: no stale-form check here
            self.initial = {**event_initial(event), **self.initial}

        def proposed_changes(self) -> dict:
            if self.cleaned_data.get("voided"):
                return {}
            skip = {"reason", "voided", "attachment"}
            current = event_initial(event)
            return {
                name: value
                for name, value in self.cleaned_data.items()
                if name not in skip and value not in (None, "") and value != current.get(name)
            }

    return CorrectionProposeForm(*args, **kwargs)
