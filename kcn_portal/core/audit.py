"""Audit helpers: snapshot a model instance and record what changed between two snapshots."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import models

from .enums import AuditAction, AuditSource
from .models import AuditRecord


def _plain(value):
    # JSON-friendly, and stable so that "unchanged" compares equal across a reload.
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""  # the stored path, not the file
    return value


def snapshot(instance: models.Model, exclude: tuple[str, ...] = ("id", "version")) -> dict:
    """Concrete field values of an instance (foreign keys as their ids), ready for JSON."""
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude:
            continue
        data[field.name] = _plain(getattr(instance, field.attname))
    return data


def diff(before: dict | None, after: dict | None) -> dict:
    """{field: [before, after]} for every field whose value differs."""
    before, after = before or {}, after or {}
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def build(
    *,
    actor,
    source: AuditSource | str,
    action: AuditAction | str,
    instance: models.Model,
    before: dict | None,
    after: dict | None,
    board=None,
) -> AuditRecord:
    """An unsaved audit record (bulk writers collect these for one bulk_create). `board`: a Board or its id."""
    return AuditRecord(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "",
        source=source,
        action=action,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        board_id=getattr(board, "pk", board),
        changes=diff(before, after),
    )


def record(
    *,
    actor,
    source: AuditSource | str,
    action: AuditAction | str,
    instance: models.Model,
    before: dict | None,
    after: dict | None,
    board=None,
) -> AuditRecord | None:
    """Append one audit record; returns None (and writes nothing) for an update that changed nothing."""
    entry = build(actor=actor, source=source, action=action, instance=instance, before=before, after=after, board=board)
    if action == AuditAction.UPDATE and not entry.changes:
        return None
    entry.save()
    return entry
