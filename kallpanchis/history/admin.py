from django.contrib import admin

from .models import Change


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    """Read only: the history is never edited, from the admin or anywhere (a database trigger refuses)."""

    list_display = ["created_at", "table", "object_id", "operation", "context_id"]
    list_filter = ["operation", "table"]
    search_fields = ["=object_id", "=table"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Change._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
