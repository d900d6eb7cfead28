from django.urls import path, re_path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("map/", views.district_map, name="map"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator_detail"),
    path("reported/<slug:code>/", views.reported_detail, name="reported_detail"),
    re_path(
        r"^export/(?P<table>summary|years|districts|reported)\.(?P<fmt>csv|xlsx)$",
        views.export,
        name="export",
    ),
    path("report.pdf", views.report, name="report"),
    path("refresh/", views.refresh, name="refresh"),
]
