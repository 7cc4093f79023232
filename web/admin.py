"""Admin for users with their board memberships (zones.Membership), written through the zones services.

The audit trail and task runs, which need no app above core, keep their admin in kcn_portal/core/admin.py.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from kcn_portal.core.enums import AuditSource
from kcn_portal.core.models import User
from zones import services as zone_services
from zones.models import Membership


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
