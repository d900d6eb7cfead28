"""SMS exactly once with real Celery workers (subprocesses), a private Redis and the local gateway server:
the gateway slow, failing, down then back, the worker killed between "accepted" and "recorded", Redis
restarted. The count is taken on the gateway server's side: messages given to each phone, per text.

The Twilio-compatible gateway is used: it has no client-set id, so nothing on its side refuses a second
copy and only the outbox's lookup-before-resend keeps each message single."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

import tests.notifications.sms_kinds  # noqa: F401
from kallpanchis.notifications.delivery import reminders_dispatch
from kallpanchis.notifications.models import Reminder, SmsMessage
from kallpanchis.notifications.services import reminders_schedule
from tests.local_services import free_port, wait_until
from tests.notifications.factories import meeting_target
from tests.notifications.sms_factories import sms_people
from tests.notifications.sms_gateway_server import GatewayServer, environment

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
KIND = "test_sms_meeting"


@pytest.fixture
def gateway(monkeypatch, outbox_dir):
    server = GatewayServer(free_port()).start()
    monkeypatch.setenv("KALLPANCHIS_REMINDER_BACKOFF_SECONDS", "1")
    monkeypatch.setenv("KALLPANCHIS_REMINDER_LEASE_SECONDS", "10")
    yield server
    server.stop()


@pytest.fixture
def sms_worker(make_worker, gateway):
    def make(timeout="2", **extra):
        env = {
            **environment(gateway, "twilio"),
            "SMS_TIMEOUT_SECONDS": timeout,
            "SMS_QUIET_FROM": "0",
            "SMS_QUIET_UNTIL": "0",
            "KALLPANCHIS_REMINDER_KIND_MODULES": "tests.notifications.kinds,tests.notifications.sms_kinds",
            "KALLPANCHIS_REMINDER_BACKOFF_SECONDS": "1",
            "KALLPANCHIS_REMINDER_LEASE_SECONDS": "10",
            **extra,
        }
        return make_worker(**env)

    return make


def _schedule(n: int):
    target = meeting_target(starts_at=timezone.now() + timedelta(days=3))
    people = sms_people(n, target=target)
    now = timezone.now()
    rows = [
        r for r in reminders_schedule(kind=KIND, target=target, recipients=[], due_times=[now]) if r.person_id
    ]
    assert len(rows) == n
    return people, [r.pk for r in rows]


def _all_sent(ids, worker=None) -> bool:
    if worker is not None:
        assert worker.alive(), "the worker exited:\n" + worker.log_events()[-3000:]
    return not Reminder.objects.filter(pk__in=ids).exclude(status=Reminder.Status.SENT).exists()


def _tick():
    reminders_dispatch(budget_seconds=5)


def _each_once(server, people, ids):
    texts = {p.phone: server.texts_to(p.phone) for p in people}
    assert all(len(t) == 1 for t in texts.values()), {k: v for k, v in texts.items() if len(v) != 1}
    assert server.duplicates() == 0 and server.total() == len(people)
    assert SmsMessage.objects.filter(reminder_id__in=ids).count() == len(ids)


def test_gateway_slow_30s_then_fine_each_person_once(sms_worker, gateway):
    people, ids = _schedule(40)
    gateway.slow_count, gateway.slow_seconds = 3, 30  # accepted, but answered after 30 s (> 2 s timeout)
    worker = sms_worker().start(concurrency=2)
    assert wait_until(lambda: _all_sent(ids, worker), timeout=120, every=0.5, tick=_tick)
    _each_once(gateway, people, ids)
    assert SmsMessage.objects.filter(reminder_id__in=ids, gateway_id="").count() == 0


def test_gateway_failing_500_then_fine_each_person_once(sms_worker, gateway):
    people, ids = _schedule(40)
    gateway.fail_count = 6
    worker = sms_worker().start(concurrency=2)
    assert wait_until(lambda: _all_sent(ids, worker), timeout=120, every=0.5, tick=_tick)
    _each_once(gateway, people, ids)
    account = environment(gateway, "twilio")["SMS_TWILIO_ACCOUNT_SID"]
    assert gateway.requests[f"POST /2010-04-01/Accounts/{account}/Messages.json"] >= 46


def test_gateway_down_for_the_whole_run_then_back(sms_worker, gateway):
    people, ids = _schedule(40)
    gateway.stop()
    worker = sms_worker().start(concurrency=2)
    deadline = time.monotonic() + 12
    while time.monotonic() < deadline:
        _tick()
        time.sleep(1)
    assert not Reminder.objects.filter(pk__in=ids, status=Reminder.Status.SENT).exists()
    assert not Reminder.objects.filter(pk__in=ids, status=Reminder.Status.FAILED).exists()  # attempts kept
    gateway.start()
    assert wait_until(lambda: _all_sent(ids, worker), timeout=120, every=0.5, tick=_tick)
    _each_once(gateway, people, ids)


def test_worker_sigkilled_between_accepted_and_recorded(sms_worker, gateway):
    """The gateway accepts and answers slowly; the worker is killed while it waits for the answer, with
    earlier sends of its batch accepted but not yet recorded. The next worker asks the gateway by number
    and text before sending: nobody gets a second copy."""
    people, ids = _schedule(120)
    first = sms_worker(timeout="60").start(concurrency=1)
    reminders_dispatch(budget_seconds=5)
    assert wait_until(lambda: gateway.total() >= 30, timeout=60, every=0.01)
    gateway.slow_count, gateway.slow_seconds = 1, 30
    assert wait_until(lambda: gateway.slow_count == 0, timeout=30, every=0.01)
    time.sleep(0.3)
    first.kill()
    accepted = gateway.total()
    recorded = SmsMessage.objects.filter(reminder_id__in=ids).count()
    assert accepted > recorded, "the kill must land between accepted and recorded"
    sms_worker().start(concurrency=2)
    assert wait_until(lambda: _all_sent(ids), timeout=120, every=0.5, tick=_tick)
    _each_once(gateway, people, ids)
    print(f"killed with {accepted} accepted and {recorded} recorded; all {len(ids)} once")


def test_redis_restarted_mid_run_each_person_once(sms_worker, gateway, broker):
    people, ids = _schedule(200)
    worker = sms_worker().start(concurrency=2)
    reminders_dispatch(budget_seconds=5)
    wait_until(lambda: gateway.total() >= 20, timeout=30, every=0.01)
    broker.stop()
    time.sleep(2)
    broker.start()
    assert wait_until(lambda: _all_sent(ids, worker), timeout=240, every=0.5, tick=_tick)
    _each_once(gateway, people, ids)
