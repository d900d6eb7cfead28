import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budgets.models import BudgetCycle, HistoryEntry, ParticipatingAgent, Proposal, Score, Workshop
from tests.accounts.factories import person_with_role

from .factories import agent_for, cycle_for, producer, proposal_for, score_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget_anta(municipalities):
    return person_with_role("technical_team", municipalities["anta"].organisation, email="pp.anta@example.pe")


@pytest.fixture
def cycle(municipalities):
    return cycle_for(municipalities["anta"])


def test_budget_team_opens_a_cycle(client, municipalities, budget_anta):
    client.force_login(budget_anta)
    response = client.post(
        reverse("budgets:cycle_create"),
        {
            "municipality": municipalities["anta"].pk,
            "fiscal_year": 2028,
            "envelope": "650000.00",
            "ordinance_reference": "OM 003-2027-MPA",
            "prioritised_results": "Más leche de calidad",
        },
    )
    cycle = BudgetCycle.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "budgets:cycle_detail", args=[cycle.pk]
    )
    assert (cycle.fiscal_year, cycle.envelope, cycle.created_by) == (2028, Decimal("650000.00"), budget_anta)
    page = client.get(reverse("budgets:cycle_detail", args=[cycle.pk])).content.decode()
    assert "S/ 650,000.00" in page
    again = client.post(
        reverse("budgets:cycle_create"),
        {"municipality": municipalities["anta"].pk, "fiscal_year": 2028, "envelope": "1"},
    )
    assert again.status_code == 200 and "ya tiene un ciclo" in again.content.decode()


def test_timeline_shows_phases_in_spanish(client, cycle, budget_anta):
    client.force_login(budget_anta)
    page = client.get(reverse("budgets:cycle_timeline", args=[cycle.pk])).content.decode()
    for word in ("Preparación", "Concertación", "Formalización", "15/01/2026", "31/12/2026"):
        assert word in page


def test_phase_edit_refused_after_31_december_shows_the_reason(client, cycle, budget_anta):
    client.force_login(budget_anta)
    phase = cycle.phases.get(kind="formalisation")
    response = client.post(
        reverse("budgets:phase_edit", args=[phase.pk]), {"starts_on": "2026-08-01", "ends_on": "2027-01-10"}
    )
    assert response.status_code == 200 and "31/12/2026" in response.content.decode()
    phase.refresh_from_db()
    assert phase.ends_on == datetime.date(2026, 12, 31)


def test_team_registers_an_agent_accredited_at_once(client, cycle, budget_anta):
    org = producer("Asociación Lechera Sumaq Llaqta")
    client.force_login(budget_anta)
    response = client.post(
        reverse("budgets:agent_list", args=[cycle.pk]),
        {
            "organisation": org.pk,
            "kind": "civil_society",
            "accredit_now": "on",
            "new_organisation_kind": "producer",
        },
    )
    assert response.status_code == 302
    agent = ParticipatingAgent.objects.get()
    assert (agent.organisation, agent.status) == (org, "accredited")


def test_matrix_not_adding_up_is_refused_with_a_clear_message(client, cycle, budget_anta):
    client.force_login(budget_anta)
    criteria = list(cycle.criteria.all())
    data = {"criterion-TOTAL_FORMS": "5", "criterion-INITIAL_FORMS": "5"}
    for i, c in enumerate(criteria):
        data.update(
            {
                f"criterion-{i}-pk": c.pk,
                f"criterion-{i}-name": c.name,
                f"criterion-{i}-weight": "25",
                f"criterion-{i}-scale_max": "5",
            }
        )
    response = client.post(reverse("budgets:matrix_edit", args=[cycle.pk]), data)
    assert response.status_code == 200
    assert "Los pesos suman 125 %; deben sumar exactamente 100 %." in response.content.decode()
    assert [c.weight for c in cycle.criteria.all()] == [
        Decimal("30.00"),
        Decimal("25.00"),
        Decimal("20.00"),
        Decimal("15.00"),
        Decimal("10.00"),
    ]


