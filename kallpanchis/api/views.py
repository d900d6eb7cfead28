"""The read API, v1: thin read-only viewsets over selectors.py, with filters, ordering, cursor pages and
ETags (a conditional GET with the same ETag answers 304 and no body)."""

import hashlib

from django.utils.cache import get_conditional_response, patch_vary_headers
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from kallpanchis.core.caching import ALL, cached_for
from kallpanchis.dashboard import selectors as dashboard

from . import filters, selectors, serializers
from .pagination import Cursor
from .permissions import ReadsPublishedOrSignedIn


def with_etag(request, response):
    """A strong ETag from the body; If-None-Match with it gives 304. The body depends on who asks (their
    scope), so caches must key on the credentials too."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:40] + '"'
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ("Authorization", "Cookie", "Accept-Language"))
    conditional = get_conditional_response(request, etag=etag, response=response)
    if conditional is not response:
        conditional["Cache-Control"] = response["Cache-Control"]
        conditional["Vary"] = response["Vary"]
    return conditional


def cached_list(request, compute) -> Response:
    """A list's answer from the cache while no table an answer can read has changed (the "all" data version,
    kallpanchis/history/versioning.py), for this person (their own key, not only their roles: the API never
    shares one person's answer with another), this URL (filters, ordering, cursor, page size, host of the
    links), today and the language. A miss computes it, scoped as always. Throttling and authentication run
    before."""
    user = request.user
    who = f"user:{user.pk}" if user.is_authenticated else "anonymous"
    data = cached_for(
        "api:list",
        user=user,
        groups=(ALL,),
        compute=lambda: compute().data,
        key=(who, request.build_absolute_uri(), request.accepted_renderer.format),
    )
    return Response(data)


class ReadViewSet(viewsets.ReadOnlyModelViewSet):
    public = False  # True: anonymous readers get what is published (selectors decide what)
    permission_classes = [ReadsPublishedOrSignedIn]
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    pagination_class = Cursor
    ordering_fields = ["id"]
    ordering = ("-id",)
    # Any path segment reaches the view, so that a malformed id is a JSON 404, not the site's HTML page.
    lookup_value_regex = "[^/]+"
    selector = None

    def get_queryset(self):
        return type(self).selector(user=self.request.user)

    def list(self, request, *args, **kwargs):
        return cached_list(request, lambda: super(ReadViewSet, self).list(request, *args, **kwargs))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return with_etag(request, response)


class ProvinceViewSet(ReadViewSet):
    """Cusco's provinces (INEI UBIGEO), with their reference figures. Public."""

    public = True
    serializer_class = serializers.ProvinceSerializer
    ordering_fields = ["id", "code"]
    ordering = ("code",)
    lookup_field = "code"
    selector = staticmethod(lambda user: selectors.provinces())


class DistrictViewSet(ReadViewSet):
    """Cusco's districts (INEI UBIGEO), with their reference figures. Public."""

    public = True
    serializer_class = serializers.DistrictSerializer
    filterset_class = filters.DistrictFilter
    ordering_fields = ["id", "ubigeo"]
    ordering = ("ubigeo",)
    lookup_field = "ubigeo"
    selector = staticmethod(lambda user: selectors.districts())


class MunicipalityViewSet(ReadViewSet):
    """Municipalities: every one for people signed in; anonymous readers, those that publish open data."""

    public = True
    serializer_class = serializers.MunicipalitySerializer
    filterset_class = filters.MunicipalityFilter
    ordering = ("id",)
    selector = staticmethod(selectors.municipalities_for)


class SpaceViewSet(ReadViewSet):
    """Concertation spaces in the reader's scope, and the public spaces of publishing municipalities."""

    public = True
    serializer_class = serializers.SpaceSerializer
    filterset_class = filters.SpaceFilter
    ordering_fields = ["id", "name", "updated_at"]
    ordering = ("name", "id")
    selector = staticmethod(selectors.spaces_for)


class MeetingViewSet(ReadViewSet):
    """Meetings: dates, place, agenda, agreements and attendance counted by gender (never names)."""

    public = True
    serializer_class = serializers.MeetingSerializer
    filterset_class = filters.MeetingFilter
    ordering_fields = ["id", "starts_at", "updated_at"]
    ordering = ("-starts_at", "-id")
    selector = staticmethod(selectors.meetings_for)


class AgreementViewSet(ReadViewSet):
    """Agreements of meetings, with the responsible organisation, due date and status."""

    public = True
    serializer_class = serializers.AgreementSerializer
    filterset_class = filters.AgreementFilter
    ordering_fields = ["id", "due_date", "updated_at"]
    ordering = ("due_date", "id")
    selector = staticmethod(selectors.agreements_for)


class ProducerAssociationViewSet(ReadViewSet):
    """Producer associations in the reader's scope, members counted by gender. Signed in only."""

    serializer_class = serializers.ProducerAssociationSerializer
    filterset_class = filters.ProducerAssociationFilter
    ordering_fields = ["id", "families", "updated_at"]
    ordering = ("id",)
    selector = staticmethod(selectors.associations_for)


