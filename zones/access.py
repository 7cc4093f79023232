"""The access policy: which boards a user may read and write.

Every selector and API view asks this module; nothing else decides scope. Objects of a
board outside the user's scope are filtered out of querysets, so they answer 404.
Administrators read and write everything; ministry officials read every board and write
none of a board's data; board members read their boards, and `staff` members write them.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .enums import MembershipRole
from .models import Board


def _is_system(user) -> bool:
    # Commands and tasks run without a person: they act as the system (full access).
    return user is None


def reads_everything(user) -> bool:
    return _is_system(user) or (user.is_authenticated and (user.is_superuser or user.is_ministry))


def readable_boards(user) -> QuerySet[Board]:
    """Boards whose data the user may see."""
    if reads_everything(user):
        return Board.objects.all()
    if not user.is_authenticated:
        return Board.objects.none()
    return Board.objects.filter(memberships__user=user).distinct()


def writable_boards(user) -> QuerySet[Board]:
    """Boards whose zones (and later projects and licences) the user may create and change."""
    if _is_system(user) or (user.is_authenticated and user.is_superuser):
        return Board.objects.all()
    if not user.is_authenticated:
        return Board.objects.none()
    return Board.objects.filter(memberships__user=user, memberships__role=MembershipRole.STAFF).distinct()


def writable_board_ids(user) -> set[int]:
    """Ids of the boards the user may write, in one query (for checks repeated over many rows)."""
    return set(writable_boards(user).values_list("pk", flat=True))


def can_read_board(user, board: Board) -> bool:
    return readable_boards(user).filter(pk=board.pk).exists()


def can_write_board(user, board: Board) -> bool:
    return writable_boards(user).filter(pk=board.pk).exists()


def led_boards(user) -> QuerySet[Board]:
    """Boards the user leads (lãnh đạo Ban): they set the board's annual plans."""
    if _is_system(user) or (user.is_authenticated and user.is_superuser):
        return Board.objects.all()
    if not user.is_authenticated:
        return Board.objects.none()
    return Board.objects.filter(memberships__user=user, memberships__role=MembershipRole.LEADER).distinct()


def can_lead_board(user, board: Board) -> bool:
    return led_boards(user).filter(pk=board.pk).exists()


def can_manage_boards(user) -> bool:
    """Creating and renaming boards themselves is the administrators' job."""
    return _is_system(user) or (user.is_authenticated and user.is_superuser)


def can_write_any_board(user) -> bool:
    return writable_boards(user).exists()


def role_label(user) -> str:
    """A short Vietnamese description of the user's role, for the navigation bar."""
    if user.is_superuser:
        return _("Quản trị hệ thống")
    if user.is_ministry:
        return _("Cán bộ Bộ")
    roles = {m.role for m in user.memberships.all()}
    if MembershipRole.LEADER in roles:
        return _("Lãnh đạo Ban")
    if MembershipRole.STAFF in roles:
        return _("Chuyên viên Ban")
    return _("Chưa được phân quyền")
