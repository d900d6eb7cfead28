"""SMS rows in the outbox, delivered in-process against the local gateway server: who gets one, once."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

import tests.notifications.sms_kinds  # noqa: F401  (registers test_sms_meeting)
from kallpanchis.accounts.models import User
from kallpanchis.notifications.delivery import reminders_deliver
from kallpanchis.notifications.models import Reminder, ReminderSettings, SmsBudget, SmsMessage
from kallpanchis.notifications.services import reminder_notify_now, reminders_schedule
from kallpanchis.people.models import Consent
from tests.local_services import free_port
from tests.notifications.factories import meeting_target
from tests.notifications.sms_factories import sms_people
from tests.notifications.sms_gateway_server import GatewayServer, environment

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
KIND = "test_sms_meeting"
LIMA = ZoneInfo("America/Lima")


@pytest.fixture
def server(settings):
    gateway_server = GatewayServer(free_port()).start()
    for name, value in environment(gateway_server, "android").items():
        setattr(settings, name, value)
    settings.SMS_TIMEOUT_SECONDS = 1
    settings.SMS_QUIET_FROM, settings.SMS_QUIET_UNTIL = 0, 0  # quiet hours tested on their own below
    yield gateway_server
    gateway_server.stop()


def _queue(rows):
    Reminder.objects.filter(pk__in=[r.pk for r in rows]).update(status=Reminder.Status.QUEUED)
    return [r.pk for r in rows]


def _schedule(target, now=None):
    now = now or timezone.now()
    return [
        r for r in reminders_schedule(kind=KIND, target=target, recipients=[], due_times=[now]) if r.person_id
    ]


def test_rows_only_for_people_with_phone_and_sms_consent(server):
    target = meeting_target(starts_at=timezone.now() + timedelta(days=3))
    reachable = sms_people(3, target=target)
    sms_people(1, target=target, start=10, consent=False)
    no_phone = sms_people(1, target=target, start=20)[0]
    no_phone.phone = ""
    no_phone.save()
    withdrawn = sms_people(1, target=target, start=30)[0]
    Consent.objects.filter(person=withdrawn, kind="sms").update(withdrawn_at=timezone.now())
    now = timezone.now()
    rows = _schedule(target, now)
    assert sorted(r.person_id for r in rows) == sorted(p.pk for p in reachable)
    assert {r.channel for r in rows} == {"sms"} and {r.recipient_id for r in rows} == {None}
    _schedule(target, now)  # idempotent
    assert Reminder.objects.filter(person__isnull=False).count() == 3


def test_an_account_holder_chooses_email_sms_or_both(server):
    target = meeting_target(starts_at=timezone.now() + timedelta(days=3))
    person = sms_people(1, target=target)[0]
    user = User.objects.create(email="p@example.pe", first_name="P")
    person.user = user
    person.save()
    now = timezone.now()
    rows = reminders_schedule(kind=KIND, target=target, recipients=[user], due_times=[now])
    assert [(r.recipient_id, r.person_id) for r in rows] == [(user.pk, None)]  # no choice made: e-mail
    ReminderSettings.objects.create(user=user, channels="both")
    rows = reminders_schedule(kind=KIND, target=target, recipients=[user], due_times=[now])
    assert sorted((r.channel, r.recipient_id or r.person_id) for r in rows) == [
        ("email", user.pk),
        ("sms", person.pk),
    ]
    ReminderSettings.objects.filter(user=user).update(channels="sms")
    ids = _queue(rows)
    outcome = reminders_deliver(reminder_ids=ids)
    email_row = next(r for r in rows if r.channel == "email")
    sms_row = next(r for r in rows if r.channel == "sms")
    assert outcome[sms_row.pk] == "sent"
    assert outcome[email_row.pk] == "skipped"  # SMS only: the SMS row carries it
    assert server.total() == 1


def test_delivered_once_with_the_rows_key_and_recorded(server):
    target = meeting_target(starts_at=timezone.now() + timedelta(days=3), name="Mesa de leche")
    people = sms_people(5, target=target, languages=("quechua", "spanish"))
    rows = _schedule(target)
    ids = _queue(rows)
    assert set(reminders_deliver(reminder_ids=ids).values()) == {"sent"}
    assert reminders_deliver(reminder_ids=ids) == {}  # a redelivered task sends nothing
    assert set(server.by_key) == {f"kp{pk}" for pk in ids} and set(server.by_key.values()) == {1}
    message = SmsMessage.objects.get(key=f"kp{ids[0]}")
    assert message.phone in {p.phone for p in people}
    assert (
        message.text.startswith("Kallpanchis: Mesa de leche.")
        and "casa-comunal.example.pe. BAJA" in message.text
    )
    assert message.text.endswith("BAJA: amaña SMS")  # Quechua first in the register: the Quechua text
    assert (message.encoding, message.segments) == ("GSM-7", 1)
    assert message.area == f"organisation:{target.pk}"
    assert Reminder.objects.filter(pk__in=ids, status="sent").count() == 5


def test_a_timeout_is_retried_with_the_same_key_and_not_sent_twice(server, settings):
    target = meeting_target(starts_at=timezone.now() + timedelta(days=3))
    sms_people(3, target=target)
    ids = _queue(_schedule(target))
    server.slow_count, server.slow_seconds = 1, 2  # the first is accepted, its answer comes too late
    outcome = reminders_deliver(reminder_ids=ids)
    assert list(outcome.values()).count("failed") == 1
    assert list(outcome.values()).count("handed back") == 2  # not waited on one by one
    assert server.total() == 1
    Reminder.objects.filter(pk__in=ids).update(lease_until=timezone.now())
    outcome = reminders_deliver(reminder_ids=ids)
    assert sorted(outcome.values()) == ["confirmed", "sent", "sent"]  # the timed-out one was asked for
    assert server.total() == 3 and server.duplicates() == 0
    assert Reminder.objects.filter(pk__in=ids, status="sent").count() == 3


def test_a_change_notice_goes_by_sms_at_once(server, django_capture_on_commit_callbacks):
    target = meeting_target(starts_at=timezone.now() + timedelta(days=3))
    sms_people(2, target=target)
    with django_capture_on_commit_callbacks() as callbacks:
        rows = reminder_notify_now(kind=KIND, target=target, recipients=[])
    assert len(rows) == 2 and len(callbacks) == 1  # one delivery task, enqueued on commit
    assert {r.status for r in rows} == {"queued"}
    reminders_deliver(reminder_ids=[r.pk for r in rows])
    assert server.total() == 2


def test_quiet_hours_hold_until_seven_unless_the_meeting_is_sooner(server, settings, monkeypatch):
    settings.SMS_QUIET_FROM, settings.SMS_QUIET_UNTIL = 21, 7
    night = datetime(2026, 12, 1, 22, 0, tzinfo=LIMA)
    monkeypatch.setattr("kallpanchis.notifications.delivery.timezone.now", lambda: night)
    later = meeting_target(starts_at=night + timedelta(days=2))
    sooner = meeting_target(starts_at=night + timedelta(hours=8, minutes=30) - timedelta(hours=2))  # 04:30
    sms_people(1, target=later)
    sms_people(1, target=sooner)
    ids = _queue(_schedule(later, night) + _schedule(sooner, night))
    outcome = reminders_deliver(reminder_ids=ids)
    assert sorted(outcome.values()) == ["held until morning", "sent"]
    held = Reminder.objects.get(pk=ids[0])
    assert held.status == "queued" and held.attempts == 0
    assert timezone.localtime(held.lease_until, LIMA) == datetime(2026, 12, 2, 7, 0, tzinfo=LIMA)


def test_the_monthly_budget_refuses_beyond_with_a_clear_message(server):
    target = meeting_target(starts_at=timezone.now() + timedelta(days=3), name="Municipalidad de Ocongate")
    SmsBudget.objects.create(area=f"organisation:{target.pk}", label="Ocongate", month_messages=2)
    sms_people(3, target=target)
    ids = _queue(_schedule(target))
    outcome = reminders_deliver(reminder_ids=ids)
    assert sorted(outcome.values()) == ["over budget", "sent", "sent"]
    refused = Reminder.objects.get(status="failed")
    assert "Se agotó el presupuesto mensual de SMS de Ocongate: 2 de 2 mensajes" in refused.last_error
    assert server.total() == 2
    SmsBudget.objects.update(month_messages=0, month_soles=Decimal("0.10"))  # soles: 2 × 0.05 spent
    Reminder.objects.filter(pk=refused.pk).update(status="queued", attempts=0)
    assert reminders_deliver(reminder_ids=[refused.pk]) == {refused.pk: "over budget"}
