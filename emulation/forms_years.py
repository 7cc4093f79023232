"""Forms of the bloc-year pages: members and roles, the scoring table, registrations.

The forms only parse what people type (Vietnamese decimals "0,25", "1.234,5"); every rule of the
domain (roles are members, points in steps of 0.25, locked tables …) is checked by emulation.services,
whose ValidationError the views put back on these forms.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from kcn_portal.core.forms import DateField
from kcn_portal.core.templatetags.kcn_format import format_number
from reports.forms.plans import parse_amount
from reports.indicators import by_group

from .enums import RuleKind, TieBreak
from .models import AwardTitle

TIE_BREAK_SLOTS = len(TieBreak.values)


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


# --- the scoring table ----------------------------------------------------------------------------------


class GroupForm(forms.Form):
    order = forms.IntegerField(label=_("thứ tự"), min_value=1, max_value=999)
    name = forms.CharField(label=_("nhóm tiêu chí"), max_length=500)


class CriterionForm(forms.Form):
    group = forms.TypedChoiceField(label=_("nhóm tiêu chí"), coerce=int)
    order = forms.IntegerField(label=_("thứ tự"), min_value=1, max_value=999)
    code = forms.CharField(label=_("số hiệu"), max_length=12)
    name = forms.CharField(label=_("tiêu chí"), widget=forms.Textarea(attrs={"rows": 2}))
    max_points = DecimalTextField(label=_("điểm chuẩn"), required=True)
    guidance = forms.CharField(label=_("hướng dẫn chấm"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g.pk, f"{g.order}. {g.name}") for g in groups]


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("loại"), choices=RuleKind.choices)
    order = forms.IntegerField(label=_("thứ tự"), min_value=0, max_value=999)
    name = forms.CharField(label=_("nội dung"), max_length=500)
    points = DecimalTextField(label=_("điểm mỗi lần"), required=True)
    cap = DecimalTextField(label=_("tối đa"), required=True)


class TableSettingsForm(forms.Form):
    """Caps of the bonus and penalty totals and the tie-break rules, one select per place in the order."""

    bonus_cap = DecimalTextField(label=_("điểm thưởng tối đa"), required=True)
    penalty_cap = DecimalTextField(label=_("điểm trừ tối đa"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— không dùng —")), *TieBreak.choices]
        for place in range(1, TIE_BREAK_SLOTS + 1):
            self.fields[f"tie_break_{place}"] = forms.ChoiceField(
                label=_("Thứ %(n)s") % {"n": place}, choices=choices, required=False
            )

    def tie_break_fields(self):
        return [self[f"tie_break_{place}"] for place in range(1, TIE_BREAK_SLOTS + 1)]

    def tie_break(self) -> list[str]:
        """The chosen rules in order, blanks skipped (duplicates are the service's to refuse)."""
        return [
            self.cleaned_data[f"tie_break_{place}"]
            for place in range(1, TIE_BREAK_SLOTS + 1)
            if self.cleaned_data.get(f"tie_break_{place}")
        ]


def settings_initial(table) -> dict:
    initial = {"bonus_cap": show_points(table.bonus_cap), "penalty_cap": show_points(table.penalty_cap)}
    initial.update({f"tie_break_{n}": rule for n, rule in enumerate(table.tie_break, start=1)})
    return initial


# --- registrations -----------------------------------------------------------------------------------


def indicator_choices():
    """The reports catalogue as a grouped select: Vietnamese names, codes as values."""
    groups = [(label, [(i.code, f"{i.name} ({i.code})") for i in items]) for _code, label, items in by_group()]
    return [("", _("— không theo mã chỉ tiêu —")), *groups]


class RegistrationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    titles = forms.ModelMultipleChoiceField(
        label=_("danh hiệu đăng ký"),
        queryset=AwardTitle.objects.filter(active=True).order_by("order", "code"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(label=_("ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class TargetForm(forms.Form):
    """One covenant target row; a row left blank is ignored (by the service)."""

    description = forms.CharField(label=_("chỉ tiêu"), max_length=500, required=False)
    indicator = forms.ChoiceField(label=_("mã chỉ tiêu báo cáo"), choices=indicator_choices, required=False)
    target_value = DecimalTextField(label=_("giá trị cam kết"))


TargetFormSet = forms.formset_factory(TargetForm, extra=3)


def target_initial(registration) -> list[dict]:
    if registration is None:
        return []
    return [
        {
            "description": t.description,
            "indicator": t.indicator,
            "target_value": show_points(t.target_value),
        }
        for t in registration.targets.all()
    ]
