"""One test per legal rule of the participatory budget, named after the rule, citing its source."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budgets import services
from budgets.models import (
    AgentByRight,
    BusinessPlan,
    ParticipatingAgent,
    ProgrammedAmount,
    Proposal,
    Replacement,
)
from kallpanchis.accounts.models import Role, RoleAssignment
from kallpanchis.notifications.models import Reminder
from municipalities.models import District

from ..accounts.factories import person_with_role
from .factories import agent_for, cycle_for, producer, proposal_for, score_all

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _submit(agent, district, others=(), **kwargs):
    defaults = {
        "title": "Centro de acopio de leche",
        "result": agent.cycle.results_list[0],
        "cost": Decimal("200000"),
        "families": 40,
    }
    defaults.update(kwargs)
    return services.proposal_submit(
        by=None, agent=agent, district=district, other_districts=list(others), **defaults
    )


# --- Roles -----------------------------------------------------------------------------------------------


def test_the_equipo_tecnico_role_runs_the_cycle(municipalities):
    """D.S. 142-2009-EF art. 7: the Equipo Técnico, designated by Resolución de Alcaldía, runs the process
    (the former invented 'participatory-budget team' role is migrated to it)."""
    team = person_with_role(Role.TECHNICAL_TEAM, municipalities["anta"].organisation)
    assert RoleAssignment.objects.get(user=team).role == "technical_team"
    cycle = cycle_for(municipalities["anta"], by=team)
    member = services.technical_member_add(
        by=team,
        cycle=cycle,
        full_name="Ing. Ruth Salas",
        position="Planificación y Presupuesto",
        resolution="Resolución de Alcaldía 045-2026-MPA",
    )
    assert member.resolution == "Resolución de Alcaldía 045-2026-MPA"


def test_the_role_migration_renames_budget_team_and_back(municipalities):
    """The role's rename is migrated both ways (accounts 0003): stored 'budget_team' rows become
    'technical_team', and the reverse migration restores them."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("kallpanchis.accounts.migrations.0003_technical_team_role")
    user = person_with_role(Role.TECHNICAL_TEAM, municipalities["anta"].organisation)
    RoleAssignment.objects.filter(user=user).update(role="budget_team")
    migration.forwards(apps, None)
    assert RoleAssignment.objects.get(user=user).role == "technical_team"
    migration.backwards(apps, None)
    assert RoleAssignment.objects.get(user=user).role == "budget_team"


def test_ccl_takes_part_by_right_without_accreditation(municipalities):
    """Ley 28056 art. 5 and D.S. 142-2009-EF art. 2: the CCL and its members take part by right; they are
    listed, never accredited (the CCL is no longer an organisation waiting for accreditation)."""
    cycle = cycle_for(municipalities["anta"])
    ccl = services.agent_register(
        by=None,
        cycle=cycle,
        organisation=producer("CCL Provincial de Anta"),
        kind=ParticipatingAgent.Kind.CCL,
    )
    assert ccl.status == ParticipatingAgent.Status.BY_RIGHT
    with pytest.raises(ValidationError):
        services.agent_decide(by=None, agent=ccl, accredited=False, note="x")
    ccl.refresh_from_db()
    assert ccl.status == ParticipatingAgent.Status.BY_RIGHT


def test_regidores_and_ccl_members_are_agents_by_right_and_count_for_the_quorum(municipalities):
    """Ley 28056 art. 1 and 5: regidores and CCL members are agents by right; they vote, so they count for
    the quorum of the acta (more than half of the agents with a vote)."""
    cycle = cycle_for(municipalities["anta"])
    agent_for(cycle, "Asociación A")
    services.agent_by_right_add(
        by=None, cycle=cycle, seat=AgentByRight.Seat.REGIDOR, full_name="Yolanda Ayma", gender="female"
    )
    services.agent_by_right_add(
        by=None, cycle=cycle, seat=AgentByRight.Seat.CCL, full_name="Florencia Ttito", gender="female"
    )
    assert services.quorum(cycle, 1) == (1, 3, False)
    assert services.quorum(cycle, 2) == (2, 3, True)


