from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.MyRemindersView.as_view(), name="my_reminders"),
    path("preferences/", views.ReminderPreferencesView.as_view(), name="preferences"),
    path("all/", views.ReminderListView.as_view(), name="reminder_list"),
    path("<int:pk>/retry/", views.ReminderRetryView.as_view(), name="reminder_retry"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
