"""The Django admin, for support staff (superusers). The database constraints hold here as everywhere; who
may do what is decided on the pages and in services.py, which the admin does not replace."""

from django.contrib import admin

from .models import (
    District,
    Event,
    EventParticipation,
    MunicipalAssociation,
    Municipality,
    PartnershipAgreement,
    Province,
    SupportedAction,
    Technician,
    Training,
    TrainingAttendance,
)


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "capital", "population_estimate"]
    search_fields = ["code", "name"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["ubigeo", "name", "province", "capital", "population_estimate"]
    list_filter = ["province"]
    search_fields = ["ubigeo", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["organisation", "level", "province", "district"]
    list_filter = ["level", "province"]
    list_select_related = ["organisation", "province", "district"]
    autocomplete_fields = ["organisation", "district"]
    search_fields = ["organisation__name"]


@admin.register(PartnershipAgreement)
class PartnershipAgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "signed_on", "valid_until"]
    list_select_related = ["municipality__organisation"]
    search_fields = ["title", "municipality__organisation__name"]
    autocomplete_fields = ["municipality"]
    filter_horizontal = ["consortium_parties"]


@admin.register(Technician)
class TechnicianAdmin(admin.ModelAdmin):
    list_display = ["person_name", "municipality", "position", "gender", "since", "until"]
    list_filter = ["gender", "municipality__province"]
    list_select_related = ["municipality__organisation"]
    search_fields = ["person_name", "position"]
    autocomplete_fields = ["municipality", "user"]


class TrainingAttendanceInline(admin.TabularInline):
    model = TrainingAttendance
    extra = 0
    autocomplete_fields = ["technician", "municipality"]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "held_on", "place", "trainer_organisation"]
    list_filter = ["topic"]
    search_fields = ["title", "place"]
    inlines = [TrainingAttendanceInline]


class SupportedActionInline(admin.TabularInline):
    model = SupportedAction
    extra = 0


@admin.register(MunicipalAssociation)
class MunicipalAssociationAdmin(admin.ModelAdmin):
    list_display = ["name", "registration_reference"]
    search_fields = ["name"]
    filter_horizontal = ["members"]
    inlines = [SupportedActionInline]


class EventParticipationInline(admin.TabularInline):
    model = EventParticipation
    extra = 0
    autocomplete_fields = ["municipality"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "scope", "starts_on", "place"]
    list_filter = ["scope"]
    search_fields = ["name", "place"]
    filter_horizontal = ["organisers"]
    inlines = [EventParticipationInline]
