"""Enterprise quarterly report pages: one project's report, completeness, the projects missing a
quarter (a board's quarter grid is investment.views.grid).

Reads go through investment.selectors (scoped: outside scope is 404), writes through
enterprise_reports.enterprise_report_save; a quarter is a `YYYY-QN` code in the URL (DOMAIN.md §4).
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView

from kcn_portal.core.concurrency import ConflictError
from kcn_portal.core.enums import AuditSource
from kcn_portal.core.forms import add_service_errors, style_form
from kcn_portal.core.templatetags.kcn_format import field_value, format_number
from zones import access
from zones import selectors as zone_selectors

from ..forms.enterprise_reports import USD_FIGURES, EnterpriseReportForm
from ..models import REPORT_FIGURES, EnterpriseReport
from ..quarters import current_quarter, parse_quarter, quarter_code, quarter_range, shift_quarter
from ..selectors import enterprise_reports as enterprise_report_selectors
from ..selectors import projects as project_selectors
from ..services import enterprise_reports as enterprise_report_services

# Column headings of the grid: the figures' names shortened to fit a table header.
SHORT_LABELS = {
    "revenue_vnd": gettext_lazy("Doanh thu (đồng)"),
    "production_value_vnd": gettext_lazy("Giá trị SXCN (đồng)"),
    "export_usd": gettext_lazy("Xuất khẩu (USD)"),
    "import_usd": gettext_lazy("Nhập khẩu (USD)"),
    "budget_vnd": gettext_lazy("Nộp NSNN (đồng)"),
    "employees": gettext_lazy("Lao động"),
    "employees_foreign": gettext_lazy("LĐ nước ngoài"),
    "implemented_capital_vnd": gettext_lazy("Vốn thực hiện lũy kế (đồng)"),
    "implemented_capital_usd": gettext_lazy("Vốn thực hiện lũy kế (USD)"),
}


COMPLETENESS_QUARTERS = 8


def quarter_label(year: int, quarter: int) -> str:
    return _("Quý %(quarter)s/%(year)s") % {"quarter": quarter, "year": year}


def show_figure(name: str, value) -> str:
    """A figure as the pages print it: USD with two decimals, đồng and people whole, "–" when absent."""
    return format_number(value, 2 if name in USD_FIGURES else 0)


def quarter_started(year: int, quarter: int) -> bool:
    return quarter_range(year, quarter)[0] <= timezone.localdate()


class QuarterMixin:
    """Reads the `period` of the URL; a code that is not a quarter gets a page saying so (404)."""

    def dispatch(self, request, *args, **kwargs):
        # After LoginRequiredMixin (earlier in the MRO): anonymous users were already sent to log in.
        parsed = parse_quarter(kwargs["period"])
        if parsed is None:
            return render(request, "investment/quarter_invalid.html", {"code": kwargs["period"]}, status=404)
        self.year, self.quarter = parsed
        return super().dispatch(request, *args, **kwargs)

    def quarter_context(self) -> dict:
        code = quarter_code(self.year, self.quarter)
        return {
            "period": code,
            "period_label": quarter_label(self.year, self.quarter),
            "previous_period": quarter_code(*shift_quarter(self.year, self.quarter, -1)),
            "next_period": quarter_code(*shift_quarter(self.year, self.quarter, 1)),
            "started": quarter_started(self.year, self.quarter),
        }


# --- one project's report --------------------------------------------------------------------------


class ReportEditView(LoginRequiredMixin, QuarterMixin, TemplateView):
    """A project's report for a quarter: a form for the board's staff, read-only for everybody else."""

    template_name = "investment/report_edit.html"

    def get_project(self, *, for_write: bool = False):
        return project_selectors.project_get(user=self.request.user, code=self.kwargs["code"], for_write=for_write)

    def get_context_data(self, **kwargs):
        user, project = self.request.user, self.project
        report = enterprise_report_selectors.report_get(
            user=user, project=project, year=self.year, quarter=self.quarter
        )
        problem = enterprise_report_services.check_report_quarter(
            project, self.year, self.quarter, today=timezone.localdate()
        )
        can_write = access.can_write_board(user, project.zone.board)
        context = super().get_context_data(**kwargs)
        context.update(self.quarter_context())
        form = kwargs.get("form")
        if form is None and can_write and not problem:
            form = style_form(EnterpriseReportForm(report=report))
        context.update(
            project=project,
            board=project.zone.board,
            report=report,
            updated_by=(report.updated_by.get_full_name() or report.updated_by.username)
            if report and report.updated_by
            else "–",
            problem=problem,
            can_write=can_write,
            form=form,
            figures=[
                (name, EnterpriseReport._meta.get_field(name).verbose_name, show_figure(name, getattr(report, name)))
                for name in REPORT_FIGURES
            ]
            if report
            else [],
        )
        return context

    def get(self, request, *args, **kwargs):
        self.project = self.get_project()
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        # Leaders and ministry officials read the report; for them there is nothing to post to (404).
        self.project = self.get_project(for_write=True)
        form = style_form(EnterpriseReportForm(request.POST))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        seen = form.cleaned_data["version"]
        try:
            report, created = enterprise_report_services.enterprise_report_save(
                user=request.user,
                project=self.project,
                year=self.year,
                quarter=self.quarter,
                expected_version=seen,
                source=AuditSource.WEB,
                **form.figures(),
            )
        except ConflictError as exc:
            return self.conflict(exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form))
        names = {"period": quarter_code(self.year, self.quarter), "code": self.project.code}
        if created or report.version != seen:
            messages.success(request, _("Đã lưu báo cáo quý %(period)s của dự án %(code)s.") % names)
        else:
            messages.info(request, _("Báo cáo không có gì thay đổi."))
        return redirect("enterprise:report_edit", code=self.project.code, period=names["period"])

    def conflict(self, exc: ConflictError):
        """Someone saved this report after the form was opened: nothing is saved; show what they saved.

        The form keeps what this user typed and now carries the current version, so saving
        again is a deliberate choice made after reading the banner.
        """
        current = enterprise_report_selectors.report_get(
            user=self.request.user, project=self.project, year=self.year, quarter=self.quarter
        )
        data = self.request.POST.copy()
        data["version"] = str(current.version)
        form = style_form(EnterpriseReportForm(data))
        return self.render_to_response(self.get_context_data(form=form, conflict=conflict_rows(current, exc)))


def conflict_rows(current: EnterpriseReport, exc: ConflictError) -> list[tuple[str, str]]:
    """(label, current value) of what the other people changed; every stated figure when they created it."""
    names = [name for name in REPORT_FIGURES if name in exc.changed]
    if not names:
        names = [name for name in REPORT_FIGURES if getattr(current, name) is not None]
    return [(capfirst(current._meta.get_field(name).verbose_name), field_value(current, name)) for name in names]


def int_or_none(value) -> int | None:
    """A query-string or POST value as an int; None when it is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- completeness --------------------------------------------------------------------------------


