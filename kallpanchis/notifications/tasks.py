"""Thin tasks: ids in, a service call, nothing else. The database says what is due; the broker only
carries the news."""

from celery import shared_task
from django.db import InterfaceError, OperationalError


@shared_task(name="notifications.reminders_dispatch", ignore_result=True)
def reminders_dispatch() -> int:
    """Every minute (django-celery-beat, created by migration 0002)."""
    from .delivery import reminders_dispatch as dispatch

    return dispatch()


_DELIVERY = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "ignore_result": True,
    # The database went away for a moment: try again soon, a few times. A failing channel is retried
    # through the row instead (status back to 'queued' with a backoff lease), never with a long ETA.
    "autoretry_for": (OperationalError, InterfaceError),
    "max_retries": 3,
    "retry_backoff": 2,
    "retry_backoff_max": 30,
}


@shared_task(name="notifications.reminders_send", **_DELIVERY)
def reminders_send(reminder_ids: list[int]) -> str:
    """A chunk of reminders (delivery.py says why a chunk and not one)."""
    from collections import Counter

    from .delivery import reminders_deliver

    counts = Counter(reminders_deliver(reminder_ids=reminder_ids).values())
    return ", ".join(f"{what} {n}" for what, n in sorted(counts.items())) or "nothing to do"


@shared_task(name="notifications.reminder_send", **_DELIVERY)
def reminder_send(reminder_id: int) -> str:
    """One reminder: kept so that messages queued before chunks existed are still delivered."""
    from .delivery import reminder_deliver

    return reminder_deliver(reminder_id=reminder_id)


@shared_task(
    name="notifications.reminders_digest_send",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=(OperationalError, InterfaceError),
    max_retries=3,
    retry_backoff=2,
    retry_backoff_max=30,
)
def reminders_digest_send(recipient_id: int) -> int:
    from .delivery import reminders_digest_send as digest

    return digest(recipient_id=recipient_id)


@shared_task(
    name="notifications.sms_ack_send",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=(OperationalError, InterfaceError, Exception),
    max_retries=5,
    retry_backoff=10,
    retry_backoff_max=600,
)
def sms_ack_send(inbound_id: int) -> str:
    """The one answer to a BAJA (key kpin<reply id>: a redelivered task asks the gateway first, so it never
    sends twice)."""
    from kallpanchis.people.models import Person

    from .models import ReminderSettings, SmsInbound
    from .sms.delivery import sms_send_now
    from .sms.replies import ack_text
    from .sms.texts import sms_language

    inbound = SmsInbound.objects.filter(pk=inbound_id).first()
    if inbound is None or inbound.person_id is None:
        return "nothing to do"
    person = Person.objects.get(pk=inbound.person_id)
    account = (
        ReminderSettings.objects.filter(user_id=person.user_id).values_list("language", flat=True).first()
    )
    text = ack_text(sms_language(person.languages, account))
    sent = sms_send_now(key=f"kpin{inbound.pk}", person=person, text=text, area=inbound.area)
    return "sent" if sent else "already sent"
