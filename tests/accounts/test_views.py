import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from kallpanchis.accounts.models import Role
from tests.accounts.factories import PASSWORD, UserFactory, person_with_role

pytestmark = pytest.mark.django_db


def login(client, email, password, language="es"):
    client.cookies["kallpanchis_language"] = language
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_wrong_password_shows_a_clear_message_in_spanish(client, technician_anta):
    response = login(client, technician_anta.email, "no-es-la-clave")
    assert response.status_code == 200
    assert "no son correctas" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_password_message_follows_the_language(client, technician_anta):
    response = login(client, technician_anta.email, "not-the-password", language="en")
    assert "you specified are not correct" in response.content.decode()


@pytest.mark.redis
def test_eleventh_failed_login_in_a_minute_from_one_address_is_refused(client, technician_anta):
    for n in range(10):
        response = login(client, f"nobody{n}@example.pe", "wrong-password")
        assert response.status_code == 200
        assert "no son correctas" in response.content.decode()
    response = login(client, technician_anta.email, PASSWORD)
    assert response.status_code == 429 or "Demasiados" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_right_password_signs_in_and_lands_home(client, technician_anta):
    response = login(client, technician_anta.email, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert "Técnico municipal" in home.content.decode() or "Municipal technician" in home.content.decode()


def test_there_is_no_open_sign_up(client):
    response = client.get(reverse("account_signup"))
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200 and "cerrad" in response.content.decode().lower()


def test_coordinators_must_set_up_mfa_first(client, municipalities):
    from kallpanchis.organisations.models import Organisation

    avsf = Organisation.objects.create(name="AVSF", kind="ngo", consortium_role="coordination")
    coordinator = person_with_role(Role.COORDINATOR, avsf)
    client.force_login(coordinator)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get("/").status_code == 200


def test_staff_must_set_up_mfa_and_technicians_need_not(client, technician_anta):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get("/").status_code == 302
    client.force_login(technician_anta)
    assert client.get("/").status_code == 200


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_people_pages_are_for_coordinators_and_municipal_admins(client, technician_anta):
    client.force_login(technician_anta)
    assert client.get(reverse("accounts:person_list")).status_code == 403
    assert client.get(reverse("accounts:person_create")).status_code == 403


def test_municipal_admin_sees_only_their_people(
    client, municipalities, technician_anta, technician_chumbivilcas
):
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipalities["anta"].organisation)
    client.force_login(admin)
    content = client.get(reverse("accounts:person_list")).content.decode()
    assert technician_anta.email in content and technician_chumbivilcas.email not in content


def test_invite_form_shows_errors_and_keeps_input(client, municipalities):
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipalities["anta"].organisation)
    client.force_login(admin)
    response = client.post(
        reverse("accounts:person_create"),
        {"first_name": "Nilda", "last_name": "", "email": "no-es-correo", "role": Role.TECHNICIAN},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Nilda"' in content, content
    assert "correo electrónico válida" in content


def test_person_list_query_count_does_not_grow(
    client, coordinator, municipalities, django_assert_max_num_queries
):
    client.force_login(coordinator)
    with django_assert_max_num_queries(99) as one:
        client.get(reverse("accounts:person_list"))
    for _ in range(24):
        person_with_role(Role.TECHNICIAN, municipalities["anta"].organisation)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("accounts:person_list"))
    assert response.content.decode().count("Técnico municipal") >= 24
