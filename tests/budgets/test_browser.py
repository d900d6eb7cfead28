"""A budget team member runs a cycle, from registering agents to the acta, on a 375×667 phone and on a
1366×768 laptop. Every page: no CSP violation, nothing fetched from outside, no serious accessibility
problem."""

import pytest
from playwright.sync_api import expect

from budgets.models import ParticipatingAgent, Proposal
from tests.accounts.factories import PASSWORD, person_with_role
from tests.browser_guard import PageGuard

from .factories import agent_for, cycle_for, producer, proposal_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECTS = [
    # title, cost, scores on the default matrix (30, 25, 20, 15, 10 %)
    ("Centro de acopio de leche", "300000", ["5", "5", "4", "3", "4"]),
    ("Pastos mejorados", "250000", ["4", "4", "5", "2", "4"]),
    ("Galpones de cuyes", "180000", ["3", "4", "3", "2", "3"]),
    ("Planta quesera", "120000", ["2", "2", "2", "1", "2"]),
]


def test_budget_team_registers_scores_ranks_allocates_and_downloads_the_acta(
    live_server, screen, municipalities, tmp_path
):
    team = person_with_role("technical_team", municipalities["anta"].organisation, email="pp.anta@example.pe")
    cycle = cycle_for(municipalities["anta"], envelope="600000")
    first, second = agent_for(cycle, "Asociación Lechera A"), agent_for(cycle, "Asociación Cuyera B")
    for i, (title, cost, _scores) in enumerate(PROJECTS):
        proposal_for(first if i % 2 == 0 else second, title, cost=cost, families=50)
    producer("Asociación de Productores Hatun Mayu")

    page = screen
    guard = PageGuard(page)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Correo electrónico").fill(team.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).to_have_url(live_server.url + "/")

    # Open the cycle.
    page.goto(live_server.url + "/budgets/")
    page.get_by_role("link", name="Municipalidad Provincial de Anta · año fiscal 2027").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Presupuesto participativo 2027")
    guard.check()

    # Register two agents: one already on the platform, one new.
    page.get_by_role("link", name="Agentes", exact=True).click()
    guard.check()
    page.get_by_label("Organización registrada").select_option(label="Asociación de Productores Hatun Mayu")
    page.get_by_role("button", name="Inscribir al agente").click()
    expect(page.get_by_text("Asociación de Productores Hatun Mayu está inscrita.")).to_be_visible()
    page.get_by_label("o una organización nueva (nombre)").fill("Asociación de Mujeres Queseras de Zurite")
    page.get_by_role("button", name="Inscribir al agente").click()
    expect(page.get_by_text("Asociación de Mujeres Queseras de Zurite está inscrita.")).to_be_visible()
    guard.check()
    assert ParticipatingAgent.objects.filter(cycle=cycle, status="accredited").count() == 4

    # The new agent's project, typed in from its paper form, found not viable by the Equipo Técnico.
    page.get_by_role("link", name="Propuestas", exact=True).click()
    guard.check()
    page.get_by_role("link", name="Nueva propuesta").click()
    guard.check()
    page.select_option("[name=agent]", label="Asociación de Mujeres Queseras de Zurite")
    page.fill("[name=title]", "Módulo de quesería artesanal")
    page.select_option("[name=result]", index=0)
    page.select_option("[name=district]", index=1)
    page.locator("[name=other_districts]").nth(2).check()  # a provincial project reaches two districts
    page.fill("[name=cost]", "90000")
    page.fill("[name=cofinancing]", "10000")
    page.fill("[name=families]", "30")
    page.fill("[name=women]", "25")
    page.fill("[name=description]", "Equipos y local para elaborar queso andino.")
    page.get_by_role("button", name="Presentar la propuesta").click()
    expect(page.get_by_text("está registrada.")).to_be_visible()
    guard.check()
    page.get_by_label("No admisible").check()
    page.fill("[name=reasons]", "No tiene terreno saneado para el local.")
    page.get_by_role("button", name="Registrar la evaluación").click()
    expect(page.get_by_text("No tiene terreno saneado para el local.")).to_be_visible()
    guard.check()
    typed = Proposal.objects.get(title="Módulo de quesería artesanal")
    assert (typed.status, typed.cost, typed.agent.organisation.name) == (
        "not_admissible",
        90000,
        "Asociación de Mujeres Queseras de Zurite",
    )

    # Enter the scores of the four viable projects, typed from the paper sheets.
    page.get_by_role("navigation", name="Ruta de navegación").get_by_role("link", name="Propuestas").click()
    page.get_by_role("link", name="Orden de prioridad", exact=True).click()
    guard.check()
    for title, _cost, scores in PROJECTS:
        page.get_by_role("listitem").filter(has_text=title).get_by_role(
            "link", name="Ingresar puntajes"
        ).click()
        if title == PROJECTS[0][0]:
            guard.check()
        for label, value in zip(
            ["Articulación", "Pobreza", "Beneficiarios", "Cofinanciamiento", "Sostenibilidad"],
            scores,
            strict=True,
        ):
            page.get_by_label(label).fill(value)
        page.get_by_label("Copiado de una ficha de calificación en papel").check()
        page.get_by_role("button", name="Guardar los puntajes").click()
        expect(page.get_by_text("Puntajes guardados para")).to_be_visible()

    # 30 + 25 + 16 + 9 + 8 = 88. Envelope 600,000: 300,000 and 250,000 fit; 180,000 and 120,000 do not.
    rows = page.locator("ol.ranking > li")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("Centro de acopio de leche")
    expect(rows.nth(0)).to_contain_text("Puntaje 88.00")
    expect(rows.nth(1)).to_contain_text("Pastos mejorados")
    expect(rows.nth(2)).to_contain_text("No cabe")
    expect(page.locator(".allocated-total")).to_have_text("S/ 550,000.00")
    page.get_by_role("button", name="Guardar este orden y esta asignación").click()
    expect(page.get_by_text("Asignación guardada: 2 de 4 proyectos financiados.")).to_be_visible()
    guard.check()
    assert list(
        Proposal.objects.filter(cycle=cycle)
        .exclude(pk=typed.pk)
        .order_by("rank")
        .values_list("title", "allocated")
    ) == [
        ("Centro de acopio de leche", 300000),
        ("Pastos mejorados", 250000),
        ("Galpones de cuyes", None),
        ("Planta quesera", None),
    ]
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    # The acta.
    with page.expect_download() as download:
        page.get_by_role("link", name="Acta de Acuerdos y Compromisos (PDF)").click()
    path = tmp_path / "acta.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    assert download.value.suggested_filename.startswith("acta-acuerdos-compromisos")
