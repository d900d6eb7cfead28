"""/open-data/: the published datasets as CSV and JSON, their licence and data dictionary."""

from django.urls import path

from . import views_open_data as views

app_name = "open_data"
urlpatterns = [
    path("", views.index, name="index"),
    path("dictionary/", views.dictionary, name="dictionary"),
    path("<slug:slug>.<str:fmt>", views.dataset, name="dataset"),
]
