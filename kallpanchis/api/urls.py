"""/api/v1/: the read API, its OpenAPI schema and documentation page; /api/tokens/: personal tokens."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import views, views_pages

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False  # JSON only: no ".json" twins of every URL
router.register("provinces", views.ProvinceViewSet, basename="province")
router.register("districts", views.DistrictViewSet, basename="district")
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("spaces", views.SpaceViewSet, basename="space")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("associations", views.ProducerAssociationViewSet, basename="association")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("budget-cycles", views.BudgetCycleViewSet, basename="budget-cycle")
router.register("agents", views.AgentViewSet, basename="agent")
router.register("proposals", views.ProposalViewSet, basename="proposal")
router.register("allocations", views.AllocationViewSet, basename="allocation")
router.register("scores", views.ScoreViewSet, basename="score")
router.register("execution-updates", views.ExecutionUpdateViewSet, basename="execution-update")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("reported-values", views.ReportedValueViewSet, basename="reported-value")

app_name = "api"
urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs/", views_pages.ApiDocsView.as_view(), name="docs"),
    path("tokens/", views_pages.TokenListView.as_view(), name="token_list"),
    path("tokens/all/", views_pages.TokenAllView.as_view(), name="token_all"),
    path("tokens/<int:pk>/", views_pages.TokenEditView.as_view(), name="token_edit"),
    path("tokens/<int:pk>/revoke/", views_pages.TokenRevokeView.as_view(), name="token_revoke"),
]
