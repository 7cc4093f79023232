"""Every job beat schedules is idempotent (issue 19, one beat): run twice in a row, the second run changes
no row of the database and sends no mail — so a job a second beat or a redelivery repeats does no harm."""

import datetime

import pytest
from django.apps import apps
from django.core import mail
from django.utils import timezone

import kcn_portal.core.tasks  # noqa: F401 (registers the core tasks)
import reports.tasks  # noqa: F401 (registers the reports tasks)
from kcn_portal import periods
from kcn_portal.core.enums import TaskStatus
from kcn_portal.core.models import TaskRun
from kcn_portal.settings import base
from reports.models import ReopenRequest
from reports.services import approval as approval_services
from reports.services import builds, staleness

TASKS = {entry["task"] for entry in base.CELERY_BEAT_SCHEDULE.values()}


def database():
    """Every row of every model of the portal (TaskRun apart: `reports.nightly` queues new build jobs, each
    of which then finds nothing to change), as plain values."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in {"core", "zones", "investment", "reports", "emulation"} and model is not TaskRun:
            rows[model._meta.label] = sorted(map(repr, model.objects.values_list()))
    return rows


@pytest.fixture
def due_work(ledger, hna, hna_leader, hna_staff, settings):
    """Something for each job: reports built then made stale, an expired reopening, a stuck job, a reminder."""
    settings.KCN_REPORT_DEADLINE_DAYS = {"Q": 15, "H": 15, "Y": 20}
    settings.KCN_REMINDER_REPEAT_DAYS = 1  # a reminder every day after a missed deadline: one is due today
    hna_leader.email = "lead@hna.example"
    hna_leader.save()
    builds.report_build(period=periods.parse("2019"))
    staleness.reports_mark_stale(changes={hna.pk: datetime.date(2019, 1, 1)})
    approval = approval_services.period_approve(user=hna_leader, board=hna, period="2019-Q3")
    request = approval_services.reopen_request(user=hna_staff, approval=approval, reason="Bổ sung")
    approval_services.reopen_grant(user=hna_leader, request=request, days=1)
    ReopenRequest.objects.filter(pk=request.pk).update(open_until=timezone.now() - datetime.timedelta(minutes=1))
    TaskRun.objects.create(kind="reports_build", status=TaskStatus.RUNNING, params={},
                           started_at=timezone.now() - datetime.timedelta(hours=3))  # fmt: skip


@pytest.mark.parametrize("name", sorted(TASKS))
def test_each_scheduled_job_run_twice_changes_nothing_the_second_time(due_work, name):
    from kcn_portal.celery import app

    task = app.tasks[name]

    def jobs():
        return sorted(TaskRun.objects.values_list("pk", "status"))

    untouched = (database(), jobs(), len(mail.outbox))
    task.apply()
    assert (database(), jobs(), len(mail.outbox)) != untouched  # the first run had work to do
    before, mails = database(), len(mail.outbox)
    task.apply()
    assert (database(), len(mail.outbox)) == (before, mails)


def test_the_schedule_is_the_five_jobs_known_to_be_idempotent():
    assert {
        "reports.nightly", "reports.rebuild_stale", "reports.send_reminders", "reports.expire_reopens",
        "core.fail_stuck_runs",
    } == TASKS  # fmt: skip
