"""Read-only admin of report snapshots, downloads and the approval workflow: written by services only."""

from django.contrib import admin

from .models import (
    Correction,
    DataIssue,
    PeriodApproval,
    ReminderLog,
    ReopenRequest,
    ReportDownload,
    ReportSnapshot,
    SummaryAcceptance,
)


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


# --- approval workflow (issue 7): written by reports.services.approval, reminders and builds only ------


@admin.register(PeriodApproval)
class PeriodApprovalAdmin(ReadOnly):
    list_display = ("board", "period", "approved_at", "approved_by", "version", "issue_count")
    list_filter = ("period",)
    list_select_related = ("board", "approved_by")
    search_fields = ("board__code", "period")


@admin.register(ReopenRequest)
class ReopenRequestAdmin(ReadOnly):
    list_display = ("approval", "status", "requested_at", "requested_by", "open_until", "ended_at")
    list_filter = ("status",)
    list_select_related = ("approval__board", "requested_by")


@admin.register(Correction)
class CorrectionAdmin(ReadOnly):
    list_display = ("pk", "board", "event", "status", "proposed_at", "proposed_by", "decided_at")
    list_filter = ("status",)
    list_select_related = ("board", "event__project", "proposed_by")
    search_fields = ("board__code", "event__project__code", "reason")


@admin.register(SummaryAcceptance)
class SummaryAcceptanceAdmin(ReadOnly):
    list_display = ("scope", "period", "accepted_at", "accepted_by")
    list_select_related = ("accepted_by",)


@admin.register(DataIssue)
class DataIssueAdmin(ReadOnly):
    list_display = ("board", "period", "rule", "project_code", "found_at")
    list_filter = ("rule", "period")
    list_select_related = ("board",)
    search_fields = ("board__code", "project_code", "message")


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnly):
    list_display = ("board", "period", "kind", "sent_on")
    list_filter = ("kind", "period")
    list_select_related = ("board",)
