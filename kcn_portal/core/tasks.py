"""Celery tasks of the core app: thin wrappers that load ids and call one service."""

from celery import shared_task

from . import services


@shared_task(
    name="core.run_workbook_import",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=20 * 60,
    time_limit=25 * 60,
    ignore_result=True,
)
def run_workbook_import(task_run_id: int) -> None:
    """Import the workbook stored on a TaskRun. Idempotent: a finished run is not redone."""
    services.workbook_import_run(task_run_id=task_run_id)
