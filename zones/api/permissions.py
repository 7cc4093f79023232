"""API permissions for boards and zones; every decision is delegated to zones.access.

Scope is enforced first by the viewsets' querysets (objects outside the readable boards
answer 404); these classes only refuse writes on objects the user can already see (403).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from zones import access


class CanManageBoards(BasePermission):
    """Anyone signed in reads boards; only administrators create or change them."""

    message = _("Chỉ quản trị hệ thống được tạo hoặc sửa Ban quản lý.")

    def has_permission(self, request, view):
        # Updates are checked per object, after the lookup, so an unreadable board stays a 404.
        if request.method == "POST":
            return access.can_manage_boards(request.user)
        return True

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or access.can_manage_boards(request.user)


class CanWriteZoneBoard(BasePermission):
    """Zones are written only by users who may write their board (staff of the board, administrators)."""

    message = _("Bạn chỉ được xem, không được sửa dữ liệu khu của Ban quản lý này.")

    def has_permission(self, request, view):
        # A user who can write no board at all (ministry, leaders) cannot create anything.
        if request.method == "POST" and not access.can_write_any_board(request.user):
            self.message = _("Bạn không có quyền tạo khu cho Ban quản lý nào.")
            return False
        return True

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or access.can_write_board(request.user, obj.board)
