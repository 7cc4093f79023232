"""The data-exchange workbook (DOMAIN.md §6) downloaded from the browser: a board's export and the blank template.

A board's export takes seconds (HNA: ~2,000 licence rows and ~13,600 quarterly reports), so it runs as
a background job like the report exports (reports.downloads): a TaskRun of kind "workbook_export"
records who asked for which boards, the Celery task writes the file with the same exporter as
`manage.py export_workbook` (scoped to the person who asked) into the run's `output_file`, and the
task page offers it for download. The blank template is small and written in the request.
"""

from __future__ import annotations

import os
import tempfile

from django.core.files import File
from django.db import transaction
from django.utils import translation

from .enums import TaskStatus
from .models import TaskRun
from .queue import send_on_commit
from .services import PROGRESS_END, PROGRESS_START, task_run_fail, task_run_finish, task_run_start

WORKBOOK_EXPORT = "workbook_export"
ALL_BOARDS = "*"


@transaction.atomic
def workbook_export_enqueue(*, user, boards: list[str] | None) -> TaskRun:
    """A TaskRun exporting the given boards' workbook (their codes; None: every board's, for the ministry).

    The page decides which boards the person may ask for (web.views.export_boards: another board's export
    does not even exist for them); the exporter writes only what they read. The task is sent once the
    request commits.
    """
    run = TaskRun.objects.create(
        kind=WORKBOOK_EXPORT,
        created_by=user if getattr(user, "pk", None) else None,
        params={"boards": boards, "language": translation.get_language()},
    )
    send_on_commit("core.run_workbook_export", run.pk)  # kcn_portal.core.tasks.run_workbook_export
    return run


def file_name(run: TaskRun) -> str:
    codes = run.params.get("boards")
    return f"du-lieu-{'-'.join(codes).lower() if codes else 'ca-nuoc'}.xlsx"


def workbook_export_run(*, task_run_id: int) -> TaskRun:
    """Write the workbook a run asks for; a finished run is left as it is (safe to redeliver).

    Side effects: the run's status, progress (sheet by sheet), `output_file` and result (rows per sheet).
    """
    from .workbook import export_workbook

    run = TaskRun.objects.select_related("created_by").get(pk=task_run_id)
    if run.status in (TaskStatus.SUCCEEDED, TaskStatus.FAILED):
        return run
    task_run_start(run)

    def progress(done: int, total: int) -> None:
        percent = PROGRESS_START + (PROGRESS_END - PROGRESS_START) * done // max(total, 1)
        TaskRun.objects.filter(pk=run.pk).update(progress=percent)

    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        with translation.override(run.params.get("language")):
            counts = export_workbook(path, user=run.created_by, boards=run.params.get("boards"), progress=progress)
        with open(path, "rb") as stream:
            run.output_file.save(file_name(run), File(stream), save=False)
        TaskRun.objects.filter(pk=run.pk).update(output_file=run.output_file.name)
    except Exception as exc:
        task_run_fail(run, str(exc))
        raise
    finally:
        os.unlink(path)
    return task_run_finish(run, status=TaskStatus.SUCCEEDED, result={"sheets": counts}, error="")
