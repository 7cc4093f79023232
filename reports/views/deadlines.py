"""The reporting-deadline page: completeness and timeliness of every board's data for a period (issue 7).

`/reports/deadlines/?period=2025-Q3&bloc=DBSH`: ministry officials and administrators see every board;
a board's own people see only their boards (the same scope as every read, zones.access). Periods are
quarters, halves and years (the kinds with a deadline); without `period` the last ended quarter.
The query string goes through reports.filters.DeadlineFilter; reads through reports.selectors.deadlines
(a fixed number of queries for any number of boards).
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from kcn_portal.core.forms import style_form
from reports import scopes
from reports.filters import DeadlineFilter
from reports.selectors import deadlines


class DeadlineListView(LoginRequiredMixin, TemplateView):
    """Every board the user may read: expected and received reports, when complete, status, approval."""

    template_name = "reports/deadlines.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        user = self.request.user
        data = {
            "period": self.request.GET.get("period") or deadlines.last_ended_quarter(today),
            "bloc": self.request.GET.get("bloc", ""),
        }
        filters = DeadlineFilter(data, queryset=deadlines.deadline_boards(user=user), blocs=scopes.bloc_codes())
        form = style_form(filters.form)
        context = super().get_context_data(**kwargs)
        context.update(form=form, period_options=deadlines.recent_periods(today), rows=None)
        if not filters.is_valid():
            return context
        period = form.cleaned_data["period"]
        rows = deadlines.board_statuses(user=user, period_codes=[period.code], boards=list(filters.qs))[period.code]
        context.update(
            rows=rows,
            counts=deadlines.status_counts(rows),
            period=period,
            deadline=deadlines.deadline(period),
        )
        return context
