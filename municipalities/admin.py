from django.contrib import admin

from .models import District, Municipality, Province


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
