import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from kallpanchis.accounts.models import Role, RoleAssignment, User
from kallpanchis.accounts.services import person_invite
from tests.accounts.factories import person_with_role

pytestmark = pytest.mark.django_db


def invite(by, organisation, email="nueva@example.pe", role=Role.TECHNICIAN):
    return person_invite(
        by=by,
        email=email,
        first_name="Nilda",
        last_name="Puma",
        role=role,
        organisation=organisation,
        base_url="http://testserver/",
    )


def test_coordinator_invites_a_technician_who_sets_a_password_and_is_verified(
    client, coordinator, municipalities, django_capture_on_commit_callbacks, tasks_in_process
):
    with django_capture_on_commit_callbacks(execute=True):
        person = invite(coordinator, municipalities["anta"].organisation)
    assert not person.has_usable_password()
    assert RoleAssignment.objects.get(user=person).role == Role.TECHNICIAN
    assert EmailAddress.objects.get(user=person).verified is False
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nueva@example.pe"]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": "altiplano-leche-2026", "password2": "altiplano-leche-2026"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("altiplano-leche-2026")
    assert EmailAddress.objects.get(user=person).verified is True


def test_municipal_admin_cannot_invite_into_another_municipality(municipalities):
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipalities["anta"].organisation)
    with pytest.raises(PermissionDenied):
        invite(admin, municipalities["chumbivilcas"].organisation)
    with pytest.raises(PermissionDenied):
        invite(admin, municipalities["anta"].organisation, role=Role.COORDINATOR)
    assert not User.objects.filter(email="nueva@example.pe").exists()
    assert mail.outbox == []


def test_municipal_admin_invites_into_their_municipality(
    municipalities, django_capture_on_commit_callbacks, tasks_in_process
):
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipalities["anta"].organisation)
    with django_capture_on_commit_callbacks(execute=True):
        person = invite(admin, municipalities["anta"].organisation, role=Role.TECHNICAL_TEAM)
    assert person.role_assignments.get().organisation == municipalities["anta"].organisation
    assert len(mail.outbox) == 1


def test_role_must_fit_its_organisation(coordinator, municipalities):
    with pytest.raises(ValidationError) as error:
        invite(coordinator, None, role=Role.TECHNICIAN)
    assert "organisation" in error.value.message_dict
    with pytest.raises(ValidationError):
        invite(coordinator, municipalities["anta"].organisation, role=Role.LEADER)
    assert not User.objects.filter(email="nueva@example.pe").exists()


def test_an_email_cannot_be_invited_twice(coordinator, municipalities):
    invite(coordinator, municipalities["anta"].organisation)
    with pytest.raises(ValidationError) as error:
        invite(coordinator, municipalities["anta"].organisation, email="NUEVA@example.pe")
    assert "email" in error.value.message_dict
    assert User.objects.filter(email="nueva@example.pe").count() == 1
