import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from budgets import services
from budgets.calendar import phase_state
from budgets.models import (
    BudgetCycle,
    HistoryEntry,
    ParticipatingAgent,
    Phase,
    PhaseKind,
    Proposal,
    Score,
    Step,
    VigilanceMember,
)
from kallpanchis.organisations.models import Organisation
from tests.accounts.factories import person_with_role

from .factories import agent_for, cycle_for, producer, proposal_for, score_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget_anta(municipalities):
    return person_with_role("technical_team", municipalities["anta"].organisation, email="pp.anta@example.pe")


@pytest.fixture
def cycle(municipalities):
    return cycle_for(municipalities["anta"])


def test_cycle_gets_the_legal_calendar_and_default_matrix(cycle):
    phases = list(cycle.phases.order_by("position"))
    assert [(p.kind, p.starts_on, p.ends_on) for p in phases] == [
        (PhaseKind.PREPARATION, datetime.date(2026, 1, 15), datetime.date(2026, 3, 31)),
        (PhaseKind.CONCERTATION, datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)),
        (PhaseKind.COORDINATION, datetime.date(2026, 7, 1), datetime.date(2026, 7, 31)),
        (PhaseKind.FORMALISATION, datetime.date(2026, 8, 1), datetime.date(2026, 12, 31)),
    ]
    assert Step.objects.filter(phase__cycle=cycle).count() == 13
    assert [(c.weight, c.scale_max) for c in cycle.criteria.all()] == [
        (Decimal("30.00"), 5),
        (Decimal("25.00"), 5),
        (Decimal("20.00"), 5),
        (Decimal("15.00"), 5),
        (Decimal("10.00"), 5),
    ]


def test_one_cycle_per_municipality_and_year(cycle, municipalities):
    with pytest.raises(ValidationError):
        cycle_for(municipalities["anta"])
    assert BudgetCycle.objects.count() == 1


def test_current_phase_is_derived_from_dates(cycle):
    phases = list(cycle.phases.all())
    assert phase_state(phases, datetime.date(2026, 1, 1)).code == "not_started"
    assert phase_state(phases, datetime.date(2026, 2, 10)).code == PhaseKind.PREPARATION
    assert phase_state(phases, datetime.date(2026, 5, 10)).code == PhaseKind.CONCERTATION
    assert phase_state(phases, datetime.date(2026, 12, 31)).code == PhaseKind.FORMALISATION
    assert phase_state(phases, datetime.date(2027, 1, 1)).code == "closed"


def test_phase_dates_keep_order_and_the_31_december_deadline(cycle, budget_anta):
    formalisation = cycle.phases.get(kind=PhaseKind.FORMALISATION)
    with pytest.raises(ValidationError) as error:
        services.phase_dates_set(
            by=budget_anta,
            phase=formalisation,
            starts_on=datetime.date(2026, 8, 1),
            ends_on=datetime.date(2027, 1, 15),
        )
    assert "31/12/2026" in str(error.value)
    concertation = cycle.phases.get(kind=PhaseKind.CONCERTATION)
    with pytest.raises(ValidationError):
        services.phase_dates_set(
            by=budget_anta,
            phase=concertation,
            starts_on=datetime.date(2026, 3, 20),
            ends_on=datetime.date(2026, 6, 30),
        )
    services.phase_dates_set(
        by=budget_anta,
        phase=concertation,
        starts_on=datetime.date(2026, 4, 6),
        ends_on=datetime.date(2026, 6, 26),
    )
    concertation.refresh_from_db()
    assert (concertation.starts_on, concertation.ends_on) == (
        datetime.date(2026, 4, 6),
        datetime.date(2026, 6, 26),
    )
    entry = HistoryEntry.objects.get(subject="calendar", field="starts_on")
    assert (entry.before, entry.after, entry.by) == ("2026-04-01", "2026-04-06", budget_anta)


