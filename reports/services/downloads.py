"""The Excel summary of a report as a background job: enqueue, run (TaskRun with progress), download.

A person asks for the workbook of a scope and period (the latest version, or one they name); a
TaskRun of kind "report_export" records the request, the Celery task writes the file to the run's
`output_file`, and the task page offers it for download. Every download is logged (who, which
version, "xlsx") in reports.models.ReportDownload.

A file holds the records of the boards its asker could read when asking (`boards` in the run's
params and result: their codes, or None for every board); it is handed only to its asker (or an
administrator) and only while they still read every board it lists, so a file built for the ministry
never reaches a board's user, nor one board's file another board's.
"""

from __future__ import annotations

import os
import tempfile

from django.core.files import File
from django.db import transaction
from django.http import Http404
from django.utils import translation

from kcn_portal import periods
from kcn_portal.core import queue
from kcn_portal.core.enums import TaskStatus
from kcn_portal.core.models import TaskRun
from kcn_portal.core.services import task_run_fail, task_run_finish, task_run_start
from reports import exporters, scopes
from reports.models import ReportDownload, ReportSnapshot
from reports.services import builds
from zones import access

REPORT_EXPORT = "report_export"
XLSX = "xlsx"


def visible_boards(user) -> list[str] | None:
    """The codes of the boards whose records the user may see in an export (zones.access.readable_boards);
    None when the user reads every board (the system, the ministry, administrators)."""
    if access.reads_everything(user):
        return None
    return sorted(access.readable_boards(user).values_list("code", flat=True))


def _file_boards(run: TaskRun) -> list[str] | None:
    """The boards whose records a finished run's file lists (None: every board's).

    A file written before runs recorded it is taken as every board's, except a board's own report
    (which never listed another board's records).
    """
    result = run.result or {}
    if "boards" in result:
        return result["boards"]
    scope = (run.params or {}).get("scope", "")
    kind, _colon, code = scope.partition(":")
    return [code] if kind == scopes.BOARD and code else None


def may_receive(user, boards: list[str] | None) -> bool:
    """Whether the user may read every board whose records a file lists."""
    if access.reads_everything(user):
        return True
    if boards is None:
        return False
    return set(boards) <= set(access.readable_boards(user).values_list("code", flat=True))


@transaction.atomic
def report_export_enqueue(*, user, scope: str, period: str, version: int | None = None) -> TaskRun:
    """A TaskRun for the Excel summary of a scope's report, its task sent once the request commits.

    Raises ScopeError / PeriodError for malformed codes and Http404 when the user may not read the
    scope or the version asked for does not exist. Without a version the run exports the latest
    one (building the report first if it was never built).
    """
    parsed_scope, parsed_period = scopes.parse(scope), periods.parse(period)
    if not scopes.can_read(user, parsed_scope):
        raise Http404
    snapshots = ReportSnapshot.objects.filter(scope=str(parsed_scope), period=parsed_period.code)
    if version is not None and not snapshots.filter(version=version).exists():
        raise Http404
    run = TaskRun.objects.create(
        kind=REPORT_EXPORT,
        created_by=user if getattr(user, "pk", None) else None,
        params={
            "scope": str(parsed_scope),
            "period": parsed_period.code,
            "version": version,
            # The records the file may list: those of the boards the person who asked may read.
            "boards": visible_boards(user),
            # Headers and labels in the language of the person who asked.
            "language": translation.get_language(),
        },
    )
    queue.send_on_commit("reports.export", run.pk)
    return run


def _snapshot_of(run: TaskRun) -> ReportSnapshot:
    """The version a run exports: the one asked for, else the latest (built now if there is none)."""
    scope, period, version = run.params["scope"], run.params["period"], run.params.get("version")
    snapshots = ReportSnapshot.objects.filter(scope=scope, period=period)
    if version:
        return snapshots.get(version=version)
    latest = snapshots.order_by("-version").first()
    if latest is None:
        builds.report_build(period=periods.parse(period), targets=[scopes.parse(scope)])
        latest = snapshots.order_by("-version").first()
    return latest


