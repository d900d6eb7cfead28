from django.urls import path, re_path

from . import views

app_name = "spaces"
urlpatterns = [
    path("", views.space_list, name="space_list"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.space_export, name="space_export"),
    path("new/", views.space_create, name="space_create"),
    path("<int:pk>/", views.space_detail, name="space_detail"),
    path("<int:pk>/edit/", views.space_edit, name="space_edit"),
    path("<int:pk>/members/add/", views.space_member_add, name="space_member_add"),
    path("members/<int:pk>/remove/", views.space_member_remove, name="space_member_remove"),
    path("<int:pk>/meetings/new/", views.meeting_schedule, name="meeting_schedule"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    re_path(r"^meetings/export\.(?P<fmt>csv|xlsx)$", views.meeting_export, name="meeting_export"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("themes/", views.thematic_group_list, name="thematic_group_list"),
    path("meetings/<int:pk>/agenda/", views.meeting_agenda, name="meeting_agenda"),
    path("meetings/<int:pk>/postpone/", views.meeting_postpone, name="meeting_postpone"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/log/", views.meeting_log, name="meeting_log"),
    path("meetings/<int:pk>/log/people-check.json", views.meeting_people_check, name="meeting_people_check"),
    path("meetings/<int:pk>/attendance-sheet.pdf", views.meeting_attendance_sheet, name="attendance_sheet"),
    path("meetings/<int:pk>/acta.pdf", views.meeting_acta, name="meeting_acta"),
    path("meetings/<int:pk>/signed-record/", views.meeting_signed_record, name="signed_record"),
    path("attendance/<int:pk>/remove/", views.attendance_remove, name="attendance_remove"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    re_path(r"^agreements/export\.(?P<fmt>csv|xlsx)$", views.agreement_export, name="agreement_export"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/evidence/<int:pk>/", views.agreement_evidence, name="agreement_evidence"),
    path("calendar/", views.calendar_settings, name="calendar_settings"),
    path("calendar/regenerate/", views.calendar_regenerate, name="calendar_regenerate"),
    path("calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("public/<int:pk>/", views.public_space, name="public_space"),
    path("public/<int:pk>/calendar.ics", views.public_space_calendar, name="public_space_calendar"),
]