class CompletenessView(LoginRequiredMixin, TemplateView):
    """Per quarter (the last eight ended, or a chosen year): projects expected, reported and missing."""

    template_name = "investment/report_completeness.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        board = zone_selectors.board_get(user=user, code=self.kwargs["code"])
        this_year = timezone.localdate().year
        year = int_or_none(self.request.GET.get("year"))
        if year is not None and not 2000 <= year <= this_year:
            year = None
        if year is not None:
            quarters = [(year, q) for q in (4, 3, 2, 1) if quarter_started(year, q)]
        else:
            # A quarter is reported after it ends: the one in progress would show almost all missing.
            last = shift_quarter(*current_quarter(), -1)
            quarters = [shift_quarter(*last, -i) for i in range(COMPLETENESS_QUARTERS)]
        rows = []
        for y, q in quarters:
            expected = enterprise_report_selectors.projects_valid_in_quarter(
                user=user, board=board, year=y, quarter=q
            ).count()
            missing = enterprise_report_selectors.missing_reports(user=user, board=board, year=y, quarter=q).count()
            rows.append(
                {
                    "period": quarter_code(y, q),
                    "label": quarter_label(y, q),
                    "expected": expected,
                    "reported": expected - missing,
                    "missing": missing,
                    "missing_pct": Decimal(missing * 100) / expected if expected else None,
                }
            )
        context = super().get_context_data(**kwargs)
        context.update(
            board=board,
            rows=rows,
            year=year,
            years=range(this_year, 2004, -1),
            can_write=access.can_write_board(user, board),
        )
        return context


class MissingReportsView(LoginRequiredMixin, QuarterMixin, ListView):
    """The board's projects that should report a quarter and have not yet."""

    template_name = "investment/report_missing.html"
    context_object_name = "projects"
    paginate_by = 50

    def get_queryset(self):
        user = self.request.user
        self.board = zone_selectors.board_get(user=user, code=self.kwargs["code"])
        return enterprise_report_selectors.missing_reports(
            user=user, board=self.board, year=self.year, quarter=self.quarter
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context.update(self.quarter_context())
        context.update(
            board=self.board,
            expected=enterprise_report_selectors.projects_valid_in_quarter(
                user=user, board=self.board, year=self.year, quarter=self.quarter
            ).count(),
            can_write=access.can_write_board(user, self.board) and context["started"],
        )
        return context
