from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kallpanchis.notifications.models import Reminder
from kallpanchis.notifications.services import reminders_schedule
from tests.accounts.factories import UserFactory, person_with_role
from tests.notifications.factories import meeting_target

pytestmark = pytest.mark.django_db
S = Reminder.Status


@pytest.fixture
def failed_reminder():
    target = meeting_target(starts_at=timezone.now() + timedelta(days=2))
    (row,) = reminders_schedule(
        kind="test_meeting", target=target, recipients=[UserFactory()], due_times=[timezone.now()]
    )
    Reminder.objects.filter(pk=row.pk).update(status=S.FAILED, attempts=5)
    return row


@pytest.mark.parametrize("role", ["technician", "leader", "technical_team", "partner_staff", "viewer"])
def test_only_coordinators_open_the_list_and_retry(client, municipalities, failed_reminder, role):
    from kallpanchis.organisations.models import Organisation

    organisation = {
        "technician": municipalities["anta"].organisation,
        "technical_team": municipalities["anta"].organisation,
        "leader": Organisation.objects.create(
            name="Asociación Sumaq Llaqta", kind=Organisation.Kind.PRODUCER
        ),
    }.get(role)
    person = person_with_role(role, organisation)
    client.force_login(person)
    assert client.get(reverse("notifications:reminder_list")).status_code == 404
    retry = reverse("notifications:reminder_retry", args=[failed_reminder.pk])
    assert client.get(retry).status_code == 404
    assert client.post(retry).status_code == 404
    failed_reminder.refresh_from_db()
    assert (failed_reminder.status, failed_reminder.attempts) == (S.FAILED, 5)


def test_a_person_sees_only_their_own_reminders(client, failed_reminder):
    stranger = UserFactory()
    assert list(Reminder.objects.visible_to(stranger)) == []
    assert list(Reminder.objects.visible_to(failed_reminder.recipient)) == [failed_reminder]


def test_retry_of_a_reminder_that_did_not_fail_is_404(client, coordinator, failed_reminder):
    Reminder.objects.filter(pk=failed_reminder.pk).update(status=S.SENT, sent_at=timezone.now())
    client.force_login(coordinator)
    assert client.post(reverse("notifications:reminder_retry", args=[failed_reminder.pk])).status_code == 404
    failed_reminder.refresh_from_db()
    assert failed_reminder.status == S.SENT


def test_anonymous_is_sent_to_sign_in(client):
    for name in ("notifications:my_reminders", "notifications:preferences", "notifications:reminder_list"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
