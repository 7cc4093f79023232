"""A real Celery worker, as a subprocess, on the broker of CELERY_BROKER_URL.

The worker shares the PostgreSQL test database (tests using it need `transactional_db`
so that what they write is committed and visible to the worker). Without a broker or on
SQLite the tests are skipped with the reason; with KCN_REQUIRE_CELERY_WORKER=1 (set by
.ci/run) the same condition fails the run instead, so CI can never pass vacuously.
"""

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def _unavailable(reason: str):
    if os.environ.get("KCN_REQUIRE_CELERY_WORKER") == "1":
        pytest.fail(f"Celery worker tests required but cannot run: {reason}")
    pytest.skip(f"Celery worker tests need PostgreSQL and a broker ({reason}); .ci/run runs them")


def database_url(name: str | None = None) -> str:
    """The test database's PostgreSQL URL (or another database's on the same server), for psycopg2 and subprocesses."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name or db['NAME']}"


def start_worker(name: str | None = None) -> subprocess.Popen:
    """Start a worker on the test queue and wait until it answers a ping; fails the test if it cannot."""
    from kcn_portal.celery import app

    name = name or f"kcn-test-{uuid.uuid4().hex[:8]}@%h"
    log = tempfile.NamedTemporaryFile(prefix="kcn-celery-worker-", suffix=".log", delete=False)  # noqa: SIM115
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "kcn_portal.settings.test",
        "KCN_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kcn_portal",
            "worker",
            "--loglevel=INFO",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            settings.CELERY_TASK_DEFAULT_QUEUE,
            "-n",
            name,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    proc.log_path = log.name
    deadline = time.monotonic() + 60
    hostname = name.replace("%h", os.uname().nodename)
    while not app.control.ping(destination=[hostname], timeout=1.0):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"Celery worker did not start; log: {Path(log.name).read_text()[-3000:]}")
    return proc


def stop_worker(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def require_worker_setup() -> None:
    """Skip (or, in CI, fail) unless a broker and a shared PostgreSQL database are there."""
    from kcn_portal.celery import app

    if not settings.CELERY_BROKER_URL:
        _unavailable("CELERY_BROKER_URL is not set")
    if connection.vendor != "postgresql":
        _unavailable(f"the database is {connection.vendor}, the worker needs a shared PostgreSQL")
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=2)
    except Exception as exc:
        _unavailable(f"broker unreachable: {exc}")


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """Start one worker for the session on a private queue; stop it before the test database is dropped."""
    from kcn_portal.celery import app

    require_worker_setup()
    app.control.purge()
    proc = start_worker()
    yield proc
    stop_worker(proc)
