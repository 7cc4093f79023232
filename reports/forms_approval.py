"""Forms of the approval pages (issue 7): approve a period, ask to reopen it and decide, propose a correction
of a locked licence event and decide. Validation of substance is the services' (reports.services_approval);
these forms only type what was typed.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from investment.forms.licences import correct_form_class, event_initial
from investment.models import LicenceEvent


class ApproveForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    acknowledge_issues = forms.BooleanField(
        label=_("Tôi đã xem các cảnh báo chất lượng dữ liệu ở trên và vẫn phê duyệt"), required=False
    )


class ReopenRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do đề nghị mở lại"), widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Cần ghi lý do đề nghị mở lại kỳ.")},
    )  # fmt: skip


class ReopenGrantForm(forms.Form):
    days = forms.IntegerField(label=_("Mở trong (ngày)"), min_value=1, initial=3)
    note = forms.CharField(label=_("Ý kiến"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.KCN_REOPEN_MAX_DAYS
        self.fields["days"].max_value = limit
        self.fields["days"].widget.attrs["max"] = limit
        self.fields["days"].validators[-1:] = []  # the service says it with the limit (one message, not two)
        self.fields["days"].help_text = _("Từ 1 đến %(limit)s ngày; hết hạn kỳ tự khóa lại.") % {"limit": limit}


class DecisionNoteForm(forms.Form):
    """The leader's note when refusing a request or a correction (the services say when it is required)."""

    note = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


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
