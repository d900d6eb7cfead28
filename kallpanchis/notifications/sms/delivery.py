"""Sending the outbox's SMS rows, each exactly once (called by delivery.reminders_deliver for the rows of a
chunk whose channel is 'sms'; the claim, leases, backoff and dispatcher are the outbox's own).

Per row: the target still the same (checksum)? the person still reachable (phone, SMS consent)? quiet
hours (held until 07:00 Lima unless the target is sooner)? the area's monthly budget? Then the gateway,
under the row's idempotency key `kp<reminder id>`, the same for every attempt:
- any attempt after the first asks the gateway first whether it already has a message under that key
  (a timeout, a 5xx, or a worker killed between the gateway's "accepted" and our "recorded" all leave
  that open) and records it as sent if so, without sending again;
- a timeout or 5xx sends the row back to the queue with the outbox's backoff; the rest of the chunk is
  handed back without spending an attempt (the gateway is down or slow: no point in waiting 10 s per row);
- a 4xx refusal fails the row at once; so does a spent budget (the message says which and how to raise it).
Sends are recorded (SmsMessage + 'sent') in small batches: a crash in between is what the lookup answers.
"""

import logging
import time
from datetime import datetime, timedelta
from functools import lru_cache

from django.db import transaction
from django.db.models import F
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from .. import conf
from ..models import Reminder, ReminderSettings
from ..registry import get_kind
from .gateways import GatewayError, GatewayRefused, gateway_get
from .gsm import measure
from .limits import allowance, quiet_until
from .models import SmsMessage
from .texts import sms_language, sms_render

logger = logging.getLogger(__name__)
Status = Reminder.Status
FLUSH_EVERY = 50


def sms_key(reminder_id: int) -> str:
    """The idempotency key of an outbox row's SMS: the same for every attempt."""
    return f"kp{reminder_id}"


def callback_url(key: str) -> str:
    return conf.site_url() + _status_path(get_script_prefix(), get_urlconf()).replace("KEY", key)


@lru_cache(maxsize=8)
def _status_path(script_prefix: str, urlconf) -> str:
    # reverse() once per URL configuration, not once per SMS (keys are letters and digits: no quoting).
    return reverse("notifications:sms_twilio_status", args=["KEY"])


def _record(batch: list[tuple], prefix: str) -> None:
    """SmsMessage rows and 'sent' for a batch of (row, SmsMessage) in one transaction."""
    if not batch:
        return
    from ..delivery import _mine
    from .hooks import receipts_apply_held

    now = timezone.now()
    with transaction.atomic():
        SmsMessage.objects.bulk_create([message for _, message in batch], ignore_conflicts=True)
        _mine([row.pk for row, _ in batch], prefix).update(
            status=Status.SENT, sent_at=now, lease_until=None, last_error=""
        )
    receipts_apply_held([message.key for _, message in batch])  # committed: now they can be found
    batch.clear()


def _put_back(rows, *, until: datetime, error: str = "") -> None:
    """Back to 'queued' until `until`, the attempt not spent (quiet hours, a gateway found down)."""
    for row in rows:
        Reminder.objects.filter(pk=row.pk, claim=row.claim, status=Status.SENDING).update(
            status=Status.QUEUED,
            claim=row.previous,
            attempts=F("attempts") - 1,
            lease_until=until,
            last_error=error[:2000],
        )


def _fail_now(row, reason: str) -> None:
    Reminder.objects.filter(pk=row.pk, claim=row.claim, status=Status.SENDING).update(
        status=Status.FAILED, lease_until=None, last_error=reason[:2000]
    )


