"""Liveness, readiness and the administrators' status page (django-health-check's checks).

- `/healthz`: the process answers (no database, no broker) — for the proxy and systemd's watchdog.
- `/readyz`: the portal can serve: the database answers, no migration is left unapplied, the file store is
  writable (save and delete a file), and — with a broker configured — the broker answers and at least one
  Celery worker answers a ping and consumes the portal's queue. Plain text, one line per check, 200 when
  all pass, 503 otherwise; the messages carry no secret (django-health-check's own rule).
- `/admin/status/`: the same checks for administrators, with the jobs that failed or are stuck and their error.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.views.generic import TemplateView
from health_check.base import HealthCheck
from health_check.checks import Database, Storage
from health_check.exceptions import ServiceUnavailable

from kcn_portal.core import selectors as core_selectors


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration of the code is applied to the database."""

    def run(self):
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        connection.close()  # this ran in a worker thread: its connection is not the request's
        if plan:
            raise ServiceUnavailable(f"{len(plan)} migration(s) not applied")


@dataclasses.dataclass
class Workers(HealthCheck):
    """With a broker: at least one Celery worker answers a ping and consumes the portal's queue."""

    timeout: datetime.timedelta = dataclasses.field(default=datetime.timedelta(seconds=2), repr=False)

    def run(self):
        from kcn_portal.celery import app

        queue = app.conf.task_default_queue
        try:
            answers = app.control.ping(timeout=self.timeout.total_seconds())
            workers = [name for answer in answers for name in answer]
            consumed = (
                app.control.inspect(workers, timeout=self.timeout.total_seconds()).active_queues() if workers else {}
            )
        except OSError as exc:
            raise ServiceUnavailable("broker unreachable") from exc
        if not any(item.get("name") == queue for queues in (consumed or {}).values() for item in queues):
            raise ServiceUnavailable(f"no Celery worker answers on the queue {queue}")


def checks() -> list[HealthCheck]:
    found = [Database(), Migrations(), Storage()]
    if settings.CELERY_BROKER_URL:
        found.append(Workers())
    return found


def _name(check: HealthCheck) -> str:
    return type(check).__name__


async def _gather(found):
    return await asyncio.gather(*(check.get_result() for check in found))


def results() -> list[tuple[str, str | None]]:
    """(check name, error or None) for every check, run concurrently."""
    return [
        (_name(result.check), str(result.error) if result.error else None) for result in asyncio.run(_gather(checks()))
    ]


def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


def readyz(request):
    found = results()
    lines = [f"{name}: {error or 'OK'}" for name, error in found]
    if not settings.CELERY_BROKER_URL:
        lines.append("Workers: OK (no broker: tasks run in-process)")
    failed = any(error for _name, error in found)
    response = HttpResponse(
        "\n".join(lines) + "\n", status=503 if failed else 200, content_type="text/plain; charset=utf-8"
    )
    response["Cache-Control"] = "no-store"
    return response


class StatusView(LoginRequiredMixin, UserPassesTestMixin, TemplateView):
    """The administrators' status page: the readiness checks and the jobs that failed or are stuck."""

    template_name = "web/status.html"

    def test_func(self):
        return self.request.user.is_superuser

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied  # signed in without the right: 403 (anonymous users go to the login page)
        return super().handle_no_permission()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            checks=results(),
            eager=not settings.CELERY_BROKER_URL,
            failed_runs=core_selectors.failed_runs(),
            stuck_runs=core_selectors.stuck_runs()[:50],
            **kwargs,
        )
