from django.urls import path, re_path

from . import views

app_name = "producers"
urlpatterns = [
    path("", views.AssociationListView.as_view(), name="association_list"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.AssociationExportView.as_view(), name="association_export"),
    re_path(
        r"^(?P<pk>[0-9]+)/members/export\.(?P<fmt>csv|xlsx)$",
        views.MemberExportView.as_view(),
        name="member_export",
    ),
    path("new/", views.AssociationCreateView.as_view(), name="association_create"),
    path("<int:pk>/", views.AssociationDetailView.as_view(), name="association_detail"),
    path("<int:pk>/edit/", views.AssociationUpdateView.as_view(), name="association_update"),
    path("<int:pk>/members/new/", views.MemberCreateView.as_view(), name="member_create"),
    path("members/<int:pk>/edit/", views.MemberUpdateView.as_view(), name="member_update"),
    path("members/<int:pk>/delete/", views.MemberDeleteView.as_view(), name="member_delete"),
    path("<int:pk>/plans/new/", views.PlanStartView.as_view(), name="plan_start"),
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    re_path(r"^plans/export\.(?P<fmt>csv|xlsx)$", views.PlanExportView.as_view(), name="plan_export"),
    path("plans/deadlines/", views.DeadlineListView.as_view(), name="deadline_list"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/edit/", views.PlanEditView.as_view(), name="plan_edit"),
    path("plans/<int:pk>/autosave/", views.PlanAutosaveView.as_view(), name="plan_autosave"),
    path("plans/<int:pk>/submit/", views.PlanSubmitView.as_view(), name="plan_submit"),
    path("plans/<int:pk>/return/", views.PlanReturnView.as_view(), name="plan_return"),
    path("plans/<int:pk>/asamblea/", views.PlanAssemblyView.as_view(), name="plan_assembly"),
    path("plans/<int:pk>/asamblea/acta/", views.PlanAssemblyActaView.as_view(), name="plan_assembly_acta"),
    path(
        "plans/<int:pk>/validate-municipality/",
        views.PlanMunicipalityValidateView.as_view(),
        name="plan_validate_municipality",
    ),
    path("plans/<int:pk>/validate/", views.PlanValidateView.as_view(), name="plan_validate"),
    path("plans/<int:pk>/reports/new/", views.ReportCreateView.as_view(), name="report_create"),
    path("plans/<int:pk>/reports/sync/", views.ReportSyncView.as_view(), name="report_sync"),
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/calendar/", views.CalendarView.as_view(), name="calendar_list"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/edit/", views.ReportCorrectView.as_view(), name="report_correct"),
    path("reports/<int:pk>/return/", views.ReportReturnView.as_view(), name="report_return"),
    path("reports/<int:pk>/validate/", views.ReportValidateView.as_view(), name="report_validate"),
    path("reports/photos/<int:pk>/", views.ReportPhotoView.as_view(), name="report_photo"),
    path("plans/<int:pk>/new-version/", views.PlanVersionNewView.as_view(), name="plan_version_new"),
    path("plans/<int:pk>/compare/", views.PlanDiffView.as_view(), name="plan_diff"),
    path("plans/<int:pk>/pdf/", views.PlanPdfView.as_view(), name="plan_pdf"),
    path("<int:pk>/production/", views.ProductionListView.as_view(), name="production_list"),
    re_path(
        r"^(?P<pk>[0-9]+)/production/export\.(?P<fmt>csv|xlsx)$",
        views.ProductionExportView.as_view(),
        name="production_export",
    ),
    path("<int:pk>/production/new/", views.ProductionCreateView.as_view(), name="production_create"),
    path("production/<int:pk>/edit/", views.ProductionUpdateView.as_view(), name="production_update"),
    path("<int:pk>/production/import/", views.ProductionImportView.as_view(), name="production_import"),
    path(
        "<int:pk>/production/template.csv", views.ProductionTemplateView.as_view(), name="production_template"
    ),
]