class PlanViewSet(ReadViewSet):
    """Annual operating plans: status, activities and budget by source. Signed in only."""

    serializer_class = serializers.PlanSerializer
    filterset_class = filters.PlanFilter
    ordering_fields = ["id", "year", "updated_at"]
    ordering = ("-year", "id")
    selector = staticmethod(selectors.plans_for)


class BudgetCycleViewSet(ReadViewSet):
    """Participatory-budget cycles: envelope, phases and totals of agents, proposals, allocation and
    spending."""

    public = True
    serializer_class = serializers.BudgetCycleSerializer
    filterset_class = filters.BudgetCycleFilter
    ordering_fields = ["id", "fiscal_year", "updated_at"]
    ordering = ("-fiscal_year", "id")
    selector = staticmethod(selectors.cycles_for)


class AgentViewSet(ReadViewSet):
    """Participating agents (organisations) of the cycles; anonymous readers see the accredited ones."""

    public = True
    serializer_class = serializers.AgentSerializer
    filterset_class = filters.AgentFilter
    ordering = ("id",)
    selector = staticmethod(selectors.agents_for)


class ProposalViewSet(ReadViewSet):
    """Project proposals with their evaluation, score, rank, allocation and execution; anonymous readers
    see the ranked ones."""

    public = True
    serializer_class = serializers.ProposalSerializer
    filterset_class = filters.ProposalFilter
    ordering_fields = ["id", "cost", "families", "updated_at"]
    ordering = ("id",)
    selector = staticmethod(selectors.proposals_for)


class AllocationViewSet(ReadViewSet):
    """Prioritised projects: what each was allocated, how far it has got, what was spent."""

    public = True
    serializer_class = serializers.AllocationSerializer
    filterset_class = filters.AllocationFilter
    ordering_fields = ["id", "allocated", "spent"]
    ordering = ("id",)
    selector = staticmethod(selectors.allocations_for)


class ScoreViewSet(ReadViewSet):
    """Scores of proposals by criterion (the prioritisation matrix). Signed in only."""

    serializer_class = serializers.ScoreSerializer
    filterset_class = filters.ScoreFilter
    ordering = ("id",)
    selector = staticmethod(selectors.scores_for)


class ExecutionUpdateViewSet(ReadViewSet):
    """The dated execution figures of prioritised projects. Signed in only."""

    serializer_class = serializers.ExecutionUpdateSerializer
    filterset_class = filters.ExecutionUpdateFilter
    ordering_fields = ["id", "on"]
    ordering = ("-on", "-id")
    selector = staticmethod(selectors.execution_updates_for)


class ReportedValueViewSet(ReadViewSet):
    """Values reported for the results framework's indicators, in the version that counts (the latest
    approved), with their disaggregated figures. Anonymous readers get those of publishing municipalities."""

    public = True
    serializer_class = serializers.ReportedValueSerializer
    filterset_class = filters.ReportedValueFilter
    ordering_fields = ["id", "updated_at"]
    ordering = ("id",)
    selector = staticmethod(selectors.reported_values_for)


# --- indicators: the dashboard's figures, in the reader's scope (a short list: no pages) -----------------


def _indicator_row(figure) -> dict:
    indicator = figure.indicator
    return {
        "code": indicator.code,
        "result": indicator.result,
        "name": indicator.name,
        "unit": indicator.unit,
        "baseline": indicator.baseline,
        "baseline_year": indicator.baseline_year,
        "computation": indicator.computation,
        "disaggregations": list(indicator.disaggregations),
        "higher_is_better": indicator.higher_is_better,
        "value": figure.actual,
        "target": figure.target,
        "by_year": [{"year": y, "value": v, "target": t} for y, v, t in figure.trend],
        "by_gender": [{"gender": g, "value": v} for g, v in figure.by_gender],
    }


@extend_schema_view(
    list=extend_schema(responses=serializers.IndicatorSerializer(many=True)),
    retrieve=extend_schema(
        responses=serializers.IndicatorDetailSerializer,
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH)],
    ),
)
class IndicatorViewSet(viewsets.ViewSet):
    """The project's indicators (logical framework) with their values by year and gender, computed from
    the dashboard's precomputed facts in the reader's territory; one indicator adds its facts by year and
    place. Coordinators, partner staff and municipal staff (as the dashboard)."""

    permission_classes = [ReadsPublishedOrSignedIn]
    serializer_class = serializers.IndicatorSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def list(self, request):
        def compute():
            figures = dashboard.dashboard_figures(user=request.user, filters=dashboard.Filters())["figures"]
            return serializers.IndicatorSerializer([_indicator_row(f) for f in figures], many=True)

        return cached_list(request, compute)

    def retrieve(self, request, code=None):
        filters = dashboard.Filters()
        figures = dashboard.dashboard_figures(user=request.user, filters=filters)["figures"]
        figure = next((f for f in figures if f.indicator.code == code), None)
        if figure is None:
            from django.http import Http404

            raise Http404
        row = _indicator_row(figure)
        row["by_place"] = dashboard.indicator_by_year_and_place(
            user=request.user, filters=filters, indicator=figure.indicator
        )
        return Response(serializers.IndicatorDetailSerializer(row).data)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return with_etag(request, response)