def test_the_ccl_gives_its_opinion_and_hears_the_results_before_the_council(municipalities):
    """Ley 28056 art. 5 (the CCL's opinion) and D.S. 142-2009-EF (results presented to the CCL, then to the
    municipal council): an opinion has a date and a text; results go to the CCL first, once allocated."""
    cycle = cycle_for(municipalities["anta"])
    base = {"mayor_name": "Marleni Quispe", "mayor_gender": "female", "accreditation_requirements": ""}
    with pytest.raises(ValidationError):
        services.cycle_governance_set(by=None, cycle=cycle, ccl_opinion="Favorable", **base)
    with pytest.raises(ValidationError):  # nothing allocated yet
        services.cycle_governance_set(
            by=None, cycle=cycle, results_to_ccl_on=datetime.date(2026, 7, 1), **base
        )
    score_all(proposal_for(agent_for(cycle, "Asociación A")), 4)
    services.allocation_run(by=None, cycle=cycle)
    with pytest.raises(ValidationError):  # the council before the CCL
        services.cycle_governance_set(
            by=None,
            cycle=cycle,
            results_to_ccl_on=datetime.date(2026, 7, 10),
            results_to_council_on=datetime.date(2026, 7, 3),
            **base,
        )
    cycle = services.cycle_governance_set(
        by=None,
        cycle=cycle,
        ccl_opinion="Favorable",
        ccl_opinion_on=datetime.date(2026, 1, 28),
        results_to_ccl_on=datetime.date(2026, 7, 3),
        results_to_council_on=datetime.date(2026, 7, 10),
        **base,
    )
    assert (cycle.ccl_opinion_on, cycle.results_to_council_on) == (
        datetime.date(2026, 1, 28),
        datetime.date(2026, 7, 10),
    )
    assert cycle.mayor_title == "Alcaldesa"


# --- Accreditation ----------------------------------------------------------------------------------------


def test_accreditation_goes_preliminary_list_challenge_period_final_list(municipalities):
    """Instructivo 001-2010-EF/76.01 (registration and accreditation of agents): the preliminary list is
    published once every organisation is decided; challenges (tachas) are filed within the period; an upheld
    challenge removes the agent; the final list comes after the period with every challenge decided, and
    then accreditation no longer changes."""
    cycle = cycle_for(municipalities["anta"])
    a = agent_for(cycle, "Asociación A")
    b = agent_for(cycle, "Asociación B")
    pending = agent_for(cycle, "Asociación C", accredited=False)
    on, until = datetime.date(2026, 3, 10), datetime.date(2026, 3, 14)
    with pytest.raises(ValidationError):  # C is not decided
        services.preliminary_list_publish(by=None, cycle=cycle, on=on, challenges_until=until)
    services.agent_decide(by=None, agent=pending, accredited=False, note="Sin acta de elección.")
    with pytest.raises(ValidationError):  # no list to challenge yet
        services.challenge_file(by=None, agent=a, filed_by="X", grounds="y", filed_on=on)
    cycle = services.preliminary_list_publish(by=None, cycle=cycle, on=on, challenges_until=until)
    with pytest.raises(ValidationError):  # after the period
        services.challenge_file(
            by=None, agent=a, filed_by="X", grounds="y", filed_on=datetime.date(2026, 3, 15)
        )
    challenge = services.challenge_file(
        by=None,
        agent=b,
        filed_by="Asociación A",
        grounds="Sus delegados no fueron elegidos en asamblea.",
        filed_on=datetime.date(2026, 3, 12),
    )
    with pytest.raises(ValidationError):  # a challenge is pending
        services.final_list_publish(by=None, cycle=cycle, on=datetime.date(2026, 3, 17))
    with pytest.raises(ValidationError):  # within the period
        services.final_list_publish(by=None, cycle=cycle, on=until)
    services.challenge_decide(
        by=None, challenge=challenge, upheld=True, resolution="Acta de asamblea falsa.", on=until
    )
    b.refresh_from_db()
    assert b.status == ParticipatingAgent.Status.REFUSED and "Acta de asamblea falsa." in b.decision_note
    cycle = services.final_list_publish(by=None, cycle=cycle, on=datetime.date(2026, 3, 17))
    assert cycle.final_list_on == datetime.date(2026, 3, 17)
    with pytest.raises(ValidationError):
        services.agent_decide(by=None, agent=b, accredited=True)
    b.refresh_from_db()
    assert b.status == ParticipatingAgent.Status.REFUSED


# --- Territorial scope ------------------------------------------------------------------------------------


