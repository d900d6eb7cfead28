from django.contrib import admin

from .models import Indicator, Refresh, Target


class TargetInline(admin.TabularInline):
    model = Target
    extra = 1


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "result", "unit", "baseline", "baseline_year"]
    list_filter = ["result"]
    search_fields = ["code", "name"]
    inlines = [TargetInline]


@admin.register(Refresh)
class RefreshAdmin(admin.ModelAdmin):
    list_display = ["finished_at", "seconds", "facts"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
