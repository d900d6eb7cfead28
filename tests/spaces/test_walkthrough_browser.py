"""The technician's journey on a 375×667 phone and on a 1366×768 laptop: schedule, print the sheet, log 12
people, minutes and two agreements, mark one done a week later, find it in the agreements register and all
of it in the acta. Every page: no CSP violation, nothing fetched from outside, no serious accessibility
problem."""

import datetime
import shutil
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from spaces.models import Agreement, Meeting
from tests.accounts.factories import PASSWORD
from tests.browser_guard import PageGuard

from .factories import anta_space, producer_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_text(path) -> str:
    content = open(path, "rb").read()
    assert content.startswith(b"%PDF-")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-layout", path, "-"], capture_output=True, check=True
    ).stdout.decode()


def download(page, link_name: str) -> str:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    return pdf_text(info.value.path())


def test_technician_schedules_prints_logs_and_follows_up(
    live_server, screen, municipalities, technician_anta
):
    space = anta_space(municipalities["anta"])
    org = producer_org()
    page = screen
    page.set_default_timeout(10_000)
    guard = PageGuard(page)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Correo electrónico").fill(technician_anta.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).to_have_url(live_server.url + "/")

    # Schedule (a week ago, so that "done" today is a week after the meeting).
    day = timezone.localdate() - datetime.timedelta(days=7)
    page.goto(f"{live_server.url}/spaces/{space.pk}/")
    guard.check()
    page.get_by_role("link", name="Programar una reunión").click()
    guard.check()
    page.get_by_label("Título").fill("Mesa de leche: precios")
    page.locator("[name=date]").fill(day.isoformat())
    page.get_by_label("Hora de inicio").fill("09:00")
    page.get_by_label("Hora de fin").fill("12:00")
    page.get_by_label("Lugar o comunidad").fill("Local comunal de Izcuchaca")
    page.locator("[name=agenda-0-title]").fill("Precio de la leche fresca")
    page.get_by_role("button", name="Programar", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mesa de leche: precios")
    guard.check()
    meeting = Meeting.objects.get()

    # Print the attendance sheet.
    sheet = download(page, "Hoja de asistencia (PDF)")
    assert (
        "Espacio técnico de desarrollo económico de Anta" in sheet and "Local comunal de Izcuchaca" in sheet
    )
    numbered = [int(line.split()[0]) for line in sheet.splitlines() if line.strip()[:2].strip().isdigit()]
    assert numbered[:30] == list(range(1, 31))

    # Log 12 people, the minutes and two agreements: three steps, one at a time.
    page.get_by_role("link", name="Registrar la reunión").click()
    guard.check()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    expect(page.locator("#step-minutes")).to_be_hidden()
    rows = page.locator(".js-formset-rows[data-prefix=attendance] .attendance-row")
    expect(rows.filter(has=page.locator(":visible"))).to_have_count(0)  # rows appear when asked for
    for i in range(12):
        page.get_by_role("button", name="Añadir una persona nueva").click()  # with JavaScript: no round trip
        row = rows.nth(i)
        row.locator(f"[name=attendance-{i}-given_names]").fill(f"Participante {i + 1:02d}")
        row.locator(f"[name=attendance-{i}-gender]").select_option("female" if i < 5 else "male")
        if i < 6:
            row.locator(f"[name=attendance-{i}-organisation]").select_option(str(org.pk))
        else:
            row.locator(f"[name=attendance-{i}-organisation_name]").fill("Comunidad Ccollana")
        row.get_by_role("button", name="Añadir a la lista").click()
        expect(row.locator(".row-summary")).to_contain_text(f"Participante {i + 1:02d}")
    expect(rows).to_have_count(12)
    page.get_by_role("button", name="Siguiente: acta").click()
    page.locator("[name=minutes]").fill("Se revisó el precio de la leche y el acopio en Izcuchaca.")
    page.get_by_role("button", name="Siguiente: acuerdos").click()
    page.locator("[name=agreements-0-what]").fill("Gestionar un tanque de frío para el acopio")
    page.locator("[name=agreements-0-responsible_organisation]").select_option(str(org.pk))
    page.locator("[name=agreements-0-due_date]").fill((day + datetime.timedelta(days=30)).isoformat())
    page.locator("[name=agreements-1-what]").fill("Capacitar en buenas prácticas de ordeño")
    page.locator("[name=agreements-1-responsible_person]").fill("Luis Mamani")
    page.locator("[name=agreements-1-due_date]").fill((day + datetime.timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Guardar el registro").click()
    expect(page.get_by_role("status").filter(has_text="Se registró la reunión")).to_contain_text(
        "12 personas, 2 acuerdos"
    )
    guard.check()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD and meeting.attendance.count() == 12

    # A week after the meeting: the first agreement is done.
    page.get_by_role("link", name="Gestionar un tanque de frío para el acopio").click()
    page.get_by_label("Nuevo estado").select_option("done")
    page.get_by_label("Nota de seguimiento").fill("Tanque instalado por la municipalidad")
    page.get_by_role("button", name="Guardar el seguimiento").click()
    expect(page.get_by_text("Tanque instalado por la municipalidad")).to_be_visible()
    guard.check()
    done = Agreement.objects.get(what__startswith="Gestionar")
    assert done.status == "done" and done.done_on == day + datetime.timedelta(days=7)

    # The agreements register lists both, the one still pending included.
    page.goto(f"{live_server.url}/spaces/agreements/")
    expect(page.get_by_role("link", name="Capacitar en buenas prácticas de ordeño")).to_be_visible()
    guard.check()
    page.get_by_role("link", name="Gestionar un tanque de frío para el acopio").click()

    # The acta holds it all.
    page.get_by_role("link", name="Mesa de leche: precios").first.click()
    acta = download(page, "Acta (PDF)")
    for expected in [
        "Mesa de leche: precios",
        "Seguimiento de acuerdos",
        "Precio de la leche fresca",
        "Se revisó el precio de la leche y el acopio en Izcuchaca.",
        "Gestionar un tanque de frío",
        "Capacitar",
        "Luis Mamani",
        "Hecho",
        "Pendiente",
        "12 personas: 5 mujeres, 7 hombres",
        "Comunidad Ccollana",
    ] + [f"Participante {i:02d}" for i in range(1, 13)]:
        assert expected in acta, expected


def test_logging_works_with_javascript_off(live_server, browser, client, municipalities, technician_anta):
    """Add-more-rows is a plain submit; typed rows survive it; a bad row is explained and nothing is saved.
    The three steps are then one page."""
    from .factories import lima, scheduled

    space = anta_space(municipalities["anta"])
    meeting = scheduled(space, when=lima(2026, 3, 10))
    client.force_login(technician_anta)
    context = browser.new_context(viewport={"width": 375, "height": 667}, java_script_enabled=False)
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host, "path": "/"}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/spaces/meetings/{meeting.pk}/log/")
    page.locator("[name=attendance-0-given_names]").fill("Justina Huillca")
    page.locator("[name=attendance-0-gender]").select_option("female")
    page.locator("[name=minutes]").fill("Acta escrita sin JavaScript.")
    for _ in range(4):
        page.get_by_role("button", name="Añadir 3 filas más").click()
    expect(page.locator(".js-formset-rows[data-prefix=attendance] .attendance-row")).to_have_count(15)
    expect(page.locator("[name=attendance-0-given_names]")).to_have_value("Justina Huillca")
    expect(page.locator("[name=minutes]")).to_have_value("Acta escrita sin JavaScript.")
    for i in range(1, 12):
        page.locator(f"[name=attendance-{i}-given_names]").fill(f"Persona {i}")
        page.locator(f"[name=attendance-{i}-gender]").select_option("male")
    page.locator(".attendance-row summary").nth(14).click()
    page.locator("[name=attendance-14-role]").fill("Presidente")  # a touched row without a name
    page.get_by_role("button", name="Guardar el registro").click()
    expect(page.get_by_text("Escriba el nombre de la persona, o borre esta fila.").first).to_be_visible()
    assert Meeting.objects.get().attendance.count() == 0
    page.locator(".attendance-row summary").nth(14).click()
    page.locator("[name=attendance-14-role]").fill("")
    page.locator("[name=attendance-14-gender]").select_option("")
    page.get_by_role("button", name="Guardar el registro").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(meeting.title)
    assert Meeting.objects.get().attendance.count() == 12
    context.close()
