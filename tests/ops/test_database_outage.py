"""PostgreSQL stopped for 30 seconds while a real Celery worker builds the reports (issue 6, faults).

The worker is held inside its build transaction by a row lock the test takes on the national report's
state (as in tests/reports/test_worker.py), then the database server itself is stopped — the cluster
serving the test database, found by its port in `pg_lsclusters` — and started again 30 seconds later.
The task loses its connection, is sent again with back-off (kcn_portal.core.tasks.RELIABLE) while the
server is down, and finishes once it is back: the snapshots equal a clean run's, one version each, the
job ends "succeeded" and nothing is left running.

It stops a real server, so it runs only when KCN_FAULT_STOP_POSTGRES=1 (.ci/run sets it for its Celery
step, where nothing else uses the server); otherwise it says so and is skipped — or fails, when
KCN_REQUIRE_CELERY_WORKER=1 asks for every worker test.
"""

import os
import subprocess
import time

import psycopg2
import pytest
from django.db import connection

from kcn_portal.core.models import TaskRun
from kcn_portal.periods import parse
from reports.models import ReportState
from reports.services import builds
from tests.celery_worker import database_url
from tests.reports.conftest import ledger  # noqa: F401 - the small ledger
from tests.reports.test_worker import _waiting_for_lock, clean_run, stored, wait_for

OUTAGE_SECONDS = 30
YEAR = parse("2019")


def cluster_of_port(port: int) -> tuple[str, str]:
    """(version, name) of the local PostgreSQL cluster listening on `port` (Debian's pg_lsclusters)."""
    listing = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True).stdout
    for line in listing.splitlines():
        version, name, cluster_port, *_rest = line.split()
        if int(cluster_port) == port:
            return version, name
    raise AssertionError(f"no local cluster on port {port}:\n{listing}")


def pg_ctl(cluster: tuple[str, str], action: str) -> None:
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster, action]
    if action == "stop":
        command += ["-m", "fast"]  # ends every session, as a crash or a failover would
    subprocess.run(command, check=True, capture_output=True, timeout=60)


def server_up() -> bool:
    try:
        psycopg2.connect(database_url(), connect_timeout=2).close()
    except psycopg2.OperationalError:
        return False
    return True


@pytest.fixture
def stoppable_cluster():
    if connection.vendor != "postgresql":
        pytest.skip("stopping the database server needs PostgreSQL; .ci/run runs this on PostgreSQL")
    if os.environ.get("KCN_FAULT_STOP_POSTGRES") != "1":
        if os.environ.get("KCN_REQUIRE_CELERY_WORKER") == "1":
            pytest.fail("the worker tests are required: set KCN_FAULT_STOP_POSTGRES=1 too (.ci/run does)")
        pytest.skip("stops the PostgreSQL server for 30 s: set KCN_FAULT_STOP_POSTGRES=1 (.ci/run does)")
    cluster = cluster_of_port(int(connection.settings_dict["PORT"] or 5432))
    yield cluster
    # Whatever happened, the server is left running for the rest of the session.
    if not server_up():
        pg_ctl(cluster, "start")
    wait_for(server_up, "PostgreSQL to accept connections again")
    connection.close()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("ledger")
def test_postgresql_stopped_for_30_seconds_mid_build_ends_in_a_clean_result(celery_worker_process, stoppable_cluster):
    expected = clean_run()
    state = ReportState.objects.create(scope="national", period="2019", start=YEAR.start, end=YEAR.end)
    locker = psycopg2.connect(database_url())
    locker.cursor().execute("SELECT id FROM reports_reportstate WHERE id = %s FOR UPDATE", [state.pk])
    run = builds.report_build_enqueue(user=None, period="2019")
    wait_for(lambda: _waiting_for_lock() == 1, "the worker to block inside its build transaction")
    assert TaskRun.objects.get(pk=run.pk).status == "running"
    connection.close()

    pg_ctl(stoppable_cluster, "stop")  # the locker's and the worker's sessions end here
    stopped_at = time.monotonic()
    assert not server_up()
    time.sleep(OUTAGE_SECONDS)
    assert not server_up()  # nothing started it behind the test's back
    pg_ctl(stoppable_cluster, "start")
    wait_for(server_up, "PostgreSQL to start again")
    downtime = time.monotonic() - stopped_at
    assert downtime >= OUTAGE_SECONDS

    # The task, sent again by its retries, finds the server back and finishes the same run.
    wait_for(lambda: TaskRun.objects.get(pk=run.pk).status == "succeeded", "the build after the outage", timeout=120)
    finished = TaskRun.objects.get(pk=run.pk)
    assert finished.progress == 100
    assert finished.error == ""
    assert [(r["scope"], r["version"], r["new_version"]) for r in finished.result["reports"]] == [
        ("board:HNA", 1, True), ("board:TBH", 1, True), ("bloc:DBSH", 1, True), ("national", 1, True),
    ]  # fmt: skip
    assert stored() == expected  # one version per scope, the numbers of a clean run
    assert TaskRun.objects.exclude(status="succeeded").count() == 0  # no job left waiting or running

    # The worker itself survived: a second build goes through at once, and changes nothing.
    again = builds.report_build_enqueue(user=None, period="2019")
    wait_for(lambda: TaskRun.objects.get(pk=again.pk).status == "succeeded", "a build after the outage")
    assert [r["new_version"] for r in TaskRun.objects.get(pk=again.pk).result["reports"]] == [False] * 4
    assert stored() == expected
