"""Forms of a member's registration: titles aimed for and covenant target rows."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from emulation.forms.fields import DecimalTextField, show_points
from emulation.models import AwardTitle
from kcn_portal.indicators import by_group


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
