"""Read-mostly admin: figures that carry history (scores, allocation, execution) change only through the
pages, whose services keep the history; the admin shows them read-only."""

from django.contrib import admin

from .models import (
    AgentByRight,
    BudgetCycle,
    BusinessPlan,
    Challenge,
    Criterion,
    HistoryEntry,
    ParticipatingAgent,
    Phase,
    Proposal,
    Replacement,
    Step,
    VigilanceMember,
    VigilanceReport,
    Workshop,
)


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    readonly_fields = ["kind", "position", "starts_on", "ends_on"]
    can_delete = False


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    readonly_fields = ["name", "weight", "scale_max", "position"]
    can_delete = False


@admin.register(BudgetCycle)
class BudgetCycleAdmin(admin.ModelAdmin):
    list_display = ["municipality", "fiscal_year", "envelope", "ordinance_reference"]
    list_filter = ["fiscal_year", "municipality"]
    readonly_fields = ["municipality", "fiscal_year", "envelope", "created_by"]
    inlines = [PhaseInline, CriterionInline]


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    list_display = ["name", "phase", "starts_on", "ends_on"]
    list_filter = ["phase__cycle"]


@admin.register(ParticipatingAgent)
class ParticipatingAgentAdmin(admin.ModelAdmin):
    list_display = ["organisation", "cycle", "kind", "status"]
    list_filter = ["status", "cycle"]
    list_select_related = ["organisation", "cycle__municipality__organisation"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "cycle", "agent", "cost", "status", "rank", "allocated", "progress_pct"]
    list_filter = ["status", "cycle"]
    search_fields = ["title"]
    readonly_fields = [
        "rank",
        "total_score",
        "allocated",
        "progress_pct",
        "spent",
        "figures_on",
        "status",
        "amount_this_year",
        "withdrawn_on",
    ]
    list_select_related = ["cycle__municipality__organisation", "agent__organisation"]


admin.site.register(Workshop)
admin.site.register(VigilanceMember)
admin.site.register(VigilanceReport)


@admin.register(HistoryEntry)
class HistoryEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "cycle", "subject", "label", "field", "before", "after", "by"]
    list_filter = ["subject", "cycle"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(AgentByRight)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the services only (challenge periods, replacement in ranking order, Procompite's rules)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Challenge)
class ChallengeAdmin(ReadOnlyAdmin):
    list_display = ["agent", "filed_on", "status", "resolved_on"]
    list_filter = ["status"]


@admin.register(Replacement)
class ReplacementAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "withdrawn", "replacement", "on"]


@admin.register(BusinessPlan)
class BusinessPlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "association", "municipality", "year", "stage", "association_contribution"]
    list_filter = ["stage", "year", "municipality"]
    list_select_related = ["association", "municipality__organisation"]
