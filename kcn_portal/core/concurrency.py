"""Optimistic concurrency: a stale save is refused and told what the other people changed.

Versioned models (Zone, Project, EnterpriseReport) bump `version` on every save that changes
them and write exactly one audit UPDATE record per bump; so the newest (current − seen)
update records of an object are the saves the editor did not see.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .enums import AuditAction
from .models import AuditRecord


class ConflictError(Exception):
    """Someone else saved the object after the editor loaded it; carries the current values."""

    def __init__(self, current: dict, changed: dict):
        # current: the stored values; changed: {field: [value the editor saw, value now]}.
        self.current = current
        self.changed = changed
        super().__init__(_("Dữ liệu đã được người khác thay đổi trong lúc bạn sửa."))


def changes_since(instance, version: int) -> dict[str, list]:
    """{field: [value at `version`, current value]} for the fields changed by saves after `version`."""
    if version >= instance.version:
        return {}
    records = AuditRecord.objects.filter(
        model=instance._meta.label_lower, object_id=str(instance.pk), action=AuditAction.UPDATE
    )
    changes: dict[str, list] = {}
    for record in reversed(records.order_by("-at", "-id")[: instance.version - version]):
        for name, (before, after) in record.changes.items():
            changes.setdefault(name, [before, after])[1] = after
    return changes
