import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budgets import services
from budgets.models import Phase, Proposal, Score
from tests.accounts.factories import person_with_role

from .factories import agent_for, cycle_for, producer, proposal_for, score_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(municipalities):
    """A cycle of Anta with every kind of object in it."""
    cycle = cycle_for(municipalities["anta"], fiscal_year=2025, envelope="300000")
    agent = agent_for(cycle, "Asociación Lechera Sumaq Llaqta")
    other_agent = agent_for(cycle, "Asociación de Cuyes Wiñay")
    delegate = services.delegate_add(by=None, agent=agent, full_name="Justina Huillca", gender="female")
    proposal = proposal_for(agent, "Centro de acopio de leche", cost="200000")
    proposal.document = SimpleUploadedFile("perfil.pdf", b"%PDF-1.7 perfil")
    proposal.save()
    other = proposal_for(other_agent, "Galpones de cuyes", cost="50000")
    score_all(proposal, 4)
    score_all(other, 3)
    services.allocation_run(by=None, cycle=cycle)
    proposal.refresh_from_db()
    milestone = services.milestone_add(
        by=None, proposal=proposal, name="Expediente", due_on=datetime.date(2025, 4, 1)
    )
    workshop = services.workshop_record(
        by=None,
        cycle=cycle,
        kind="prioritisation",
        held_on=datetime.date(2024, 6, 5),
        place="Anta",
        acta=SimpleUploadedFile("acta.pdf", b"%PDF-1.7 acta"),
    )
    report = services.vigilance_report_submit(
        by=None,
        cycle=cycle,
        period="I semestre 2025",
        submitted_on=datetime.date(2025, 7, 1),
        findings="Al día.",
        document=SimpleUploadedFile("informe.pdf", b"%PDF-1.7 informe"),
    )
    member = services.technical_member_add(
        by=None, cycle=cycle, full_name="Ing. Ruth Salas", position="Planificación"
    )
    return {
        "cycle": cycle,
        "agent": agent,
        "delegate": delegate,
        "proposal": proposal,
        "other": other,
        "milestone": milestone,
        "workshop": workshop,
        "report": report,
        "member": member,
        "phase": cycle.phases.first(),
        "step": cycle.phases.first().steps.first(),
    }


def scoped_urls(w):
    c, p = w["cycle"].pk, w["proposal"].pk
    return [
        reverse("budgets:cycle_detail", args=[c]),
        reverse("budgets:cycle_edit", args=[c]),
        reverse("budgets:cycle_timeline", args=[c]),
        reverse("budgets:phase_edit", args=[w["phase"].pk]),
        reverse("budgets:step_edit", args=[w["step"].pk]),
        reverse("budgets:agent_list", args=[c]),
        reverse("budgets:agent_detail", args=[w["agent"].pk]),
        reverse("budgets:vigilance_elect", args=[c]),
        reverse("budgets:vigilance_reports", args=[c]),
        reverse("budgets:vigilance_report_document", args=[w["report"].pk]),
        reverse("budgets:workshop_list", args=[c]),
        reverse("budgets:workshop_acta", args=[w["workshop"].pk]),
        reverse("budgets:proposal_list", args=[c]),
        reverse("budgets:proposal_create", args=[c]),
        reverse("budgets:proposal_detail", args=[p]),
        reverse("budgets:proposal_document", args=[p]),
        reverse("budgets:proposal_scores", args=[p]),
        reverse("budgets:execution_update", args=[p]),
        reverse("budgets:milestone_add", args=[p]),
        reverse("budgets:milestone_done", args=[w["milestone"].pk]),
        reverse("budgets:matrix_edit", args=[c]),
        reverse("budgets:ranking", args=[c]),
        reverse("budgets:acta_pdf", args=[c]),
        reverse("budgets:execution", args=[c]),
        reverse("budgets:history", args=[c]),
        reverse("budgets:delegate_remove", args=[w["delegate"].pk]),
        reverse("budgets:technical_member_remove", args=[w["member"].pk]),
    ]