def test_technician_of_another_municipality_cannot_move_dates(cycle, technician_chumbivilcas):
    phase = cycle.phases.get(kind=PhaseKind.PREPARATION)
    with pytest.raises(PermissionDenied):
        services.phase_dates_set(
            by=technician_chumbivilcas,
            phase=phase,
            starts_on=datetime.date(2026, 2, 1),
            ends_on=phase.ends_on,
        )
    assert Phase.objects.get(pk=phase.pk).starts_on == datetime.date(2026, 1, 15)


def test_leader_registers_own_association_only_while_registration_is_open(municipalities):
    cycle = cycle_for(municipalities["anta"], fiscal_year=datetime.date.today().year + 2)
    association = producer("Asociación Lechera Sumaq Llaqta")
    other = producer("Asociación de Cuyes Wiñay")
    leader = person_with_role("leader", association)
    with pytest.raises(PermissionDenied):
        services.agent_register(by=leader, cycle=cycle, organisation=other)
    agent = services.agent_register(by=leader, cycle=cycle, organisation=association)
    assert agent.status == ParticipatingAgent.Status.PENDING
    past = cycle_for(municipalities["anta"], fiscal_year=2020)
    with pytest.raises(ValidationError, match="está cerrada"):
        services.agent_register(by=leader, cycle=past, organisation=association)


def test_accreditation_is_decided_by_the_budget_team(cycle, budget_anta):
    agent = agent_for(cycle, "Asociación Lechera Sumaq Llaqta", accredited=False)
    leader = person_with_role("leader", agent.organisation)
    with pytest.raises(PermissionDenied):
        services.agent_decide(by=leader, agent=agent, accredited=True)
    with pytest.raises(ValidationError):
        services.agent_decide(by=budget_anta, agent=agent, accredited=False, note="")
    services.agent_decide(by=budget_anta, agent=agent, accredited=True)
    agent.refresh_from_db()
    assert (agent.status, agent.decided_by) == (ParticipatingAgent.Status.ACCREDITED, budget_anta)


def test_the_budget_team_adds_a_new_organisation_as_an_accredited_agent_in_one_step(cycle, budget_anta):
    existing = producer("Asociación de Cuyes Wiñay")
    agent = services.agent_add(
        by=budget_anta,
        cycle=cycle,
        new_organisation="  Comunidad Campesina de Ccollana ",
        new_organisation_kind=Organisation.Kind.PRODUCER,
        kind=ParticipatingAgent.Kind.CIVIL_SOCIETY,
        accredit=True,
    )
    assert (agent.organisation.name, agent.status, agent.decided_by) == (
        "Comunidad Campesina de Ccollana",
        ParticipatingAgent.Status.ACCREDITED,
        budget_anta,
    )
    # A name typed for an organisation already on the platform reuses it as it is.
    again = services.agent_add(by=budget_anta, cycle=cycle, new_organisation="asociación de cuyes wiñay")
    assert (again.organisation, again.status) == (existing, ParticipatingAgent.Status.PENDING)


def test_a_failure_in_the_last_step_of_adding_an_agent_leaves_no_organisation_or_agent(
    cycle, budget_anta, monkeypatch
):
    from budgets.services import people
    from kallpanchis.notifications.models import Reminder

    reminders = Reminder.objects.count()

    def connection_lost(**kwargs):
        raise RuntimeError("the connection dropped while accrediting")

    monkeypatch.setattr(people, "agent_decide", connection_lost)
    with pytest.raises(RuntimeError):
        services.agent_add(
            by=budget_anta, cycle=cycle, new_organisation="Comunidad de Ccollana", accredit=True
        )
    assert not Organisation.objects.filter(name="Comunidad de Ccollana").exists()
    assert not ParticipatingAgent.objects.filter(cycle=cycle).exists()
    assert Reminder.objects.count() == reminders


def test_a_refused_registration_leaves_no_new_organisation_behind(municipalities):
    cycle = cycle_for(municipalities["anta"], fiscal_year=datetime.date.today().year + 2)
    leader = person_with_role("leader", producer("Asociación Lechera Sumaq Llaqta"))
    with pytest.raises(PermissionDenied):
        services.agent_add(by=leader, cycle=cycle, new_organisation="Comunidad de Ccollana")
    assert not Organisation.objects.filter(name="Comunidad de Ccollana").exists()
    assert not ParticipatingAgent.objects.exists()


