"""Pages of the report's Excel summary: ask for it (a background job), download it; and what the task
page shows of the reports' jobs (builds and exports), for web.views.TaskDetailView.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View

from kcn_portal import periods
from kcn_portal.core import selectors as core_selectors
from kcn_portal.core.enums import TaskStatus
from kcn_portal.core.models import TaskRun
from kcn_portal.core.xlsx import XLSX_CONTENT_TYPE
from reports import exporters, scopes
from reports.selectors import snapshots
from reports.services import downloads


class ExportCreateView(LoginRequiredMixin, View):
    """POST: start the Excel summary of a report (optionally of one `version`); then its task page."""

    def post(self, request, scope, period):
        version = (request.POST.get("version") or "").strip()
        if version and not (version.isdigit() and int(version) > 0):
            raise Http404
        try:
            run = downloads.report_export_enqueue(
                user=request.user, scope=str(scope), period=period.code, version=int(version) if version else None
            )
        except (scopes.ScopeError, periods.PeriodError) as exc:
            raise Http404 from exc
        return redirect("task_detail", pk=run.pk)


class ExportDownloadView(LoginRequiredMixin, View):
    """GET: the finished workbook as an attachment; the download is logged (who, which version)."""

    def get(self, request, pk):
        run = core_selectors.task_run_get(user=request.user, pk=pk)
        snapshot, handle = downloads.export_for_download(user=request.user, run=run)
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=exporters.file_name(snapshot),
            content_type=XLSX_CONTENT_TYPE,
        )
        response["Cache-Control"] = "private, no-store"
        return response


# --- the task page of the reports' jobs ----------------------------------------------------------


def report_url(scope: str, period: str) -> str:
    """The report page of a scope and period."""
    return reverse("reports:report_detail", kwargs={"scope": scope, "period": period})


def _period_text(code: str) -> str:
    try:
        return periods.parse(code).label
    except periods.PeriodError:
        return code


def _order(code: str) -> tuple:
    kind = code.partition(":")[0]
    return ({scopes.BOARD: 0, scopes.BLOC: 1}.get(kind, 2), code)


def task_report_context(run: TaskRun) -> dict:
    """What templates/core/task_report.html shows of a report build or export run."""
    params, result = run.params or {}, run.result or {}
    period = result.get("period") or params.get("period") or ""
    context = {"period": period, "period_label": _period_text(period) if period else ""}
    if run.kind == downloads.REPORT_EXPORT:
        scope = params.get("scope", "")
        context.update(
            report_kind="export",
            scope=scope,
            scope_label=snapshots.scope_labels([scope]).get(scope, scope),
            version=result.get("version") or params.get("version"),
            file_name=result.get("file_name", ""),
            size=result.get("size"),
            report_url=report_url(scope, period),
            download_url=reverse("report_exports:export_download", kwargs={"pk": run.pk})
            if run.status == TaskStatus.SUCCEEDED and run.output_file
            else "",
            # A failed job is asked for again with the same scope, period and version (a new job).
            retry_url=reverse("report_exports:export_create", kwargs={"scope": scope, "period": period})
            if run.status == TaskStatus.FAILED and scope and period
            else "",
        )
        return context
    built = sorted(result.get("reports") or [], key=lambda item: _order(item["scope"]))
    labels = snapshots.scope_labels(
        [item["scope"] for item in built] + ([params["scope"]] if params.get("scope") else [])
    )
    context.update(
        report_kind="build",
        scope=params.get("scope") or "",
        scope_label=labels.get(params.get("scope") or "", ""),
        reports=[{**item, "label": labels[item["scope"]], "url": report_url(item["scope"], period)} for item in built],
        new_versions=sum(1 for item in built if item.get("new_version")),
        retry_url=reverse("reports:report_build", kwargs={"scope": params["scope"], "period": period})
        if run.status == TaskStatus.FAILED and params.get("scope") and period
        else "",
    )
    return context
