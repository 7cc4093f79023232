"""A board's grid of enterprise quarterly reports: one row per project expected to report the quarter,
shown by zone, at most PAGE_SIZE rows a page, and saved one page at a time, each row on its own.

Reads go through investment.selectors (scoped: outside scope is 404), writes through
enterprise_reports.enterprise_report_save, each row checked against the version it had when the page was
opened. A page posts at most PAGE_SIZE × 11 fields (well under DATA_UPLOAD_MAX_NUMBER_FIELDS);
static/js/quarter-grid.js keeps what was typed on other pages in the browser until it is saved.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from kcn_portal.core.concurrency import ConflictError, changes_since
from kcn_portal.core.enums import AuditSource
from kcn_portal.core.forms import add_service_errors
from zones import access
from zones import selectors as zone_selectors

from ..forms.enterprise_reports import USD_FIGURES, QuarterGridFormSet, report_initial
from ..models import REPORT_FIGURES, EnterpriseReport
from ..quarters import quarter_code
from ..selectors import enterprise_reports as enterprise_report_selectors
from ..services import enterprise_reports as enterprise_report_services
from .enterprise_reports import SHORT_LABELS, QuarterMixin, conflict_rows, int_or_none, quarter_started, show_figure

PAGE_SIZE = 50
ALL_ZONES = "all"  # ?zone=all: every zone of the board, by zone and code
SAVED_KEY = "quarter_grid_saved"  # the session's note of the rows the last POST saved (read once by the GET)


def _typed(name: str, value):
    # Audit records hold decimals as text: back to the type the form compares with.
    if value is None or value == "":
        return None
    return Decimal(str(value)) if name in USD_FIGURES else int(Decimal(str(value)))


def seen_initial(project, report: EnterpriseReport | None, seen_version: int | None) -> dict:
    """The row as the editor saw it when the page was opened (version `seen_version`).

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


def text_inputs(formset):
    """Amount inputs as text, never type=number: a Vietnamese amount ("1.234.567,89") must be typeable."""
    for form in formset.forms:
        for name in REPORT_FIGURES:
            form.fields[name].widget.input_type = "text"
    return formset


