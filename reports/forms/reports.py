"""The report index's form: a scope and a period, chosen or typed as a code (the lists' filters: reports.filters)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kcn_portal import periods

FIRST_YEAR = 2000


def kind_choices() -> list[tuple[str, str]]:
    """The suffix of a period code and its name: "" năm, "-H1" 6 tháng đầu năm, "-Q3", "-M07", "-YTD11"."""
    choices = [("", _("Cả năm")), ("-H1", _("6 tháng đầu năm")), ("-H2", _("6 tháng cuối năm"))]
    choices += [(f"-Q{n}", _("Quý %(n)s") % {"n": n}) for n in range(1, 5)]
    choices += [(f"-M{n:02d}", _("Tháng %(n)s") % {"n": n}) for n in range(1, 13)]
    # Months to date from two to eleven: one month is the month itself, twelve the year.
    choices += [(f"-YTD{n}", _("Lũy kế đến hết tháng %(n)s") % {"n": n}) for n in range(2, 12)]
    return choices


class ReportChooseForm(forms.Form):
    """Scope and period of the report to open; a typed period code takes precedence over the selects.

    `cleaned_data["period"]` is the parsed Period, `cleaned_data["scope"]` the scope text.
    """

    scope = forms.ChoiceField(label=gettext_lazy("Phạm vi"))
    year = forms.TypedChoiceField(label=gettext_lazy("Năm"), coerce=int, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kỳ"), required=False)
    code = forms.CharField(
        label=gettext_lazy("Hoặc nhập mã kỳ"),
        required=False,
        max_length=12,
        help_text=gettext_lazy("Ví dụ: 2019, 2019-H1, 2019-Q3, 2019-M07, 2019-YTD11."),
    )

    def __init__(self, *args, scopes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["scope"].choices = scopes
        self.fields["year"].choices = [(year, str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)]
        self.fields["kind"].choices = kind_choices()

    def clean(self):
        data = super().clean()
        code = (data.get("code") or "").strip()
        if not code:
            if not data.get("year"):
                self.add_error("year", _("Chọn năm hoặc nhập mã kỳ."))
                return data
            code = f"{data['year']}{data.get('kind') or ''}"
        try:
            data["period"] = periods.parse(code)
        except periods.PeriodError as exc:
            self.add_error("code" if data.get("code") else "kind", str(exc))
        return data