def sms_deliver(*, rows, prefix: str, now: datetime, deadline: float, targets: dict) -> dict[int, str]:
    from kallpanchis.people.sms import people_sms_reachable

    from ..delivery import _failed, _mine

    outcome: dict[int, str] = {}
    gateway = gateway_get()
    people = people_sms_reachable(person_ids={row.person_id for row in rows})
    account_languages = dict(
        ReminderSettings.objects.filter(
            user_id__in={p.user_id for p in people.values() if p.user_id}
        ).values_list("user_id", "language")
    )
    quiet = quiet_until(now)
    texts: dict[tuple, str] = {}
    template_cache: dict = {}
    contexts: dict[tuple, object] = {}
    checksums: dict[tuple, str] = {}
    areas: dict[tuple, tuple[str, str]] = {}
    allowances: dict[str, object] = {}
    price = conf.sms_price()
    skipped: dict[str, list[int]] = {}
    batch: list[tuple] = []

    for index, row in enumerate(rows):
        if time.monotonic() > deadline:
            _record(batch, prefix)
            from ..delivery import _hand_back

            _hand_back(rows[index:])
            outcome.update({r.pk: "handed back" for r in rows[index:]})
            break
        try:
            kind = get_kind(row.kind)
        except LookupError as error:
            skipped.setdefault(str(error), []).append(row.pk)
            continue
        target_key = (row.content_type_id, row.object_id)
        target = targets.get(target_key)
        if target is None:
            skipped.setdefault("The target no longer exists.", []).append(row.pk)
            continue
        if (row.kind, target_key) not in checksums:
            checksums[(row.kind, target_key)] = kind.checksum(target)
            contexts[(row.kind, target_key)] = kind.context(target)
        if checksums[(row.kind, target_key)] != row.checksum:
            reason = "The target changed (moved or cancelled) after this reminder was scheduled."
            skipped.setdefault(reason, []).append(row.pk)
            continue
        person = people.get(row.person_id)
        if person is None:
            skipped.setdefault(
                "No phone or no SMS consent (withdrawn, or the person was erased).", []
            ).append(row.pk)
            continue
        context = contexts[(row.kind, target_key)]
        if quiet is not None and not (context.when and now < context.when < quiet):
            _put_back([row], until=quiet)
            outcome[row.pk] = "held until morning"
            continue
        language = sms_language(person.languages, account_languages.get(person.user_id))
        text_key = (row.kind, target_key, language)
        if text_key not in texts:
            rendered = sms_render(row.kind, language, context, template_cache)
            texts[text_key] = (rendered, measure(rendered))
        text, length = texts[text_key]
        cost = price * length.segments
        if target_key not in areas:
            areas[target_key] = kind.sms_area(target) if kind.sms_area else ("", "")
        area, area_label = areas[target_key]
        if area not in allowances:
            allowances[area] = allowance(area, area_label, now)
        budget = allowances[area]
        if budget is not None:
            refusal = budget.refusal(cost)
            if refusal:
                _fail_now(row, refusal)
                outcome[row.pk] = "over budget"
                continue
        key = sms_key(row.pk)
        message = SmsMessage(
            key=key,
            reminder_id=row.pk,
            person_id=person.pk,
            phone=person.phone,
            text=text,
            encoding=length.encoding,
            segments=length.segments,
            cost=cost,
            area=area,
            gateway=gateway.name,
        )
        try:
            if row.attempts > 1 or row.previous:
                # An earlier attempt may have reached the gateway: ask before sending again.
                found = gateway.lookup(key=key, phone=person.phone, text=text, since=now - timedelta(days=1))
                if found:
                    message.gateway_id = found
                    batch.append((row, message))
                    outcome[row.pk] = "confirmed"
                    if budget is not None:
                        budget.take(cost)
                    continue
            message.gateway_id = gateway.send(
                phone=person.phone, text=text, key=key, callback_url=callback_url(key)
            )
        except GatewayRefused as error:
            logger.warning("SMS %s refused by the gateway: %s", key, error)
            _fail_now(row, f"{type(error).__name__}: {error}")
            outcome[row.pk] = "failed"
            continue
        except GatewayError as error:
            logger.warning("SMS %s: gateway error, retried later with the same key: %s", key, error)
            _record(batch, prefix)
            _failed(row.pk, row.claim, row.attempts, f"{type(error).__name__}: {error}")
            outcome[row.pk] = "failed"
            rest = [r for r in rows[index + 1 :] if r.pk not in outcome]
            _put_back(rest, until=now + conf.backoff(1), error=f"Gateway unavailable: {error}")
            outcome.update(dict.fromkeys((r.pk for r in rest), "handed back"))
            break
        if budget is not None:
            budget.take(cost)
        batch.append((row, message))
        outcome[row.pk] = "sent"
        if len(batch) >= FLUSH_EVERY:
            _record(batch, prefix)
    _record(batch, prefix)
    for reason, pks in skipped.items():
        _mine(pks, prefix).update(status=Status.SKIPPED, lease_until=None, last_error=reason)
        outcome.update(dict.fromkeys(pks, "skipped"))
    return outcome


def sms_send_now(*, key: str, person, text: str, area: str = "") -> SmsMessage | None:
    """An answer outside the outbox (the acknowledgement of a BAJA): once per key, asking first."""
    if SmsMessage.objects.filter(key=key).exists():
        return None
    gateway = gateway_get()
    found = gateway.lookup(key=key, phone=person.phone, text=text, since=None)
    length = measure(text)
    gateway_id = found or gateway.send(phone=person.phone, text=text, key=key, callback_url=callback_url(key))
    message, _ = SmsMessage.objects.get_or_create(
        key=key,
        defaults={
            "person": person,
            "phone": person.phone,
            "text": text,
            "encoding": length.encoding,
            "segments": length.segments,
            "cost": conf.sms_price() * length.segments,
            "area": area,
            "gateway": gateway.name,
            "gateway_id": gateway_id,
        },
    )
    return message
