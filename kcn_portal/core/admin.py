"""Admin for the (read-only) audit trail and task runs; the user admin, which needs zones, is web.admin."""

from django.contrib import admin

from .models import AuditRecord, TaskRun


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible to administrators, never changed from the app."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "source", "action", "model", "object_repr", "board"]
    list_filter = ["source", "action", "model", "board"]
    search_fields = ["object_repr", "actor_name", "object_id"]
    date_hierarchy = "at"


@admin.register(TaskRun)
class TaskRunAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "status", "progress", "created_by", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