def test_scores_ranking_allocation_and_acta_pdf(client, municipalities, budget_anta):
    cycle = cycle_for(municipalities["anta"], envelope="300000")
    a = agent_for(cycle, "Asociación A")
    milk = proposal_for(a, "Centro de acopio de leche", cost="200000")
    sheds = proposal_for(a, "Galpones de cuyes", cost="150000")
    client.force_login(budget_anta)
    data = {f"criterion_{c.pk}": "5" for c in cycle.criteria.all()}
    response = client.post(
        reverse("budgets:proposal_scores", args=[milk.pk]), {**data, "from_paper_sheet": "on"}
    )
    assert response.status_code == 302
    assert Score.objects.filter(proposal=milk, from_paper_sheet=True).count() == 5
    score_all(sheds, 2)
    page = client.get(reverse("budgets:ranking", args=[cycle.pk])).content.decode()
    assert page.index("Centro de acopio de leche") < page.index("Galpones de cuyes")
    assert "No cabe" in page and "S/ 200,000.00" in page
    assert "aún no está guardado" in page
    client.post(reverse("budgets:allocation_run", args=[cycle.pk]))
    assert (
        "aún no está guardado" not in client.get(reverse("budgets:ranking", args=[cycle.pk])).content.decode()
    )
    milk.refresh_from_db()
    assert (milk.rank, milk.allocated) == (1, Decimal("200000.00"))
    response = client.get(reverse("budgets:acta_pdf", args=[cycle.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    history = client.get(reverse("budgets:history", args=[cycle.pk])).content.decode()
    assert "200000.00" in history


def test_workshop_with_acta_and_attendance(client, cycle, budget_anta):
    client.force_login(budget_anta)
    response = client.post(
        reverse("budgets:workshop_list", args=[cycle.pk]),
        {
            "kind": "prioritisation",
            "held_on": "2026-06-05",
            "place": "Auditorio municipal de Anta",
            "women": "23",
            "men": "31",
            "acta": SimpleUploadedFile("acta.pdf", b"%PDF-1.7\nacta", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    workshop = Workshop.objects.get()
    assert (workshop.women, workshop.men, workshop.attendance) == (23, 31, 54)
    download = client.get(reverse("budgets:workshop_acta", args=[workshop.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")
    bad = client.post(
        reverse("budgets:workshop_list", args=[cycle.pk]),
        {
            "kind": "diagnosis",
            "held_on": "2026-04-20",
            "place": "Anta",
            "women": "1",
            "men": "1",
            "acta": SimpleUploadedFile("acta.pdf", b"MZ\x90", content_type="application/pdf"),
        },
    )
    assert bad.status_code == 200 and Workshop.objects.count() == 1


def test_leader_submits_proposal_for_own_association(client, cycle):
    agent = agent_for(cycle, "Asociación Lechera Sumaq Llaqta")
    leader = person_with_role("leader", agent.organisation)
    client.force_login(leader)
    district = cycle.municipality.district
    response = client.post(
        reverse("budgets:proposal_create", args=[cycle.pk]),
        {
            "agent": agent.pk,
            "title": "Módulo de quesería",
            "result": cycle.results_list[0],
            "district": district.pk,
            # A provincial project reaches more than one district (D.S. 097-2009-EF).
            "other_districts": [cycle.municipality.province.districts.exclude(pk=district.pk).first().pk],
            "cost": "80000",
            "cofinancing": "10000",
            "families": "40",
            "women": "25",
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert (proposal.agent, proposal.requested, proposal.submitted_by) == (agent, Decimal("70000.00"), leader)
    assert proposal.title in client.get(reverse("budgets:proposal_list", args=[cycle.pk])).content.decode()


def test_execution_update_and_public_page(client, municipalities, budget_anta):
    cycle = cycle_for(municipalities["anta"], fiscal_year=2025, envelope="300000")
    agent = agent_for(cycle, "Asociación A")
    person = agent.delegates.create(full_name="Justina Huillca", gender="female", dni="40123456")
    proposal = proposal_for(agent, "Centro de acopio de leche", cost="200000")
    score_all(proposal, 4)
    client.force_login(budget_anta)
    client.post(reverse("budgets:allocation_run", args=[cycle.pk]))
    response = client.post(
        reverse("budgets:execution_update", args=[proposal.pk]),
        {"on": "2025-06-30", "progress_pct": "45", "spent": "90000", "note": "Obra civil"},
    )
    assert response.status_code == 302
    assert HistoryEntry.objects.filter(subject="execution", field="progress_pct", after="45").exists()
    client.logout()
    public = client.get(reverse("budgets:public_detail", args=[cycle.pk])).content.decode()
    assert "Centro de acopio de leche" in public and "Asociación A" in public and "45 %" in public
    assert person.full_name not in public and person.dni not in public


def test_removing_a_delegate_asks_first(client, cycle, budget_anta):
    from budgets import services

    agent = agent_for(cycle, "Asociación A")
    delegate = services.delegate_add(by=None, agent=agent, full_name="Rosa Quispe", gender="female")
    client.force_login(budget_anta)
    url = reverse("budgets:delegate_remove", args=[delegate.pk])
    page = client.get(url).content.decode()
    assert "¿Quitar a Rosa Quispe de los delegados de Asociación A?" in page
    assert agent.delegates.count() == 1
    assert client.post(url).status_code == 302
    assert agent.delegates.count() == 0


def test_typing_the_name_of_an_existing_organisation_reuses_it_unchanged(client, cycle, budget_anta):
    from kallpanchis.organisations.models import Organisation
    from kallpanchis.organisations.services import organisation_ensure

    arpac = organisation_ensure(
        name="Asociación Regional de Productores Agropecuarios del Cusco",
        short_name="ARPAC",
        kind=Organisation.Kind.PRODUCER,
        consortium_role=Organisation.ConsortiumRole.PRODUCERS,
    )
    client.force_login(budget_anta)
    client.post(
        reverse("budgets:agent_list", args=[cycle.pk]),
        {
            "new_organisation": "asociación regional de productores agropecuarios del cusco",
            "new_organisation_kind": "other",
            "kind": "civil_society",
        },
    )
    arpac.refresh_from_db()
    assert (arpac.short_name, arpac.kind, arpac.consortium_role) == ("ARPAC", "producer", "producers")
    assert cycle.agents.get().organisation == arpac


def test_accreditation_evaluation_election_milestones_through_the_pages(client, municipalities, budget_anta):
    cycle = cycle_for(municipalities["anta"], fiscal_year=2025, envelope="500000")
    pending = agent_for(cycle, "Asociación Pendiente", accredited=False)
    a, b = agent_for(cycle, "Asociación A"), agent_for(cycle, "Asociación B")
    client.force_login(budget_anta)

    # Accreditation decided on the agent's page; a refusal needs a reason.
    url = reverse("budgets:agent_detail", args=[pending.pk])
    assert client.post(url, {"decision-decision": "refuse", "decision-decision_note": ""}).status_code == 200
    pending.refresh_from_db()
    assert pending.status == "pending"
    assert client.post(url, {"decision-decision": "accredit"}).status_code == 302
    pending.refresh_from_db()
    assert pending.status == "accredited"

    # Technical evaluation with reasons.
    proposal = proposal_for(a, "Centro de acopio de leche", cost="200000", viable=False)
    response = client.post(
        reverse("budgets:proposal_evaluate", args=[proposal.pk]),
        {"admissible": "1", "reasons": "Perfil completo."},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.evaluation_reasons, proposal.evaluated_by) == (
        "admissible",
        "Perfil completo.",
        budget_anta,
    )

    # Election of the Comité de Vigilancia: fewer than four is refused with the reason.
    rows = [(a, "Rosa Quispe", "female"), (b, "Juan Mamani", "male"), (a, "Nilda Huamán", "female")]
    data = {"elected_on": "2024-06-30", "member-TOTAL_FORMS": "6", "member-INITIAL_FORMS": "0"}
    for i, (agent, name, gender) in enumerate(rows):
        data.update(
            {f"member-{i}-agent": agent.pk, f"member-{i}-full_name": name, f"member-{i}-gender": gender}
        )
    data["member-0-is_president"] = "on"
    refused = client.post(reverse("budgets:vigilance_elect", args=[cycle.pk]), data)
    assert "al menos 4 miembros" in refused.content.decode()
    data.update(
        {
            "member-3-agent": b.pk,
            "member-3-full_name": "Pedro Ccoa",
            "member-3-gender": "male",
            "member-3-email": "",
        }
    )
    assert client.post(reverse("budgets:vigilance_elect", args=[cycle.pk]), data).status_code == 302
    assert sorted(cycle.vigilance_members.values_list("full_name", flat=True)) == [
        "Juan Mamani",
        "Nilda Huamán",
        "Pedro Ccoa",
        "Rosa Quispe",
    ]

    # Allocation, then a milestone added and marked done.
    score_all(proposal, 4)
    client.post(reverse("budgets:allocation_run", args=[cycle.pk]))
    response = client.post(
        reverse("budgets:milestone_add", args=[proposal.pk]),
        {"name": "Expediente técnico", "due_on": "2025-03-31"},
    )
    assert response.status_code == 302
    milestone = proposal.milestones.get()
    client.post(reverse("budgets:milestone_done", args=[milestone.pk]), {"done_on": "2025-03-20"})
    milestone.refresh_from_db()
    assert milestone.done_on == datetime.date(2025, 3, 20)


def test_envelope_change_and_step_edit_are_kept_in_history(client, cycle, budget_anta):
    client.force_login(budget_anta)
    response = client.post(
        reverse("budgets:cycle_edit", args=[cycle.pk]),
        {
            "envelope": "750000.00",
            "ordinance_reference": cycle.ordinance_reference,
            "prioritised_results": cycle.prioritised_results,
            "agents_commitments": "Aporte de mano de obra.",
        },
    )
    assert response.status_code == 302
    entry = HistoryEntry.objects.get(field="envelope")
    assert (entry.before, entry.after, entry.by) == ("500000.00", "750000.00", budget_anta)
    step = cycle.phases.get(kind="preparation").steps.first()
    outside = client.post(
        reverse("budgets:step_edit", args=[step.pk]),
        {"name": step.name, "starts_on": "2026-01-10", "ends_on": "2026-01-31"},
    )
    assert outside.status_code == 200 and "Un paso queda dentro de su fase" in outside.content.decode()
    client.post(
        reverse("budgets:step_edit", args=[step.pk]),
        {"name": "Ordenanza aprobada", "starts_on": "2026-01-20", "ends_on": "2026-02-05"},
    )
    step.refresh_from_db()
    assert (step.name, step.starts_on) == ("Ordenanza aprobada", datetime.date(2026, 1, 20))
