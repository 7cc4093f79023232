"""Forms of the enterprise quarterly report pages: one report, and a board's grid of reports."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.text import capfirst

from kcn_portal.core.forms import AmountField, PlausibleAmountsForm

from ..models import REPORT_FIGURES, EnterpriseReport
from ..specs import ENTERPRISE_REPORT

# The figures in USD (two decimals); the others are whole đồng or people.
USD_FIGURES = tuple(name for name, amount in ENTERPRISE_REPORT.amounts.items() if amount.unit.decimals)


# --- the report form -------------------------------------------------------------------------------


def _label(name: str):
    return EnterpriseReport._meta.get_field(name).verbose_name


def _figure(name: str) -> AmountField:
    # The figure's spec (unit, hard bounds, usual range) is investment.specs.ENTERPRISE_REPORT's, as for the API.
    return ENTERPRISE_REPORT[name].form_field(label=_label(name))


class EnterpriseReportForm(PlausibleAmountsForm):
    """The nine figures of a project's quarterly report (DOMAIN.md §3), all optional.

    VND are whole đồng, USD at most two decimals, employees whole people (typed the Vietnamese way or
    plainly, core.amounts), and the foreign employees are part of (not more than) the total; a changed
    figure far outside its usual range needs "Tôi xác nhận số liệu này". `version` is the report's version when
    the form was opened (0 when there was no report), so a concurrent save is detected.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, report: EnterpriseReport | None = None, **kwargs):
        if "initial" not in kwargs:
            kwargs["initial"] = report_initial(report)
        super().__init__(*args, **kwargs)
        # Declared here, in REPORT_FIGURES order, so the page, grid and workbook agree on it.
        for name in REPORT_FIGURES:
            self.fields[name] = _figure(name)

    def clean(self):
        cleaned = super().clean()
        total, foreign = cleaned.get("employees"), cleaned.get("employees_foreign")
        if foreign is not None and "employees_foreign" not in self.errors and (total is None or foreign > total):
            self.add_error("employees_foreign", ENTERPRISE_REPORT.rule("foreign_within_total"))
        return cleaned

    def figures(self) -> dict:
        """The cleaned figures, as enterprise_report_save takes them."""
        return {name: self.cleaned_data.get(name) for name in REPORT_FIGURES}


def report_initial(report: EnterpriseReport | None) -> dict:
    """The form's initial values: the stored figures and version (version 0: no report yet)."""
    if report is None:
        return {"version": 0}
    return {"version": report.version, **{name: getattr(report, name) for name in REPORT_FIGURES}}


class QuarterGridRowForm(EnterpriseReportForm):
    """One row of a board's quarter grid: a project (by code, hidden) and its figures."""

    project = forms.CharField(widget=forms.HiddenInput)
    # The grid has no place for the confirmation yet: its rows are saved as typed (bounds still apply).
    check_plausibility = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["confirm_amounts"]
        for name in REPORT_FIGURES:
            widget = self.fields[name].widget
            widget.attrs.update(
                {
                    "class": "form-control form-control-sm text-end",
                    "style": "min-width: 8rem",
                    "aria-label": capfirst(_label(name)),
                }
            )

    def has_changed(self) -> bool:
        # Only the figures count: the hidden project and version are not the user's input.
        return any(name in self.changed_data for name in REPORT_FIGURES)


QuarterGridFormSet = formset_factory(QuarterGridRowForm, extra=0, max_num=100_000, absolute_max=100_000)
