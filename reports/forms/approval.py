"""Forms of the approval pages (issue 7): approve a period, ask to reopen it and decide, the leader's note on a
decision (a reopening's or a correction's). Validation of substance is the services' (reports.services.approval,
reports.services.corrections); these forms only type what was typed.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


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
