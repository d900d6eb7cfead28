from django.urls import path

from .views import framework, reports, scorecard

app_name = "results"
urlpatterns = [
    path("", reports.report_list, name="report_list"),
    path("indicators/", framework.indicator_list, name="indicator_list"),
    path("indicators/new/", framework.indicator_create, name="indicator_create"),
    path("indicators/results/new/", framework.result_create, name="result_create"),
    path("indicators/<int:pk>/", framework.indicator_detail, name="indicator_detail"),
    path("indicators/<int:pk>/edit/", framework.indicator_edit, name="indicator_edit"),
    path("report/<int:indicator>/<int:municipality>/<int:period>/", reports.report_form, name="report_form"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/approve/", reports.report_approve, name="report_approve"),
    path("reports/<int:pk>/return/", reports.report_return, name="report_return"),
    path("reports/<int:pk>/correct/", reports.report_correct, name="report_correct"),
    path("reports/<int:pk>/evidence/", reports.report_evidence, name="report_evidence"),
    path("scorecard/", scorecard.scorecard, name="scorecard"),
    path("scorecard/export.xlsx", scorecard.scorecard_export, name="scorecard_export"),
    path("scorecard/<int:indicator>/<int:municipality>/", scorecard.cell_detail, name="cell_detail"),
]
