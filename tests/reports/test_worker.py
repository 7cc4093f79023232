"""A real Celery worker killed in the middle of a build: nothing half-written, and rebuilding (or the
redelivered task) gives the same snapshots as a clean run, one version each (DOMAIN.md §7, issue 4).

The worker is held inside its build transaction by a row lock the test takes on the national
report's state, so it is killed at a known point: after storing the boards' and the bloc's
snapshots in its open transaction, before committing. The broker then redelivers the task.
"""

import os
import signal
import time
from pathlib import Path

import psycopg2
import pytest
from django.db import connection, transaction

from kcn_portal.core.models import TaskRun
from kcn_portal.periods import parse
from reports.models import ReportSnapshot, ReportState
from reports.services import builds
from tests.celery_worker import database_url


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
        builds.report_build(period=parse("2019"))
        result = stored()
        transaction.set_rollback(True)
    return result


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_build_leaves_nothing_and_a_rebuild_matches_a_clean_run(ledger, celery_worker_process):
    # The session's worker (the only one on the test queue): its pool process runs the build.
    expected = clean_run()
    ReportState.objects.create(scope="national", period="2019", start=parse("2019").start, end=parse("2019").end)
    locker = psycopg2.connect(database_url())
    cursor = locker.cursor()
    cursor.execute("SELECT id FROM reports_reportstate WHERE scope = 'national' FOR UPDATE")
    try:
        run = builds.report_build_enqueue(user=None, period="2019")
        wait_for(lambda: _waiting_for_lock() == 1, "the worker to block on the national report's lock")
        # SIGKILL the pool process running the task: no cleanup; its open transaction dies with it,
        # and the worker requeues the task (acks_late + reject_on_worker_lost) to a new pool process.
        for child in _children(celery_worker_process.pid):
            os.kill(child, signal.SIGKILL)
        wait_for(lambda: _waiting_for_lock() == 2, "the redelivered build to block on the same lock")
        assert ReportSnapshot.objects.count() == 0  # neither transaction has committed anything
        locker.rollback()
        wait_for(lambda: TaskRun.objects.get(pk=run.pk).status == "succeeded", "the redelivered build")
        assert stored() == expected  # one version per scope, the numbers of a clean run
        rebuild = builds.report_build_enqueue(user=None, period="2019")
        wait_for(lambda: TaskRun.objects.get(pk=rebuild.pk).status == "succeeded", "the rebuild")
        assert stored() == expected
        assert [r["new_version"] for r in TaskRun.objects.get(pk=rebuild.pk).result["reports"]] == [False] * 4
    finally:
        locker.close()


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _waiting_for_lock() -> int:
    """How many database sessions wait for a lock (the worker's, blocked by the test's row lock)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(DISTINCT pid) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0]
