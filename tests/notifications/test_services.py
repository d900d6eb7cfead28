"""The services and the delivery path, in-process (no worker): scheduling rules, the claim and its
recovery after a crash, messages, preferences, digest, retries."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from kallpanchis.notifications import channels
from kallpanchis.notifications.delivery import (
    reminder_deliver,
    reminders_deliver,
    reminders_digest_send,
    reminders_dispatch,
)
from kallpanchis.notifications.models import Reminder, ReminderPreference, ReminderSettings
from kallpanchis.notifications.registry import all_kinds
from kallpanchis.notifications.rendering import unsubscribe_read
from kallpanchis.notifications.services import (
    reminder_preferences_save,
    reminder_retry,
    reminder_unsubscribe,
    reminders_cancel,
    reminders_schedule,
)
from tests.notifications.conftest import sends_per_reminder, sent_messages
from tests.notifications.factories import meeting_target, people

pytestmark = pytest.mark.django_db
S = Reminder.Status


@pytest.fixture
def meeting():
    return meeting_target(
        starts_at=datetime(2026, 12, 3, 15, 30, tzinfo=UTC),  # 10:30 in Lima
        place="Casa comunal de Pucyura",
        name="Mesa de leche & queso de Anta",
    )


def _queued(reminder):
    Reminder.objects.filter(pk=reminder.pk).update(status=S.QUEUED)
    return reminder


def test_the_kinds_of_the_issue_are_registered():
    names = {kind.name for kind in all_kinds()}
    assert {
        "meeting_upcoming",
        "meeting_changed",
        "plan_deadline",
        "plan_review_waiting",
        "budget_phase_deadline",
        "agreement_due",
        "agreement_overdue",
    } <= names


def test_schedule_is_idempotent_and_a_second_copy_is_impossible(meeting):
    member = people(1)[0]
    due = [timezone.now() + timedelta(days=d) for d in (1, 3)]
    first = reminders_schedule(kind="test_meeting", target=meeting, recipients=[member], due_times=due)
    again = reminders_schedule(kind="test_meeting", target=meeting, recipients=[member], due_times=due)
    assert sorted(r.pk for r in first) == sorted(r.pk for r in again)
    assert Reminder.objects.count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            kind="test_meeting", target=meeting, recipient=member, due_at=due[0], checksum="x"
        )
    assert Reminder.objects.count() == 2


def test_rescheduling_cancels_what_no_longer_fits_and_keeps_what_was_sent(meeting):
    ana, beto = people(2)
    now = timezone.now()
    old = reminders_schedule(
        kind="test_meeting", target=meeting, recipients=[ana, beto], due_times=[now + timedelta(days=1)]
    )
    Reminder.objects.filter(recipient=beto).update(status=S.SENT, sent_at=now)
    meeting.short_name = (now + timedelta(days=5)).isoformat()
    meeting.save()
    new = reminders_schedule(
        kind="test_meeting", target=meeting, recipients=[ana, beto], due_times=[now + timedelta(days=4)]
    )
    assert {(r.recipient_id, r.status) for r in Reminder.objects.filter(pk__in=[r.pk for r in old])} == {
        (ana.pk, S.CANCELLED),
        (beto.pk, S.SENT),
    }
    assert {(r.recipient_id, r.status) for r in new} == {(ana.pk, S.SCHEDULED), (beto.pk, S.SCHEDULED)}
    # moved back to the first time: the cancelled row comes back instead of a second copy
    back = reminders_schedule(
        kind="test_meeting", target=meeting, recipients=[ana], due_times=[now + timedelta(days=1)]
    )
    assert [r.pk for r in back] == [old[0].pk if old[0].recipient_id == ana.pk else old[1].pk]
    assert Reminder.objects.count() == 4


def test_cancel_touches_only_pending_reminders(meeting):
    ana, beto = people(2)
    reminders_schedule(
        kind="test_meeting", target=meeting, recipients=[ana, beto], due_times=[timezone.now()]
    )
    Reminder.objects.filter(recipient=beto).update(status=S.SENT, sent_at=timezone.now())
    assert reminders_cancel(target=meeting) == 1
    assert sorted(Reminder.objects.values_list("status", flat=True)) == [S.CANCELLED, S.SENT]


def test_email_in_the_recipients_language_with_lima_time_place_link_and_unsubscribe(meeting):
    (ana,) = people(1)
    ReminderSettings.objects.create(user=ana, language="fr")
    (reminder,) = reminders_schedule(
        kind="test_meeting", target=meeting, recipients=[ana], due_times=[timezone.now()], channel="email"
    )
    assert reminder_deliver(reminder_id=_queued(reminder).pk) == "sent"
    (email,) = mail.outbox
    assert email.to == ["socio0@example.pe"]
    assert email.subject == "[Kallpanchis] Mesa de leche & queso de Anta — jeudi 3 décembre 2026, 10:30"
    assert "Bonjour Socio 0," in email.body
    assert "Casa comunal de Pucyura" in email.body
    assert "http://127.0.0.1:8000/reminders/" in email.body
    assert "/reminders/unsubscribe/" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert "<h2>Mesa de leche &amp; queso de Anta</h2>" in html
    assert "Mesa de leche & queso de Anta\n" in email.body
    assert email.extra_headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/reminders/unsubscribe/")
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.sent_at is not None) == (S.SENT, 1, True)
    assert reminder_deliver(reminder_id=reminder.pk) == "nothing to do"
    assert len(mail.outbox) == 1


def test_spanish_by_default(meeting):
    (ana,) = people(1)
    (reminder,) = reminders_schedule(
        kind="test_meeting", target=meeting, recipients=[ana], due_times=[timezone.now()], channel="email"
    )
    reminder_deliver(reminder_id=_queued(reminder).pk)
    assert "Hola Socio 0," in mail.outbox[0].body
    assert "03/12/2026" in mail.outbox[0].subject or "3 de diciembre de 2026" in mail.outbox[0].subject


def test_moved_target_is_skipped_at_delivery(meeting, outbox_dir):
    (ana,) = people(1)
    (reminder,) = reminders_schedule(
        kind="test_meeting", target=meeting, recipients=[ana], due_times=[timezone.now()], channel="file"
    )
    meeting.website = "Otra casa comunal"
    meeting.save()
    assert reminder_deliver(reminder_id=_queued(reminder).pk) == "skipped"
    reminder.refresh_from_db()
    assert reminder.status == S.SKIPPED
    assert sent_messages(outbox_dir) == []


def test_worker_died_after_the_send_left_next_attempt_confirms_and_does_not_resend(meeting, outbox_dir):
    (ana,) = people(1)
    (reminder,) = reminders_schedule(
        kind="test_meeting", target=meeting, recipients=[ana], due_times=[timezone.now()], channel="file"
    )
    _queued(reminder)
    # What a killed worker leaves: the claim committed, the file written, 'sent' never recorded.
    channels.FileChannel().send(
        message=channels.Message(
            "a@x.pe", "A", "es", "test_meeting", "s", "t", "h", reminder_ids=[reminder.pk]
        ),
        key="dead-worker-key",
    )
    Reminder.objects.filter(pk=reminder.pk).update(status=S.QUEUED, claim="dead-worker-key", attempts=1)
    assert reminder_deliver(reminder_id=reminder.pk) == "confirmed"
    assert sends_per_reminder(outbox_dir) == {reminder.pk: 1}
    reminder.refresh_from_db()
    assert reminder.status == S.SENT


def test_worker_died_before_the_send_left_next_attempt_sends_once(meeting, outbox_dir):
    (ana,) = people(1)
    (reminder,) = reminders_schedule(
        kind="test_meeting", target=meeting, recipients=[ana], due_times=[timezone.now()], channel="file"
    )
    Reminder.objects.filter(pk=reminder.pk).update(status=S.QUEUED, claim="dead-worker-key", attempts=1)
    assert reminder_deliver(reminder_id=reminder.pk) == "sent"
    assert sends_per_reminder(outbox_dir) == {reminder.pk: 1}
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (S.SENT, 2)


class Broken(channels.Channel):
    name = "broken"

    def send(self, *, message, key):
        raise ConnectionRefusedError("SMTP server refused the connection")


def test_failing_channel_backs_off_then_fails_and_a_coordinator_retries(meeting, coordinator, monkeypatch):
    monkeypatch.setitem(channels.CHANNELS, "broken", Broken())
    monkeypatch.setenv("KALLPANCHIS_REMINDER_MAX_ATTEMPTS", "2")
    (ana,) = people(1)
    (reminder,) = reminders_schedule(
        kind="test_meeting", target=meeting, recipients=[ana], due_times=[timezone.now()], channel="broken"
    )
    assert reminder_deliver(reminder_id=_queued(reminder).pk) == "failed"
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.claim) == (S.QUEUED, 1, "")
    assert reminder.last_error == "ConnectionRefusedError: SMTP server refused the connection"
    assert reminder.lease_until > timezone.now() + timedelta(seconds=50)  # backoff: a minute
    assert reminder_deliver(reminder_id=reminder.pk) == "failed"
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (S.FAILED, 2)

    reminder_retry(reminder=reminder, by=coordinator)
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (S.QUEUED, 0)


def test_only_coordinators_retry_and_only_failed_reminders(meeting, coordinator):
    from django.core.exceptions import PermissionDenied

    (ana,) = people(1)
    (reminder,) = reminders_schedule(
        kind="test_meeting", target=meeting, recipients=[ana], due_times=[timezone.now()]
    )
    Reminder.objects.filter(pk=reminder.pk).update(status=S.FAILED)
    with pytest.raises(PermissionDenied):
        reminder_retry(reminder=reminder, by=ana)
    reminder.refresh_from_db()
    assert reminder.status == S.FAILED
    Reminder.objects.filter(pk=reminder.pk).update(status=S.SCHEDULED)
    with pytest.raises(ValueError):
        reminder_retry(reminder=reminder, by=coordinator)
    reminder.refresh_from_db()
    assert reminder.status == S.SCHEDULED


def test_opted_out_person_is_skipped(meeting, outbox_dir):
    (ana,) = people(1)
    reminder_unsubscribe(user_id=ana.pk, kind="test_meeting")
    (reminder,) = reminders_schedule(
        kind="test_meeting", target=meeting, recipients=[ana], due_times=[timezone.now()], channel="file"
    )
    assert reminder_deliver(reminder_id=_queued(reminder).pk) == "skipped"
    assert sent_messages(outbox_dir) == []


def test_digest_holds_reminders_and_sends_one_message_for_all(outbox_dir):
    (ana,) = people(1)
    reminder_preferences_save(user=ana, language="es", choices={"test_meeting": (True, True)})
    now = timezone.now()
    rows = []
    for hour in (9, 11, 15):
        target = meeting_target(starts_at=now + timedelta(days=1, hours=hour))
        rows += reminders_schedule(
            kind="test_meeting", target=target, recipients=[ana], due_times=[now], channel="file"
        )
    for row in rows:
        assert reminder_deliver(reminder_id=_queued(row).pk) == "held"
    assert sent_messages(outbox_dir) == []
    assert reminders_digest_send(recipient_id=ana.pk) == 0  # not yet 07:00 in Lima
    Reminder.objects.update(lease_until=now)
    assert reminders_digest_send(recipient_id=ana.pk) == 3
    (message,) = sent_messages(outbox_dir)
    assert sorted(message["reminder_ids"]) == sorted(r.pk for r in rows)
    assert message["subject"] == "[Kallpanchis] Sus 3 recordatorios del día"
    assert set(Reminder.objects.values_list("status", flat=True)) == {S.SENT}
    assert reminders_digest_send(recipient_id=ana.pk) == 0


def test_preferences_save(meeting):
    (ana,) = people(1)
    reminder_preferences_save(
        user=ana, language="en", choices={"meeting_upcoming": (False, True), "agreement_due": (True, True)}
    )
    assert ReminderSettings.objects.get(user=ana).language == "en"
    assert set(ReminderPreference.objects.filter(user=ana).values_list("kind", "enabled", "digest")) == {
        ("meeting_upcoming", False, False),
        ("agreement_due", True, True),
    }


def test_file_channel_refuses_a_second_message_with_the_same_key(tmp_path, monkeypatch):
    monkeypatch.setenv("KALLPANCHIS_REMINDER_FILE_DIR", str(tmp_path))
    message = channels.Message("a@x.pe", "A", "es", "k", "s", "t", "h", reminder_ids=[1])
    channels.FileChannel().send(message=message, key="k1")
    with pytest.raises(FileExistsError):
        channels.FileChannel().send(message=message, key="k1")
    assert channels.FileChannel().confirm("k1") is True
    assert channels.FileChannel().confirm("k2") is False
    assert json.loads((tmp_path / "k1.json").read_text())["reminder_ids"] == [1]


def test_beat_has_one_dispatch_schedule_every_minute():
    """Created by the data migration (run here again: transactional tests empty the tables)."""
    from importlib import import_module

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    migration = import_module("kallpanchis.notifications.migrations.0002_dispatch_schedule")
    migration.create_schedule(apps, None)
    migration.create_schedule(apps, None)
    (task,) = PeriodicTask.objects.filter(task="notifications.reminders_dispatch")
    assert (task.enabled, task.interval.every, task.interval.period) == (True, 1, "minutes")


def test_lead_times_leave_out_the_past():
    from kallpanchis.notifications.registry import lead_times

    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    meeting = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
    assert lead_times(meeting, now=now) == [datetime(2026, 12, 2, 15, 0, tzinfo=UTC)]
    assert lead_times(meeting, days=(14, 3, 1), now=now - timedelta(days=5)) == [
        datetime(2026, 11, 30, 15, 0, tzinfo=UTC),
        datetime(2026, 12, 2, 15, 0, tzinfo=UTC),
    ]


def test_a_chunk_sends_each_of_its_queued_reminders_once_each_with_its_own_name_and_link(meeting, outbox_dir):
    """One delivery task, many reminders about one meeting: the templates are rendered once and each
    person's name (escaped in HTML only) and unsubscribe link filled in; rows not queued are left alone."""
    from kallpanchis.accounts.models import User

    ana, beto, nadie, ya, luego = people(5)
    User.objects.filter(pk=beto.pk).update(first_name="Beto & Co")
    User.objects.filter(pk=nadie.pk).update(first_name="")
    ReminderSettings.objects.create(user=ana, language="fr")
    rows = reminders_schedule(
        kind="test_meeting",
        target=meeting,
        recipients=[ana, beto, nadie, ya, luego],
        due_times=[timezone.now()],
        channel="file",
    )
    by_person = {row.recipient_id: row for row in rows}
    Reminder.objects.filter(pk__in=[r.pk for r in rows]).update(status=S.QUEUED)
    Reminder.objects.filter(pk=by_person[ya.pk].pk).update(status=S.SENT, sent_at=timezone.now())
    Reminder.objects.filter(pk=by_person[luego.pk].pk).update(status=S.SCHEDULED)
    ids = [r.pk for r in rows]

    outcome = reminders_deliver(reminder_ids=ids + ids)  # a row named twice is still taken once
    queued = [by_person[p.pk].pk for p in (ana, beto, nadie)]
    assert outcome == dict.fromkeys(queued, "sent")
    assert reminders_deliver(reminder_ids=ids) == {}
    assert sends_per_reminder(outbox_dir) == dict.fromkeys(queued, 1)
    messages = {m["reminder_ids"][0]: m for m in sent_messages(outbox_dir)}
    assert messages[by_person[ana.pk].pk]["text"].startswith("Bonjour Socio 0,")
    assert messages[by_person[beto.pk].pk]["text"].startswith("Hola Beto & Co,")
    assert "Hola Beto &amp; Co," in messages[by_person[beto.pk].pk]["html"]
    assert messages[by_person[nadie.pk].pk]["text"].startswith("Hola socio2@example.pe,")
    for person in (ana, beto, nadie):
        message = messages[by_person[person.pk].pk]
        token = message["unsubscribe_url"].rstrip("/").rsplit("/", 1)[1]
        assert unsubscribe_read(token) == (person.pk, "test_meeting")
        assert message["unsubscribe_url"] in message["text"] and message["unsubscribe_url"] in message["html"]
        assert "\ue000" not in message["text"] + message["html"] + message["subject"]
    assert Reminder.objects.get(pk=by_person[luego.pk].pk).status == S.SCHEDULED


@pytest.mark.django_db(transaction=True)  # the dispatcher publishes when its own transaction commits
def test_dispatch_claims_what_is_due_and_each_chunk_delivers_it_once(meeting, outbox_dir, monkeypatch):
    """The dispatcher with tasks run in-line (as on a machine without Redis): 7 due reminders in chunks
    of 3, each sent once; a second run finds nothing."""
    from kallpanchis.celery import app

    monkeypatch.setenv("KALLPANCHIS_REMINDER_CHUNK_SIZE", "3")
    rows = reminders_schedule(
        kind="test_meeting", target=meeting, recipients=people(7), due_times=[timezone.now()], channel="file"
    )
    eager, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        assert reminders_dispatch(budget_seconds=5) == 7
        assert sends_per_reminder(outbox_dir) == {r.pk: 1 for r in rows}
        assert set(Reminder.objects.values_list("status", flat=True)) == {S.SENT}
        assert reminders_dispatch(budget_seconds=5) == 0
    finally:
        app.conf.task_always_eager = eager
