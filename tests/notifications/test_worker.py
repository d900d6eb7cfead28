"""The issue's "Must show": real PostgreSQL, a private real Redis, real Celery workers as subprocesses.
Every test counts the messages that actually left (one file per send) per reminder id."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import formats, timezone, translation

from kallpanchis.notifications.delivery import reminders_dispatch
from kallpanchis.notifications.models import Reminder
from kallpanchis.notifications.services import reminder_notify_now, reminders_schedule
from tests.notifications.conftest import queue_length, sends_per_reminder, sent_messages, wait_until
from tests.notifications.factories import meeting_target, people

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _schedule(n_people: int, due_times, *, prefix="socio"):
    target = meeting_target(starts_at=timezone.now() + timedelta(days=3))
    recipients = people(n_people, prefix=prefix)
    rows = reminders_schedule(
        kind="test_meeting", target=target, recipients=recipients, due_times=due_times, channel="file"
    )
    return target, rows


def _all_sent(ids) -> bool:
    return Reminder.objects.filter(pk__in=ids).exclude(status=Reminder.Status.SENT).count() == 0


def _all_sent_by(worker, ids) -> bool:
    """All sent; fails at once if the worker died (nothing else would send them)."""
    assert worker.alive(), "the worker exited:\n" + worker.log_events()[-3000:]
    return _all_sent(ids)


def _dispatch():
    reminders_dispatch(budget_seconds=5)


def test_rollback_leaves_no_reminder_and_enqueues_nothing(broker, outbox_dir):
    now = timezone.now()
    with pytest.raises(RuntimeError), transaction.atomic():
        target = meeting_target(starts_at=now + timedelta(days=3))
        recipient = people(1)[0]
        reminders_schedule(
            kind="test_meeting", target=target, recipients=[recipient], due_times=[now], channel="file"
        )
        reminder_notify_now(kind="test_meeting", target=target, recipients=[recipient], channel="file")
        raise RuntimeError("the meeting form failed validation")
    assert Reminder.objects.count() == 0
    assert queue_length() == 0
    assert reminders_dispatch(budget_seconds=5) == 0
    assert queue_length() == 0

    # The same without the rollback does enqueue: the check above can see a message when there is one.
    with transaction.atomic():
        target = meeting_target(starts_at=now + timedelta(days=3))
        reminder_notify_now(kind="test_meeting", target=target, recipients=people(1, "otro"), channel="file")
        assert queue_length() == 0  # not before the commit
    assert queue_length() == 1


def test_sigkill_mid_batch_of_500_then_new_worker_sends_each_exactly_once(make_worker, outbox_dir):
    now = timezone.now()
    _, rows = _schedule(50, [now - timedelta(minutes=m) for m in range(10)])
    ids = [r.pk for r in rows]
    assert len(ids) == 500
    first = make_worker().start(concurrency=2)
    assert reminders_dispatch(budget_seconds=5) == 500
    assert wait_until(lambda: len(sends_per_reminder(outbox_dir)) >= 60, timeout=30, every=0.005)
    first.kill()
    before = len(sends_per_reminder(outbox_dir))
    assert 0 < before < 500, "the kill must land in the middle of the batch"
    interrupted = Reminder.objects.filter(pk__in=ids, status=Reminder.Status.SENDING).count()

    make_worker().start(concurrency=2)
    assert wait_until(lambda: _all_sent(ids), timeout=60, every=0.5, tick=_dispatch)

    counts = sends_per_reminder(outbox_dir)
    assert sorted(counts) == sorted(ids)
    assert set(counts.values()) == {1}
    print(f"killed after {before} sends with {interrupted} reminders mid-send; 500 sent, 0 twice")


def test_redis_stopped_while_reminders_fall_due_then_restarted_all_sent_none_twice(
    make_worker, broker, outbox_dir
):
    now = timezone.now()
    _, already_due = _schedule(30, [now - timedelta(minutes=m) for m in range(10)], prefix="a")
    worker = make_worker().start(concurrency=2)
    soon = timezone.now() + timedelta(seconds=3)
    _, falling_due = _schedule(20, [soon + timedelta(milliseconds=m) for m in range(10)], prefix="b")
    ids = [r.pk for r in already_due + falling_due]
    assert reminders_dispatch(budget_seconds=5) == 300
    # Redis dies while the worker is in the middle of the first 300, and stays down while 200 more fall due.
    wait_until(lambda: len(sends_per_reminder(outbox_dir)) >= 30, timeout=20, every=0.005)
    broker.stop()
    time.sleep(max(0.0, (soon - timezone.now()).total_seconds()) + 0.5)
    assert reminders_dispatch(budget_seconds=5) == 0  # claimed, but nothing could be enqueued
    assert Reminder.objects.filter(pk__in=ids).exclude(status=Reminder.Status.SENT).exists()
    broker.start()

    # The same worker, never restarted, sends them all: it must live through the outage (Celery 5.7 once
    # exited here, see kallpanchis/notifications/broker.py). The bound is generous for a loaded 2-core
    # machine; a worker that exits fails at once instead of running it out.
    assert wait_until(lambda: _all_sent_by(worker, ids), timeout=240, every=0.5, tick=_dispatch)
    counts = sends_per_reminder(outbox_dir)
    assert sorted(counts) == sorted(ids)
    assert set(counts.values()) == {1}


def test_worker_lives_through_redis_dying_under_a_running_task_and_a_waiting_brpop(
    make_worker, broker, outbox_dir
):
    """The exact moment that made the Celery 5.7 worker exit ("Unrecoverable error: AttributeError"):
    Redis dies while one task runs unacknowledged and the free pool slot waits on BRPOP for the next."""
    now = timezone.now()
    target = meeting_target(starts_at=now + timedelta(days=3))
    (slow,) = reminders_schedule(
        kind="test_slow_meeting",
        target=target,
        recipients=people(1, "lento"),
        due_times=[now],
        channel="file",
    )
    # A lease far longer than the slow send, so no second attempt can start while the first still runs.
    worker = make_worker(KALLPANCHIS_REMINDER_LEASE_SECONDS="120").start(concurrency=2)
    assert reminders_dispatch(budget_seconds=5) == 1
    running = lambda: Reminder.objects.get(pk=slow.pk).status == Reminder.Status.SENDING  # noqa: E731
    assert wait_until(running, timeout=30, every=0.02)
    time.sleep(0.5)  # the describing takes 3 s; meanwhile the other slot's BRPOP is on the wire
    broker.stop()
    # The running send finishes without Redis (the database records it); a worker that gave up would
    # end its warm shutdown soon after: watch it for 5 s more.
    assert wait_until(lambda: _all_sent([slow.pk]), timeout=30, every=0.1)
    exited = wait_until(lambda: not worker.alive(), timeout=5, every=0.1)
    assert not exited, "the worker exited when Redis went away:\n" + worker.log_events()[-3000:]
    broker.start()

    _, after = _schedule(5, [timezone.now()], prefix="despues")
    ids = [slow.pk] + [r.pk for r in after]
    assert wait_until(lambda: _all_sent_by(worker, ids), timeout=120, every=0.5, tick=_dispatch)
    counts = sends_per_reminder(outbox_dir)
    assert sorted(counts) == sorted(ids)
    assert set(counts.values()) == {1}


def test_two_dispatchers_at_once_over_1000_each_sent_exactly_once(make_worker, outbox_dir):
    now = timezone.now()
    _, rows = _schedule(100, [now - timedelta(minutes=m) for m in range(10)])
    ids = [r.pk for r in rows]
    barrier = threading.Barrier(2)
    claimed = []

    def dispatcher():
        try:
            barrier.wait()
            claimed.append(reminders_dispatch(batch_size=50, budget_seconds=30))
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(claimed) == 1000 and min(claimed) > 0, claimed

    make_worker().start(concurrency=2)
    assert wait_until(lambda: _all_sent(ids), timeout=60, every=0.5)
    counts = sends_per_reminder(outbox_dir)
    assert sorted(counts) == sorted(ids)
    assert set(counts.values()) == {1}


def test_meeting_moved_after_its_reminder_was_queued(make_worker, outbox_dir):
    now = timezone.now()
    old_start, new_start = now + timedelta(days=1), now + timedelta(days=2)
    meeting = meeting_target(starts_at=old_start, name="Mesa de leche de Anta")
    forgetful = meeting_target(starts_at=old_start, name="Mesa de cuyes")
    member, other = people(2)
    (old,) = reminders_schedule(
        kind="test_meeting", target=meeting, recipients=[member], due_times=[now], channel="file"
    )
    (stale,) = reminders_schedule(
        kind="test_meeting", target=forgetful, recipients=[other], due_times=[now], channel="file"
    )
    assert reminders_dispatch(budget_seconds=5) == 2  # both are queued in Redis, no worker yet
    assert queue_length() == 1  # one delivery task carries both ids (a chunk)

    with transaction.atomic():  # the source app moves the meeting and re-plans its reminders
        meeting.short_name = new_start.isoformat()
        meeting.save(update_fields=["short_name"])
        (new,) = reminders_schedule(
            kind="test_meeting",
            target=meeting,
            recipients=[member],
            due_times=[now + timedelta(seconds=1)],
            channel="file",
        )
    forgetful.short_name = new_start.isoformat()  # a source that forgot to re-plan: the checksum catches it
    forgetful.save(update_fields=["short_name"])

    make_worker().start(concurrency=2)
    assert wait_until(lambda: _all_sent([new.pk]), timeout=30, every=0.3, tick=_dispatch)
    wait_until(lambda: Reminder.objects.get(pk=stale.pk).status == Reminder.Status.SKIPPED, timeout=10)

    assert sends_per_reminder(outbox_dir) == {new.pk: 1}
    old.refresh_from_db()
    stale.refresh_from_db()
    assert old.status == Reminder.Status.CANCELLED
    assert stale.status == Reminder.Status.SKIPPED
    assert "changed" in stale.last_error
    (message,) = sent_messages(outbox_dir)
    lima = timezone.localtime(new_start, timezone.get_fixed_timezone(-300))
    with translation.override("es"):
        expected = f"{formats.date_format(lima, 'DATE_FORMAT')}, {lima:%H:%M}"
    assert expected in message["text"]
