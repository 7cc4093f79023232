"""Workbook imports as background jobs: a TaskRun, its Celery task, its result."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kcn_portal.core import services
from kcn_portal.core.models import AuditRecord, TaskRun
from tests.fixtures.workbooks import GOOD_BOARDS, ZONES_HEADER, build_workbook, good_workbook
from tests.reports.conftest import ledger  # noqa: F401 - the small ledger
from zones.models import Board, Zone


def _upload(path):
    return SimpleUploadedFile(path.name, path.read_bytes())


def test_import_job_runs_after_commit_and_stores_its_result(
    db, tmp_path, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = services.workbook_import_enqueue(
            user=admin_user, uploaded_file=_upload(good_workbook(tmp_path / "g.xlsx"))
        )
    run.refresh_from_db()
    assert (len(callbacks), run.status, run.progress) == (1, "succeeded", 100)
    assert run.result["sheets"] == {
        "boards": {"created": 2, "updated": 0, "unchanged": 0},
        "zones": {"created": 3, "updated": 0, "unchanged": 0},
    }
    assert sorted(Zone.objects.values_list("code", flat=True)) == ["HNA-DV1", "HNA-DV2", "TBH-PK"]
    assert set(AuditRecord.objects.values_list("source", "actor_name")) == {("import", "admin")}


def test_a_job_rolled_back_with_its_request_is_never_sent(db, tmp_path, admin_user, monkeypatch):
    from django.db import transaction

    from kcn_portal.core import tasks

    sent = []
    monkeypatch.setattr(tasks.run_workbook_import, "delay", lambda *args: sent.append(args))

    class RequestFailed(Exception):
        pass

    with pytest.raises(RequestFailed), transaction.atomic():
        services.workbook_import_enqueue(user=admin_user, uploaded_file=_upload(good_workbook(tmp_path / "g.xlsx")))
        raise RequestFailed  # the request fails after the upload was stored
    assert (sent, TaskRun.objects.count()) == ([], 0)


def test_failed_import_job_lists_errors_and_writes_nothing(
    db, tmp_path, admin_user, django_capture_on_commit_callbacks
):
    bad = build_workbook(
        tmp_path / "bad.xlsx",
        {"zones": [ZONES_HEADER, ("Z-1", "KCN X", "XYZ", "KCN", "operating", 10, 5, 1, None, None)]},
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = services.workbook_import_enqueue(user=admin_user, uploaded_file=_upload(bad))
    run.refresh_from_db()
    assert run.status == "failed"
    assert run.result["errors"] == [
        {"sheet": "zones", "row": 2, "column": "board_code", "message": "Không có Ban quản lý mã 'XYZ'."}
    ]
    assert (Zone.objects.count(), AuditRecord.objects.count()) == (0, 0)


def test_a_finished_job_is_not_redone(db, tmp_path, admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.workbook_import_enqueue(
            user=admin_user, uploaded_file=_upload(good_workbook(tmp_path / "g.xlsx"))
        )
    Board.objects.filter(code="HNA").update(name="đổi sau khi nhập")
    services.workbook_import_run(task_run_id=run.pk)  # a redelivered message
    assert Board.objects.get(code="HNA").name == "đổi sau khi nhập"
    assert AuditRecord.objects.count() == 5


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_imports_the_workbook(celery_worker_process, tmp_path, admin_user):
    run = services.workbook_import_enqueue(user=admin_user, uploaded_file=_upload(good_workbook(tmp_path / "g.xlsx")))
    deadline = time.monotonic() + 60
    while TaskRun.objects.get(pk=run.pk).status in ("pending", "running"):
        assert time.monotonic() < deadline, "the worker did not finish the import within 60 s"
        time.sleep(0.2)
    run.refresh_from_db()
    assert (run.status, run.progress, run.error) == ("succeeded", 100, "")
    assert list(Board.objects.order_by("code").values_list("code", flat=True)) == [row[0] for row in GOOD_BOARDS[1:]]
    assert Zone.objects.count() == 3
    assert AuditRecord.objects.filter(source="import", actor_name="admin").count() == 5


def test_a_job_reports_in_the_language_of_whoever_started_it(
    db, tmp_path, admin_user, django_capture_on_commit_callbacks
):
    from django.utils import translation

    bad = build_workbook(
        tmp_path / "bad.xlsx",
        {"zones": [ZONES_HEADER, ("Z-1", "KCN X", "XYZ", "KCN", "operating", 10, 5, 1, None, None)]},
    )
    with translation.override("en"), django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = services.workbook_import_enqueue(user=admin_user, uploaded_file=_upload(bad))
    callbacks[0]()  # the worker runs later, in whatever language is active there
    run.refresh_from_db()
    assert run.params["language"] == "en"
    assert run.result["errors"][0]["message"] == "No management board with code 'XYZ'."


@pytest.mark.usefixtures("ledger")
def test_jobs_left_waiting_or_running_past_the_limit_are_failed_and_offer_to_try_again(client, hna_staff):
    import datetime

    from django.utils import timezone

    from reports.services import builds

    now = timezone.now()
    hour_ago, minute_ago = now - datetime.timedelta(minutes=61), now - datetime.timedelta(minutes=59)
    lost = builds.report_build_enqueue(user=hna_staff, period="2019", scope="board:HNA", send=False)
    TaskRun.objects.filter(pk=lost.pk).update(status="running", started_at=hour_ago, progress=40)
    never_ran = TaskRun.objects.create(kind="report_build", params={"period": "2019", "language": "en"})
    TaskRun.objects.filter(pk=never_ran.pk).update(created_at=hour_ago)
    busy = TaskRun.objects.create(kind="report_build", status="running", started_at=minute_ago)
    done = TaskRun.objects.create(kind="report_build", status="succeeded", started_at=hour_ago, progress=100)

    assert services.task_runs_fail_stuck(now=now) == 2
    assert services.task_runs_fail_stuck(now=now) == 0  # already failed: nothing more
    statuses = dict(TaskRun.objects.values_list("pk", "status"))
    assert [statuses[r.pk] for r in (lost, never_ran, busy, done)] == ["failed", "failed", "running", "succeeded"]
    lost.refresh_from_db()
    assert (lost.finished_at, lost.progress, lost.result) == (now, 40, {"interrupted": True})
    assert lost.error == (
        "Công việc bị gián đoạn (máy chủ hoặc cơ sở dữ liệu ngừng giữa chừng) và không hoàn thành sau 60 phút. "
        "Hãy chạy lại."
    )
    assert TaskRun.objects.get(pk=never_ran.pk).error == (
        "The job was interrupted (a server or the database stopped midway) and did not finish within 60 "
        "minutes. Please run it again."
    )
    client.force_login(hna_staff)
    html = client.get(f"/tasks/{lost.pk}/").content.decode()
    assert f"<span data-interrupted>{lost.error}</span>" in html
    assert 'action="/reports/board:HNA/2019/build/" class="mb-3" data-retry>' in html


def test_tasks_are_sent_again_when_the_database_goes_away():
    from django.db import InterfaceError, OperationalError

    from kcn_portal.celery import app

    app.loader.import_default_modules()  # every app's tasks.py, as a worker loads them (whatever ran before)
    names = [
        "core.run_workbook_import", "core.run_workbook_export", "core.fail_stuck_runs", "reports.build",
        "reports.rebuild_stale", "reports.nightly", "reports.export", "reports.send_reminders",
        "reports.expire_reopens",
    ]  # fmt: skip
    assert sorted(name for name in app.tasks if not name.startswith("celery.")) == sorted(names)
    for name in names:
        task = app.tasks[name]
        options = (task.autoretry_for, task.retry_backoff, task.retry_backoff_max, task.retry_jitter)
        assert options == ((OperationalError, InterfaceError), 5, 60, False), name
        assert (task.max_retries, task.acks_late, task.reject_on_worker_lost) == (12, True, True), name
