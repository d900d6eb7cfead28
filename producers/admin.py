from django.contrib import admin

from .models import Member, OperatingPlan, PlanDeadline, PlanEvent, ProducerAssociation, ProductionRecord
from .services import deadline_set


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0


@admin.register(ProducerAssociation)
class ProducerAssociationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "district", "families", "ruc"]
    list_select_related = ["organisation", "district"]
    search_fields = ["organisation__name", "ruc"]
    inlines = [MemberInline]


class PlanEventInline(admin.TabularInline):
    model = PlanEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_status", "to_status", "by", "at", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OperatingPlan)
class OperatingPlanAdmin(admin.ModelAdmin):
    """Read-only here: the review workflow's rules live in producers.services and the plan pages."""

    list_display = ["association", "year", "version", "status", "is_current"]
    list_filter = ["year", "status"]
    list_select_related = ["association__organisation"]
    inlines = [PlanEventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(PlanDeadline)
class PlanDeadlineAdmin(admin.ModelAdmin):
    list_display = ["year", "due_on", "set_by"]
    fields = ["year", "due_on"]

    def save_model(self, request, obj, form, change):
        # The same service as the deadlines page, so the coordinator-only rule holds here too.
        deadline = deadline_set(by=request.user, year=obj.year, due_on=obj.due_on)
        obj.pk = deadline.pk


@admin.register(ProductionRecord)
class ProductionRecordAdmin(admin.ModelAdmin):
    """Read-only: months are recorded through the checked form or the import."""

    list_display = ["association", "month", "milk_produced_l", "cheese_produced_kg", "channel"]
    list_filter = ["channel"]
    list_select_related = ["association__organisation"]
    date_hierarchy = "month"

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
