"""FilterSets of the reports' lists, shared by the pages and the API (as zones/filters.py, investment/filters.py).

- CorrectionFilter: `?board=&status=` — the corrections page, the API's corrections list, the approval
  page's count of corrections waiting. On the page a status that is no status is ignored (the list shows
  every status); the API answers it with 400 naming the status.
- DeadlineFilter: `?period=&bloc=` — the deadlines page: which boards (of those the user reads) and for
  which quarter, half or year.
- DataIssueFilter: `?period=` (required) — the API's data-quality warnings of a board's period.

Refusals pass the text the user typed as a parameter, never inside the message itself: django-filter's
API backend formats every message with its parameters, and a "%" typed in a query would break it.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kcn_portal import periods
from reports.enums import CorrectionStatus
from reports.models import Correction, DataIssue
from reports.selectors import deadlines
from zones.models import Board


class PeriodField(forms.CharField):
    """A period code (DOMAIN.md §4), cleaned to its kcn_portal.periods.Period; None when blank."""

    def clean(self, value) -> periods.Period | None:
        text = super().clean(value)
        if text in self.empty_values:
            return None
        try:
            return periods.parse(text)
        except periods.PeriodError as exc:
            raise ValidationError("%(error)s", code="invalid", params={"error": str(exc)}) from exc


class PeriodFilter(django_filters.Filter):
    field_class = PeriodField


class _StatusField(django_filters.fields.ChoiceField):
    def validate(self, value):
        try:
            super().validate(value)
        except ValidationError as exc:
            if exc.code != "invalid_choice":
                raise
            raise ValidationError(
                _("Trạng thái “%(status)s” không hợp lệ."), code="invalid_choice", params={"status": value}
            ) from None


class StatusFilter(django_filters.ChoiceFilter):
    """A status among the choices; another is refused naming it ("Trạng thái “x” không hợp lệ.")."""

    field_class = _StatusField


class CorrectionFilter(django_filters.FilterSet):
    # The code as typed (not stripped): a board code is matched exactly, as the links on the pages write it.
    board = django_filters.CharFilter(label=gettext_lazy("Ban quản lý (mã)"), field_name="board__code", strip=False)
    status = StatusFilter(label=gettext_lazy("Trạng thái"), choices=CorrectionStatus.choices)

    class Meta:
        model = Correction
        fields = ["board", "status"]


class _DeadlineForm(forms.Form):
    def clean_period(self):
        period = self.cleaned_data["period"]
        if period is not None and not deadlines.has_deadline(period):
            raise ValidationError(
                _("Kỳ '%(code)s' không có hạn báo cáo: chọn một quý, 6 tháng hoặc năm (ví dụ 2025-Q3, 2025-H1, 2025)."),
                params={"code": period.code},
            )
        return period


class DeadlineFilter(django_filters.FilterSet):
    """The boards of the deadlines page (of reports.selectors.deadlines.deadline_boards) and the period
    their statuses are of: `form.cleaned_data["period"]` is the parsed quarter, half or year.

    `blocs` are the codes the bloc select offers (reports.scopes.bloc_codes()).
    """

    period = PeriodFilter(
        label=gettext_lazy("Kỳ"),
        required=True,
        max_length=12,
        help_text=gettext_lazy("Quý, 6 tháng hoặc năm, ví dụ 2025-Q3, 2025-H1, 2025."),
        method="of_period",
    )
    bloc = django_filters.ChoiceFilter(
        label=gettext_lazy("Khối thi đua"), empty_label=gettext_lazy("Tất cả các Ban"), method="in_bloc"
    )

    class Meta:
        model = Board
        fields = ["period", "bloc"]
        form = _DeadlineForm

    def __init__(self, *args, blocs: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["bloc"].extra["choices"] = [(code, code) for code in blocs]
        self.form.fields["period"].widget.attrs["list"] = "period-options"

    def of_period(self, queryset, name, value):
        return queryset  # the period chooses the statuses shown (and the year of a bloc), not the boards

    def in_bloc(self, queryset, name, value):
        # The bloc's members in the period's year (the emulation data's, else the boards' bloc_code).
        return deadlines.in_bloc(queryset, value, self.form.cleaned_data["period"].year)


class DataIssueFilter(django_filters.FilterSet):
    period = PeriodFilter(
        label=gettext_lazy("Kỳ"),
        required=True,
        error_messages={"required": gettext_lazy("Cần chọn kỳ, ví dụ 2025-Q3.")},
        method="of_period",
    )

    class Meta:
        model = DataIssue
        fields = ["period"]

    def of_period(self, queryset, name, value):
        return queryset.filter(period=value.code)
