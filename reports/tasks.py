"""Celery tasks of the reports app: thin wrappers that take ids or nothing and call one service.

All are idempotent: a build makes a new snapshot version only when a number changed, so a task
redelivered after a worker died, or sent again after the database went away (kcn_portal.core.tasks.RELIABLE),
leaves the same snapshots.
"""

from celery import shared_task

from kcn_portal.core.tasks import RELIABLE as _RELIABLE

from .services import approval, builds, deadlines, downloads, staleness


@shared_task(name="reports.build", soft_time_limit=25 * 60, time_limit=30 * 60, **_RELIABLE)
def build_reports(task_run_id: int) -> None:
    """Build the reports a TaskRun asks for (one period; one scope or every scope)."""
    builds.report_build_run(task_run_id=task_run_id)


@shared_task(name="reports.rebuild_stale", soft_time_limit=25 * 60, time_limit=30 * 60, **_RELIABLE)
def rebuild_stale_reports() -> None:
    """Rebuild every report marked stale by a change of the records it was built from."""
    staleness.reports_rebuild_stale()


@shared_task(name="reports.nightly", soft_time_limit=5 * 60, time_limit=10 * 60, **_RELIABLE)
def nightly_build() -> None:
    """Enqueue the builds of the current and previous periods (scheduled by beat)."""
    builds.reports_nightly()


@shared_task(name="reports.export", soft_time_limit=25 * 60, time_limit=30 * 60, **_RELIABLE)
def export_report(task_run_id: int) -> None:
    """Write the Excel summary a TaskRun asks for (idempotent: a succeeded export is not redone)."""
    downloads.report_export_run(task_run_id=task_run_id)


@shared_task(name="reports.send_reminders", soft_time_limit=10 * 60, time_limit=15 * 60, **_RELIABLE)
def send_reminders() -> None:
    """E-mail the board leaders about the reporting deadlines (scheduled by beat every morning).

    Idempotent: ReminderLog records each reminder of the day, so a redelivered task sends nothing twice.
    """
    deadlines.reminders_send()


@shared_task(name="reports.expire_reopens", soft_time_limit=5 * 60, time_limit=10 * 60, **_RELIABLE)
def expire_reopens() -> None:
    """Record the reopened periods whose time ran out and re-pin their approvals (beat, every 10 minutes).

    The periods are locked again the moment their time runs out (reports.locks); this records it and
    rebuilds the approved reports. Idempotent: an expiry already recorded is not recorded again.
    """
    approval.reopens_expire()
