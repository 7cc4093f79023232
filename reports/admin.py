"""Read-only admin of report snapshots and their downloads: they are written by builds and exports only."""

from django.contrib import admin

from .models import ReportDownload, ReportSnapshot


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(ReadOnly):
    list_display = ("scope", "period", "version", "generated_at")
    list_filter = ("period",)
    search_fields = ("scope", "period")
    exclude = ("indicators", "member_values")


@admin.register(ReportDownload)
class ReportDownloadAdmin(ReadOnly):
    list_display = ("at", "user_name", "snapshot", "file_format")
    list_select_related = ("snapshot",)
    search_fields = ("user_name", "snapshot__scope", "snapshot__period")
