"""The reporting-deadline page: completeness and timeliness of every board's data for a period (issue 7).

`/reports/deadlines/?period=2025-Q3&bloc=DBSH`: ministry officials and administrators see every board;
a board's own people see only their boards (the same scope as every read, zones.access). Periods are
quarters, halves and years (the kinds with a deadline); without `period` the last ended quarter.
Reads go through reports.deadlines (a fixed number of queries for any number of boards).
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from kcn_portal import periods
from kcn_portal.core.forms import style_form

from . import deadlines, scopes

RECENT_QUARTERS, RECENT_HALVES, RECENT_YEARS = 8, 4, 3


def recent_periods(today: datetime.date) -> list[str]:
    """Codes offered in the period list: the latest quarters, halves and years, newest first."""
    quarter, half = (today.month - 1) // 3 + 1, 1 if today.month <= 6 else 2
    codes = []
    year, number = today.year, quarter
    for _i in range(RECENT_QUARTERS):
        codes.append(f"{year}-Q{number}")
        year, number = (year, number - 1) if number > 1 else (year - 1, 4)
    year, number = today.year, half
    for _i in range(RECENT_HALVES):
        codes.append(f"{year}-H{number}")
        year, number = (year, 1) if number == 2 else (year - 1, 2)
    codes += [str(today.year - i) for i in range(RECENT_YEARS)]
    return codes


class DeadlineFilterForm(forms.Form):
    """The period (a quarter, half or year code) and optionally a bloc; `cleaned_data["period"]` is parsed."""

    period = forms.CharField(
        label=gettext_lazy("Kỳ"),
        max_length=12,
        help_text=gettext_lazy("Quý, 6 tháng hoặc năm, ví dụ 2025-Q3, 2025-H1, 2025."),
    )
    bloc = forms.ChoiceField(label=gettext_lazy("Khối thi đua"), required=False)

    def __init__(self, *args, blocs: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].widget.attrs["list"] = "period-options"
        self.fields["bloc"].choices = [("", _("Tất cả các Ban")), *((code, code) for code in blocs)]

    def clean_period(self):
        try:
            period = periods.parse(self.cleaned_data["period"])
        except periods.PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if not deadlines.has_deadline(period):
            raise forms.ValidationError(
                _("Kỳ '%(code)s' không có hạn báo cáo: chọn một quý, 6 tháng hoặc năm (ví dụ 2025-Q3, 2025-H1, 2025).")
                % {"code": period.code}
            )
        return period


class DeadlineListView(LoginRequiredMixin, TemplateView):
    """Every board the user may read: expected and received reports, when complete, status, approval."""

    template_name = "reports/deadlines.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        data = {
            "period": self.request.GET.get("period") or deadlines.last_ended_quarter(today),
            "bloc": self.request.GET.get("bloc", ""),
        }
        form = style_form(DeadlineFilterForm(data, blocs=scopes.bloc_codes()))
        context = super().get_context_data(**kwargs)
        context.update(form=form, period_options=recent_periods(today), rows=None)
        if not form.is_valid():
            return context
        period = form.cleaned_data["period"]
        rows = deadlines.board_statuses(
            user=self.request.user, period_codes=[period.code], bloc=form.cleaned_data["bloc"] or None
        )[period.code]
        context.update(
            rows=rows,
            counts=deadlines.status_counts(rows),
            period=period,
            deadline=deadlines.deadline(period),
        )
        return context
