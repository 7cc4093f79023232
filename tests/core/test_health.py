"""Liveness, readiness and the administrators' status page (issue 19, health and alerts)."""

import datetime
import re
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from kcn_portal.core.enums import TaskStatus
from kcn_portal.core.models import TaskRun


def test_healthz_answers_anyone_without_touching_anything():
    response = Client().get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")


def test_readyz_lists_each_check_and_passes(db):
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.content.decode().splitlines() == [
        "Database: OK",
        "Migrations: OK",
        "Storage: OK",
        "Workers: OK (no broker: tasks run in-process)",
    ]


def test_readyz_fails_with_503_when_a_migration_is_not_applied(db, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("zones", "0099"), ("x", "1")])
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert "Migrations: Unavailable: 2 migration(s) not applied" in response.content.decode().splitlines()


def test_the_status_page_is_the_administrators_with_failed_and_stuck_jobs(client, admin_user, hna_staff):
    failed = TaskRun.objects.create(kind="reports_build", status=TaskStatus.FAILED, params={}, error="Hết bộ nhớ")
    stuck = TaskRun.objects.create(kind="reports_export", status=TaskStatus.RUNNING, params={},
                                   started_at=timezone.now() - datetime.timedelta(hours=2))  # fmt: skip
    assert client.get("/admin/status/")["Location"] == "/login/?next=/admin/status/"
    client.force_login(hna_staff)
    assert client.get("/admin/status/").status_code == 403
    client.force_login(admin_user)
    html = client.get("/admin/status/").content.decode()
    checks = dict(re.findall(r'data-check="(\w+)" class="table-(\w+)"', html))
    assert checks == {"Database": "success", "Migrations": "success", "Storage": "success", "Workers": "success"}
    assert re.findall(r'data-run="(\d+)"', html.split('data-runs="failed"')[0]) == [str(stuck.pk)]
    assert re.findall(r'data-run="(\d+)"', html.split('data-runs="failed"')[1]) == [str(failed.pk)]
    assert "Hết bộ nhớ" in html


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_readyz_fails_while_no_worker_answers_and_passes_once_one_does(settings):
    from kcn_portal.celery import app
    from tests.celery_worker import require_worker_setup, start_worker, stop_worker

    require_worker_setup()
    queue = f"kcn-readyz-{uuid.uuid4().hex[:8]}"  # a queue no other test's worker consumes
    settings.CELERY_TASK_DEFAULT_QUEUE, default = queue, app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        down = Client().get("/readyz")
        assert (down.status_code, down.content.decode().splitlines()[-1]) == (
            503, f"Workers: Unavailable: no Celery worker answers on the queue {queue}")  # fmt: skip
        worker = start_worker()  # consumes settings.CELERY_TASK_DEFAULT_QUEUE, answers a ping before it returns
        try:
            up = Client().get("/readyz")
            assert (up.status_code, up.content.decode().splitlines()[-1]) == (200, "Workers: OK")
        finally:
            stop_worker(worker)
    finally:
        app.conf.task_default_queue = default
