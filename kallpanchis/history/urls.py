from django.urls import path

from . import views

app_name = "history"
urlpatterns = [
    path("<slug:app_label>/<slug:model_name>/<int:pk>/", views.ObjectHistoryView.as_view(), name="object"),
]