class _Progress:
    """Stores the exporter's progress on the run when it moved (the export writes nothing else meanwhile)."""

    def __init__(self, run_id: int):
        self.run_id, self.percent = run_id, 0

    def __call__(self, percent: int) -> None:
        percent = max(1, min(int(percent), 99))  # 100 is for the finished run
        if percent > self.percent:
            self.percent = percent
            TaskRun.objects.filter(pk=self.run_id).update(progress=percent)


def report_export_run(*, task_run_id: int) -> TaskRun:
    """Write the workbook of a queued export to its TaskRun's output_file; a succeeded run is left alone.

    Side effects: the file under MEDIA_ROOT (written to a temporary file first, so a half-written
    workbook is never offered), the run's status, progress and result; a failure is recorded on the
    run and raised again. A run cut off midway is done again from the start.
    """
    run = TaskRun.objects.get(pk=task_run_id)
    if run.status == TaskStatus.SUCCEEDED:
        return run
    task_run_start(run, progress=2)
    progress = _Progress(run.pk)
    # A run queued before the params named the boards: those its creator reads now (None: the system's run).
    boards = run.params["boards"] if "boards" in run.params else visible_boards(run.created_by)
    try:
        with translation.override(run.params.get("language") or "vi"):
            snapshot = _snapshot_of(run)
            fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="kcn-report-")
            try:
                with os.fdopen(fd, "w+b") as handle:
                    rows = exporters.summary_workbook(snapshot, handle, progress=progress, boards=boards)
                    handle.seek(0)
                    if run.output_file:
                        run.output_file.delete(save=False)  # a redelivered run replaces its half-done file
                    run.output_file.save(exporters.file_name(snapshot), File(handle), save=False)
            finally:
                os.unlink(path)
            TaskRun.objects.filter(pk=run.pk).update(output_file=run.output_file.name)
    except Exception as exc:
        task_run_fail(run, str(exc))
        raise
    result = {
        "scope": snapshot.scope,
        "period": snapshot.period,
        "version": snapshot.version,
        "snapshot_id": snapshot.pk,
        "file_name": exporters.file_name(snapshot),
        "size": run.output_file.size,
        "events": rows,
        "boards": boards,
    }
    return task_run_finish(run, status=TaskStatus.SUCCEEDED, result=result, error="")


def export_for_download(*, user, run: TaskRun) -> tuple[ReportSnapshot, File]:
    """The snapshot and the open workbook file of a finished export, for its creator (or an administrator).

    Raises Http404 when the run is not a finished export, is somebody else's, or its scope or a board
    whose records the file lists is no longer readable by the user. Side effects: a ReportDownload row
    (who, which version, "xlsx"). The caller closes the file.
    """
    if run.kind != REPORT_EXPORT or run.status != TaskStatus.SUCCEEDED or not run.output_file:
        raise Http404
    if not (getattr(user, "is_superuser", False) or (user is not None and run.created_by_id == user.pk)):
        raise Http404
    try:
        scope = scopes.parse(run.params.get("scope", ""))
    except scopes.ScopeError as exc:
        raise Http404 from exc
    if not scopes.can_read(user, scope) or not may_receive(user, _file_boards(run)):
        raise Http404
    snapshot = ReportSnapshot.objects.filter(pk=run.result.get("snapshot_id"), scope=str(scope)).first()
    if snapshot is None:
        raise Http404
    try:
        handle = run.output_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    report_download_log(user=user, snapshot=snapshot, file_format=XLSX)
    return snapshot, handle


def report_download_log(*, user, snapshot: ReportSnapshot, file_format: str) -> ReportDownload:
    """Record that `user` downloaded this version of a report in `file_format` (json, xlsx)."""
    return ReportDownload.objects.create(
        snapshot=snapshot,
        user=user if getattr(user, "pk", None) else None,
        user_name=getattr(user, "username", "") or "system",
        file_format=file_format,
    )
