"""Admin for investment: the ledger and its projects are shown read-only; exchange rates are edited here.

Projects, their licence events and enterprise reports are written by the pages, the API and the
workbook import, which apply the ledger rules, the If-Match/version checks and the audit; the admin
only shows them. The USD→VND catalogue is the administrators' job: saves go through the audited
service.
"""

from django.contrib import admin

from kcn_portal.core.admin import ReadOnlyAdmin
from kcn_portal.core.enums import AuditSource

from .models import EnterpriseReport, ExchangeRate, Investor, LicenceEvent, Project, ProjectInvestor
from .services import exchange_rates

EVENT_COLUMNS = [
    "kind",
    "adjust_no",
    "certificate_no",
    "event_date",
    "capital_vnd",
    "capital_usd",
    "capital_usd_derived",
    "capital_change_vnd",
    "capital_change_usd",
    "version",
    "is_current",
    "voided",
    "reason",
    "created_by",
    "created_at",
]


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProjectInvestorInline(_ReadOnlyInline):
    model = ProjectInvestor
    fields = ["investor", "share_pct"]
    readonly_fields = fields


class LicenceEventInline(_ReadOnlyInline):
    """Every version of every event, corrections included, in date order."""

    model = LicenceEvent
    fields = EVENT_COLUMNS
    readonly_fields = fields
    ordering = ["event_date", "certificate_no", "version"]


@admin.register(Investor)
class InvestorAdmin(ReadOnlyAdmin):
    # Investors are created by the registration service; a rename here would bypass the audit.
    list_display = ["name", "country", "kind"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "zone", "kind", "status", "issued_on", "capital_vnd", "capital_usd"]
    list_filter = ["zone__board", "kind", "status"]
    search_fields = ["code", "name"]
    list_select_related = ["zone"]
    inlines = [ProjectInvestorInline, LicenceEventInline]


@admin.register(LicenceEvent)
class LicenceEventAdmin(ReadOnlyAdmin):
    """The ledger is append-only and written through the services only: no add, change or delete here."""

    list_display = ["project", *EVENT_COLUMNS[:6], "version", "is_current", "voided"]
    list_filter = ["kind", "is_current", "voided", "project__zone__board"]
    search_fields = ["certificate_no", "project__code", "project__name"]
    list_select_related = ["project"]


@admin.register(EnterpriseReport)
class EnterpriseReportAdmin(ReadOnlyAdmin):
    list_display = ["project", "year", "quarter", "revenue_vnd", "export_usd", "employees", "version"]
    list_filter = ["year", "quarter", "project__zone__board"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project"]


RATE_FIELDS = ("valid_from", "valid_to", "vnd_per_usd", "source")


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["valid_from", "valid_to", "vnd_per_usd", "source"]
    fields = list(RATE_FIELDS)
    date_hierarchy = "valid_from"

    def save_model(self, request, obj, form, change):
        # The form has already run the model's checks (overlapping ranges); the service saves and audits.
        data = {name: getattr(obj, name) for name in RATE_FIELDS}
        stored = ExchangeRate.objects.get(pk=obj.pk) if change else None
        saved = exchange_rates.exchange_rate_save(
            user=request.user, rate=stored, audit_source=AuditSource.ADMIN, **data
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        # Amounts derived with a rate keep pointing at its period; a wrong rate is corrected, not removed.
        return False
