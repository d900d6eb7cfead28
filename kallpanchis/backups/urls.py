from django.urls import path

from . import views

app_name = "backups"
urlpatterns = [path("", views.BackupStatusView.as_view(), name="status")]
