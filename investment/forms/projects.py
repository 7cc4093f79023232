"""Forms of the project pages: register a project (with its first certificate), edit its zone, kind,
sector and investors."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Investor
from ..specs import INVESTOR, PROJECT
from .licences import IssueFieldsMixin, note_field, version_field


class InvestorForm(forms.Form):
    """One investor row: name, country (Vietnamese names) and share of the capital."""

    name = INVESTOR["name"].form_field()
    country = Investor._meta.get_field("country").formfield(label=_("Quốc gia/vùng lãnh thổ"))
    share_pct = forms.DecimalField(
        label=_("Tỷ lệ góp vốn (%)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["country"]
        field.choices = [("", _("– Chọn quốc gia –")), *(c for c in field.choices if c[0])]


class BaseInvestorFormSet(forms.BaseFormSet):
    def investors(self) -> list[dict]:
        """The filled rows as the services take them ({"name", "country", "share_pct"})."""
        rows = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            rows.append({"name": data["name"], "country": data["country"], "share_pct": data.get("share_pct")})
        return rows


def investor_formset(*, extra: int, can_delete: bool = False):
    """A small investor formset: at least one row, at most ten."""
    return forms.formset_factory(
        InvestorForm,
        formset=BaseInvestorFormSet,
        extra=extra,
        min_num=1,
        max_num=10,
        validate_min=True,
        validate_max=True,
        can_delete=can_delete,
    )


# Register shows the first investor and two optional rows; the edit form the current rows and one blank.
RegisterInvestorFormSet = investor_formset(extra=2)


EditInvestorFormSet = investor_formset(extra=1, can_delete=True)


class ProjectRegisterForm(IssueFieldsMixin):
    """A new project with its first certificate (cấp mới); `zones` are those the user may write."""

    zone = forms.ModelChoiceField(label=_("Khu"), queryset=None, empty_label=_("– Chọn khu –"))
    code = PROJECT["code"].form_field()
    kind = PROJECT["kind"].form_field()
    sector = PROJECT["sector"].form_field(help_text=_("Ví dụ C hoặc C2610."))
    note = note_field()

    field_order = ["zone", "code", "kind", "sector", "certificate_no", "event_date", "project_name"]

    def __init__(self, *args, zones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = zones
        self.fields["event_date"].label = _("Ngày cấp mới")


class ProjectUpdateForm(forms.Form):
    """A project's zone, kind and sector (its name and capital come from its certificates)."""

    zone = forms.ModelChoiceField(label=_("Khu"), queryset=None)
    kind = PROJECT["kind"].form_field()
    sector = PROJECT["sector"].form_field(help_text=_("Ví dụ C hoặc C2610."))
    version = version_field()

    def __init__(self, *args, zones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = zones
