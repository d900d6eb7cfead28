from django.urls import path, re_path

from . import views

app_name = "municipalities"
urlpatterns = [
    path("", views.MunicipalityListView.as_view(), name="municipality_list"),
    re_path(
        r"^export\.(?P<fmt>csv|xlsx)$",
        views.MunicipalityListView.as_view(export=True),
        name="municipality_export",
    ),
    path("<int:pk>/", views.MunicipalityDetailView.as_view(), name="municipality_detail"),
    path("<int:pk>/public/", views.MunicipalityPublicView.as_view(), name="municipality_public"),
    path("<int:pk>/edit/", views.MunicipalityEditView.as_view(), name="municipality_edit"),
    path("map/", views.MapView.as_view(), name="map"),
    re_path(
        r"^map/(?P<layer>districts|provinces)\.geojson$", views.BoundariesView.as_view(), name="boundaries"
    ),
    path(
        "map/boundaries-licence.txt",
        views.BoundariesView.as_view(),
        {"layer": "licence"},
        name="boundaries_licence",
    ),
    # Partnership agreements (convenios)
    path("agreements/", views.AgreementListView.as_view(), name="agreement_list"),
    re_path(
        r"^agreements/export\.(?P<fmt>csv|xlsx)$",
        views.AgreementListView.as_view(export=True),
        name="agreement_export",
    ),
    path("agreements/new/", views.AgreementFormView.as_view(), name="agreement_create"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.AgreementFormView.as_view(), name="agreement_edit"),
    path("agreements/<int:pk>/document/", views.AgreementDocumentView.as_view(), name="agreement_document"),
    # The technicians' network
    path("technicians/", views.TechnicianListView.as_view(), name="technician_list"),
    re_path(
        r"^technicians/export\.(?P<fmt>csv|xlsx)$",
        views.TechnicianListView.as_view(export=True),
        name="technician_export",
    ),
    path("technicians/new/", views.TechnicianFormView.as_view(), name="technician_create"),
    path("technicians/<int:pk>/", views.TechnicianDetailView.as_view(), name="technician_detail"),
    path("technicians/<int:pk>/edit/", views.TechnicianFormView.as_view(), name="technician_edit"),
    path("trainings/", views.TrainingListView.as_view(), name="training_list"),
    re_path(
        r"^trainings/export\.(?P<fmt>csv|xlsx)$",
        views.TrainingListView.as_view(export=True),
        name="training_export",
    ),
    path("trainings/new/", views.TrainingFormView.as_view(), name="training_create"),
    path("trainings/<int:pk>/", views.TrainingDetailView.as_view(), name="training_detail"),
    path("trainings/<int:pk>/edit/", views.TrainingFormView.as_view(), name="training_edit"),
    path("trainings/<int:pk>/attendance/", views.AttendanceAddView.as_view(), name="attendance_add"),
    path(
        "trainings/<int:pk>/attendance/<int:row>/remove/",
        views.AttendanceRemoveView.as_view(),
        name="attendance_remove",
    ),
    # Mancomunidades
    path("associations/", views.AssociationListView.as_view(), name="association_list"),
    re_path(
        r"^associations/export\.(?P<fmt>csv|xlsx)$",
        views.AssociationListView.as_view(export=True),
        name="association_export",
    ),
    path("associations/new/", views.AssociationFormView.as_view(), name="association_create"),
    path("associations/<int:pk>/", views.AssociationDetailView.as_view(), name="association_detail"),
    path("associations/<int:pk>/edit/", views.AssociationFormView.as_view(), name="association_edit"),
    path("associations/<int:pk>/actions/", views.ActionAddView.as_view(), name="action_add"),
    path(
        "associations/<int:pk>/actions/<int:action>/remove/",
        views.ActionRemoveView.as_view(),
        name="action_remove",
    ),
    # Events
    path("events/", views.EventListView.as_view(), name="event_list"),
    re_path(
        r"^events/export\.(?P<fmt>csv|xlsx)$", views.EventListView.as_view(export=True), name="event_export"
    ),
    path("events/new/", views.EventFormView.as_view(), name="event_create"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event_detail"),
    path("events/<int:pk>/edit/", views.EventFormView.as_view(), name="event_edit"),
    path("events/<int:pk>/participation/", views.ParticipationSetView.as_view(), name="participation_set"),
    path(
        "events/<int:pk>/participation/<int:row>/remove/",
        views.ParticipationRemoveView.as_view(),
        name="participation_remove",
    ),
]
