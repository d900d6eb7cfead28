"""Gateway callbacks: delivery receipts and replies. Each is authenticated (an HMAC the gateway computes
with a secret only it and this site know) and acted on once (the gateway's event id is recorded; the
same event again changes nothing). A signature that does not match, or an Android callback whose
timestamp is more than SMS_CALLBACK_MAX_AGE seconds away, is refused before anything is read.

- Android ("SMS Gateway for Android" webhooks): X-Signature = hex HMAC-SHA256(signing key, raw body +
  X-Timestamp), X-Timestamp = Unix seconds; the JSON body has the event's own `id`, `event`
  (sms:sent, sms:delivered, sms:failed, sms:received) and `payload` (`messageId` is our key).
- Twilio-compatible: X-Twilio-Signature = base64 HMAC-SHA1(auth token, full URL + each POST parameter's
  name and value, sorted by name). Twilio sends no timestamp: the event id (MessageSid and status) is what
  stops a replay; a status never moves back (delivered stays delivered).
"""

import base64
import hashlib
import hmac
import json
import time

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import conf
from .models import SmsCallbackSeen, SmsMessage
from .replies import reply_handle


class Refused(Exception):
    """Not from the gateway (unsigned, wrong signature, too old) or malformed."""


def max_age() -> int:
    return int(conf.sms_setting("SMS_CALLBACK_MAX_AGE", "300"))


def android_signature(secret: str, body: bytes, timestamp: str) -> str:
    return hmac.new(secret.encode(), body + timestamp.encode(), hashlib.sha256).hexdigest()


def twilio_signature(secret: str, url: str, params: dict[str, str]) -> str:
    data = url + "".join(f"{name}{params[name]}" for name in sorted(params))
    return base64.b64encode(hmac.new(secret.encode(), data.encode(), hashlib.sha1).digest()).decode()


def _seen(gateway: str, event_id: str) -> bool:
    """Records the event; True if it was recorded before (a replay). Call inside a transaction."""
    try:
        with transaction.atomic():
            SmsCallbackSeen.objects.create(gateway=gateway, event_id=event_id[:120])
    except IntegrityError:
        return True
    return False


_FORWARD = {
    SmsMessage.Status.ACCEPTED: 0,
    SmsMessage.Status.SENT: 1,
    SmsMessage.Status.DELIVERED: 2,
    SmsMessage.Status.FAILED: 2,
}


def _status(message_filter: dict, status: str, error: str = "") -> int:
    """Moves the message forward only (a late 'sent' after 'delivered' changes nothing)."""
    earlier = [s for s, rank in _FORWARD.items() if rank < _FORWARD[status]]
    return SmsMessage.objects.filter(status__in=earlier, **message_filter).update(
        status=status, status_at=timezone.now(), error=error[:300]
    )


# A receipt can arrive before its message is recorded: the delivery records sent messages in batches after
# the gateway accepted them (delivery.py), and a fast gateway answers in between. Such a receipt is held
# here, by key, for a day; `receipts_apply_held` moves it onto the message once recorded.
HELD = "sms-receipt-held:{}"
HELD_SECONDS = 24 * 3600


def _status_or_hold(key: str, message_filter: dict, status: str, error: str = "") -> int:
    changed = _status(message_filter, status, error)
    if changed or not key:
        return changed
    if SmsMessage.objects.filter(key=key).exists():
        # Recorded between the update and this look (the delivery committed in between): apply it now, or the
        # receipt would be neither applied nor held.
        return _status(message_filter, status, error)
    cache.set(HELD.format(key), (status, error[:300]), HELD_SECONDS)
    # Looked again after holding: recorded in between, the delivery's own look at the held receipts may
    # have come before this one was held.
    changed = _status(message_filter, status, error)
    if changed:
        cache.delete(HELD.format(key))
    return changed


def receipts_apply_held(keys) -> int:
    """After a batch of messages is recorded (committed): the receipts that came before them."""
    held = cache.get_many([HELD.format(key) for key in keys])
    changed = 0
    for cache_key, (status, error) in held.items():
        changed += _status({"key": cache_key.removeprefix(HELD.format(""))}, status, error)
    if held:
        cache.delete_many(list(held))
    return changed


def android_callback(*, body: bytes, signature: str, timestamp: str) -> str:
    secret = conf.sms_secret("android")
    if not secret or not signature or not timestamp:
        raise Refused("unsigned")
    if not hmac.compare_digest(android_signature(secret, body, timestamp), signature.lower()):
        raise Refused("wrong signature")
    try:
        age = abs(time.time() - int(timestamp))
        event = json.loads(body)
        event_id, name, payload = str(event["id"]), event["event"], event.get("payload") or {}
    except (ValueError, KeyError, TypeError) as error:
        raise Refused(f"malformed: {error}") from None
    if age > max_age():
        raise Refused("too old")
    if name == "sms:received":
        sender = payload.get("sender") or payload.get("phoneNumber") or ""
        inbound = reply_handle(
            gateway="android", event_id=event_id, phone=sender, text=payload.get("message", "")
        )
        return "reply" if inbound else "ignored"
    status = {
        "sms:sent": SmsMessage.Status.SENT,
        "sms:delivered": SmsMessage.Status.DELIVERED,
        "sms:failed": SmsMessage.Status.FAILED,
    }.get(name)
    if status is None:
        return "ignored"
    with transaction.atomic():
        if _seen("android", event_id):
            return "replayed"
        key = payload.get("messageId", "")
        changed = _status_or_hold(key, {"gateway": "android", "key": key}, status, payload.get("reason", ""))
    return "updated" if changed else "unchanged"


def twilio_callback(*, url: str, params: dict[str, str], signature: str, key: str | None) -> str:
    secret = conf.sms_secret("twilio")
    if not secret or not signature:
        raise Refused("unsigned")
    if not hmac.compare_digest(twilio_signature(secret, url, params), signature):
        raise Refused("wrong signature")
    sid = params.get("MessageSid") or params.get("SmsSid") or ""
    if not sid:
        raise Refused("malformed: no MessageSid")
    if key is None:  # an incoming message
        inbound = reply_handle(
            gateway="twilio", event_id=sid, phone=params.get("From", ""), text=params.get("Body", "")
        )
        return "reply" if inbound else "ignored"
    state = params.get("MessageStatus") or params.get("SmsStatus") or ""
    status = {
        "sent": SmsMessage.Status.SENT,
        "delivered": SmsMessage.Status.DELIVERED,
        "failed": SmsMessage.Status.FAILED,
        "undelivered": SmsMessage.Status.FAILED,
    }.get(state)
    if status is None:
        return "ignored"
    with transaction.atomic():
        if _seen("twilio", f"{sid}:{state}"):
            return "replayed"
        # The key in the URL is ours; the SID must be the one recorded for it (or none recorded yet).
        message = SmsMessage.objects.select_for_update().filter(gateway="twilio", key=key).first()
        if message is None:  # the key is ours and signed with the gateway's secret: not recorded yet
            held = _status_or_hold(key, {"key": key}, status, params.get("ErrorCode", ""))
            return "updated" if held else "held"
        if message.gateway_id and message.gateway_id != sid:
            return "unknown"
        if not message.gateway_id:
            SmsMessage.objects.filter(pk=message.pk).update(gateway_id=sid)
        changed = _status({"pk": message.pk}, status, params.get("ErrorCode", ""))
    return "updated" if changed else "unchanged"
