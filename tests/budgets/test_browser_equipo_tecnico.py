"""The Equipo Técnico of Anta runs a cycle from the ordinance to the acta as Peru's rules ask: the mayor and
the CCL's opinion, accreditation with a preliminary list, a challenge (tacha) upheld, the final list, an
agent by right, a project funded only for its technical file, the allocation, a replacement that follows the
ranking, the signing with quorum; then the acta PDF (pdftotext) holds the project table with the CUI and the
signatures, and the MEF-shaped export opens with openpyxl and with python-calamine. Every page: no CSP
violation, nothing fetched from outside, no serious accessibility problem."""

import datetime
import io
import subprocess
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from budgets import services
from budgets.models import BudgetCycle, ParticipatingAgent, Proposal
from municipalities.models import District
from tests.accounts.factories import PASSWORD, person_with_role
from tests.browser_guard import PageGuard

from .factories import proposal_for, score_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, name: str) -> None:
    page.locator("main").get_by_role("button", name=name, exact=True).click()


def test_equipo_tecnico_of_anta_runs_a_cycle_from_ordinance_to_acta(
    live_server, screen, municipalities, tmp_path
):
    anta = municipalities["anta"]
    team = person_with_role("technical_team", anta.organisation, email="et.anta@example.pe")
    today = timezone.localdate()
    year = today.year + 1
    page = screen
    guard = PageGuard(page)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Correo electrónico").fill(team.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).to_have_url(live_server.url + "/")

    # The cycle is opened with its ordinance and envelope.
    page.goto(live_server.url + "/budgets/new/")
    page.select_option("[name=municipality]", label="Municipalidad Provincial de Anta")
    page.fill("[name=fiscal_year]", str(year))
    page.fill("[name=envelope]", "500000")
    page.fill("[name=ordinance_reference]", f"Ordenanza Municipal 004-{year - 1}-MPA")
    page.fill("[name=prioritised_results]", "Más leche de calidad vendida a precio justo\nAgua para riego")
    _submit(page, "Abrir el proceso")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Presupuesto participativo {year}")
    guard.check()
    cycle = BudgetCycle.objects.get(municipality=anta, fiscal_year=year)

    # The mayor who signs, the accreditation requirements and the CCL's opinion on the ordinance.
    page.get_by_role("link", name="Alcaldía, requisitos de acreditación, CCL y concejo").click()
    guard.check()
    page.fill("[name=mayor_name]", "Lic. Marleni Quispe Huamán")
    page.select_option("[name=mayor_gender]", "female")
    page.fill("[name=accreditation_requirements]", "Ficha de inscripción\nActa de elección de delegados")
    page.fill("[name=ccl_opinion]", "El CCL opina favorablemente sobre la ordenanza.")
    page.fill("[name=ccl_opinion_on]", today.isoformat())
    _submit(page, "Guardar")
    expect(page.get_by_text("El CCL opina favorablemente sobre la ordenanza.")).to_be_visible()

    # Agents: three organisations accredited on their documents, a regidor by right, the Equipo Técnico.
    page.get_by_role("link", name="Agentes", exact=True).click()
    guard.check()
    for name in ("Asociación Lechera Sumaq Waka", "Asociación de Regantes de Zurite", "Asociación Fantasma"):
        page.get_by_label("o una organización nueva (nombre)").fill(name)
        _submit(page, "Inscribir al agente")
        expect(page.get_by_text(f"{name} está inscrita.")).to_be_visible()
    page.select_option("[name=seat]", "regidor")
    page.locator("form[action$='/by-right/'] [name=full_name]").fill("Yolanda Ayma")
    _submit(page, "Registrar como agente por derecho")
    expect(page.get_by_text("Yolanda Ayma está registrado como agente por derecho.")).to_be_visible()
    team_form = page.locator("form[action$='/technical-team/']")
    team_form.locator("[name=full_name]").fill("Ing. Ruth Salas")
    team_form.locator("[name=position]").fill("Gerencia de Planificación y Presupuesto")
    team_form.locator("[name=resolution]").fill(f"Resolución de Alcaldía 021-{year - 1}-MPA")
    _submit(page, "Agregar al Equipo Técnico")
    expect(page.get_by_text(f"Resolución de Alcaldía 021-{year - 1}-MPA")).to_be_visible()
    guard.check()

    # The preliminary list, a challenge against one agent, upheld; then the final list.
    page.get_by_role("link", name="Publicar la lista preliminar").click()
    guard.check()
    page.fill("[name=on]", today.isoformat())
    page.fill("[name=challenges_until]", (today + datetime.timedelta(days=3)).isoformat())
    _submit(page, "Publicar la lista preliminar")
    expect(page.get_by_text("La lista está publicada en la página pública del proceso.")).to_be_visible()
    page.get_by_role("listitem").filter(has_text="Asociación Fantasma").get_by_role(
        "link", name="Tacha"
    ).click()
    guard.check()
    page.fill("[name=filed_by]", "Asociación Lechera Sumaq Waka")
    page.fill("[name=grounds]", "No tiene socios ni libro de actas.")
    _submit(page, "Registrar la tacha")
    expect(page.get_by_text("La tacha está registrada.")).to_be_visible()
    page.get_by_role("link", name="Resolver").click()
    guard.check()
    page.get_by_label("Fundada: no acreditado").check()
    page.fill("[name=resolution]", "Verificado: la asociación no existe.")
    _submit(page, "Registrar la decisión")
    expect(page.get_by_text("La tacha está resuelta.")).to_be_visible()
    page.get_by_role("link", name="Publicar la lista final").click()
    page.fill("[name=on]", (today + datetime.timedelta(days=4)).isoformat())
    _submit(page, "Publicar la lista final")
    expect(page.get_by_text("La lista está publicada en la página pública del proceso.")).to_be_visible()
    statuses = dict(
        ParticipatingAgent.objects.filter(cycle=cycle).values_list("organisation__name", "status")
    )
    assert statuses == {
        "Asociación Lechera Sumaq Waka": "accredited",
        "Asociación de Regantes de Zurite": "accredited",
        "Asociación Fantasma": "refused",
    }
    page.goto(live_server.url + f"/budgets/public/{cycle.pk}/")
    expect(page.locator("#accreditation-lists")).to_contain_text("Lista final")
    expect(page.get_by_text("Asociación Fantasma · Fundada: no acreditado")).to_be_visible()
    guard.check()

    # Three projects typed in from paper forms; a fourth asks only for its technical file.
    lechera = ParticipatingAgent.objects.get(cycle=cycle, organisation__name="Asociación Lechera Sumaq Waka")
    regantes = ParticipatingAgent.objects.get(
        cycle=cycle, organisation__name="Asociación de Regantes de Zurite"
    )
    acopio = proposal_for(lechera, "Centro de acopio de leche", cost="300000", families=120)
    riego = proposal_for(regantes, "Riego por aspersión en Huarocondo", cost="150000", families=80)
    pastos = proposal_for(lechera, "Pastos mejorados en Ancahuasi", cost="120000", families=60)
    page.goto(live_server.url + f"/budgets/{cycle.pk}/proposals/new/")
    guard.check()
    page.select_option("[name=agent]", label="Asociación de Regantes de Zurite")
    page.fill("[name=title]", "Irrigación de Zurite y Pucyura")
    page.select_option("[name=result]", index=1)
    districts = list(District.objects.filter(province_id=anta.province_id).order_by("ubigeo"))
    page.select_option("[name=district]", str(districts[1].pk))
    page.locator(f"[name=other_districts][value='{districts[2].pk}']").check()
    page.fill("[name=cui]", "2481536")
    page.select_option("[name=investment_status]", "viable")
    page.fill("[name=cost]", "600000")
    page.select_option("[name=funding]", "technical_file")
    page.fill("[name=stage_cost]", "30000")
    page.fill("[name=families]", "200")
    page.fill("[name=women]", "90")
    _submit(page, "Presentar la propuesta")
    expect(page.get_by_text("está registrada.")).to_be_visible()
    guard.check()
    page.get_by_label("Admisible", exact=True).check()
    page.fill("[name=reasons]", "Declarado viable en Invierte.pe; falta el expediente técnico.")
    _submit(page, "Registrar la evaluación")
    expect(page.get_by_text("falta el expediente técnico.")).to_be_visible()
    irrigacion = Proposal.objects.get(title="Irrigación de Zurite y Pucyura")
    assert (irrigacion.status, irrigacion.requested) == ("admissible", Decimal("30000.00"))

    # Scores from the paper sheets; the Equipo Técnico saves the ranking and allocation.
    for proposal, value in ((acopio, 5), (irrigacion, 4), (riego, 3), (pastos, 2)):
        score_all(proposal, value)
    page.goto(live_server.url + f"/budgets/{cycle.pk}/ranking/")
    guard.check()
    _submit(page, "Guardar este orden y esta asignación")
    expect(page.get_by_text("Asignación guardada: 3 de 4 proyectos financiados.")).to_be_visible()
    funded = dict(Proposal.objects.filter(cycle=cycle).values_list("title", "allocated"))
    assert funded == {
        "Centro de acopio de leche": Decimal("300000.00"),
        "Irrigación de Zurite y Pucyura": Decimal("30000.00"),  # its technical file only
        "Riego por aspersión en Huarocondo": Decimal("150000.00"),
        "Pastos mejorados en Ancahuasi": None,  # reserve: 20000 left
    }

    # The Comité de Vigilancia is elected at the workshop (typed in from its acta).
    services.vigilance_committee_elect(
        by=None,
        cycle=cycle,
        elected_on=today,
        members=[
            services.VigilanceCandidate(agent=agent, full_name=name, gender="female", is_president=i == 0)
            for i, (agent, name) in enumerate(
                [
                    (lechera, "Marcelina Quispe"),
                    (regantes, "Rosa Ccahuana"),
                    (lechera, "Julián Ccoa"),
                    (regantes, "Pedro Huarca"),
                ]
            )
        ],
    )

    # The irrigation in Huarocondo cannot be executed: the next in the ranking that fits replaces it.
    page.goto(live_server.url + f"/budgets/proposals/{riego.pk}/")
    page.get_by_role("link", name="No se puede ejecutar: reemplazarlo").click()
    guard.check()
    page.fill("[name=reason]", "La comunidad no cedió el terreno del reservorio.")
    _submit(page, "Reemplazarlo según el orden de prioridad")
    expect(
        page.get_by_text("Riego por aspersión en Huarocondo es reemplazado por Pastos mejorados en Ancahuasi")
    ).to_be_visible()
    expect(page.locator("#replacements")).to_contain_text("La comunidad no cedió el terreno del reservorio.")
    guard.check()
    pastos.refresh_from_db()
    assert pastos.allocated == Decimal("120000.00")

    # The acta is signed with quorum: 2 of 3 agents with a vote (two accredited, one regidor by right).
    page.goto(live_server.url + f"/budgets/{cycle.pk}/")
    page.get_by_role("link", name="Registrar la firma del acta").click()
    guard.check()
    page.fill("[name=agents_present]", "1")
    _submit(page, "Registrar la firma")
    expect(page.get_by_text("Sin quórum: 1 de 3 agentes con voto")).to_be_visible()
    page.fill("[name=agents_present]", "2")
    _submit(page, "Registrar la firma")
    expect(page.get_by_text("La firma del acta está registrada.")).to_be_visible()
    guard.check()

    # The acta: project table with the CUI, the reserve, quorum, and the signatures.
    with page.expect_download() as download:
        page.get_by_role("link", name="Acta de Acuerdos y Compromisos (PDF)").click()
    pdf = tmp_path / "acta.pdf"
    download.value.save_as(pdf)
    layout = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # The project's row: its CUI beside its total cost and this year's amount (the technical file's).
    lines = layout.splitlines()
    at = next(i for i, line in enumerate(lines) if "2481536" in line)
    row = " ".join(lines[at : at + 2])
    assert "Irrigación de Zurite y Pucyura" in row and "S/ 600,000.00" in row and "S/ 30,000.00" in row, row
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())
    for expected in (
        "CUI",
        "Pucyura",
        "Ancahuasi",
        "Lista de reserva",
        "Reemplazos",
        "2 de 3 agentes con voto presentes",
        "Comité de Vigilancia",
        "Marcelina Quispe",
        "Ing. Ruth Salas",
        "Firma",
        "Alcaldesa",
        "Lic. Marleni Quispe Huamán",
        "Yolanda Ayma",
    ):
        assert expected in text, expected

    # The cycle in the shape of the MEF's application, read by two XLSX readers.
    with page.expect_download() as download:
        page.get_by_role("link", name="Exportar para el aplicativo del MEF (XLSX)").click()
    xlsx = tmp_path / "mef.xlsx"
    download.value.save_as(xlsx)
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    book = load_workbook(io.BytesIO(xlsx.read_bytes()), read_only=True)
    names = book.sheetnames
    assert names == [
        "Datos generales",
        "Equipo Técnico",
        "Agentes participantes",
        "Resultados priorizados",
        "Proyectos",
        "Comité de Vigilancia",
        "Acta",
    ]
    projects = [list(row) for row in book["Proyectos"].iter_rows(values_only=True)]
    calamine = CalamineWorkbook.from_path(str(xlsx))
    assert calamine.sheet_names == names
    same = calamine.get_sheet_by_name("Proyectos").to_python()
    assert [str(v) for v in same[0]] == [str(v) for v in projects[0]]
    by_title = {row[2]: row for row in same[1:]}
    assert by_title["Irrigación de Zurite y Pucyura"][1] == "2481536"
    assert by_title["Irrigación de Zurite y Pucyura"][4] == "Solo su expediente técnico"
    assert float(by_title["Irrigación de Zurite y Pucyura"][7]) == 30000.0
    agents = [row[0] for row in calamine.get_sheet_by_name("Agentes participantes").to_python()[1:]]
    assert "Yolanda Ayma" in agents and "Asociación Fantasma" not in agents
