"""Reads of boards, zones, memberships and board history, scoped by zones.access."""

from __future__ import annotations

from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404

from kcn_portal.core.concurrency import changes_since
from kcn_portal.core.models import AuditRecord

from . import access
from .models import Board, Membership, Zone, occupancy_pct


def board_list(*, user, filters: dict | None = None) -> QuerySet[Board]:
    """Boards the user may read, each with its zone count and land sums."""
    from .filters import BoardFilter

    qs = access.readable_boards(user).annotate(
        zone_count=Count("zones", distinct=True),
        natural_area_sum=Sum("zones__natural_area_ha"),
        industrial_land_sum=Sum("zones__industrial_land_ha"),
        leased_land_sum=Sum("zones__leased_land_ha"),
    )
    if filters is not None:
        qs = BoardFilter(filters, queryset=qs).qs
    return qs.order_by("code")


def zone_totals(*, user) -> dict:
    """Zone count, land sums and occupancy over every board the user may read, in one aggregate query."""
    totals = Zone.objects.filter(board__in=access.readable_boards(user)).aggregate(
        zone_count=Count("id"),
        natural_area_sum=Sum("natural_area_ha"),
        industrial_land_sum=Sum("industrial_land_ha"),
        leased_land_sum=Sum("leased_land_ha"),
    )
    totals["occupancy_pct"] = occupancy_pct(totals["leased_land_sum"], totals["industrial_land_sum"])
    return totals


def board_get(*, user, code: str) -> Board:
    """One board by code; 404 when it does not exist or lies outside the user's scope."""
    return get_object_or_404(access.readable_boards(user), code=code)


def zone_list(*, user, filters: dict | None = None) -> QuerySet[Zone]:
    """Zones of the boards the user may read, filtered by ZoneFilter when filters are given."""
    from .filters import ZoneFilter

    qs = Zone.objects.filter(board__in=access.readable_boards(user)).select_related("board")
    if filters is not None:
        qs = ZoneFilter(filters, queryset=qs).qs
    return qs.order_by("board__code", "code")


def board_index(*, user) -> dict[str, Board]:
    """The boards the user may read, by code, in one query (importers look rows up here, not per row)."""
    return {board.code: board for board in access.readable_boards(user)}


def zone_index(*, user) -> tuple[dict[str, Zone], set[str]]:
    """The zones the user may read by code, and the codes of every zone (two queries).

    The second lets an importer tell a new code from one taken by a board the user cannot
    see, without revealing anything about that board.
    """
    zones = {zone.code: zone for zone in zone_list(user=user)}
    return zones, set(Zone.objects.values_list("code", flat=True))


def zone_get(*, user, pk: int, for_write: bool = False) -> Zone:
    """One zone; 404 when outside what the user may read (or, with for_write, change)."""
    boards = access.writable_boards(user) if for_write else access.readable_boards(user)
    return get_object_or_404(Zone.objects.select_related("board"), pk=pk, board__in=boards)


def zone_changes_since(*, user, zone: Zone, version: int) -> dict[str, list]:
    """{field: [value at `version`, current value]} for the fields other saves changed after `version`."""
    if not access.can_read_board(user, zone.board):
        return {}
    return changes_since(zone, version)


def board_history(*, user, board: Board, limit: int = 200) -> QuerySet[AuditRecord]:
    """The audit trail of a board and of everything attached to it, newest first."""
    if not access.can_read_board(user, board):
        return AuditRecord.objects.none()
    return AuditRecord.objects.filter(board=board).select_related("actor")[:limit]


def board_members(*, user, board: Board) -> QuerySet[Membership]:
    """Who works for a board; visible to the board's own people and to administrators."""
    if not (access.can_manage_boards(user) or board.memberships.filter(user=user).exists()):
        return Membership.objects.none()
    return board.memberships.select_related("user").order_by("role", "user__username")
