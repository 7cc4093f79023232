"""Admin of the emulation catalogue: titles and their eligibility rules are edited here (administrators).

Saves of blocs, titles and rules go through the audited services. Everything else (bloc years,
movements, decisions, recipients, scoring tables, rankings) is written by the pages, which check
access, versions and files; the admin only shows it.
"""

from django.contrib import admin

from kcn_portal.core.admin import ReadOnlyAdmin
from kcn_portal.core.enums import AuditSource

from .models import (
    Attachment,
    AwardDecision,
    AwardTitle,
    Bloc,
    BlocMember,
    BlocYear,
    CriterionGroup,
    EligibilityRule,
    Movement,
    RankingEntry,
    Recipient,
    ScoringRule,
    ScoringTable,
)
from .services import awards, years


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    select_related: tuple[str, ...] = ()

    def get_queryset(self, request):
        # The rows' foreign keys are shown as text: one join, not a query per row.
        return super().get_queryset(request).select_related(*self.select_related)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- catalogue (written here, through the services) ------------------------------------------------


@admin.register(Bloc)
class BlocAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "ministry"]
    search_fields = ["code", "name"]

    def get_readonly_fields(self, request, obj=None):
        # bloc_save finds the bloc by its code: a changed code would make a second bloc.
        return ["code"] if obj else []

    def save_model(self, request, obj, form, change):
        saved = years.bloc_save(
            user=request.user, code=obj.code, name=obj.name, ministry=obj.ministry, source=AuditSource.ADMIN
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AwardTitle)
class AwardTitleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "level", "awarded_to", "order", "active"]
    list_filter = ["kind", "level", "awarded_to", "active"]
    search_fields = ["code", "name"]

    def get_readonly_fields(self, request, obj=None):
        # award_title_save finds the title by its code: a changed code would make a second title.
        return ["code"] if obj else []

    def save_model(self, request, obj, form, change):
        data = {name: getattr(obj, name) for name in awards.TITLE_FIELDS}
        saved = awards.award_title_save(user=request.user, code=obj.code, source=AuditSource.ADMIN, **data)
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        # Decisions keep pointing at their title: a title no longer given is set inactive instead.
        return False


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(admin.ModelAdmin):
    list_display = ["title", "order", "description", "min_count", "window_years", "consecutive"]
    list_filter = ["title", "consecutive"]
    list_select_related = ["title"]
    search_fields = ["description", "title__name", "title__code"]
    filter_horizontal = ["required"]

    def get_readonly_fields(self, request, obj=None):
        # eligibility_rule_save keeps an existing rule's title; moving a rule is delete-and-add.
        return ["title"] if obj else []

    def save_model(self, request, obj, form, change):
        # The form has already written its values onto `obj`: the service's "before" is the stored row.
        stored = EligibilityRule.objects.get(pk=obj.pk) if change else None
        saved = awards.eligibility_rule_save(
            user=request.user, title=obj.title, description=obj.description,
            required=list(form.cleaned_data["required"]), min_count=obj.min_count, window_years=obj.window_years,
            consecutive=obj.consecutive, order=obj.order, rule=stored, source=AuditSource.ADMIN,
        )  # fmt: skip
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        # The service has already set `required` (audited); form.save_m2m would write it a second time.
        pass

    def delete_model(self, request, obj):
        awards.eligibility_rule_delete(user=request.user, rule=obj, source=AuditSource.ADMIN)

    def delete_queryset(self, request, queryset):
        for rule in queryset:
            awards.eligibility_rule_delete(user=request.user, rule=rule, source=AuditSource.ADMIN)


# --- shown read-only (written by the pages) --------------------------------------------------------


class BlocMemberInline(_ReadOnlyInline):
    model = BlocMember
    fields = ["order", "board"]
    readonly_fields = fields
    select_related = ("board",)


@admin.register(BlocYear)
class BlocYearAdmin(ReadOnlyAdmin):
    list_display = ["bloc", "year", "leader", "deputy", "host", "decision_no", "concluded_at"]
    list_filter = ["year", "bloc"]
    list_select_related = ["bloc", "leader", "deputy", "host"]
    inlines = [BlocMemberInline]


class AttachmentInline(_ReadOnlyInline):
    model = Attachment
    fk_name = "movement"
    fields = ["name", "size", "content_type", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    select_related = ("uploaded_by",)


@admin.register(Movement)
class MovementAdmin(ReadOnlyAdmin):
    list_display = ["name", "launched_by_level", "launched_by", "kind", "starts_on", "ends_on", "status"]
    list_filter = ["status", "launched_by_level", "kind"]
    search_fields = ["name", "launched_by", "decision_no"]
    inlines = [AttachmentInline]


@admin.register(AwardDecision)
class AwardDecisionAdmin(ReadOnlyAdmin):
    list_display = ["number", "date", "issuer", "title", "year", "movement"]
    list_filter = ["title", "year", "title__level"]
    list_select_related = ["title", "movement"]
    search_fields = ["number", "issuer", "recipients__name"]
    date_hierarchy = "date"


@admin.register(Recipient)
class RecipientAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "position", "board"]
    list_filter = ["kind", "board"]
    list_select_related = ["board"]
    search_fields = ["name", "position"]


class CriterionGroupInline(_ReadOnlyInline):
    model = CriterionGroup
    fields = ["order", "name"]
    readonly_fields = fields


class ScoringRuleInline(_ReadOnlyInline):
    model = ScoringRule
    fields = ["kind", "order", "name", "points", "cap"]
    readonly_fields = fields


@admin.register(ScoringTable)
class ScoringTableAdmin(ReadOnlyAdmin):
    list_display = ["bloc_year", "bonus_cap", "penalty_cap", "locked_at", "version"]
    list_select_related = ["bloc_year__bloc"]
    inlines = [CriterionGroupInline, ScoringRuleInline]


@admin.register(RankingEntry)
class RankingEntryAdmin(ReadOnlyAdmin):
    list_display = ["round", "rank", "board", "reviewed_points", "bonus", "penalty", "total", "tie_note"]
    list_filter = ["round__bloc_year__year", "round__kind"]
    list_select_related = ["round__bloc_year__bloc", "board"]
