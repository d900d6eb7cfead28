"""The map in Chromium on a phone-sized screen: Leaflet (vendored) draws Cusco's districts as SVG paths
from the shipped GeoJSON, the project's municipalities are highlighted, and touching one opens its page."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Correo electrónico").fill(user.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).to_have_url(live_server.url + "/")


def test_map_draws_the_districts_and_a_click_opens_a_profile(
    live_server, phone, municipalities, technician_anta
):
    page = phone
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    sign_in(page, live_server, technician_anta)
    page.goto(live_server.url + "/municipalities/map/")
    # On a phone, Leaflet and the boundaries load only when asked for.
    expect(page.locator("#municipality-map")).to_be_hidden()
    assert page.evaluate("typeof window.L") == "undefined"
    page.get_by_role("button", name="Mostrar el mapa").click()

    expect(page.locator("#municipality-map")).to_have_attribute("data-ready", "true")
    # 108 district polygons (the shipped file) drawn as SVG paths, plus the 13 province outlines.
    expect(page.locator("#municipality-map svg path.kp-district")).to_have_count(108)
    expect(page.locator("#municipality-map svg path.kp-province")).to_have_count(13)
    # Highlighted: Colquemarca, Pucyura, Chinchaypujio themselves; every district of Anta and Chumbivilcas.
    expect(page.locator("path.kp-project-district")).to_have_count(3)
    expect(page.locator("path.kp-project-province")).to_have_count(9 + 8 - 3)
    assert page.locator("path.kp-ubigeo-080308").get_attribute("fill") == "#e8743b"
    # No tile server unless one is configured.
    expect(page.locator(".leaflet-tile")).to_have_count(0)

    page.locator("path.kp-ubigeo-080308").click()
    expect(page).to_have_url(live_server.url + f"/municipalities/{municipalities['pucyura'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Municipalidad Distrital de Pucyura")
    assert errors == []


def test_a_district_of_a_provincial_partner_opens_the_province_or_its_public_profile(
    live_server, phone, municipalities, technician_chumbivilcas
):
    page = phone
    sign_in(page, live_server, technician_chumbivilcas)
    page.goto(live_server.url + "/municipalities/map/")
    page.get_by_role("button", name="Mostrar el mapa").click()
    expect(page.locator("#municipality-map")).to_have_attribute("data-ready", "true")
    # Limatambo (080306) lies in Anta, outside this technician's scope: Anta's public profile opens.
    page.locator("path.kp-ubigeo-080306").click()
    expect(page).to_have_url(live_server.url + f"/municipalities/{municipalities['anta'].pk}/public/")
    expect(page.get_by_text("Perfil público.")).to_be_visible()


def test_on_a_wide_screen_the_map_is_drawn_at_once(live_server, browser, municipalities, coordinator):
    from django.test import Client

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    client = Client()
    client.force_login(coordinator)  # the coordinator has two-factor authentication: skip the sign-in form
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(live_server.url + "/municipalities/map/")
    expect(page.locator("#municipality-map")).to_have_attribute("data-ready", "true")
    expect(page.locator("#municipality-map svg path.kp-district")).to_have_count(108)
    expect(page.get_by_role("button", name="Mostrar el mapa")).to_be_hidden()
    context.close()
