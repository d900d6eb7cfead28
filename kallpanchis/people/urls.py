from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.PersonListView.as_view(), name="person_list"),
    path("search.json", views.PersonSearchJsonView.as_view(), name="person_search"),
    path("new/", views.PersonCreateView.as_view(), name="person_create"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("<int:pk>/consent/", views.PersonConsentView.as_view(), name="person_consent"),
    path("<int:pk>/export.csv", views.PersonExportCsvView.as_view(), name="person_export_csv"),
    path("<int:pk>/export.pdf", views.PersonExportPdfView.as_view(), name="person_export_pdf"),
    path("<int:pk>/erase/", views.PersonEraseView.as_view(), name="person_erase"),
    path("<int:pk>/merge/", views.PersonMergeView.as_view(), name="person_merge"),
    path("consents/<int:pk>/sheet/", views.ConsentSheetView.as_view(), name="consent_sheet"),
    path("merges/<int:pk>/undo/", views.MergeUndoView.as_view(), name="merge_undo"),
    path("matches/", views.MatchListView.as_view(), name="match_list"),
    path("matches/<int:pk>/", views.MatchDecideView.as_view(), name="match_decide"),
    path("families/", views.FamilyListView.as_view(), name="family_list"),
    path("families/new/", views.FamilyCreateView.as_view(), name="family_create"),
    path("families/<int:pk>/", views.FamilyDetailView.as_view(), name="family_detail"),
]