def test_district_municipality_funds_projects_in_its_own_district_only(municipalities):
    """D.S. 097-2009-EF (criteria of scope): a district municipality's participatory budget funds projects
    of its own district, not a neighbouring district of the same province."""
    colquemarca = municipalities["colquemarca"]
    cycle = cycle_for(colquemarca)
    agent = agent_for(cycle, "Asociación de Ganaderos Lecheros de Colquemarca")
    neighbour = District.objects.filter(province_id=colquemarca.province_id).exclude(
        pk=colquemarca.district_id
    )
    with pytest.raises(ValidationError) as refused:
        _submit(agent, neighbour.first())
    assert "su propio distrito" in str(refused.value)
    with pytest.raises(ValidationError):
        _submit(agent, colquemarca.district, others=[neighbour.first()])
    assert Proposal.objects.count() == 0
    assert _submit(agent, colquemarca.district).district_id == colquemarca.district_id


def test_provincial_municipality_funds_projects_of_provincial_scope(municipalities):
    """D.S. 097-2009-EF (criteria of scope): a provincial municipality funds projects of provincial scope,
    that reach at least two districts of the province; a one-district project or a district of another
    province is refused."""
    anta = municipalities["anta"]
    cycle = cycle_for(anta)
    agent = agent_for(cycle, "Asociación A")
    districts = list(District.objects.filter(province_id=anta.province_id).order_by("ubigeo")[:2])
    elsewhere = District.objects.exclude(province_id=anta.province_id).first()
    with pytest.raises(ValidationError) as refused:
        _submit(agent, districts[0])
    assert "alcance provincial" in str(refused.value)
    with pytest.raises(ValidationError):
        _submit(agent, districts[0], others=[elsewhere])
    assert Proposal.objects.count() == 0
    proposal = _submit(agent, districts[0], others=[districts[1]])
    assert list(proposal.other_districts.all()) == [districts[1]]


# --- Invierte.pe ------------------------------------------------------------------------------------------


def test_technical_evaluation_says_admissible_not_viable(municipalities):
    """Invierte.pe (D.Leg. 1252): 'viable' is the formal declaration of the investment system; the Equipo
    Técnico's evaluation (Instructivo 001-2010-EF/76.01) says admissible or not admissible, with reasons."""
    cycle = cycle_for(municipalities["anta"])
    proposal = proposal_for(agent_for(cycle, "Asociación A"), viable=False)
    with pytest.raises(ValidationError):
        services.proposal_evaluate(by=None, proposal=proposal, admissible=True, reasons="  ")
    proposal = services.proposal_evaluate(
        by=None, proposal=proposal, admissible=False, reasons="Sin terreno."
    )
    assert (proposal.status, proposal.get_status_display()) == ("not_admissible", "No admisible")


def test_a_registered_investment_has_its_cui(municipalities):
    """Invierte.pe (D.Leg. 1252): an investment registered in the bank of investments (declared viable,
    technical file, executing) is identified by its unique code (CUI, 7 digits)."""
    cycle = cycle_for(municipalities["anta"])
    agent = agent_for(cycle, "Asociación A")
    districts = list(District.objects.filter(province_id=cycle.municipality.province_id)[:2])
    with pytest.raises(ValidationError):
        _submit(agent, districts[0], districts[1:], investment_status="viable")
    with pytest.raises(ValidationError):
        _submit(agent, districts[0], districts[1:], investment_status="viable", cui="24815")
    proposal = _submit(agent, districts[0], districts[1:], investment_status="viable", cui="2481536")
    assert (proposal.cui, proposal.get_investment_status_display()) == ("2481536", "Declarado viable")


def test_allocation_can_fund_only_the_technical_file_of_a_viable_investment(municipalities):
    """Invierte.pe (D.Leg. 1252, the technical file opens the execution phase) and Instructivo
    001-2010-EF/76.01: the participatory budget may fund a stage, the technical file, of an investment
    declared viable; the allocation then gives the stage's cost, not the project's."""
    cycle = cycle_for(municipalities["anta"], envelope="100000")
    agent = agent_for(cycle, "Asociación A")
    districts = list(District.objects.filter(province_id=cycle.municipality.province_id)[:2])
    common = {"cost": Decimal("400000"), "funding": "technical_file", "stage_cost": Decimal("24000")}
    with pytest.raises(ValidationError):  # only an idea: no technical file yet
        _submit(agent, districts[0], districts[1:], **common)
    proposal = _submit(
        agent, districts[0], districts[1:], investment_status="viable", cui="2479210", **common
    )
    assert proposal.requested == Decimal("24000")
    proposal = services.proposal_evaluate(
        by=None, proposal=proposal, admissible=True, reasons="Declarado viable."
    )
    score_all(proposal, 4)
    services.allocation_run(by=None, cycle=cycle)
    proposal.refresh_from_db()
    assert proposal.allocated == Decimal("24000.00")