class QuarterGridView(LoginRequiredMixin, QuarterMixin, TemplateView):
    """The board's projects expected to report a quarter, a zone and a page at a time (?zone=…&page=…).

    Saving a page saves each changed row on its own: the valid rows are stored, a row with an error
    or a conflict is not, and the page comes back with that row marked and everything typed kept.
    Unchanged rows are not saved again.
    """

    template_name = "investment/quarter_grid.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.only_missing = request.GET.get("missing") == "1"

    def load(self):
        """The board, the zones (with counts), the chosen zone and the page's rows."""
        user = self.request.user
        self.board = zone_selectors.board_get(user=user, code=self.kwargs["code"])
        self.can_write = access.can_write_board(user, self.board) and quarter_started(self.year, self.quarter)
        self.zones = enterprise_report_selectors.quarter_grid_zones(
            user=user, board=self.board, year=self.year, quarter=self.quarter
        )
        codes = [zone["code"] for zone in self.zones]
        asked = self.request.GET.get("zone") or ""
        if asked == ALL_ZONES or (not asked and not codes):
            self.zone = None
        elif asked in codes:
            self.zone = asked
        elif asked:
            raise Http404(_("Khu này không có dự án nào phải báo cáo quý này."))
        else:
            self.zone = codes[0]  # the first zone: a page of one zone, not the whole board at once
        projects = enterprise_report_selectors.quarter_grid_projects(
            user=user,
            board=self.board,
            year=self.year,
            quarter=self.quarter,
            zone=self.zone,
            only_missing=self.only_missing,
        )
        self.page_obj = Paginator(projects, PAGE_SIZE).get_page(self.request.GET.get("page"))
        self.rows = enterprise_report_selectors.quarter_reports(
            self.page_obj.object_list, year=self.year, quarter=self.quarter
        )

    def get(self, request, *args, **kwargs):
        self.load()
        formset = None
        if self.can_write:
            formset = text_inputs(QuarterGridFormSet(initial=[seen_initial(p, r, None) for p, r in self.rows]))
        note = request.session.pop(SAVED_KEY, None)
        saved = set(note["codes"]) if note and note.get("grid") == self.storage_key() else set()
        return self.render_grid(formset, saved=saved)

    def post(self, request, *args, **kwargs):
        self.load()
        if not self.can_write:
            raise Http404(_("Bạn không có quyền nhập báo cáo của Ban này."))
        prefix = QuarterGridFormSet.get_default_prefix()
        total = int_or_none(request.POST.get(f"{prefix}-TOTAL_FORMS"))
        if total is None or total < 0 or total > PAGE_SIZE:
            messages.error(
                request,
                _("Chưa lưu gì: mỗi lần lưu được tối đa %(size)s dòng, của một trang; hãy tải lại trang rồi lưu.")
                % {"size": PAGE_SIZE},
            )
            return self.get(request, *args, **kwargs)
        codes = [request.POST.get(f"{prefix}-{index}-project", "") for index in range(total)]
        # Every expected project of the board, whatever the zone, page or filter the page showed: a row
        # reported by someone else since a "not reported" page was opened is still matched (and checked).
        expected = enterprise_report_selectors.quarter_grid_projects(
            user=request.user, board=self.board, year=self.year, quarter=self.quarter
        ).filter(code__in=codes)
        by_code = {
            p.code: (p, r)
            for p, r in enterprise_report_selectors.quarter_reports(expected, year=self.year, quarter=self.quarter)
        }
        unknown = {code for code in codes if code not in by_code}
        if unknown - enterprise_report_selectors.board_project_codes(
            user=request.user, board=self.board, codes=unknown
        ):
            # Not a project of this board (another board's, or none): nothing is saved, nothing is told.
            raise Http404(_("Không tìm thấy dự án này trong Ban."))
        initial = []
        for index, code in enumerate(codes):
            project, report = by_code.get(code, (None, None))
            seen = int_or_none(request.POST.get(f"{prefix}-{index}-version"))
            initial.append(seen_initial(project, report, seen) if project else {"project": code})
        data = request.POST.copy()  # mutable: a saved row's version is moved on before the page is shown again
        formset = text_inputs(QuarterGridFormSet(data, initial=initial))
        saved, failed = self.save(formset, by_code, data)
        if saved:
            messages.success(request, _("Đã lưu %(count)s báo cáo.") % {"count": len(saved)})
        if not failed:
            if not saved:
                messages.info(request, _("Không có báo cáo nào thay đổi."))
            request.session[SAVED_KEY] = {"grid": self.storage_key(), "codes": sorted(saved)}
            return redirect(request.get_full_path())
        # The saved rows show what is stored now; the failed ones keep what was typed.
        self.rows = enterprise_report_selectors.quarter_reports(
            [p for p, _r in self.rows], year=self.year, quarter=self.quarter
        )
        return self.render_grid(formset, saved=saved, failed=failed)

    def save(self, formset, by_code, data) -> tuple[set[str], list]:
        """Save each changed, valid row on its own; returns the codes saved and the forms that failed."""
        prefix = formset.prefix
        saved, failed = set(), []
        for index, form in enumerate(formset.forms):
            if not form.has_changed():
                continue
            if not form.is_valid():
                failed.append(form)
                continue
            project, _report = by_code.get(form.cleaned_data["project"], (None, None))
            if project is None:
                form.add_error(None, _("Dự án này không phải báo cáo quý này (danh sách đã thay đổi)."))
                failed.append(form)
                continue
            try:
                report, _created = enterprise_report_services.enterprise_report_save(
                    user=self.request.user,
                    project=project,
                    year=self.year,
                    quarter=self.quarter,
                    expected_version=form.cleaned_data["version"],
                    source=AuditSource.WEB,
                    **form.figures(),
                )
            except ConflictError as exc:
                current = enterprise_report_selectors.report_get(
                    user=self.request.user, project=project, year=self.year, quarter=self.quarter
                )
                changed = "; ".join(f"{label}: {value}" for label, value in conflict_rows(current, exc))
                form.add_error(
                    None, _("Người khác đã sửa báo cáo này trong lúc bạn nhập: %(changed)s.") % {"changed": changed}
                )
                failed.append(form)
            except ValidationError as exc:
                add_service_errors(form, exc)
                failed.append(form)
            else:
                saved.add(project.code)
                data[f"{prefix}-{index}-version"] = str(report.version)  # saving the page again is no conflict
        return saved, failed

    def storage_key(self) -> str:
        """Names this grid in the browser's storage of unsaved rows and in the session's note of saved ones."""
        return f"{self.board.code}:{quarter_code(self.year, self.quarter)}"

    def render_grid(self, formset, *, saved=frozenset(), failed=()):
        forms_by_code, stray = {}, []
        codes = {project.code for project, _report in self.rows}
        if formset is not None:
            for form in formset.forms:
                code = form["project"].value()
                if code in forms_by_code or code not in codes:
                    stray.append(form)
                else:
                    forms_by_code[code] = form
        failed_codes = {form["project"].value() for form in failed}
        grid = []
        for project, report in self.rows:
            form = forms_by_code.get(project.code)
            cells = [
                (form[name] if form else None, show_figure(name, getattr(report, name) if report else None))
                for name in REPORT_FIGURES
            ]
            grid.append(
                {
                    "project": project,
                    "report": report,
                    "form": form,
                    "cells": cells,
                    "saved": project.code in saved,
                    "failed": project.code in failed_codes,
                }
            )
        user = self.request.user
        totals = enterprise_report_selectors.quarter_totals(
            user=user, board=self.board, year=self.year, quarter=self.quarter
        )
        zone = next((z for z in self.zones if z["code"] == self.zone), None)
        context = self.get_context_data(
            board=self.board,
            grid=grid,
            formset=formset,
            page_obj=self.page_obj,
            zones=self.zones,
            zone=zone,
            all_zones=ALL_ZONES,
            expected=sum(z["rows"] for z in self.zones),
            reported=sum(z["reported"] for z in self.zones),
            missing=sum(z["missing"] for z in self.zones),
            failed=[(form["project"].value(), form) for form in failed],
            stray_errors=[error for form in stray for error in form.non_field_errors()],
            columns=[SHORT_LABELS[name] for name in REPORT_FIGURES],
            totals=[show_figure(name, totals[name]) for name in REPORT_FIGURES],
            only_missing=self.only_missing,
            can_write=self.can_write,
            storage_key=self.storage_key(),
            page_size=PAGE_SIZE,
            **self.quarter_context(),
        )
        return self.render_to_response(context)
