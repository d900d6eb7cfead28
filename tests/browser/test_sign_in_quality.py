import pytest

from tests.browser_guard import PageGuard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_and_home_pages_are_clean(live_server, screen, technician_anta):
    """No CSP violation, nothing fetched from outside, no serious accessibility problem."""
    from tests.accounts.factories import PASSWORD

    phone = screen
    guard = PageGuard(phone)
    phone.goto(live_server.url + "/")
    guard.check()
    phone.goto(live_server.url + "/accounts/login/")
    guard.check()
    phone.get_by_label("Correo electrónico").fill(technician_anta.email)
    phone.get_by_label("Contraseña").fill(PASSWORD)
    phone.get_by_role("button", name="Iniciar sesión").click()
    phone.wait_for_url(live_server.url + "/")
    guard.check()
    phone.goto(live_server.url + "/municipalities/")
    guard.check()