def test_a_multi_year_project_is_funded_by_its_yearly_tranche(municipalities):
    """Instructivo 001-2010-EF/76.01 (multi-year programming) and D.Leg. 1252: a project programmed over
    several years gets this fiscal year's tranche; the programming starts this year, spans two years or
    more, and does not add up to more than the cost less the co-financing."""
    cycle = cycle_for(municipalities["anta"], fiscal_year=2027, envelope="500000")
    agent = agent_for(cycle, "Asociación A")
    districts = list(District.objects.filter(province_id=cycle.municipality.province_id)[:2])
    common = {"cost": Decimal("900000"), "cofinancing": Decimal("100000"), "funding": "tranche"}
    for bad in (
        {2028: Decimal("400000"), 2029: Decimal("400000")},  # not this year
        {2027: Decimal("400000")},  # one year only
        {2027: Decimal("500000"), 2028: Decimal("400000")},  # more than 800000
    ):
        with pytest.raises(ValidationError):
            _submit(agent, districts[0], districts[1:], programming=bad, **common)
    proposal = _submit(
        agent,
        districts[0],
        districts[1:],
        programming={2027: Decimal("350000"), 2028: Decimal("450000")},
        **common,
    )
    assert proposal.requested == Decimal("350000")
    assert list(ProgrammedAmount.objects.filter(proposal=proposal).values_list("year", "amount")) == [
        (2027, Decimal("350000.00")),
        (2028, Decimal("450000.00")),
    ]
    proposal = services.proposal_evaluate(by=None, proposal=proposal, admissible=True, reasons="Cumple.")
    score_all(proposal, 4)
    services.allocation_run(by=None, cycle=cycle)
    proposal.refresh_from_db()
    assert proposal.allocated == Decimal("350000.00")


# --- Replacement ------------------------------------------------------------------------------------------


def test_a_project_that_cannot_be_executed_is_replaced_in_ranking_order_and_the_ccl_and_committee_told(
    municipalities,
):
    """Instructivo 001-2010-EF/76.01 (the acta's reserve list): a funded project that cannot be executed is
    replaced by the next project of the ranking that fits in what is left of the envelope; the Comité de
    Vigilancia and the CCL are notified (reminder kind budget_project_replaced)."""
    cycle = cycle_for(municipalities["anta"], envelope="300000")
    agents = [agent_for(cycle, f"Asociación {x}") for x in "ABCDE"]
    first = proposal_for(agents[0], "Primero", cost="200000")
    second = proposal_for(agents[1], "Segundo", cost="100000")
    big = proposal_for(agents[2], "Tercero grande", cost="250000")
    fits = proposal_for(agents[3], "Cuarto", cost="150000")
    later = proposal_for(agents[4], "Quinto", cost="120000")
    for proposal, value in ((first, 5), (second, 4), (big, 3), (fits, 2), (later, 1)):
        score_all(proposal, value)
    services.allocation_run(by=None, cycle=cycle)
    member = person_with_role(Role.LEADER, agents[0].organisation, email="cv@example.pe")
    services.vigilance_committee_elect(
        by=None,
        cycle=cycle,
        elected_on=datetime.date(2026, 6, 26),
        members=[
            services.VigilanceCandidate(
                agent=agents[i],
                full_name=f"Miembro {i}",
                gender="female",
                is_president=i == 0,
                **({"user": member} if i == 0 else {}),
            )
            for i in range(4)
        ],
    )
    ccl_user = person_with_role(Role.VIEWER, producer("CCL Anta"), email="ccl@example.pe")
    services.agent_by_right_add(
        by=None, cycle=cycle, seat="ccl", full_name="Florencia Ttito", gender="female", user=ccl_user
    )
    replacement = services.proposal_replace(
        by=None, proposal=second, reason="El terreno no está saneado.", on=datetime.date(2027, 3, 1)
    )
    # 100000 left: none of the reserve (250000, 150000, 120000) fits; the project is withdrawn all the same.
    assert replacement.replacement is None
    second.refresh_from_db()
    assert (second.allocated, second.withdrawn_on) == (None, datetime.date(2027, 3, 1))
    # The first (200000) cannot be executed either: 300000 left, the third is the first in rank that fits.
    replacement = services.proposal_replace(
        by=None, proposal=first, reason="Conflicto de linderos.", on=datetime.date(2027, 3, 5)
    )
    assert replacement.replacement == big
    big.refresh_from_db()
    fits.refresh_from_db()
    assert (big.allocated, fits.allocated) == (Decimal("250000.00"), None)
    notified = set(
        Reminder.objects.filter(kind="budget_project_replaced", object_id=replacement.pk).values_list(
            "recipient__email", flat=True
        )
    )
    assert notified == {"cv@example.pe", "ccl@example.pe"}
    assert Replacement.objects.filter(cycle=cycle).count() == 2
    with pytest.raises(ValidationError):  # already withdrawn
        services.proposal_replace(by=None, proposal=first, reason="x", on=datetime.date(2027, 3, 6))