def test_everything_is_404_for_another_municipality_and_an_unrelated_association(
    client, world, technician_chumbivilcas
):
    stranger = person_with_role("leader", producer("Asociación de otra provincia"))
    for user in (technician_chumbivilcas, stranger):
        client.force_login(user)
        for url in scoped_urls(world):
            assert client.get(url).status_code == 404, (user, url)


def test_refused_writes_change_nothing(client, world, technician_chumbivilcas):
    client.force_login(technician_chumbivilcas)
    w = world
    before_scores = list(Score.objects.order_by("pk").values_list("value", flat=True))
    before_proposals = list(
        Proposal.objects.order_by("pk").values_list("status", "rank", "allocated", "progress_pct")
    )
    posts = [
        (reverse("budgets:allocation_run", args=[w["cycle"].pk]), {}),
        (reverse("budgets:proposal_evaluate", args=[w["proposal"].pk]), {"admissible": "0", "reasons": "x"}),
        (
            reverse("budgets:phase_edit", args=[w["phase"].pk]),
            {"starts_on": "2024-01-01", "ends_on": "2024-03-31"},
        ),
        (
            reverse("budgets:proposal_scores", args=[w["proposal"].pk]),
            {f"criterion_{c.pk}": "0" for c in w["cycle"].criteria.all()},
        ),
        (
            reverse("budgets:execution_update", args=[w["proposal"].pk]),
            {"on": "2025-08-01", "progress_pct": "90", "spent": "1"},
        ),
        (reverse("budgets:technical_member_remove", args=[w["member"].pk]), {}),
        (reverse("budgets:delegate_remove", args=[w["delegate"].pk]), {}),
        (
            reverse("budgets:agent_list", args=[w["cycle"].pk]),
            {"new_organisation": "Intrusa", "kind": "civil_society"},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert list(Score.objects.order_by("pk").values_list("value", flat=True)) == before_scores
    assert (
        list(Proposal.objects.order_by("pk").values_list("status", "rank", "allocated", "progress_pct"))
        == before_proposals
    )
    assert Phase.objects.get(pk=w["phase"].pk).starts_on == datetime.date(2024, 1, 15)
    assert w["cycle"].technical_team.count() == 1 and w["agent"].delegates.count() == 1
    assert w["cycle"].agents.count() == 2


def test_agent_sees_own_proposals_only_and_not_the_team_pages(client, world):
    leader = person_with_role("leader", world["agent"].organisation)
    client.force_login(leader)
    assert client.get(reverse("budgets:cycle_detail", args=[world["cycle"].pk])).status_code == 200
    assert client.get(reverse("budgets:proposal_detail", args=[world["proposal"].pk])).status_code == 200
    assert client.get(reverse("budgets:proposal_detail", args=[world["other"].pk])).status_code == 404
    page = client.get(reverse("budgets:proposal_list", args=[world["cycle"].pk])).content.decode()
    assert "Centro de acopio de leche" in page and "Galpones de cuyes" not in page
    for name in ("cycle_edit", "ranking", "acta_pdf", "history", "execution", "matrix_edit"):
        assert client.get(reverse(f"budgets:{name}", args=[world["cycle"].pk])).status_code in (404, 200)
    for name in ("cycle_edit", "ranking", "acta_pdf", "history", "execution"):
        assert client.get(reverse(f"budgets:{name}", args=[world["cycle"].pk])).status_code == 404, name
    assert client.get(reverse("budgets:proposal_scores", args=[world["proposal"].pk])).status_code == 404


def test_coordinator_reads_everything_and_runs_nothing(client, world, coordinator):
    client.force_login(coordinator)
    for name in ("cycle_detail", "ranking", "execution", "history"):
        assert client.get(reverse(f"budgets:{name}", args=[world["cycle"].pk])).status_code == 200
    assert client.get(reverse("budgets:acta_pdf", args=[world["cycle"].pk])).status_code == 200
    assert client.get(reverse("budgets:cycle_edit", args=[world["cycle"].pk])).status_code == 404
    assert client.post(reverse("budgets:allocation_run", args=[world["cycle"].pk])).status_code == 404


def test_provincial_staff_read_a_district_cycle_but_do_not_run_it(client, municipalities, technician_anta):
    cycle = cycle_for(municipalities["pucyura"])
    client.force_login(technician_anta)
    assert client.get(reverse("budgets:cycle_detail", args=[cycle.pk])).status_code == 200
    assert client.get(reverse("budgets:cycle_edit", args=[cycle.pk])).status_code == 404


def test_vigilance_member_reads_and_reports(client, world):
    user = person_with_role("leader", world["agent"].organisation)
    services.vigilance_committee_elect(
        by=None,
        cycle=world["cycle"],
        elected_on=datetime.date(2024, 6, 30),
        members=[
            services.VigilanceCandidate(
                agent=world["agent"],
                full_name=f"M{i}",
                gender="female",
                is_president=i == 0,
                user=user if i == 0 else None,
            )
            for i in range(4)
        ],
    )
    client.force_login(user)
    assert client.get(reverse("budgets:execution", args=[world["cycle"].pk])).status_code == 200
    response = client.post(
        reverse("budgets:vigilance_reports", args=[world["cycle"].pk]),
        {"period": "II semestre 2025", "submitted_on": "2026-01-10", "findings": "Obra paralizada en enero."},
    )
    assert response.status_code == 302
    assert world["cycle"].vigilance_reports.filter(by=user, period="II semestre 2025").exists()


def test_anonymous_reads_only_the_public_page(client, world):
    assert client.get(reverse("budgets:public_detail", args=[world["cycle"].pk])).status_code == 200
    assert client.get(reverse("budgets:public_list")).status_code == 200
    response = client.get(reverse("budgets:cycle_detail", args=[world["cycle"].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    public = client.get(reverse("budgets:public_detail", args=[world["cycle"].pk])).content.decode()
    assert "Justina Huillca" not in public and "Ruth Salas" not in public
    assert Decimal(world["proposal"].allocated) == Decimal("200000.00")


def test_leader_joins_an_open_cycle_but_not_a_closed_one(client, municipalities):
    association = producer("Asociación Lechera Sumaq Llaqta")
    leader = person_with_role("leader", association)
    open_cycle = cycle_for(municipalities["anta"], fiscal_year=datetime.date.today().year + 2)
    closed = cycle_for(municipalities["anta"], fiscal_year=2020)
    client.force_login(leader)
    assert "Inscribir a mi organización" in client.get(reverse("budgets:cycle_list")).content.decode()
    response = client.post(
        reverse("budgets:agent_join", args=[open_cycle.pk]), {"organisation": association.pk}
    )
    assert response.status_code == 302
    assert open_cycle.agents.get().status == "pending"
    assert (
        client.post(
            reverse("budgets:agent_join", args=[closed.pk]), {"organisation": association.pk}
        ).status_code
        == 404
    )
    assert closed.agents.count() == 0


def test_leader_cannot_submit_for_another_agent(client, world):
    leader = person_with_role("leader", world["agent"].organisation)
    client.force_login(leader)
    other_agent = world["other"].agent
    count = Proposal.objects.count()
    response = client.post(
        reverse("budgets:proposal_create", args=[world["cycle"].pk]),
        {
            "agent": other_agent.pk,
            "title": "Intruso",
            "result": world["cycle"].results_list[0],
            "district": world["cycle"].municipality.district_id,
            "cost": "1000",
            "cofinancing": "0",
            "families": "5",
            "women": "1",
        },
    )
    assert response.status_code == 200
    assert Proposal.objects.count() == count
