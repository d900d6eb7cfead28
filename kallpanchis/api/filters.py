"""Query filters of the API's lists (django-filter); the OpenAPI schema lists them."""

import django_filters as df

from budgets.models import BudgetCycle, ExecutionUpdate, ParticipatingAgent, Proposal, Score
from municipalities.models import District, Municipality
from producers.models import OperatingPlan, ProducerAssociation
from results.models import Report
from spaces.models import Agreement, ConcertationSpace, Meeting


class DistrictFilter(df.FilterSet):
    province = df.CharFilter(field_name="province__code")

    class Meta:
        model = District
        fields = ["province"]


class MunicipalityFilter(df.FilterSet):
    province = df.CharFilter(field_name="province__code")

    class Meta:
        model = Municipality
        fields = ["level", "province", "publishes_open_data"]


class SpaceFilter(df.FilterSet):
    class Meta:
        model = ConcertationSpace
        fields = ["municipality", "association", "level", "kind", "is_public", "parent"]


class MeetingFilter(df.FilterSet):
    municipality = df.NumberFilter(field_name="space__municipality")
    starts_after = df.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = df.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Meeting
        fields = ["space", "municipality", "status", "starts_after", "starts_before"]


class AgreementFilter(df.FilterSet):
    space = df.NumberFilter(field_name="meeting__space")
    due_after = df.DateFilter(field_name="due_date", lookup_expr="gte")
    due_before = df.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = Agreement
        fields = ["meeting", "space", "status", "responsible_organisation", "due_after", "due_before"]


class ProducerAssociationFilter(df.FilterSet):
    district = df.CharFilter(field_name="district__ubigeo")
    province = df.CharFilter(field_name="district__province__code")

    class Meta:
        model = ProducerAssociation
        fields = ["district", "province"]


class PlanFilter(df.FilterSet):
    class Meta:
        model = OperatingPlan
        fields = ["association", "year", "status", "is_current"]


class BudgetCycleFilter(df.FilterSet):
    class Meta:
        model = BudgetCycle
        fields = ["municipality", "fiscal_year"]


class AgentFilter(df.FilterSet):
    class Meta:
        model = ParticipatingAgent
        fields = ["cycle", "status", "kind", "organisation"]


class ProposalFilter(df.FilterSet):
    district = df.CharFilter(field_name="district__ubigeo")
    prioritised = df.BooleanFilter(field_name="allocated", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Proposal
        fields = ["cycle", "status", "district", "prioritised"]


class AllocationFilter(df.FilterSet):
    district = df.CharFilter(field_name="district__ubigeo")

    class Meta:
        model = Proposal
        fields = ["cycle", "district"]


class ScoreFilter(df.FilterSet):
    cycle = df.NumberFilter(field_name="proposal__cycle")

    class Meta:
        model = Score
        fields = ["cycle", "proposal", "criterion"]


class ExecutionUpdateFilter(df.FilterSet):
    cycle = df.NumberFilter(field_name="proposal__cycle")

    class Meta:
        model = ExecutionUpdate
        fields = ["cycle", "proposal"]


class ReportedValueFilter(df.FilterSet):
    indicator = df.CharFilter(field_name="indicator__code")
    year = df.NumberFilter(field_name="period__year")

    class Meta:
        model = Report
        fields = ["indicator", "municipality", "year"]
