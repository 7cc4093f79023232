"""Writes for long jobs: create a TaskRun, enqueue its task after commit, record progress and result."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import selectors
from .enums import AuditSource, TaskStatus
from .models import TaskRun
from .queue import send_on_commit

logger = logging.getLogger(__name__)

WORKBOOK_IMPORT = "workbook_import"
# While rows are read the bar moves between these; 100 is set when the result is stored.
PROGRESS_START, PROGRESS_END = 5, 95


@transaction.atomic
def workbook_import_enqueue(*, user, uploaded_file, dry_run: bool = False) -> TaskRun:
    """Store an uploaded workbook as a TaskRun and run the import in Celery once the upload is committed.

    Side effects: a TaskRun row and the file under MEDIA_ROOT; the task is sent only on commit,
    so a rolled-back request never starts a job.
    """
    run = TaskRun.objects.create(
        kind=WORKBOOK_IMPORT,
        created_by=user if getattr(user, "pk", None) else None,
        # The job reports its errors in the language of the person who started it.
        params={
            "dry_run": dry_run,
            "language": translation.get_language(),
            # Kept to name the file on the task page after a refused file is removed.
            "file_name": uploaded_file.name.rsplit("/", 1)[-1],
        },
    )
    run.input_file.save(uploaded_file.name.rsplit("/", 1)[-1], uploaded_file, save=True)
    _send_on_commit(run)
    return run


def _send_on_commit(run: TaskRun) -> None:
    send_on_commit("core.run_workbook_import", run.pk)  # kcn_portal.core.tasks.run_workbook_import


def can_commit(run: TaskRun) -> bool:
    """Whether a run is a finished dry run without errors, so its file may now be imported for real."""
    return (
        run.kind == WORKBOOK_IMPORT
        and bool(run.params.get("dry_run"))
        and run.status == TaskStatus.SUCCEEDED
        and not run.result.get("errors")
        and not run.result.get("refused")
    )


@transaction.atomic
def workbook_import_commit(*, user, preview: TaskRun) -> TaskRun:
    """Import for real the file a dry run previewed without errors; returns the new TaskRun.

    Side effects: a TaskRun (dry_run False, params.preview_run = the dry run's id) sharing the
    stored file, its task sent on commit, and params.commit_run on the dry run. Asking twice
    (a double click) returns the first commit run instead of importing again.
    """
    preview = TaskRun.objects.select_for_update().get(pk=preview.pk)
    if not (getattr(user, "is_superuser", False) or (user is not None and preview.created_by_id == user.pk)):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
    if preview.params.get("commit_run"):
        return TaskRun.objects.get(pk=preview.params["commit_run"])
    if not can_commit(preview):
        raise ValidationError(_("Chỉ ghi được tệp đã xem trước xong và không có lỗi."))
    run = TaskRun.objects.create(
        kind=WORKBOOK_IMPORT,
        created_by=user if getattr(user, "pk", None) else None,
        params={"dry_run": False, "language": translation.get_language(), "preview_run": preview.pk},
        input_file=preview.input_file.name,  # the very file that was checked, not a new upload
    )
    preview.params = {**preview.params, "commit_run": run.pk}
    preview.save(update_fields=["params"])
    _send_on_commit(run)
    return run


class ProgressReporter:
    """The `progress(rows_read, rows_expected)` callback of an import, stored on its TaskRun, throttled.

    A write happens only when the bar moved by `min_step` points and `min_interval` seconds
    passed since the previous one, so a big import costs a few dozen UPDATEs, not one per row.
    """

    min_step = 2  # percentage points
    min_interval = 0.5  # seconds

    def __init__(self, write: Callable[[int], None], *, clock: Callable[[], float] = time.monotonic):
        self.write = write
        self.clock = clock
        self.percent = PROGRESS_START
        self.written_at = clock()

    def __call__(self, rows_read: int, rows_expected: int) -> None:
        # The expected count is what the sheets declare, so it can be exceeded: never pass 95 %.
        share = rows_read / rows_expected if rows_expected else 1
        percent = min(PROGRESS_END, PROGRESS_START + int((PROGRESS_END - PROGRESS_START) * share))
        now = self.clock()
        if percent - self.percent < self.min_step or now - self.written_at < self.min_interval:
            return
        self.percent, self.written_at = percent, now
        self.write(percent)


class _ProgressWriter:
    """Stores a run's progress where the status page can read it while the import is still running.

    The import runs inside one transaction; an UPDATE on that connection stays invisible to
    the status page until the end (and is rolled back with a dry run). On PostgreSQL the
    progress is therefore written through a second, autocommit connection. SQLite (the embedded
    default, where tasks run eagerly and nobody polls meanwhile) would lock against the open
    transaction, so there it goes through the main connection. Progress is best effort: a
    failed write is logged and never fails the import.
    """

    def __init__(self, run_id: int):
        self.run_id = run_id
        self.side = None
        self.prepared = False
        # Inside an outer transaction the row may be locked by it: a second connection would wait for ever.
        main = connections[DEFAULT_DB_ALIAS]
        if main.vendor != "sqlite" and not main.in_atomic_block:
            self.side = type(main)(dict(main.settings_dict), DEFAULT_DB_ALIAS)

    def __call__(self, percent: int) -> None:
        try:
            if self.side is None:
                TaskRun.objects.filter(pk=self.run_id).update(progress=percent)
                return
            quote = self.side.ops.quote_name
            with self.side.cursor() as cursor:
                if not self.prepared and self.side.vendor == "postgresql":
                    cursor.execute("SET lock_timeout = '2s'")
                    self.prepared = True
                cursor.execute(
                    f"UPDATE {quote(TaskRun._meta.db_table)} SET {quote('progress')} = %s "  # noqa: S608
                    f"WHERE {quote('id')} = %s AND {quote('progress')} < %s",
                    [percent, self.run_id, percent],
                )
        except DatabaseError:
            logger.warning("Could not store the progress of task run %s", self.run_id, exc_info=True)
            self.close()

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


def _refusal(run: TaskRun, message: str) -> dict:
    return {
        "dry_run": bool(run.params.get("dry_run")),
        "written": False,
        "refused": message,
        "sheets": {},
        "errors": [],
    }


def workbook_import_run(*, task_run_id: int) -> TaskRun:
    """Run a queued workbook import; a finished run is left as it is (safe to redeliver).

    Side effects: the import's own (all-or-nothing) writes; the TaskRun's status, progress
    (while rows are read) and result. A refused file (xlsx.WorkbookError) fails the run with
    its message as the result; other exceptions fail it and are raised again.
    """
    from .workbook import import_workbook
    from .xlsx import WorkbookError

    run = TaskRun.objects.select_related("created_by").get(pk=task_run_id)
    if run.status in (TaskStatus.SUCCEEDED, TaskStatus.FAILED):
        return run
    task_run_start(run)
    writer = _ProgressWriter(run.pk)
    try:
        with translation.override(run.params.get("language")), run.input_file.open("rb") as handle:
            result = import_workbook(
                handle,
                user=run.created_by,
                dry_run=run.params.get("dry_run", False),
                source=AuditSource.IMPORT,
                progress=ProgressReporter(writer),
            )
    except WorkbookError as exc:
        # The person's file was refused (too big, not a workbook, zip bomb, XML entities, a damaged
        # sheet): their mistake, not the job's, so it is the run's result and the task does not crash.
        # The refused file is not kept (it can never be committed).
        if run.input_file:
            run.input_file.delete(save=False)
            TaskRun.objects.filter(pk=run.pk).update(input_file="")
        return task_run_finish(run, status=TaskStatus.FAILED, result=_refusal(run, str(exc)), error=str(exc))
    except Exception as exc:
        task_run_fail(run, str(exc))
        raise
    finally:
        writer.close()
    return task_run_finish(
        run,
        status=TaskStatus.FAILED if result.errors else TaskStatus.SUCCEEDED,
        result=result.as_dict(),
        error="\n".join(str(e) for e in result.errors[:50]),
    )


def require(allowed: bool) -> None:
    """Refuse (403) what the user has no right to do, with the one message every app gives.

    Pages call it before reading a form and the API before validating a body, so someone without
    the right hears so rather than what their request lacked; services call it before any write.
    """
    if not allowed:
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


def task_run_start(run: TaskRun, progress: int = PROGRESS_START) -> None:
    """Mark a run as running (its row only: visible at once to the page polling it)."""
    TaskRun.objects.filter(pk=run.pk).update(status=TaskStatus.RUNNING, started_at=timezone.now(), progress=progress)


def task_run_fail(run: TaskRun, error: str) -> None:
    TaskRun.objects.filter(pk=run.pk).update(status=TaskStatus.FAILED, error=error[:2000], finished_at=timezone.now())


def task_runs_fail_stuck(*, now=None) -> int:
    """Fail the runs still waiting or running KCN_TASK_STUCK_AFTER_MINUTES after they were queued or started.

    No task may run that long (the hard time limit is 30 minutes, and a task waiting for the database to
    come back gives up after about 10), so such a run lost its task: its worker died past redelivery, or
    its last retry could not reach the database to record the failure. Failing it shows the user the
    job ended (the run's result is {"interrupted": true}, its error the message the task page shows), with
    "Thử lại" on the build and export pages. Returns how many runs were failed.
    """
    now = now or timezone.now()
    stuck = selectors.stuck_runs(now=now)
    failed = 0
    for run in stuck.only("pk", "params"):
        with translation.override(run.params.get("language") or "vi"):
            error = _(
                "Công việc bị gián đoạn (máy chủ hoặc cơ sở dữ liệu ngừng giữa chừng) và không hoàn thành "
                "sau %(minutes)d phút. Hãy chạy lại."
            ) % {"minutes": settings.KCN_TASK_STUCK_AFTER_MINUTES}
        # The status in the filter: a run that finished meanwhile is left as it is.
        failed += TaskRun.objects.filter(pk=run.pk, status__in=[TaskStatus.PENDING, TaskStatus.RUNNING]).update(
            status=TaskStatus.FAILED, error=error, finished_at=now, result={"interrupted": True}
        )
    if failed:
        logger.warning("Failed %d stuck task runs", failed)
    return failed


def task_run_finish(run: TaskRun, *, status: str, result: dict, error: str) -> TaskRun:
    """Store a run's result and final status, at 100 %."""
    run.refresh_from_db()
    run.result = result
    run.status = status
    run.error = error
    run.progress = 100
    run.finished_at = timezone.now()
    run.save(update_fields=["result", "status", "error", "progress", "finished_at"])
    return run
