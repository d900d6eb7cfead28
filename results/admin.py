"""Read-only views for superusers. Coordinators define the framework on the platform's own pages
(results/views/framework.py), where the services' rules hold; nothing is edited here."""

from django.contrib import admin

from .models import Indicator, Report


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorAdmin(ReadOnly):
    list_display = ["code", "name", "unit", "frequency", "active"]


@admin.register(Report)
class ReportAdmin(ReadOnly):
    list_display = ["indicator", "municipality", "period", "version", "state", "value"]
    list_filter = ["state"]
