"""What each API resource says. No field carries a person's name, DNI, phone or e-mail: attendance and
members are counts by gender, organisations are named, people never (so an answer can be shared as is)."""

from rest_framework import serializers

from budgets.models import BudgetCycle, ExecutionUpdate, ParticipatingAgent, Phase, Proposal, Score
from kallpanchis.organisations.models import Organisation
from municipalities.models import District, Municipality, Province
from producers.models import OperatingPlan, ProducerAssociation
from results.models import Report
from spaces.models import AgendaItem, Agreement, ConcertationSpace, Meeting, SpaceMember


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind"]


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = [
            "id",
            "code",
            "name",
            "capital",
            "latitude",
            "longitude",
            "altitude_m",
            "area_km2",
            "population_estimate",
            "poverty_pct",
            "extreme_poverty_pct",
        ]


class DistrictSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code", read_only=True)

    class Meta:
        model = District
        fields = [
            "id",
            "ubigeo",
            "name",
            "province",
            "capital",
            "latitude",
            "longitude",
            "altitude_m",
            "area_km2",
            "population_estimate",
            "poverty_pct",
            "extreme_poverty_pct",
        ]


class MunicipalityRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organisation.name", read_only=True)
    ubigeo = serializers.CharField(read_only=True)

    class Meta:
        model = Municipality
        fields = ["id", "name", "level", "ubigeo"]


class MunicipalitySerializer(MunicipalityRefSerializer):
    province = serializers.CharField(source="province.code", read_only=True)
    district = serializers.CharField(source="district.ubigeo", read_only=True)

    class Meta:
        model = Municipality
        fields = [
            "id",
            "name",
            "level",
            "ubigeo",
            "province",
            "district",
            "office_name",
            "publishes_open_data",
        ]


# --- spaces ---------------------------------------------------------------------------------------------


class SpaceMemberSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)

    class Meta:
        model = SpaceMember
        fields = ["organisation", "role"]


class AssociationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SpaceSerializer(serializers.ModelSerializer):
    municipality = MunicipalityRefSerializer(read_only=True, allow_null=True)
    association = AssociationRefSerializer(read_only=True, allow_null=True)
    thematic_group = serializers.CharField(source="thematic_group.name", read_only=True, allow_null=True)
    members = SpaceMemberSerializer(many=True, read_only=True)
    meeting_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ConcertationSpace
        fields = [
            "id",
            "name",
            "level",
            "kind",
            "municipality",
            "association",
            "parent",
            "thematic_group",
            "purpose",
            "is_public",
            "members",
            "meeting_count",
            "updated_at",
        ]


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["position", "title", "duration_minutes", "is_follow_up"]


class AttendanceCountsSerializer(serializers.Serializer):
    """Who came, counted: never names."""

    total = serializers.IntegerField(source="attendance_total")
    female = serializers.IntegerField(source="attendance_female")
    male = serializers.IntegerField(source="attendance_male")
    unstated = serializers.SerializerMethodField()

    def get_unstated(self, meeting) -> int:
        return meeting.attendance_total - meeting.attendance_female - meeting.attendance_male


class MeetingSerializer(serializers.ModelSerializer):
    space_name = serializers.CharField(source="space.name", read_only=True)
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)
    attendance = AttendanceCountsSerializer(source="*", read_only=True)
    agreements = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "space",
            "space_name",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "status",
            "agenda",
            "attendance",
            "agreements",
            "updated_at",
        ]


class AgreementSerializer(serializers.ModelSerializer):
    space = serializers.IntegerField(source="meeting.space_id", read_only=True)
    responsible_organisation = OrganisationRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "meeting",
            "space",
            "what",
            "responsible_organisation",
            "due_date",
            "status",
            "done_on",
            "updated_at",
        ]


# --- producers ------------------------------------------------------------------------------------------


class MemberCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField(source="member_count")
    female = serializers.IntegerField(source="member_female")
    male = serializers.IntegerField(source="member_male")


class ProducerAssociationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organisation.name", read_only=True)
    district = serializers.CharField(source="district.ubigeo", read_only=True)
    province = serializers.CharField(source="district.province.code", read_only=True)
    productive_lines = serializers.ListField(child=serializers.CharField(), read_only=True)
    members = MemberCountsSerializer(source="*", read_only=True)

    class Meta:
        model = ProducerAssociation
        fields = [
            "id",
            "name",
            "ruc",
            "district",
            "province",
            "communities",
            "founded_on",
            "families",
            "productive_lines",
            "members",
            "updated_at",
        ]


class PlanBudgetSerializer(serializers.Serializer):
    # One per producers.models.BudgetSource (a private plan has no participatory-budget source).
    own = serializers.DecimalField(max_digits=14, decimal_places=2, source="budget_own")
    procompite = serializers.DecimalField(max_digits=14, decimal_places=2, source="budget_procompite")
    agroideas = serializers.DecimalField(max_digits=14, decimal_places=2, source="budget_agroideas")
    ngo = serializers.DecimalField(max_digits=14, decimal_places=2, source="budget_ngo")
    credit = serializers.DecimalField(max_digits=14, decimal_places=2, source="budget_credit")
    other = serializers.DecimalField(max_digits=14, decimal_places=2, source="budget_other")
    total = serializers.DecimalField(max_digits=14, decimal_places=2, source="budget_total")


