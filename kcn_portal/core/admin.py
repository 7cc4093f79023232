"""Admin for users, the (read-only) audit trail and task runs."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from zones import services as zone_services
from zones.models import Membership

from .enums import AuditSource
from .models import AuditRecord, TaskRun, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible to administrators, never changed from the app."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["board"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "is_ministry", "is_superuser", "is_active"]
    list_filter = ["is_ministry", "is_superuser", "is_active", "memberships__board"]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Vai trò"), {"fields": ["is_ministry"]}))

    def save_formset(self, request, form, formset, change):
        """Memberships go through the audited services, never a bare save."""
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for membership in formset.deleted_objects:
            zone_services.membership_remove(user=request.user, membership=membership, source=AuditSource.ADMIN)
        for membership in instances:
            if membership.pk:
                stored = Membership.objects.get(pk=membership.pk)
                if stored.board_id != membership.board_id:
                    zone_services.membership_remove(user=request.user, membership=stored, source=AuditSource.ADMIN)
            zone_services.membership_set(
                user=request.user,
                member=form.instance,
                board=membership.board,
                role=membership.role,
                source=AuditSource.ADMIN,
            )


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
