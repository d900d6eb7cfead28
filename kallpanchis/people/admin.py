"""Read-mostly: support staff look things up here; every change goes through the pages and services.py,
which enforce consent, duplicates, merges and erasure (the admin would bypass them)."""

from django.contrib import admin

from .models import Consent, Erasure, Family, MergeRecord, Person


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    can_delete = False
    fields = ["kind", "given_on", "method", "witness_name", "withdrawn_at", "closed_by_erasure"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["display_name", "gender", "community", "district_ubigeo", "erased_at"]
    list_filter = ["gender", "erased_at"]
    search_fields = ["search_name", "dni", "phone"]
    inlines = [ConsentInline]


@admin.register(Family)
class FamilyAdmin(ReadOnlyAdmin):
    list_display = ["pk", "reference_person", "community", "district_ubigeo"]
    list_select_related = ["reference_person"]


@admin.register(MergeRecord)
class MergeRecordAdmin(ReadOnlyAdmin):
    list_display = ["kept", "merged_id", "by", "at", "undone_at"]
    list_select_related = ["kept", "by"]


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyAdmin):
    list_display = ["person_id", "by", "at", "rows_blanked"]
