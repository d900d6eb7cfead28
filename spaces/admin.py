"""The admin reads everything and edits reference data; workflows (meetings, agreement status) go through
services so that history is kept."""

from django.contrib import admin

from .models import (
    AgendaItem,
    Agreement,
    AgreementStatusChange,
    Attendance,
    ConcertationSpace,
    Meeting,
    MeetingEvent,
    SpaceMember,
    ThematicGroup,
)


@admin.register(ThematicGroup)
class ThematicGroupAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class SpaceMemberInline(admin.TabularInline):
    model = SpaceMember
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(ConcertationSpace)
class ConcertationSpaceAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "association", "level", "kind", "parent", "is_public"]
    list_filter = ["level", "kind", "is_public"]
    search_fields = ["name"]
    inlines = [SpaceMemberInline]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AgendaInline(ReadOnlyInline):
    model = AgendaItem


class AttendanceInline(ReadOnlyInline):
    model = Attendance


class EventInline(ReadOnlyInline):
    model = MeetingEvent


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "space", "starts_at", "status"]
    list_filter = ["status", "space"]
    date_hierarchy = "starts_at"
    inlines = [AgendaInline, AttendanceInline, EventInline]
    readonly_fields = ["status", "starts_at", "ends_at"]


class HistoryInline(ReadOnlyInline):
    model = AgreementStatusChange


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["what", "responsible_organisation", "due_date", "status"]
    list_filter = ["status"]
    readonly_fields = ["status", "done_on", "closed_at"]
    inlines = [HistoryInline]
