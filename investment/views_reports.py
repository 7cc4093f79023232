"""Enterprise quarterly report pages: one project's report, a board's quarter grid, completeness,
the projects missing a quarter, and the exchange-rate catalogue.

Reads go through investment.selectors (scoped: outside scope is 404), writes through
services.enterprise_report_save; a quarter is a `YYYY-QN` code in the URL (DOMAIN.md §4).
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView

from kcn_portal.core.concurrency import changes_since
from kcn_portal.core.enums import AuditSource
from kcn_portal.core.forms import add_service_errors, style_form
from kcn_portal.core.templatetags.kcn_format import field_value, format_number
from zones import access
from zones import selectors as zone_selectors

from . import selectors, services
from .forms_reports import (
    USD_FIGURES,
    EnterpriseReportForm,
    QuarterGridFormSet,
    current_quarter,
    parse_quarter,
    quarter_code,
    report_initial,
    shift_quarter,
)
from .models import REPORT_FIGURES, EnterpriseReport

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


def figure_totals(reports) -> dict[str, object]:
    """The sum of each figure over the reports given (None where no report states it)."""
    totals: dict[str, object] = dict.fromkeys(REPORT_FIGURES)
    for report in reports:
        for name in REPORT_FIGURES:
            value = getattr(report, name)
            if value is not None:
                totals[name] = (totals[name] or 0) + value
    return totals


def quarter_started(year: int, quarter: int) -> bool:
    return services.quarter_range(year, quarter)[0] <= timezone.localdate()


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
        return selectors.project_get(user=self.request.user, code=self.kwargs["code"], for_write=for_write)

    def get_context_data(self, **kwargs):
        user, project = self.request.user, self.project
        report = selectors.report_get(user=user, project=project, year=self.year, quarter=self.quarter)
        problem = services.check_report_quarter(project, self.year, self.quarter, today=timezone.localdate())
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
            report, created = services.enterprise_report_save(
                user=request.user,
                project=self.project,
                year=self.year,
                quarter=self.quarter,
                expected_version=seen,
                source=AuditSource.WEB,
                **form.figures(),
            )
        except services.ConflictError as exc:
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

    def conflict(self, exc: services.ConflictError):
        """Someone saved this report after the form was opened: nothing is saved; show what they saved.

        The form keeps what this user typed and now carries the current version, so saving
        again is a deliberate choice made after reading the banner.
        """
        current = selectors.report_get(
            user=self.request.user, project=self.project, year=self.year, quarter=self.quarter
        )
        data = self.request.POST.copy()
        data["version"] = str(current.version)
        form = style_form(EnterpriseReportForm(data))
        return self.render_to_response(self.get_context_data(form=form, conflict=conflict_rows(current, exc)))


def conflict_rows(current: EnterpriseReport, exc: services.ConflictError) -> list[tuple[str, str]]:
    """(label, current value) of what the other people changed; every stated figure when they created it."""
    names = [name for name in REPORT_FIGURES if name in exc.changed]
    if not names:
        names = [name for name in REPORT_FIGURES if getattr(current, name) is not None]
    return [(capfirst(current._meta.get_field(name).verbose_name), field_value(current, name)) for name in names]


# --- a board's grid for a quarter -------------------------------------------------------------------


def _typed(name: str, value):
    # Audit records hold decimals as text: back to the type the form compares with.
    if value is None or value == "":
        return None
    return Decimal(str(value)) if name in USD_FIGURES else int(Decimal(str(value)))


def seen_initial(project, report: EnterpriseReport | None, seen_version: int | None) -> dict:
    """The row as the editor saw it when the grid was opened (version `seen_version`).

    A row someone else changed since is rebuilt from the audit trail, so a row the editor did
    not touch counts as unchanged (not a conflict), and a row they did touch is a conflict.
    """
    initial = {"project": project.code, **report_initial(report)}
    if report is None or seen_version is None or seen_version >= report.version:
        return initial
    initial["version"] = seen_version
    if seen_version == 0:  # they saw no report at all
        return {**initial, **dict.fromkeys(REPORT_FIGURES)}
    for name, (then, _now) in changes_since(report, seen_version).items():
        if name in REPORT_FIGURES:
            initial[name] = _typed(name, then)
    return initial


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class QuarterGridView(LoginRequiredMixin, QuarterMixin, TemplateView):
    """Every project of a board expected to report a quarter, one row each, saved in one POST.

    All rows are saved in one transaction or none; unchanged rows are not saved again; each
    changed row is checked against the version it had when the grid was opened.
    """

    template_name = "investment/quarter_grid.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.only_missing = request.GET.get("missing") == "1"

    def load(self):
        user = self.request.user
        self.board = zone_selectors.board_get(user=user, code=self.kwargs["code"])
        self.can_write = access.can_write_board(user, self.board) and quarter_started(self.year, self.quarter)
        self.all_rows = selectors.quarter_grid(user=user, board=self.board, year=self.year, quarter=self.quarter)
        rows = self.all_rows
        self.rows = [row for row in rows if row[1] is None] if self.only_missing else rows

    def get(self, request, *args, **kwargs):
        self.load()
        formset = None
        if self.can_write:
            formset = QuarterGridFormSet(initial=[seen_initial(p, r, None) for p, r in self.rows])
        return self.render_grid(formset)

    def post(self, request, *args, **kwargs):
        self.load()
        if not self.can_write:
            raise Http404(_("Bạn không có quyền nhập báo cáo của Ban này."))
        # Every expected project, not only the filtered ones: a row reported by someone else since the
        # "not reported" grid was opened is still matched (and checked against the version then seen).
        by_code = {project.code: (project, report) for project, report in self.all_rows}
        prefix = QuarterGridFormSet.get_default_prefix()
        total = min(max(_int(request.POST.get(f"{prefix}-TOTAL_FORMS")) or 0, 0), len(by_code))
        initial = []
        for index in range(total):
            code = request.POST.get(f"{prefix}-{index}-project", "")
            project, report = by_code.get(code, (None, None))
            seen = _int(request.POST.get(f"{prefix}-{index}-version"))
            initial.append(seen_initial(project, report, seen) if project else {"project": code})
        formset = QuarterGridFormSet(request.POST, initial=initial)
        if formset.is_valid() and self.save(formset, by_code):
            return redirect(request.get_full_path())
        messages.error(request, _("Chưa lưu gì: hãy sửa các dòng có lỗi rồi lưu lại."))
        return self.render_grid(formset)

    def save(self, formset, by_code) -> bool:
        """Save every changed row in one transaction; on any row's error roll all back and return False."""
        saved, failed = 0, False
        with transaction.atomic():
            for form in formset.forms:
                if not form.has_changed():
                    continue
                project, _report = by_code.get(form.cleaned_data.get("project"), (None, None))
                if project is None:
                    form.add_error(None, _("Dự án này không phải báo cáo quý này (danh sách đã thay đổi)."))
                    failed = True
                    continue
                try:
                    services.enterprise_report_save(
                        user=self.request.user,
                        project=project,
                        year=self.year,
                        quarter=self.quarter,
                        expected_version=form.cleaned_data["version"],
                        source=AuditSource.WEB,
                        **form.figures(),
                    )
                except services.ConflictError as exc:
                    current = selectors.report_get(
                        user=self.request.user, project=project, year=self.year, quarter=self.quarter
                    )
                    changed = "; ".join(f"{label}: {value}" for label, value in conflict_rows(current, exc))
                    form.add_error(
                        None, _("Người khác đã sửa báo cáo này trong lúc bạn nhập: %(changed)s.") % {"changed": changed}
                    )
                    failed = True
                except ValidationError as exc:
                    add_service_errors(form, exc)
                    failed = True
                else:
                    saved += 1
            if failed:
                transaction.set_rollback(True)
                return False
        if saved:
            messages.success(self.request, _("Đã lưu %(count)s báo cáo.") % {"count": saved})
        else:
            messages.info(self.request, _("Không có báo cáo nào thay đổi."))
        return True

    def render_grid(self, formset):
        forms_by_code = {}
        stray = []
        codes = {project.code for project, _report in self.rows}
        if formset is not None:
            for form in formset.forms:
                code = form["project"].value()
                if code in forms_by_code or code not in codes:
                    stray.append(form)
                else:
                    forms_by_code[code] = form
        grid = []
        for project, report in self.rows:
            form = forms_by_code.get(project.code)
            cells = [
                (form[name] if form else None, show_figure(name, getattr(report, name) if report else None))
                for name in REPORT_FIGURES
            ]
            grid.append({"project": project, "report": report, "form": form, "cells": cells})
        totals = figure_totals(report for _p, report in self.rows if report)
        context = self.get_context_data(
            board=self.board,
            grid=grid,
            formset=formset,
            stray_errors=[error for form in stray for error in form.non_field_errors()],
            columns=[SHORT_LABELS[name] for name in REPORT_FIGURES],
            totals=[show_figure(name, totals[name]) for name in REPORT_FIGURES],
            reported=sum(1 for row in grid if row["report"]),
            only_missing=self.only_missing,
            can_write=self.can_write,
            **self.quarter_context(),
        )
        return self.render_to_response(context)


