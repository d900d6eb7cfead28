"""A coordinator defines "Pasto mejorado (ha)" by semester and gender with a target of 300 for Anta; the Anta
technician reports 120 with a photo; the coordinator returns it with a comment; 135 is sent again and
approved; the dashboard, the scorecard, its XLSX and the donor PDF show 135 against 300; a leader opening the
indicator's pages gets a 404. Every page: no CSP violation, nothing fetched from outside, no serious
accessibility problem."""

import io
import re
import subprocess

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from results.models import Indicator, Report
from tests.browser_guard import PageGuard
from tests.conftest import SCREENS

from .factories import result_1

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(browser, live_server, user):
    client = Client()
    client.force_login(user)  # coordinators have two-factor authentication: skip the sign-in form
    context = browser.new_context(**SCREENS["desktop"], accept_downloads=True)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    return page, PageGuard(page)


def test_a_reported_indicator_from_definition_to_the_donor_report(
    live_server, browser, municipalities, coordinator, technician_anta, tmp_path
):
    from kallpanchis.organisations.models import Organisation
    from kallpanchis.organisations.services import organisation_ensure
    from tests.accounts.factories import person_with_role

    year = timezone.localdate().year
    result_1()
    leader = person_with_role(
        "leader",
        organisation_ensure(name="Asociación Lechera Zurite", kind=Organisation.Kind.PRODUCER),
        email="lider.zurite@example.pe",
    )
    photo = tmp_path / "parcela.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 2048)

    # The coordinator defines the indicator, by semester and gender, and Anta's target.
    coord, guard = signed_in(browser, live_server, coordinator)
    coord.goto(live_server.url + "/results/indicators/")
    expect(coord.get_by_role("heading", level=1)).to_have_text("Resultados e indicadores")
    guard.check()
    coord.get_by_role("link", name="Nuevo indicador").click()
    coord.get_by_label("Resultado esperado").select_option(index=1)
    coord.get_by_label("Código").fill("pasto_mejorado")
    coord.get_by_label("Nombre").fill("Pasto mejorado")
    coord.get_by_label("Unidad").fill("ha")
    coord.get_by_label("Decimales").fill("0")
    coord.get_by_label("Periodo de reporte").select_option(label="Semestre")
    coord.get_by_label("Sexo", exact=True).check()
    coord.get_by_label("En el tiempo").select_option(label="Suma de los periodos")
    guard.check()
    coord.get_by_role("button", name="Guardar el indicador").click()
    expect(coord.get_by_text("El indicador Pasto mejorado está guardado.")).to_be_visible()
    expect(coord.get_by_role("heading", level=1)).to_have_text("Pasto mejorado")
    coord.get_by_label("Municipalidad").select_option(label="Municipalidad Provincial de Anta")
    coord.get_by_label("Año").fill(str(year))
    coord.get_by_label("Meta").fill("300")
    coord.get_by_role("button", name="Guardar la meta").click()
    expect(
        coord.get_by_text("Meta y responsable de reporte guardados para Municipalidad Provincial de Anta.")
    ).to_be_visible()
    guard.check()
    indicator = Indicator.objects.get(code="pasto_mejorado")
    assert (indicator.frequency, indicator.disaggregations) == ("semester", ["gender"])

    # The Anta technician reports 120 ha for the first semester, with a photo.
    tech, tech_guard = signed_in(browser, live_server, technician_anta)
    tech.goto(live_server.url + "/results/")
    tech_guard.check()
    tech.get_by_role("link", name=re.compile(f"^Reportar.*Pasto mejorado, Semestre 1 {year}")).click()
    tech.get_by_label("Valor (ha)").fill("120")
    tech.get_by_label("Sexo: Mujer").fill("60")
    tech.get_by_label("Sexo: Hombre").fill("60")
    tech.get_by_label("Narrativa").fill("Siembra de avena y rye grass en Zurite y Huarocondo.")
    tech.get_by_label("Evidencia (foto o documento)").set_input_files(str(photo))
    tech_guard.check()
    tech.get_by_role("button", name="Enviar a revisión").click()
    expect(tech.get_by_text("El valor se envió a revisión.")).to_be_visible()
    tech_guard.check()
    report = Report.objects.get(indicator=indicator)
    assert (report.value, bool(report.evidence)) == (120, True)

    # The coordinator returns it with a comment.
    coord.goto(live_server.url + "/results/")
    coord.get_by_role(
        "link", name=f"Pasto mejorado · Municipalidad Provincial de Anta · Semestre 1 {year}"
    ).click()
    guard.check()
    coord.get_by_label("Qué hay que corregir").fill("Faltan las parcelas de Huarocondo.")
    coord.get_by_role("button", name="Devolver con este comentario").click()
    expect(coord.get_by_text("El valor se devolvió a quien lo reportó.")).to_be_visible()

    # The technician sees the comment and sends 135.
    tech.goto(live_server.url + "/results/")
    tech.get_by_role(
        "link", name=re.compile(f"^Corregir y enviar de nuevo.*Pasto mejorado, Semestre 1 {year}")
    ).click()
    expect(tech.get_by_role("alert")).to_contain_text("Faltan las parcelas de Huarocondo.")
    tech.get_by_label("Valor (ha)").fill("135")
    tech.get_by_label("Sexo: Mujer").fill("70")
    tech.get_by_label("Sexo: Hombre").fill("65")
    tech.get_by_role("button", name="Enviar a revisión").click()
    expect(tech.get_by_text("El valor se envió a revisión.")).to_be_visible()

    # The coordinator approves it.
    coord.goto(live_server.url + "/results/")
    coord.get_by_role(
        "link", name=f"Pasto mejorado · Municipalidad Provincial de Anta · Semestre 1 {year}"
    ).click()
    coord.get_by_role("button", name="Aprobar").click()
    expect(coord.get_by_text("El valor está aprobado.")).to_be_visible()
    expect(coord.get_by_test_id("report-value")).to_have_text("135 ha")
    report.refresh_from_db()
    assert (report.state, report.value, report.version) == ("approved", 135, 1)

    # The dashboard shows it beside the computed indicators, saying where it comes from.
    coord.goto(live_server.url + "/dashboard/")
    row = coord.locator("tr[data-code=pasto_mejorado]")
    expect(row.locator("td").nth(1)).to_have_text("135")
    expect(row.locator("td").nth(2)).to_have_text("300")
    expect(row).to_contain_text("Reportado por las municipalidades")
    guard.check()

    # The scorecard: 135 / 300, in colour and in words; the cell opens the figures behind it.
    coord.goto(live_server.url + "/results/scorecard/")
    cell = coord.locator("td[data-status]").first
    expect(cell).to_contain_text("135 / 300")
    expect(cell).to_contain_text("En riesgo")
    guard.check()
    with coord.expect_download() as download:
        coord.get_by_role("link", name="Descargar XLSX").click()
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["Municipalidad Provincial de Anta"][1:4] == (135, 300, "En riesgo")
    cell.get_by_role("link").click()
    expect(coord.get_by_test_id("cell-figure")).to_have_text("135 / 300")
    expect(coord.get_by_role("row", name=f"Semestre 1 {year}")).to_contain_text("Aprobado")
    guard.check()

    # The donor report.
    coord.goto(live_server.url + "/dashboard/")
    with coord.expect_download() as download:
        coord.get_by_role("link", name="Informe para donantes (PDF)").click()
    text = subprocess.run(
        ["pdftotext", "-layout", download.value.path(), "-"], capture_output=True, text=True, check=True
    ).stdout
    line = next(line for line in text.splitlines() if "Pasto mejorado" in line)
    assert line.split()[-3:] == ["135", "300", "ha"], line

    # A leader gets a 404 on the indicator's pages.
    lead, _lead_guard = signed_in(browser, live_server, leader)
    for path in (
        "/results/indicators/",
        f"/results/indicators/{indicator.pk}/",
        f"/results/indicators/{indicator.pk}/edit/",
        "/results/scorecard/",
    ):
        response = lead.goto(live_server.url + path)
        assert response.status == 404, path
