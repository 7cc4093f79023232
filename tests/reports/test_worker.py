"""A real Celery worker killed in the middle of a build: nothing half-written, and rebuilding (or the
redelivered task) gives the same snapshots as a clean run, one version each (DOMAIN.md §7, issue 4).

The worker is held inside its build transaction by a row lock the test takes on the national
report's state, so it is killed at a known point: after storing the boards' and the bloc's
snapshots in its open transaction, before committing.
"""

import time

import psycopg2
import pytest
from django.db import connection, transaction

from kcn_portal.core.models import TaskRun
from kcn_portal.periods import parse
from reports import services, tasks
from reports.models import ReportSnapshot, ReportState
from tests.celery_worker import require_worker_setup, start_worker, stop_worker


def wait_for(condition, what, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def stored():
    return sorted(ReportSnapshot.objects.values_list("scope", "version", "indicators", "member_values"))


def clean_run():
    """The snapshots a build makes on a quiet database (computed in a transaction rolled back)."""
    with transaction.atomic():
        services.report_build(period=parse("2019"))
        result = stored()
        transaction.set_rollback(True)
    return result


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_build_leaves_nothing_and_a_rebuild_matches_a_clean_run(ledger):
    from kcn_portal.celery import app

    require_worker_setup()
    app.control.purge()
    expected = clean_run()
    ReportState.objects.create(scope="national", period="2019", start=parse("2019").start, end=parse("2019").end)
    settings = connection.settings_dict
    locker = psycopg2.connect(
        dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"] or None,
        host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
    )  # fmt: skip
    cursor = locker.cursor()
    cursor.execute("SELECT id FROM reports_reportstate WHERE scope = 'national' FOR UPDATE")
    worker = start_worker()
    try:
        run = services.report_build_enqueue(user=None, period="2019")
        wait_for(lambda: _waiting_for_lock(), "the worker to block on the national report's lock")
        worker.kill()  # SIGKILL: no cleanup, the open transaction dies with the connection
        worker.wait()
        locker.rollback()
        wait_for(lambda: not _waiting_for_lock(), "the killed worker's transaction to end")
        assert ReportSnapshot.objects.count() == 0
        assert TaskRun.objects.get(pk=run.pk).status == "running"  # the broker still holds it, unacknowledged
        worker = start_worker()
        rebuild = services.report_build_enqueue(user=None, period="2019")
        wait_for(lambda: TaskRun.objects.get(pk=rebuild.pk).status == "succeeded", "the rebuild")
        assert stored() == expected
        tasks.build_reports.delay(run.pk)  # the killed run, as the broker redelivers it
        wait_for(lambda: TaskRun.objects.get(pk=run.pk).status == "succeeded", "the redelivered build")
        assert stored() == expected  # still one version per scope: the same numbers make none
        assert [r["new_version"] for r in TaskRun.objects.get(pk=run.pk).result["reports"]] == [False] * 4
    finally:
        locker.close()
        stop_worker(worker)


def _waiting_for_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l LEFT JOIN pg_class c ON c.oid = l.relation "
            "WHERE NOT l.granted OR (c.relname = 'reports_reportsnapshot' AND l.pid <> pg_backend_pid())"
        )
        return cursor.fetchone()[0] > 0
