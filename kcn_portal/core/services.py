"""Writes for long jobs: create a TaskRun, enqueue its task after commit, record progress and result."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation

from .enums import AuditSource, TaskStatus
from .models import TaskRun

WORKBOOK_IMPORT = "workbook_import"


@transaction.atomic
def workbook_import_enqueue(*, user, uploaded_file, dry_run: bool = False) -> TaskRun:
    """Store an uploaded workbook as a TaskRun and run the import in Celery once the upload is committed.

    Side effects: a TaskRun row and the file under MEDIA_ROOT; the task is sent only on commit,
    so a rolled-back request never starts a job.
    """
    from .tasks import run_workbook_import

    run = TaskRun.objects.create(
        kind=WORKBOOK_IMPORT,
        created_by=user if getattr(user, "pk", None) else None,
        # The job reports its errors in the language of the person who started it.
        params={"dry_run": dry_run, "language": translation.get_language()},
    )
    run.input_file.save(uploaded_file.name.rsplit("/", 1)[-1], uploaded_file, save=True)
    transaction.on_commit(lambda: run_workbook_import.delay(run.pk))
    return run


def workbook_import_run(*, task_run_id: int) -> TaskRun:
    """Run a queued workbook import; a finished run is left as it is (safe to redeliver).

    Side effects: the import's own (all-or-nothing) writes; the TaskRun's status, progress and result.
    """
    from .workbook import import_workbook

    run = TaskRun.objects.select_related("created_by").get(pk=task_run_id)
    if run.status in (TaskStatus.SUCCEEDED, TaskStatus.FAILED):
        return run
    TaskRun.objects.filter(pk=run.pk).update(status=TaskStatus.RUNNING, started_at=timezone.now(), progress=5)
    try:
        with translation.override(run.params.get("language")), run.input_file.open("rb") as handle:
            result = import_workbook(
                handle, user=run.created_by, dry_run=run.params.get("dry_run", False), source=AuditSource.IMPORT
            )
    except Exception as exc:
        TaskRun.objects.filter(pk=run.pk).update(
            status=TaskStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    run.refresh_from_db()
    run.result = result.as_dict()
    run.status = TaskStatus.FAILED if result.errors else TaskStatus.SUCCEEDED
    run.error = "\n".join(str(e) for e in result.errors[:50])
    run.progress = 100
    run.finished_at = timezone.now()
    run.save(update_fields=["result", "status", "error", "progress", "finished_at"])
    return run
