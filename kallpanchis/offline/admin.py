from django.contrib import admin

from .models import OfflineSubmission


@admin.register(OfflineSubmission)
class OfflineSubmissionAdmin(admin.ModelAdmin):
    list_display = ("client_id", "kind", "object_id", "user", "received_at")
    list_filter = ("kind",)
    search_fields = ("client_id",)
    readonly_fields = ("client_id", "kind", "object_id", "user", "received_at", "result")

    def has_add_permission(self, request):
        return False
