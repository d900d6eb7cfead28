import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_technician_signs_in_lands_home_in_spanish_and_switches_to_english(
    live_server, phone, technician_anta
):
    page = phone
    page.goto(live_server.url + "/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_label("Correo electrónico").fill(technician_anta.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hola")
    expect(page.get_by_text("Técnico municipal")).to_be_visible()

    # The selector submits itself once app.js (deferred) has run: wait for the page's load, as a person
    # does. Picked before, on a loaded machine, the choice waited for the "Change language" button.
    page.wait_for_load_state("load")
    page.get_by_label("Idioma").select_option("en")
    # the first page in English computes its menu and home for that language: a loaded machine takes time
    expect(page.locator("html")).to_have_attribute("lang", "en", timeout=15_000)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
    expect(page.get_by_text("Municipal technician")).to_be_visible()


def test_wrong_password_is_announced(live_server, phone, technician_anta):
    page = phone
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Correo electrónico").fill(technician_anta.email)
    page.get_by_label("Contraseña").fill("equivocada")
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_text("no son correctas")).to_be_visible()
    expect(page).to_have_url(live_server.url + "/accounts/login/")
