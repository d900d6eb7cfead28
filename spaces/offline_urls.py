from django.urls import path

from . import offline

app_name = "spaces_offline"
urlpatterns = [
    path("meetings.json", offline.meetings, name="meetings"),
    path("meetings/<int:pk>/log", offline.meeting_log_sync, name="log"),
]
