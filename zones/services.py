"""Writes to boards, zones and memberships. Views, API, admin and importers all call these.

Every write is atomic, validated with full_clean(), checked against zones.access, and
leaves an audit record (who, when, source, before/after). `user=None` is the system
(management commands); it may do anything and is recorded without an actor.
"""

from __future__ import annotations

import copy
import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from kcn_portal.core import audit, locks
from kcn_portal.core.concurrency import ConflictError
from kcn_portal.core.enums import AuditAction, AuditSource
from kcn_portal.core.services import require as _require
from kcn_portal.core.signals import send_records_changed

from . import access
from .models import BOARD_FIELDS, ZONE_FIELDS, Board, Membership, Zone


def _apply(instance, fields: tuple[str, ...], data: dict) -> None:
    for name, value in data.items():
        if name not in fields:
            raise TypeError(f"unknown field {name!r}")
        setattr(instance, name, value)


@transaction.atomic
def board_create(*, user, source: AuditSource = AuditSource.WEB, **data) -> Board:
    """Create a board (administrators and the system only). Audited."""
    _require(access.can_manage_boards(user))
    board = Board()
    _apply(board, BOARD_FIELDS, data)
    board.full_clean()
    board.save()
    audit.record(
        actor=user,
        source=source,
        action=AuditAction.CREATE,
        instance=board,
        before=None,
        after=audit.snapshot(board),
        board=board,
    )
    return board


@transaction.atomic
def board_update(*, user, board: Board, source: AuditSource = AuditSource.WEB, **data) -> Board:
    """Change a board's fields (administrators and the system only). Audited when something changed."""
    _require(access.can_manage_boards(user))
    before = audit.snapshot(board)
    _apply(board, BOARD_FIELDS, data)
    board.full_clean()
    after = audit.snapshot(board)
    if after != before:
        board.save()
        audit.record(
            actor=user,
            source=source,
            action=AuditAction.UPDATE,
            instance=board,
            before=before,
            after=after,
            board=board,
        )
    return board


# The zone fields the figures read (DOMAIN.md §5): counts by status, the three areas, under the zone's board,
# from its establishment date. Name, kind, developer, decision number and wastewater plant alter no figure.
FIGURE_FIELDS = ("board", "status", "natural_area_ha", "industrial_land_ha", "leased_land_ha", "established_on")


def refuse_altering_zone(before: Zone | None, after: Zone) -> None:
    """Refuse a zone change that would alter an approved period's figures (core.locks), naming the period.

    The zone's own counts and areas, and, when it moves to another board, every project in it (their
    history moves with it). Zones keep no dated states yet: their figures are their present state, so a
    change of area or status of a zone counted in an approved period needs that period reopened.
    """
    changed = [name for name in FIGURE_FIELDS if before is None or getattr(before, name) != getattr(after, name)]
    if not changed:
        return
    field = changed[0] if before is not None else "established_on"
    what = _("thay đổi khu %(code)s") % {"code": after.code} if before else _("khu mới %(code)s") % {"code": after.code}
    old = locks.Part(before.board_id, before) if before is not None else None
    locks.refuse_altering("zone", old, locks.Part(after.board_id, after), what, field=field)
    if before is not None and before.board_id != after.board_id:
        _refuse_moving_records(before, after, what)


def _refuse_moving_records(before: Zone, after: Zone, what: str) -> None:
    # The records counted under the zone (investment registers its projects with their history: core.locks).
    for kind, records in locks.records_in_zone(after.pk):
        locks.refuse_altering(
            kind, locks.Part(before.board_id, records), locks.Part(after.board_id, records), what, field="board"
        )


@transaction.atomic
def zone_create(*, user, source: AuditSource = AuditSource.WEB, **data) -> Zone:
    """Create a zone in a board the user may write. Audited."""
    zone = Zone()
    _apply(zone, ZONE_FIELDS, data)
    _require(zone.board_id is not None and access.can_write_board(user, zone.board))
    zone.full_clean()
    refuse_altering_zone(None, zone)
    zone.save()
    audit.record(
        actor=user,
        source=source,
        action=AuditAction.CREATE,
        instance=zone,
        before=None,
        after=audit.snapshot(zone),
        board=zone.board,
    )
    # Zone figures are the zone's present state: every report of the board can change.
    send_records_changed([(zone.board_id, datetime.date.min)])
    return zone


@transaction.atomic
def zone_update(
    *, user, zone: Zone, expected_version: int | None = None, source: AuditSource = AuditSource.WEB, **data
) -> Zone:
    """Change a zone. Refuses with ConflictError when expected_version is older than the stored one.

    Moving a zone to another board needs write access to both boards. Audited; the version
    is bumped only when a value changed.
    """
    _require(access.can_write_board(user, zone.board))
    # Lock the row so two concurrent saves are serialised and the version check is exact.
    stored = Zone.objects.select_for_update().get(pk=zone.pk)
    before = audit.snapshot(stored)
    if expected_version is not None and expected_version != stored.version:
        from .selectors import zone_changes_since

        raise ConflictError(
            current=before, changed=zone_changes_since(user=user, zone=stored, version=expected_version)
        )
    unchanged = copy.copy(stored)
    _apply(stored, ZONE_FIELDS, data)
    if stored.board_id != zone.board_id:
        _require(access.can_write_board(user, stored.board))
    stored.full_clean()
    refuse_altering_zone(unchanged, stored)
    after = audit.snapshot(stored)
    if after != before:
        stored.version += 1
        stored.save()
        audit.record(
            actor=user,
            source=source,
            action=AuditAction.UPDATE,
            instance=stored,
            before=before,
            after=after,
            board=stored.board,
        )
        if any(getattr(unchanged, name) != getattr(stored, name) for name in FIGURE_FIELDS):
            # Zone figures are the zone's present state: every report of both boards can change.
            send_records_changed([(zone.board_id, datetime.date.min), (stored.board_id, datetime.date.min)])
    return stored


@transaction.atomic
def membership_set(*, user, member, board: Board, role: str, source: AuditSource = AuditSource.ADMIN) -> Membership:
    """Give `member` a role in `board` (administrators only). Audited on the board's history."""
    _require(access.can_manage_boards(user))
    membership = Membership.objects.filter(user=member, board=board).first()
    before = audit.snapshot(membership) if membership else None
    if membership is None:
        membership = Membership(user=member, board=board)
    membership.role = role
    membership.full_clean()
    after = audit.snapshot(membership)
    if before != after:
        membership.save()
        audit.record(
            actor=user,
            source=source,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            instance=membership,
            before=before,
            after=after,
            board=board,
        )
    return membership


@transaction.atomic
def membership_remove(*, user, membership: Membership, source: AuditSource = AuditSource.ADMIN) -> None:
    """Remove a user from a board (administrators only). Audited on the board's history."""
    _require(access.can_manage_boards(user))
    before = audit.snapshot(membership)
    audit.record(
        actor=user,
        source=source,
        action=AuditAction.DELETE,
        instance=membership,
        before=before,
        after=None,
        board=membership.board,
    )
    membership.delete()
