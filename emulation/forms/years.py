"""Forms of the bloc-year pages: members (in order) and roles, and the decision naming them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kcn_portal.core.forms import DateField


class OrderedBoardsField(forms.ModelMultipleChoiceField):
    """Boards ticked, kept in the order the page sends them (the page lists current members first)."""

    widget = forms.CheckboxSelectMultiple

    def clean(self, value):
        boards = {str(board.pk): board for board in super().clean(value)}
        return [boards[str(pk)] for pk in dict.fromkeys(value or []) if str(pk) in boards]


class BlocYearForm(forms.Form):
    """Members, leader, deputy, host, alternate reviewer and the decision naming them."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    members = OrderedBoardsField(label=_("thành viên"), queryset=None, required=False)
    leader = forms.ModelChoiceField(label=_("Khối trưởng"), queryset=None, required=False)
    deputy = forms.ModelChoiceField(label=_("Khối phó"), queryset=None, required=False)
    host = forms.ModelChoiceField(label=_("đơn vị đăng cai tổng kết"), queryset=None, required=False)
    alternate_reviewer = forms.ModelChoiceField(
        label=_("thành viên thẩm định thay"),
        queryset=None,
        required=False,
        help_text=_("Thẩm định Khối trưởng và Khối phó khi người kia không thẩm định được."),
    )
    decision_no = forms.CharField(label=_("số quyết định"), max_length=60, required=False)
    decision_date = DateField(label=_("ngày quyết định"), required=False)

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("members", "leader", "deputy", "host", "alternate_reviewer"):
            self.fields[name].queryset = boards
            self.fields[name].label_from_instance = lambda board: f"{board.code} – {board.name}"
        for name in ("leader", "deputy", "host", "alternate_reviewer"):
            self.fields[name].empty_label = _("— chưa chọn —")
