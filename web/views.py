"""Login form, the home page, and the browser upload of a data-exchange workbook with its task pages."""

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from kcn_portal.core import exports, home, selectors, services, workbook, xlsx
from kcn_portal.core.enums import TaskStatus
from kcn_portal.core.xlsx import XLSX_CONTENT_TYPE
from zones import access
from zones import selectors as zone_selectors


def sheet_labels() -> dict:
    """Vietnamese names of the workbook's sheets (DOMAIN.md §6), shown beside the sheet keys: each app's
    sheet handler carries its own (core.workbook)."""
    return {handler.name: handler.label for handler in workbook.handlers()}


class LoginForm(AuthenticationForm):
    """Django's login form with Vietnamese labels and messages that do not depend on a catalogue."""

    error_messages = {
        "invalid_login": gettext_lazy(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa và chữ thường."
        ),
        "inactive": gettext_lazy("Tài khoản này đã bị vô hiệu hóa."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = gettext_lazy("Tên đăng nhập")
        self.fields["password"].label = gettext_lazy("Mật khẩu")


class HomeView(LoginRequiredMixin, TemplateView):
    """Board people see their boards; ministry officials and administrators a table of every board."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        boards = list(zone_selectors.board_list(user=user))
        overview = access.reads_everything(user)
        context = super().get_context_data(**kwargs)
        context.update(
            boards=boards,
            overview=overview,
            # Nobody gave this account a board or a ministry role yet: say so instead of an empty page.
            no_role=not overview and not boards,
            can_write=access.can_write_any_board(user),
            totals=zone_selectors.zone_totals(user=user) if overview else None,
        )
        # Shortcuts to the next tasks, from the apps that registered them (kcn_portal.core.home).
        context["next_tasks"] = home.tasks(user=user, boards=boards, overview=overview, today=timezone.localdate())
        return context


# --- workbook upload -------------------------------------------------------------------------


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp bảng tính (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )

    def clean_file(self):
        """Refuse a file that is too big, not a workbook by its bytes or a zip bomb before it is stored.

        Only the first bytes and the zip directory are read; what needs parsing (XML entities)
        is refused later by the import, on the task page.
        """
        upload = self.cleaned_data["file"]
        try:
            xlsx.check_workbook_file(getattr(upload, "file", upload))
        except xlsx.WorkbookError as exc:
            raise ValidationError(str(exc), code="refused") from exc
        return upload


class WriterRequiredMixin:
    """Only people who may write some board import workbooks; for everybody else the pages do not exist."""

    def dispatch(self, request, *args, **kwargs):
        # After LoginRequiredMixin (earlier in the MRO), so the user is signed in here. Administrators
        # may import into an empty database (the workbook's boards sheet creates the boards).
        if not (access.can_manage_boards(request.user) or access.can_write_any_board(request.user)):
            raise Http404(_("Bạn không có quyền nhập dữ liệu."))
        return super().dispatch(request, *args, **kwargs)


class WorkbookUploadView(LoginRequiredMixin, WriterRequiredMixin, FormView):
    """Choose a workbook: it is stored as a TaskRun and checked by a dry run (nothing written yet)."""

    template_name = "core/workbook_upload.html"
    form_class = WorkbookUploadForm

    def get_context_data(self, **kwargs):
        runs = selectors.recent_runs(user=self.request.user, kind=services.WORKBOOK_IMPORT)
        return super().get_context_data(recent_runs=runs, **export_context(self.request.user), **kwargs)

    def form_valid(self, form):
        run = services.workbook_import_enqueue(
            user=self.request.user, uploaded_file=form.cleaned_data["file"], dry_run=True
        )
        return redirect("task_detail", pk=run.pk)


def export_choices(user) -> list:
    """The boards whose workbook `user` may download, in the board list's order."""
    return list(zone_selectors.board_list(user=user))


def export_boards(user, board: str) -> list[str] | None:
    """The board codes an export asked for as `board` covers: [board], or None for every board (ALL_BOARDS).

    Raises Http404 when the user may not read the board (or asks for all without reading everything),
    so another board's export does not even exist for them.
    """
    if board == exports.ALL_BOARDS:
        if not access.reads_everything(user):
            raise Http404
        return None
    if board in {choice.code for choice in export_choices(user)}:
        return [board]
    raise Http404


def export_context(user, selected: str = "") -> dict:
    """What the export form needs: the boards the user may export, and whether "all boards" is offered."""
    return {
        "export_boards": export_choices(user),
        "export_all": access.reads_everything(user),
        "export_selected": selected,
        "ALL_BOARDS": exports.ALL_BOARDS,
    }


class WorkbookExportView(LoginRequiredMixin, View):
    """GET: choose the board to export (a picker when there are several); POST: start the export job.

    The workbook is the one `manage.py export_workbook --board CODE` writes, limited to what the user
    may read; another board's export is a 404.
    """

    def get(self, request):
        from django.shortcuts import render

        return render(request, "core/workbook_export.html", export_context(request.user, request.GET.get("board", "")))

    def post(self, request):
        boards = export_boards(request.user, request.POST.get("board", ""))
        run = exports.workbook_export_enqueue(user=request.user, boards=boards)
        return redirect("task_detail", pk=run.pk)


class WorkbookExportDownloadView(LoginRequiredMixin, View):
    """The file of a finished export job, for the person who asked for it."""

    def get(self, request, pk):
        run = selectors.task_run_get(user=request.user, pk=pk)
        if run.kind != exports.WORKBOOK_EXPORT or run.status != TaskStatus.SUCCEEDED or not run.output_file:
            raise Http404
        return FileResponse(
            run.output_file.open("rb"),
            as_attachment=True,
            filename=exports.file_name(run),
            content_type=XLSX_CONTENT_TYPE,
        )


class WorkbookTemplateView(LoginRequiredMixin, View):
    """The blank template: every sheet's column keys (row 1), Vietnamese titles (row 2), one example row."""

    def get(self, request):
        buffer = io.BytesIO()
        workbook.template_workbook(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="mau-trao-doi-du-lieu.xlsx"'
        return response


# Jobs of the reports app (kinds of reports.services / reports.downloads) have their own result page.
REPORT_KINDS = ("report_build", "report_export")


class TaskDetailView(LoginRequiredMixin, DetailView):
    """A job's progress while it runs; then its result: the dry-run preview or the import's counts,
    the reports a build stored, or the download link of a report's Excel summary.
    """

    template_name = "core/task_detail.html"
    context_object_name = "run"

    def get_object(self, queryset=None):
        return selectors.task_run_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_template_names(self):
        if self.object.kind in REPORT_KINDS:
            return ["core/task_report.html"]
        if self.object.kind == exports.WORKBOOK_EXPORT:
            return ["core/task_export.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        run, user = self.object, self.request.user
        finished = run.status in (TaskStatus.SUCCEEDED, TaskStatus.FAILED)
        if run.kind in REPORT_KINDS:
            # The reports app knows what its runs hold; imported here so core does not load it at start-up.
            from reports.views.exports import task_report_context

            context = super().get_context_data(**kwargs)
            context.update(finished=finished, **task_report_context(run))
            return context
        labels = sheet_labels()
        if run.kind == exports.WORKBOOK_EXPORT:
            context = super().get_context_data(**kwargs)
            counts = (run.result or {}).get("sheets") or {}
            context.update(
                finished=finished,
                export_name=exports.file_name(run),
                export_sheets=[{"name": n, "label": labels.get(n, ""), "rows": c} for n, c in counts.items()],
            )
            return context
        result = run.result or {}
        # In the order sheets are applied (JSON columns, jsonb in particular, do not keep key order).
        order = {handler.name: index for index, handler in enumerate(workbook.handlers())}
        changes = result.get("changes") or {}
        sheets = [
            {
                "name": name,
                "label": labels.get(name, ""),
                **counts,
                # The rows the file adds or changes (the first PREVIEW_LIMIT), and how many more there are.
                "changes": changes.get(name, []),
                "more": counts["created"] + counts["updated"] - len(changes.get(name, [])),
            }
            for name, counts in sorted((result.get("sheets") or {}).items(), key=lambda item: order.get(item[0], 99))
        ]
        context = super().get_context_data(**kwargs)
        context.update(
            file_name=run.input_file.name.rsplit("/", 1)[-1] or run.params.get("file_name", ""),
            finished=finished,
            dry_run=bool(run.params.get("dry_run")),
            refused=result.get("refused"),
            sheets=sheets,
            no_changes=bool(sheets) and not any(sheet["created"] or sheet["updated"] for sheet in sheets),
            errors=result.get("errors") or [],
            # Only the person who previewed the file commits it, and only while they may still write.
            can_commit=services.can_commit(run)
            and not run.params.get("commit_run")
            and run.created_by_id == user.pk
            and (access.can_manage_boards(user) or access.can_write_any_board(user)),
            commit_run=run.params.get("commit_run"),
            preview_run=run.params.get("preview_run"),
        )
        return context


class TaskStatusView(LoginRequiredMixin, View):
    """The job's status and progress as JSON, polled every second by static/js/task-progress.js."""

    def get(self, request, pk):
        run = selectors.task_run_get(user=request.user, pk=pk)
        response = JsonResponse(
            {
                "status": run.status,
                "status_label": str(run.get_status_display()),
                "progress": run.progress,
                "finished": run.status in (TaskStatus.SUCCEEDED, TaskStatus.FAILED),
            }
        )
        response["Cache-Control"] = "no-store"
        return response


class TaskCommitView(LoginRequiredMixin, WriterRequiredMixin, View):
    """POST: import for real the file a dry run previewed without errors (a new TaskRun)."""

    def post(self, request, pk):
        preview = selectors.task_run_get(user=request.user, pk=pk)
        try:
            run = services.workbook_import_commit(user=request.user, preview=preview)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("task_detail", pk=preview.pk)
        return redirect("task_detail", pk=run.pk)