class PlanSerializer(serializers.ModelSerializer):
    association_name = serializers.CharField(source="association.organisation.name", read_only=True)
    activity_count = serializers.IntegerField(read_only=True)
    budget = PlanBudgetSerializer(source="*", read_only=True)

    class Meta:
        model = OperatingPlan
        fields = [
            "id",
            "association",
            "association_name",
            "year",
            "version",
            "is_current",
            "status",
            "submitted_at",
            "general_objective",
            "activity_count",
            "budget",
            "updated_at",
        ]


# --- budgets --------------------------------------------------------------------------------------------


class PhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["kind", "position", "starts_on", "ends_on"]


class CycleTotalsSerializer(serializers.Serializer):
    agents = serializers.IntegerField(source="agent_count")
    accredited_agents = serializers.IntegerField(source="accredited_count")
    proposals = serializers.IntegerField(source="proposal_count")
    prioritised = serializers.IntegerField(source="prioritised_count")
    allocated = serializers.DecimalField(max_digits=14, decimal_places=2, source="allocated_total")
    spent = serializers.DecimalField(max_digits=14, decimal_places=2, source="spent_total")


class BudgetCycleSerializer(serializers.ModelSerializer):
    municipality = MunicipalityRefSerializer(read_only=True)
    prioritised_results = serializers.ListField(
        source="results_list", child=serializers.CharField(), read_only=True
    )
    phases = PhaseSerializer(many=True, read_only=True)
    totals = CycleTotalsSerializer(source="*", read_only=True)

    class Meta:
        model = BudgetCycle
        fields = [
            "id",
            "municipality",
            "fiscal_year",
            "envelope",
            "ordinance_reference",
            "prioritised_results",
            "phases",
            "totals",
            "updated_at",
        ]


class AgentSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)

    class Meta:
        model = ParticipatingAgent
        fields = ["id", "cycle", "organisation", "kind", "status", "registered_at"]


class ProposalSerializer(serializers.ModelSerializer):
    agent_organisation = OrganisationRefSerializer(source="agent.organisation", read_only=True)
    district = serializers.CharField(source="district.ubigeo", read_only=True)
    requested = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "cycle",
            "number",
            "title",
            "result",
            "agent_organisation",
            "district",
            "cost",
            "cofinancing",
            "requested",
            "families",
            "women",
            "status",
            "rank",
            "total_score",
            "allocated",
            "progress_pct",
            "spent",
            "figures_on",
            "expected_end",
            "updated_at",
        ]


class AllocationSerializer(serializers.ModelSerializer):
    proposal = serializers.IntegerField(source="pk", read_only=True)
    agent_organisation = OrganisationRefSerializer(source="agent.organisation", read_only=True)
    district = serializers.CharField(source="district.ubigeo", read_only=True)
    requested = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    milestones = serializers.IntegerField(source="milestone_count", read_only=True)
    milestones_done = serializers.IntegerField(source="milestone_done", read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "proposal",
            "cycle",
            "rank",
            "title",
            "agent_organisation",
            "district",
            "requested",
            "allocated",
            "progress_pct",
            "spent",
            "figures_on",
            "expected_end",
            "milestones",
            "milestones_done",
        ]


class CriterionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    scale_max = serializers.IntegerField()


class ScoreSerializer(serializers.ModelSerializer):
    cycle = serializers.IntegerField(source="proposal.cycle_id", read_only=True)
    criterion = CriterionRefSerializer(read_only=True)

    class Meta:
        model = Score
        fields = ["id", "cycle", "proposal", "criterion", "value", "from_paper_sheet"]


class ExecutionUpdateSerializer(serializers.ModelSerializer):
    cycle = serializers.IntegerField(source="proposal.cycle_id", read_only=True)

    class Meta:
        model = ExecutionUpdate
        fields = ["id", "cycle", "proposal", "on", "progress_pct", "spent"]


# --- indicators (from the dashboard's precomputed facts) --------------------------------------------------


class YearValueSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    target = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)


class GenderValueSerializer(serializers.Serializer):
    gender = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)


class PlaceValueSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    province = serializers.CharField()
    district = serializers.CharField()
    numerator = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    denominator = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    result = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField()
    baseline = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    baseline_year = serializers.IntegerField(allow_null=True)
    computation = serializers.CharField()
    disaggregations = serializers.ListField(child=serializers.CharField())
    higher_is_better = serializers.BooleanField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    target = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    by_year = YearValueSerializer(many=True)
    by_gender = GenderValueSerializer(many=True)


class IndicatorDetailSerializer(IndicatorSerializer):
    by_place = PlaceValueSerializer(many=True)


class ReportedValueSerializer(serializers.ModelSerializer):
    """A figure of the results framework, as approved: never the narrative, the evidence or who reviewed."""

    indicator = serializers.CharField(source="indicator.code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    unit = serializers.CharField(source="indicator.unit", read_only=True)
    municipality_ubigeo = serializers.CharField(source="municipality.ubigeo", read_only=True)
    year = serializers.IntegerField(source="period.year", read_only=True)
    period = serializers.IntegerField(source="period.number", read_only=True)
    frequency = serializers.CharField(source="period.frequency", read_only=True)
    level_label = serializers.CharField(read_only=True)
    approved_at = serializers.DateTimeField(source="reviewed_at", read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "indicator",
            "indicator_name",
            "unit",
            "municipality",
            "municipality_ubigeo",
            "year",
            "period",
            "frequency",
            "version",
            "value",
            "level",
            "level_label",
            "disaggregation",
            "approved_at",
            "updated_at",
        ]