def test_vigilance_members_are_linked_to_the_accounts_their_e_mails_name(cycle, budget_anta):
    a = agent_for(cycle, "Asociación A")
    member = person_with_role("leader", a.organisation, email="rosa.quispe@example.pe")
    members = [
        services.VigilanceCandidate(agent=a, full_name=f"M{i}", gender="female", is_president=i == 0, email=e)
        for i, e in enumerate(["Rosa.Quispe@example.pe", "", "nadie@example.pe", "otro@example.pe"])
    ]
    with pytest.raises(ValidationError) as error:
        services.vigilance_committee_elect(
            by=budget_anta, cycle=cycle, elected_on=datetime.date(2026, 6, 30), members=members
        )
    assert error.value.messages == ["No hay cuenta con este correo: nadie@example.pe, otro@example.pe"]
    assert VigilanceMember.objects.count() == 0
    members[2:] = [services.VigilanceCandidate(agent=a, full_name=f"M{i}", gender="male") for i in (2, 3)]
    services.vigilance_committee_elect(
        by=budget_anta, cycle=cycle, elected_on=datetime.date(2026, 6, 30), members=members
    )
    assert list(VigilanceMember.objects.order_by("full_name").values_list("full_name", "user")) == [
        ("M0", member.pk),
        ("M1", None),
        ("M2", None),
        ("M3", None),
    ]


def test_vigilance_committee_needs_four_members_from_accredited_agents(cycle, budget_anta):
    a = agent_for(cycle, "Asociación A")
    b = agent_for(cycle, "Asociación B")
    pending = agent_for(cycle, "Asociación C", accredited=False)
    three = [
        services.VigilanceCandidate(agent=a, full_name="Rosa Quispe", gender="female", is_president=True),
        services.VigilanceCandidate(agent=b, full_name="Juan Mamani", gender="male"),
        services.VigilanceCandidate(agent=a, full_name="Nilda Huamán", gender="female"),
    ]
    with pytest.raises(ValidationError, match="al menos 4 miembros"):
        services.vigilance_committee_elect(
            by=budget_anta, cycle=cycle, elected_on=datetime.date(2026, 6, 30), members=three
        )
    with pytest.raises(ValidationError, match="agentes acreditados"):
        services.vigilance_committee_elect(
            by=budget_anta,
            cycle=cycle,
            elected_on=datetime.date(2026, 6, 30),
            members=[*three, services.VigilanceCandidate(agent=pending, full_name="X", gender="male")],
        )
    assert VigilanceMember.objects.count() == 0
    services.vigilance_committee_elect(
        by=budget_anta,
        cycle=cycle,
        elected_on=datetime.date(2026, 6, 30),
        members=[*three, services.VigilanceCandidate(agent=b, full_name="Pedro Ccahuana", gender="male")],
    )
    assert VigilanceMember.objects.filter(cycle=cycle).count() == 4


def test_only_accredited_agents_submit_and_cofinancing_stays_within_cost(cycle):
    pending = agent_for(cycle, "Asociación A", accredited=False)
    with pytest.raises(ValidationError, match="Solo los agentes acreditados"):
        proposal_for(pending)
    agent = agent_for(cycle, "Asociación B")
    with pytest.raises(ValidationError):
        proposal_for(agent, cost="1000", cofinancing="2000")
    assert Proposal.objects.count() == 0


def test_matrix_refused_unless_weights_add_up_to_100(cycle, budget_anta):
    rows = [
        services.CriterionRow(name="Articulación", weight=Decimal("60")),
        services.CriterionRow(name="Pobreza", weight=Decimal("30")),
    ]
    with pytest.raises(ValidationError) as error:
        services.matrix_set(by=budget_anta, cycle=cycle, rows=rows)
    assert error.value.messages == ["Los pesos suman 90 %; deben sumar exactamente 100 %."]
    assert cycle.criteria.count() == 5
    rows.append(services.CriterionRow(name="Sostenibilidad", weight=Decimal("10")))
    services.matrix_set(by=budget_anta, cycle=cycle, rows=rows)
    assert [c.name for c in cycle.criteria.all()] == ["Articulación", "Pobreza", "Sostenibilidad"]


