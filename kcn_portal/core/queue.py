"""Sending a Celery task from a service: by the task's name, once the transaction commits.

A task module is an entry point, like a view: it imports the services it calls. A service that starts a
job therefore names the task instead of importing it (as a view names a URL), so services and tasks never
import each other. The task is looked up in the Celery app's registry when the transaction commits, and
`.delay()` keeps its own behaviour (eager in-process without a broker, sent to the broker otherwise).
"""

from __future__ import annotations

from celery import current_app
from django.db import transaction


def send_on_commit(task_name: str, *args) -> None:
    """Send the task registered as `task_name` with `args` after the current transaction commits (never
    when it rolls back)."""
    transaction.on_commit(lambda: current_app.tasks[task_name].delay(*args))
