"""A new coordinator's first sign-in, on a laptop: her password once (no second password prompt right
after), the authenticator set up with a key that does not change when the page reloads (QR code and text),
her recovery codes, then the page she asked for, with no "you must activate" banner left behind."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from playwright.sync_api import expect

from kallpanchis.organisations.models import Organisation
from kallpanchis.organisations.services import organisation_ensure
from tests.accounts.factories import PASSWORD, person_with_role
from tests.browser_guard import PageGuard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def new_coordinator(db):
    avsf = organisation_ensure(
        name="AVSF", kind=Organisation.Kind.NGO, consortium_role=Organisation.ConsortiumRole.COORDINATION
    )
    return person_with_role("coordinator", avsf, email="nueva.coordinadora@example.pe")


def test_new_coordinator_signs_in_sets_up_totp_and_lands_where_she_was_going(
    live_server, browser, new_coordinator
):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    guard = PageGuard(page)
    page.goto(live_server.url + "/accounts/login/?next=/dashboard/")
    page.get_by_label("Correo electrónico").fill(new_coordinator.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()

    # Straight to the set-up: no second password prompt.
    expect(page).to_have_url(live_server.url + "/accounts/2fa/totp/activate/")
    expect(page.get_by_label("Contraseña")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Configure la autenticación en dos pasos")
    expect(page.get_by_alt_text("Código QR de su clave de autenticación")).to_be_visible()
    guard.check()
    secret = page.locator("#authenticator_secret").inner_text()
    page.reload()
    assert page.locator("#authenticator_secret").inner_text() == secret  # the same key after a reload

    page.get_by_label("Escriba el código de 6 dígitos que muestra la aplicación").fill("000000")
    page.get_by_role("button", name="Activar").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    assert page.locator("#authenticator_secret").inner_text() == secret  # a wrong code keeps the key too
    page.get_by_label("Escriba el código de 6 dígitos que muestra la aplicación").fill(totp_now(secret))
    page.get_by_role("button", name="Activar").click()

    expect(page).to_have_url(live_server.url + "/accounts/2fa/recovery-codes/")
    expect(page.get_by_label("Códigos no usados")).to_be_visible()
    guard.check()
    page.get_by_role("link", name="Continuar a la página que pidió").click()
    expect(page).to_have_url(live_server.url + "/dashboard/")
    expect(page.get_by_text("deben activar la autenticación en dos pasos")).to_have_count(0)
    guard.check()
    assert Authenticator.objects.filter(user=new_coordinator, type="totp").exists()
    # Once past the set-up, the home page is home (nothing sends her back).
    page.goto(live_server.url + "/")
    expect(page).to_have_url(live_server.url + "/")
    context.close()


def test_a_background_request_neither_takes_the_place_asked_for_nor_leaves_a_banner(new_coordinator):
    client = Client()
    client.post("/accounts/login/", {"login": new_coordinator.email, "password": PASSWORD})
    response = client.get("/dashboard/", headers={"Sec-Fetch-Dest": "document"})
    assert response.url == "/accounts/2fa/totp/activate/"
    client.get("/offline/sw.js", headers={"Sec-Fetch-Dest": "serviceworker"})
    assert client.session["kallpanchis_mfa_next"] == "/dashboard/"
    page = client.get("/accounts/2fa/totp/activate/").content.decode()
    # Said once, by the page itself: no warning queued by the redirects (or by the service worker's fetch).
    assert page.count("deben activar la autenticación en dos pasos") == 1
    assert not re.search(r"alert alert-warning\"\s+role=", page)