def test_scores_within_scale_and_history_kept(cycle, budget_anta):
    proposal = proposal_for(agent_for(cycle, "Asociación A"))
    first = cycle.criteria.first()
    with pytest.raises(ValidationError):
        services.scores_enter(by=budget_anta, proposal=proposal, values={first.pk: Decimal(6)})
    assert Score.objects.count() == 0
    services.scores_enter(by=budget_anta, proposal=proposal, values={first.pk: Decimal(3)})
    services.scores_enter(
        by=budget_anta, proposal=proposal, values={first.pk: Decimal("4.5")}, from_paper_sheet=True
    )
    entries = list(
        HistoryEntry.objects.filter(subject="score").order_by("pk").values_list("before", "after", "by")
    )
    assert entries == [("", "3", budget_anta.pk), ("3", "4.5", budget_anta.pk)]


def test_not_viable_projects_are_not_scored(cycle, budget_anta):
    proposal = proposal_for(agent_for(cycle, "Asociación A"), viable=False)
    with pytest.raises(ValidationError):
        score_all(proposal, 3, by=budget_anta)


def test_allocation_run_funds_down_the_ranking_and_keeps_history(municipalities, budget_anta):
    cycle = cycle_for(municipalities["anta"], envelope="400000")
    a = agent_for(cycle, "Asociación A")
    b = agent_for(cycle, "Asociación B")
    milk = proposal_for(a, "Centro de acopio de leche", cost="250000", cofinancing="50000", families=120)
    pasture = proposal_for(b, "Pastos mejorados", cost="300000", families=90)
    sheds = proposal_for(b, "Galpones de cuyes", cost="150000", families=60)
    score_all(milk, 5)
    score_all(pasture, 4)
    score_all(sheds, 3)
    result = services.allocation_run(by=budget_anta, cycle=cycle)
    assert [(r.ranked.candidate.key, r.amount) for r in result] == [
        (milk.pk, Decimal("200000.00")),
        (pasture.pk, None),
        (sheds.pk, Decimal("150000.00")),
    ]
    for p in (milk, pasture, sheds):
        p.refresh_from_db()
    assert [(p.rank, p.total_score, p.allocated) for p in (milk, pasture, sheds)] == [
        (1, Decimal("100.00"), Decimal("200000.00")),
        (2, Decimal("80.00"), None),
        (3, Decimal("60.00"), Decimal("150000.00")),
    ]
    allocated = HistoryEntry.objects.get(subject="allocation", object_id=milk.pk, field="allocated")
    assert (allocated.before, allocated.after, allocated.by) == ("", "200000.00", budget_anta)
    # Running again with nothing changed records nothing new.
    count = HistoryEntry.objects.count()
    services.allocation_run(by=budget_anta, cycle=cycle)
    assert HistoryEntry.objects.count() == count


def test_execution_figures_flags_and_history(municipalities, budget_anta):
    cycle = cycle_for(municipalities["anta"], fiscal_year=2025, envelope="400000")
    proposal = proposal_for(agent_for(cycle, "Asociación A"), cost="100000")
    score_all(proposal, 4)
    services.allocation_run(by=budget_anta, cycle=cycle)
    proposal.refresh_from_db()
    services.execution_update(
        by=budget_anta,
        proposal=proposal,
        on=datetime.date(2025, 3, 1),
        progress_pct=30,
        spent=Decimal("25000"),
    )
    with pytest.raises(ValidationError):
        services.execution_update(
            by=budget_anta,
            proposal=proposal,
            on=datetime.date(2025, 4, 1),
            progress_pct=20,
            spent=Decimal("26000"),
        )
    services.milestone_add(
        by=budget_anta, proposal=proposal, name="Expediente técnico", due_on=datetime.date(2025, 5, 1)
    )
    proposal.refresh_from_db()
    assert proposal.flags(datetime.date(2025, 4, 1), overdue_milestones=0) == []
    assert proposal.flags(datetime.date(2025, 5, 2), overdue_milestones=1) == ["overdue"]
    assert proposal.flags(datetime.date(2025, 7, 1), overdue_milestones=0) == ["stalled"]
    progress = HistoryEntry.objects.get(subject="execution", field="progress_pct")
    assert (progress.before, progress.after) == ("0", "30")
    spent = HistoryEntry.objects.get(subject="execution", field="spent")
    assert (spent.before, spent.after) == ("0.00", "25000")


