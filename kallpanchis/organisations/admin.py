from django.contrib import admin

from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "consortium_role"]
    list_filter = ["kind", "consortium_role"]
    search_fields = ["name", "short_name"]
