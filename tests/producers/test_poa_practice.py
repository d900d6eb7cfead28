"""The annual operating plan (POA) as producer associations write it, each rule a test named after it.

Associations are civil-law associations (Código Civil, arts. 80-98): their asamblea general of members
approves the plan, with the quorum and majority of art. 87 (first call: more than half of the members;
second call: any number; agreements by more than half of those present), written in the book of actas.
The NGO and the municipality then validate it; the budget is written line by line as quantity × unit cost,
telling the cash from the valued in-kind contributions (days of work, land, animals, local materials), and
funded by the sources such plans really have: the association itself, the municipality's Procompite
(Ley 29337), Agroideas (the Ministry of Agriculture's programme), the NGO, credit, other."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from producers.models import BudgetLine, BudgetSource, OperatingPlan, PlanEvent
from producers.services import (
    ActivityData,
    BudgetLineData,
    plan_assembly_record,
    plan_missing,
    plan_save_draft,
    plan_start,
    plan_submit,
    plan_validate,
    plan_validate_municipality,
    plan_version_new,
)

from .factories import filled_plan, full_content, validated_plan

pytestmark = pytest.mark.django_db


def draft(association, leader, budget=None):
    plan = plan_start(by=leader, association=association, year=2010)
    content = full_content()
    if budget is not None:
        content.activities[0].budget = budget
    return plan_save_draft(by=leader, plan=plan, revision=plan.revision, content=content)


def record(plan, leader, **overrides):
    values = dict(
        held_on=datetime.date(2010, 1, 16),
        call="first",
        minutes_ref="Libro de actas 2, folio 35",
        members_present=30,
        members_total=45,
        votes_for=28,
    )
    values.update(overrides)
    return plan_assembly_record(by=leader, plan=plan, **values)


def test_the_asamblea_approves_the_plan_before_it_is_sent(association, leader):
    """The association's plan is the members' decision: the asamblea general approves it (Código Civil,
    art. 84: the asamblea is the association's supreme body) before the leader sends it."""
    plan = draft(association, leader)
    assert plan_missing(plan) == ["Registre la aprobación del plan por la asamblea general."]
    with pytest.raises(ValidationError):
        plan_submit(by=leader, plan=plan)
    assert OperatingPlan.objects.get(pk=plan.pk).status == "draft"
    plan = plan_submit(by=leader, plan=record(plan, leader))
    assert plan.status == "submitted"
    assert list(plan.events.values_list("action", flat=True)) == ["created", "assembly", "submitted"]
    assembly = plan.events.get(action="assembly")
    assert assembly.comment == (
        "16/01/2010 · acta Libro de actas 2, folio 35 · 30 de 45 socios presentes, 28 votos a favor."
    )


def test_at_the_first_call_more_than_half_of_the_members_make_the_quorum(association, leader):
    """Código Civil, art. 87: at the first call the asamblea is valid with more than half of the members."""
    plan = draft(association, leader)
    with pytest.raises(ValidationError) as refused:
        record(plan, leader, members_present=22, members_total=45, votes_for=20)
    assert "No hay quórum" in " ".join(refused.value.messages)
    assert OperatingPlan.objects.get(pk=plan.pk).assembly_date is None
    assert (
        record(plan, leader, members_present=23, members_total=45, votes_for=20).assembly_members_present
        == 23
    )


def test_at_the_second_call_any_number_of_members_makes_the_quorum(association, leader):
    """Código Civil, art. 87: at the second call the asamblea is valid with any number of members."""
    plan = record(draft(association, leader), leader, call="second", members_present=10, votes_for=8)
    assert (plan.assembly_call, plan.assembly_members_present) == ("second", 10)


def test_the_plan_needs_the_votes_of_more_than_half_of_those_present(association, leader):
    """Código Civil, art. 87: agreements are adopted by the vote of more than half of the members present."""
    plan = draft(association, leader)
    with pytest.raises(ValidationError):
        record(plan, leader, members_present=30, votes_for=15)
    assert record(plan, leader, members_present=30, votes_for=16).assembly_votes_for == 16


def test_no_more_members_present_than_members_and_no_asamblea_in_the_future(association, leader):
    """The acta records members present out of the members in good standing (socios hábiles); the database
    refuses a count above the total too."""
    plan = draft(association, leader)
    with pytest.raises(ValidationError):
        record(plan, leader, members_present=50, members_total=45, votes_for=40)
    with pytest.raises(ValidationError):
        record(plan, leader, held_on=datetime.date.today() + datetime.timedelta(days=2))
    with pytest.raises(ValidationError):
        record(plan, leader, minutes_ref="  ")
    with pytest.raises(IntegrityError), transaction.atomic():
        OperatingPlan.objects.filter(pk=plan.pk).update(
            assembly_members_present=50, assembly_members_total=45
        )
    assert OperatingPlan.objects.get(pk=plan.pk).assembly_date is None


def test_only_the_associations_leader_records_its_asamblea(association, leader, other_leader):
    """The association's own leaders keep its plan; another association's leader cannot."""
    plan = draft(association, leader)
    with pytest.raises(PermissionDenied):
        record(plan, other_leader)
    assert OperatingPlan.objects.get(pk=plan.pk).assembly_date is None


def test_the_municipality_and_the_ngo_validate_after_the_asamblea(
    association, leader, technician_anta, coordinator
):
    """After the asamblea, the municipality (its technician) and the NGO validate the plan; the NGO's
    validation locks it. The municipality's validation is recorded once and leaves the plan under review."""
    plan = plan_submit(by=leader, plan=filled_plan(association, by=leader))
    plan = plan_validate_municipality(
        by=technician_anta, plan=plan, comment="Conforme para la municipalidad."
    )
    assert (plan.status, plan.municipality_validated_by) == ("submitted", technician_anta)
    with pytest.raises(ValidationError):
        plan_validate_municipality(by=technician_anta, plan=plan)
    with pytest.raises(PermissionDenied):
        plan_validate(by=technician_anta, plan=plan)
    plan = plan_validate(by=coordinator, plan=plan)
    assert (plan.status, plan.is_locked) == ("validated", True)
    steps = list(PlanEvent.objects.filter(plan=plan).values_list("action", "by"))
    assert steps[-2:] == [("municipality", technician_anta.pk), ("validated", coordinator.pk)]


def test_a_new_version_goes_back_to_the_asamblea(association, leader, coordinator):
    """A changed plan is a new decision: the new version needs its own approval by the asamblea."""
    plan = validated_plan(association, leader=leader, coordinator=coordinator)
    new = plan_version_new(by=leader, plan=plan)
    assert new.assembly_date is None
    assert "Registre la aprobación del plan por la asamblea general." in plan_missing(new)


def test_a_budget_line_is_quantity_times_unit_cost(association, leader):
    """POAs cost each line as quantity × unit cost (e.g. 12 bags of oat seed at S/ 37.50); the total is
    computed, never typed, and the database refuses a total that is not the product."""
    plan = draft(
        association,
        leader,
        budget=[BudgetLineData(source="own", units=Decimal(12), unit_cost=Decimal("37.50"))],
    )
    line = BudgetLine.objects.get(activity__plan=plan, activity__position=0)
    assert (line.units, line.unit_cost, line.amount) == (Decimal(12), Decimal("37.50"), Decimal("450.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.filter(pk=line.pk).update(amount=Decimal("500.00"))
    assert BudgetLine.objects.get(pk=line.pk).amount == Decimal("450.00")


def test_cash_and_valued_in_kind_contributions_are_told_apart(association, leader):
    """Members' contributions are mostly in kind (days of work, land, animals, local materials), valued at
    local prices; a plan shows them apart from cash, one line per source and kind of contribution."""
    budget = [
        BudgetLineData(source="own", units=Decimal(20), unit_cost=Decimal(40), contribution="in_kind"),
        BudgetLineData(source="own", units=Decimal(1), unit_cost=Decimal(600), contribution="cash"),
        BudgetLineData(source="procompite", units=Decimal(10), unit_cost=Decimal(250)),
    ]
    plan = draft(association, leader, budget=budget)
    lines = BudgetLine.objects.filter(activity__plan=plan, activity__position=0)
    assert sorted(lines.values_list("source", "contribution", "amount")) == [
        ("own", "cash", Decimal("600.00")),
        ("own", "in_kind", Decimal("800.00")),
        ("procompite", "cash", Decimal("2500.00")),
    ]
    twice = [
        *budget,
        BudgetLineData(source="own", units=Decimal(2), unit_cost=Decimal(40), contribution="in_kind"),
    ]
    with pytest.raises(ValidationError):
        plan_save_draft(
            by=leader,
            plan=plan,
            revision=plan.revision,
            content=full_content(activities=[ActivityData(title="Cerco del bofedal", budget=twice)]),
        )
    assert lines.count() == 3


def test_a_private_plan_is_not_funded_by_the_participatory_budget(association, leader):
    """Public investment of the participatory budget (Ley 28056) cannot fund an association's private
    assets; a municipality co-finances associations through Procompite (Ley 29337). The sources are those
    associations' plans really have."""
    assert BudgetSource.values == ["own", "procompite", "agroideas", "ngo", "credit", "other"]
    plan = plan_start(by=leader, association=association, year=2010)
    content = full_content(activities=[ActivityData(title="Galpón", budget={"municipality": Decimal(3000)})])
    with pytest.raises(ValidationError):
        plan_save_draft(by=leader, plan=plan, revision=plan.revision, content=content)
    assert not BudgetLine.objects.filter(activity__plan=plan).exists()


# --- the migration that brought these rules, forwards and back ------------------------------------------

BEFORE = ("producers", "0006_member_person_link")


def migrate(*targets) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets))


def latest() -> tuple[str, str]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes("producers")[0]


def rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@pytest.mark.postgres
def test_migration_keeps_plans_and_lines_both_ways(association, leader, coordinator):
    """Plans 'approved' by the NGO become 'validated' and back; participatory-budget lines move to
    Procompite (added to a Procompite line of the activity); going back folds in-kind lines into the cash
    line of their source and Agroideas/credit into 'other', so that one line per source holds again."""
    plan = validated_plan(association, leader=leader, coordinator=coordinator)
    activity = plan.activities.get()
    BudgetLine.objects.create(
        activity=activity, source="own", contribution="in_kind", units=10, unit_cost=40, amount=400
    )
    BudgetLine.objects.create(activity=activity, source="credit", units=1, unit_cost=700, amount=700)

    migrate(BEFORE)
    assert rows("SELECT status FROM producers_operatingplan WHERE id = %s", [plan.pk]) == [("approved",)]
    actions = [
        a for (a,) in rows("SELECT action FROM producers_planevent WHERE plan_id = %s ORDER BY id", [plan.pk])
    ]
    assert actions == ["created", "submitted", "approved"]
    assert rows(
        "SELECT source, amount FROM producers_budgetline WHERE activity_id = %s ORDER BY source",
        [activity.pk],
    ) == [("other", Decimal("700.00")), ("own", Decimal("2400.00")), ("procompite", Decimal("3000.00"))]

    with connection.cursor() as cursor:  # a line of the participatory budget, as the old form allowed
        cursor.execute(
            "INSERT INTO producers_budgetline (activity_id, source, amount) VALUES (%s, 'municipality', 500)",
            [activity.pk],
        )
    migrate(latest())
    assert OperatingPlan.objects.get(pk=plan.pk).status == "validated"
    assert sorted(
        BudgetLine.objects.filter(activity=activity).values_list("source", "contribution", "units", "amount")
    ) == [
        ("other", "cash", Decimal(1), Decimal("700.00")),
        ("own", "cash", Decimal(1), Decimal("2400.00")),
        ("procompite", "cash", Decimal(1), Decimal("3500.00")),
    ]