def test_only_the_committee_or_the_team_report(cycle, budget_anta):
    a = agent_for(cycle, "Asociación A")
    member_user = person_with_role("leader", a.organisation)
    outsider = person_with_role("leader", producer("Otra"))
    services.vigilance_committee_elect(
        by=budget_anta,
        cycle=cycle,
        elected_on=datetime.date(2026, 6, 30),
        members=[
            services.VigilanceCandidate(
                agent=a,
                full_name=f"M{i}",
                gender="female",
                is_president=i == 0,
                user=member_user if i == 0 else None,
            )
            for i in range(4)
        ],
    )
    with pytest.raises(PermissionDenied):
        services.vigilance_report_submit(
            by=outsider,
            cycle=cycle,
            period="I semestre 2027",
            submitted_on=datetime.date(2027, 7, 5),
            findings="x",
        )
    report = services.vigilance_report_submit(
        by=member_user,
        cycle=cycle,
        period="I semestre 2027",
        submitted_on=datetime.date(2027, 7, 5),
        findings="Obras al día.",
    )
    assert report.by == member_user


def test_the_stated_tie_break_rule_is_the_one_translated_on_the_page():
    from django.utils import translation

    from budgets import allocation
    from budgets.views import proposals as views

    with translation.override("en"):
        assert str(views.TIE_BREAK_RULE) == allocation.TIE_BREAK_RULE


def test_demo_seeds_four_cycles_and_running_it_again_changes_nothing(municipalities):
    import io

    from budgets import demo

    demo.seed(io.StringIO())
    counts = (BudgetCycle.objects.count(), Proposal.objects.count(), HistoryEntry.objects.count())
    demo.seed(io.StringIO())
    assert (BudgetCycle.objects.count(), Proposal.objects.count(), HistoryEntry.objects.count()) == counts
    assert counts[0] == 4
    states = sorted(phase_state(c.phases.all(), timezone.localdate()).code for c in BudgetCycle.objects.all())
    assert states == ["closed", "closed", "concertation", "concertation"]
    flagged = Proposal.objects.filter(allocated__isnull=False, cycle__fiscal_year=timezone.localdate().year)
    assert flagged.count() == 6


def test_committee_report_is_due_six_months_after_the_last(municipalities):
    from budgets.selectors import vigilance_report_due

    cycle = cycle_for(municipalities["anta"], fiscal_year=2025)
    assert vigilance_report_due(cycle=cycle, today=datetime.date(2025, 9, 1)) is None  # nothing funded yet
    score_all(proposal_for(agent_for(cycle, "Asociación A")), 4)
    services.allocation_run(by=None, cycle=cycle)
    assert vigilance_report_due(cycle=cycle, today=datetime.date(2025, 6, 30)) is None
    assert vigilance_report_due(cycle=cycle, today=datetime.date(2025, 7, 10)) == datetime.date(2025, 7, 3)
    services.vigilance_report_submit(
        by=None,
        cycle=cycle,
        period="I semestre 2025",
        submitted_on=datetime.date(2025, 7, 5),
        findings="Al día.",
    )
    assert vigilance_report_due(cycle=cycle, today=datetime.date(2025, 12, 31)) is None
    assert vigilance_report_due(cycle=cycle, today=datetime.date(2026, 1, 10)) == datetime.date(2026, 1, 4)
