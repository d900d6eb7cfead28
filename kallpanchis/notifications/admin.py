from django.contrib import admin

from .models import Reminder, ReminderPreference, ReminderSettings


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Read-only: reminders change only through the services (schedule, cancel, retry)."""

    list_display = ["kind", "recipient", "due_at", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "channel"]
    search_fields = ["recipient__email", "kind"]
    date_hierarchy = "due_at"
    list_select_related = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(ReminderPreference)
admin.site.register(ReminderSettings)