# --- completeness --------------------------------------------------------------------------------


class CompletenessView(LoginRequiredMixin, TemplateView):
    """Per quarter (the last eight ended, or a chosen year): projects expected, reported and missing."""

    template_name = "investment/report_completeness.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        board = zone_selectors.board_get(user=user, code=self.kwargs["code"])
        this_year = timezone.localdate().year
        year = _int(self.request.GET.get("year"))
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
            expected = selectors.projects_valid_in_quarter(user=user, board=board, year=y, quarter=q).count()
            missing = selectors.missing_reports(user=user, board=board, year=y, quarter=q).count()
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
        return selectors.missing_reports(user=user, board=self.board, year=self.year, quarter=self.quarter)

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context.update(self.quarter_context())
        context.update(
            board=self.board,
            expected=selectors.projects_valid_in_quarter(
                user=user, board=self.board, year=self.year, quarter=self.quarter
            ).count(),
            can_write=access.can_write_board(user, self.board) and context["started"],
        )
        return context


# --- exchange rates --------------------------------------------------------------------------------


class ExchangeRateListView(LoginRequiredMixin, ListView):
    """The USD→VND catalogue, newest first; administrators get links to change it in the admin."""

    template_name = "investment/exchange_rate_list.html"
    context_object_name = "rates"
    paginate_by = 50

    def get_queryset(self):
        return selectors.exchange_rate_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = access.can_manage_boards(self.request.user)
        return context
