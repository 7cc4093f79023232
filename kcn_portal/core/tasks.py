"""Celery tasks of the core app: thin wrappers that load ids and call one service.

RELIABLE holds the options every long or scheduled task of the portal shares:
- acks_late + reject_on_worker_lost: a worker killed mid-task leaves the message on the broker, so the
  task is delivered again (every task is idempotent);
- autoretry_for the database errors a lost connection raises (PostgreSQL restarted, a failover, the
  network): the task is sent again after 5, 10, 20, 40, then every 60 s, up to KCN_TASK_DB_RETRIES times
  (about 10 minutes with the default 12), and picks up its TaskRun where the outage left it. A run whose
  task gave up while the database was still away is failed later by `core.fail_stuck_runs` (beat), so no
  job stays "running" for ever and the user can start it again.
"""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import exports, services

RELIABLE = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "ignore_result": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 60,
    "retry_jitter": False,
    "max_retries": settings.KCN_TASK_DB_RETRIES,
}


@shared_task(name="core.run_workbook_import", soft_time_limit=20 * 60, time_limit=25 * 60, **RELIABLE)
def run_workbook_import(task_run_id: int) -> None:
    """Import the workbook stored on a TaskRun. Idempotent: a finished run is not redone."""
    services.workbook_import_run(task_run_id=task_run_id)


@shared_task(name="core.run_workbook_export", soft_time_limit=20 * 60, time_limit=25 * 60, **RELIABLE)
def run_workbook_export(task_run_id: int) -> None:
    """Write the data-exchange workbook a TaskRun asks for. Idempotent: a finished run is not redone."""
    exports.workbook_export_run(task_run_id=task_run_id)


@shared_task(name="core.fail_stuck_runs", soft_time_limit=5 * 60, time_limit=10 * 60, **RELIABLE)
def fail_stuck_runs() -> None:
    """Fail the jobs left running or waiting far longer than any task may take (beat, every 10 minutes)."""
    services.task_runs_fail_stuck()
