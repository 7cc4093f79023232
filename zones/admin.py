"""Admin for boards and zones; saves go through the audited services."""

from django.contrib import admin

from kcn_portal.core.enums import AuditSource

from . import services
from .models import Board, Zone


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province", "kind", "bloc_code"]
    list_filter = ["kind", "bloc_code"]
    search_fields = ["code", "name", "province"]

    def save_model(self, request, obj, form, change):
        data = {name: getattr(obj, name) for name in services.BOARD_FIELDS}
        if change:
            stored = Board.objects.get(pk=obj.pk)
            saved = services.board_update(user=request.user, board=stored, source=AuditSource.ADMIN, **data)
        else:
            saved = services.board_create(user=request.user, source=AuditSource.ADMIN, **data)
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        # Boards carry the history of years of licences; they are never deleted.
        return False


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "board",
        "kind",
        "status",
        "natural_area_ha",
        "industrial_land_ha",
        "leased_land_ha",
    ]
    list_filter = ["board", "kind", "status"]
    search_fields = ["code", "name", "developer"]
    list_select_related = ["board"]
    exclude = ["version"]

    def save_model(self, request, obj, form, change):
        data = {name: getattr(obj, name) for name in services.ZONE_FIELDS}
        if change:
            stored = Zone.objects.select_related("board").get(pk=obj.pk)
            saved = services.zone_update(user=request.user, zone=stored, source=AuditSource.ADMIN, **data)
        else:
            saved = services.zone_create(user=request.user, source=AuditSource.ADMIN, **data)
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False
