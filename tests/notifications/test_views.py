from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kallpanchis.notifications.models import Reminder, ReminderPreference, ReminderSettings
from kallpanchis.notifications.rendering import unsubscribe_token
from kallpanchis.notifications.services import reminders_schedule
from tests.accounts.factories import UserFactory
from tests.notifications.factories import meeting_target

pytestmark = pytest.mark.django_db
S = Reminder.Status


def _reminders(recipient, n: int, *, status=S.SCHEDULED):
    now = timezone.now()
    target = meeting_target(starts_at=now + timedelta(days=10))
    rows = reminders_schedule(
        kind="test_meeting",
        target=target,
        recipients=[recipient],
        due_times=[now + timedelta(hours=h + 1) for h in range(n)],
    )
    Reminder.objects.filter(pk__in=[r.pk for r in rows]).update(status=status)
    return rows


def test_my_reminders_lists_my_upcoming_ones_only(client):
    ana, beto = UserFactory(), UserFactory()
    _reminders(ana, 2)
    _reminders(beto, 3)
    client.force_login(ana)
    response = client.get(reverse("notifications:my_reminders"))
    assert response.status_code == 200
    assert len(response.context["reminders"]) == 2
    assert "Test meeting" in response.content.decode()


def test_my_reminders_empty_state_says_what_happens(client):
    client.force_login(UserFactory())
    response = client.get(reverse("notifications:my_reminders"))
    assert "No tiene recordatorios próximos" in response.content.decode()


def test_preferences_page_saves_language_kinds_and_digest(client):
    ana = UserFactory()
    client.force_login(ana)
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 200
    assert "Recibir" in response.content.decode()
    assert "Acuerdos por vencer" in response.content.decode()
    response = client.post(
        reverse("notifications:preferences"),
        {"language": "fr", "enabled_meeting_upcoming": "on", "digest_meeting_upcoming": "on"},
    )
    assert response.status_code == 302
    assert ReminderSettings.objects.get(user=ana).language == "fr"
    prefs = dict(ReminderPreference.objects.filter(user=ana).values_list("kind", "enabled"))
    assert prefs["meeting_upcoming"] is True and prefs["agreement_due"] is False
    assert ReminderPreference.objects.get(user=ana, kind="meeting_upcoming").digest is True


def test_unsubscribe_link_works_without_login_and_asks_first(client):
    ana = UserFactory()
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id=ana.pk, kind="agreement_due")])
    response = client.get(url)
    assert response.status_code == 200
    assert "Acuerdos por vencer" in response.content.decode()
    assert not ReminderPreference.objects.exists()  # a GET (a mail scanner) changes nothing
    response = client.post(url)
    assert response.status_code == 200
    assert ReminderPreference.objects.get(user=ana, kind="agreement_due").enabled is False


def test_a_forged_unsubscribe_link_is_404(client):
    ana = UserFactory()
    token = unsubscribe_token(user_id=ana.pk, kind="agreement_due")
    forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    assert client.post(reverse("notifications:unsubscribe", args=[forged])).status_code == 404
    assert not ReminderPreference.objects.exists()


def test_coordinator_sees_state_attempts_last_error_and_retries_a_failed_one(client, coordinator):
    ana = UserFactory()
    (failed,) = _reminders(ana, 1, status=S.FAILED)
    Reminder.objects.filter(pk=failed.pk).update(attempts=5, last_error="SMTPServerDisconnected: gone")
    client.force_login(coordinator)
    page = client.get(reverse("notifications:reminder_list") + "?status=failed").content.decode()
    assert "SMTPServerDisconnected: gone" in page
    assert "Fallido" in page
    retry = reverse("notifications:reminder_retry", args=[failed.pk])
    assert client.get(retry).status_code == 200
    response = client.post(retry)
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (S.QUEUED, 0)


def test_coordinator_list_query_count_does_not_grow(client, coordinator, django_assert_num_queries):
    client.force_login(coordinator)
    ana = UserFactory()
    _reminders(ana, 1)
    client.get(reverse("notifications:reminder_list"))  # warm caches (content types, session)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("notifications:reminder_list"))
    for _ in range(4):
        _reminders(UserFactory(), 6)
    with django_assert_num_queries(len(one)):
        response = client.get(reverse("notifications:reminder_list"))
    assert len(response.context["reminders"]) == 25


def test_my_reminders_query_count_does_not_grow(client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ana = UserFactory()
    client.force_login(ana)
    _reminders(ana, 1)
    client.get(reverse("notifications:my_reminders"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("notifications:my_reminders"))
    _reminders(ana, 24)
    with django_assert_num_queries(len(one)):
        response = client.get(reverse("notifications:my_reminders"))
    assert len(response.context["reminders"]) == 25
