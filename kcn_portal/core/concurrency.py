"""Optimistic concurrency: a stale save is refused and told what the other people changed.

Versioned models (Zone, Project, EnterpriseReport) bump `version` on every save that changes
them and write exactly one audit UPDATE record per bump; so the newest (current − seen)
update records of an object are the saves the editor did not see.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
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


def changed_labels(model, changed: dict, extra: dict | None = None) -> list[str]:
    """Readable names of the fields in a ConflictError's `changed`, for the banner (version left out).

    `extra` names the snapshot keys that are not model fields (members, titles, targets, …).
    """
    extra = extra or {}
    # In the form's order (the model's fields, then the extras), whatever order the database kept the
    # keys in (PostgreSQL's jsonb sorts them by length).
    order = {field.name: number for number, field in enumerate(model._meta.get_fields())}
    order.update({name: len(order) + number for number, name in enumerate(extra)})
    labels = []
    for name in sorted(changed, key=lambda n: (order.get(n, len(order) + len(extra)), n)):
        if name == "version":
            continue
        if name in extra:
            labels.append(str(extra[name]))
            continue
        try:
            labels.append(capfirst(str(model._meta.get_field(name).verbose_name)))
        except FieldDoesNotExist:  # an unknown key is shown as it is stored
            labels.append(name)
    return labels


def changed_note(model, exc: ConflictError, extra: dict | None = None) -> str:
    """ " Đã thay đổi: A, B." to append to a conflict message, or "" when the changes are not known."""
    labels = changed_labels(model, exc.changed, extra)
    if not labels:
        return ""
    return " " + _("Đã thay đổi: %(fields)s.") % {"fields": ", ".join(labels)}