# --- The acta ---------------------------------------------------------------------------------------------


def test_the_acta_is_signed_with_quorum(municipalities):
    """D.S. 142-2009-EF and the ordinances that regulate the process: the Acta de Acuerdos y Compromisos is
    signed once the allocation is saved, with more than half of the agents with a vote present."""
    cycle = cycle_for(municipalities["anta"])
    agents = [agent_for(cycle, f"Asociación {x}") for x in "ABCD"]
    with pytest.raises(ValidationError):  # nothing allocated
        services.acta_record(by=None, cycle=cycle, signed_on=datetime.date(2026, 6, 26), agents_present=4)
    score_all(proposal_for(agents[0]), 4)
    services.allocation_run(by=None, cycle=cycle)
    with pytest.raises(ValidationError):  # 2 of 4 is not more than half
        services.acta_record(by=None, cycle=cycle, signed_on=datetime.date(2026, 6, 26), agents_present=2)
    cycle.refresh_from_db()
    assert cycle.acta_signed_on is None
    cycle = services.acta_record(by=None, cycle=cycle, signed_on=datetime.date(2026, 6, 26), agents_present=3)
    assert (cycle.acta_signed_on, cycle.acta_agents_present) == (datetime.date(2026, 6, 26), 3)


# --- Procompite -------------------------------------------------------------------------------------------


def test_procompite_business_plan_is_cofinanced_in_kind_with_the_associations_minimum_contribution(
    municipalities,
):
    """Ley 29337 (Procompite): the municipality co-finances, in kind, the business plan of a legally
    registered association, which contributes at least the share the call sets; the plan goes through the
    competition's stages in order. Private assets go here, not through the participatory budget."""
    anta = municipalities["anta"]
    association = producer("Asociación de Criadores de Cuyes Sumaq Cuy")
    common = {
        "by": None,
        "municipality": anta,
        "association": association,
        "year": 2026,
        "title": "Galpones familiares de cuyes",
        "investment_budget": Decimal("120000"),
        "operating_budget": Decimal("30000"),
        "in_kind": "Materiales para 12 galpones",
    }
    with pytest.raises(ValidationError):  # not registered
        services.business_plan_submit(
            legal_registration="", association_contribution=Decimal("40000"), **common
        )
    with pytest.raises(ValidationError):  # 20 % of 150000 is 30000
        services.business_plan_submit(
            legal_registration="SUNARP 11084512", association_contribution=Decimal("29999"), **common
        )
    assert BusinessPlan.objects.count() == 0
    plan = services.business_plan_submit(
        legal_registration="SUNARP 11084512", association_contribution=Decimal("30000"), **common
    )
    assert (plan.total, plan.public_cofinancing) == (Decimal("150000"), Decimal("120000"))
    with pytest.raises(ValidationError):  # delivered before approved
        services.business_plan_advance(by=None, plan=plan, stage="delivered")
    for stage in ("eligible", "approved", "delivered"):
        plan = services.business_plan_advance(by=None, plan=plan, stage=stage)
    assert plan.stage == "delivered"
