from django.urls import path

from . import views
from .sms import views as sms

app_name = "notifications"
urlpatterns = [
    path("", views.MyRemindersView.as_view(), name="my_reminders"),
    path("preferences/", views.ReminderPreferencesView.as_view(), name="preferences"),
    path("all/", views.ReminderListView.as_view(), name="reminder_list"),
    path("<int:pk>/retry/", views.ReminderRetryView.as_view(), name="reminder_retry"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("sms/texts/", sms.SmsTemplateListView.as_view(), name="sms_template_list"),
    path("sms/texts/<str:kind>/<str:language>/", sms.SmsTemplateEditView.as_view(), name="sms_template_edit"),
    path("sms/inbox/", sms.SmsInboxView.as_view(), name="sms_inbox"),
    path("sms/inbox/<int:pk>/handled/", sms.SmsInboxHandledView.as_view(), name="sms_inbox_handled"),
    path("sms/areas/", sms.SmsAreaListView.as_view(), name="sms_area_list"),
    path("sms/areas/<str:area>/", sms.SmsAreaDetailView.as_view(), name="sms_area_detail"),
    path("sms/hooks/android/", sms.AndroidHookView.as_view(), name="sms_android_hook"),
    path("sms/hooks/twilio/inbound/", sms.TwilioHookView.as_view(), name="sms_twilio_inbound"),
    path("sms/hooks/twilio/status/<str:key>/", sms.TwilioHookView.as_view(), name="sms_twilio_status"),
]
