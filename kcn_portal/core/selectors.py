"""Reads of the core app's own rows: the long jobs a user started."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .enums import TaskStatus
from .models import TaskRun


def task_run_get(*, user, pk: int) -> TaskRun:
    """A task run its creator (or an administrator) may see; 404 for anybody else."""
    runs = TaskRun.objects.select_related("created_by")
    if not user.is_superuser:
        runs = runs.filter(created_by=user)
    return get_object_or_404(runs, pk=pk)


def recent_runs(*, user, kind: str, limit: int = 10) -> QuerySet[TaskRun]:
    """The user's own latest runs of one kind, newest first."""
    return TaskRun.objects.filter(created_by=user, kind=kind)[:limit]


def stuck_runs(*, now=None) -> QuerySet[TaskRun]:
    """Runs still running KCN_TASK_STUCK_AFTER_MINUTES after they started, or still waiting that long after they
    were queued: no task may take that long, so their task was lost (services.task_runs_fail_stuck fails them)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.KCN_TASK_STUCK_AFTER_MINUTES)
    return TaskRun.objects.filter(
        Q(status=TaskStatus.RUNNING, started_at__lt=cutoff) | Q(status=TaskStatus.PENDING, created_at__lt=cutoff)
    ).order_by("pk")


def failed_runs(*, limit: int = 50) -> QuerySet[TaskRun]:
    """The latest failed runs, newest first (the administrators' status page)."""
    return TaskRun.objects.filter(status=TaskStatus.FAILED).select_related("created_by").order_by("-pk")[:limit]
