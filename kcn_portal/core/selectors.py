"""Reads of the core app's own rows: the long jobs a user started."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

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
