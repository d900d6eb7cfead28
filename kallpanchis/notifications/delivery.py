"""Dispatching and sending: the part that must hold when workers die and Redis goes away.

Guarantees, and the one window left:
- The dispatcher claims due rows with FOR UPDATE SKIP LOCKED and a lease (status 'queued'), then
  enqueues one task per row after the claim commits. Two dispatchers never take the same row; a lost
  message (Redis restarted, worker killed) is enqueued again when the lease runs out.
- The delivery task takes a per-reminder claim (status 'sending' with a fresh key) and COMMITS it before
  sending, then marks 'sent' only if its claim is still the row's. A task that finds the row anything but
  'queued' does nothing, so redelivered or duplicate messages cannot send twice.
- A worker that dies after committing its claim leaves the row 'sending' with the key of a send that may
  or may not have left. When the lease expires the dispatcher queues it again, keeping the key, and the
  next attempt first asks the channel `confirm(key)`. The file channel answers exactly (exactly once,
  proven in tests/notifications/test_worker.py). SMTP cannot answer: such a reminder is sent again, with
  the same Message-ID. That is the at-least-once window: at most one reminder per worker process that
  died during its SMTP conversation.
- A send slower than the lease could be taken over while it still runs: keep channel timeouts well
  under REMINDER_LEASE_SECONDS (300 s by default).
"""

import logging
import time
import uuid
from datetime import datetime, timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from . import conf
from .channels import channel_get
from .models import Reminder, ReminderPreference
from .registry import get_kind
from .rendering import LIMA, digest_render, message_render

logger = logging.getLogger(__name__)
Status = Reminder.Status


def _next_digest_at(now: datetime) -> datetime:
    local = timezone.localtime(now, LIMA)
    at = local.replace(hour=conf.digest_hour(), minute=0, second=0, microsecond=0)
    if at <= local:
        at += timedelta(days=1)
    return at


def _publish(task, ids: list[int], outcome: list[bool]) -> None:
    """After commit: one message per id through one producer. If Redis is away the rows stay 'queued'
    and their lease brings them back; nothing is lost, the dispatcher just stops for this run."""
    try:
        with task.app.producer_or_acquire() as producer:
            for pk in ids:
                task.apply_async((pk,), producer=producer)
        outcome.append(True)
    except Exception:  # the broker is down or unreachable
        logger.exception("Could not enqueue %d reminders; they will be enqueued again", len(ids))
        outcome.append(False)


def reminders_dispatch(*, batch_size: int = 1000, budget_seconds: float | None = None) -> int:
    """Claim what is due (and what lost its worker or its message) and enqueue one delivery per reminder.
    Safe to run many at once: SKIP LOCKED hands each row to one dispatcher. Returns how many it enqueued."""
    from .tasks import reminder_send, reminders_digest_send

    deadline = time.monotonic() + (
        budget_seconds if budget_seconds is not None else conf.dispatch_budget_seconds()
    )
    enqueued = 0
    # Rows whose lease ran out before this run began: never the ones this run queued itself, however
    # short the lease.
    started = timezone.now()
    while time.monotonic() < deadline:
        outcome: list[bool] = []
        with transaction.atomic():
            # Losing this commit in a PostgreSQL crash only means the rows get claimed again: no fsync wait.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            now = timezone.now()
            lost = list(
                Reminder.objects.filter(status__in=[Status.QUEUED, Status.SENDING], lease_until__lt=started)
                .order_by()
                .select_for_update(skip_locked=True)
                .values_list("id", flat=True)[:batch_size]
            )
            due = list(
                Reminder.objects.filter(status=Status.SCHEDULED, due_at__lte=now)
                .order_by()
                .select_for_update(skip_locked=True)
                .values_list("id", flat=True)[: batch_size - len(lost)]
            )
            ids = lost + due
            if not ids:
                break
            # 'sending' rows keep their claim: the next attempt asks the channel whether it went out.
            Reminder.objects.filter(pk__in=ids).update(status=Status.QUEUED, lease_until=now + conf.lease())
            transaction.on_commit(partial(_publish, reminder_send, ids, outcome))
        if not outcome or not outcome[0]:
            break
        enqueued += len(ids)
        if len(ids) < batch_size:
            break
    digest_for = list(
        Reminder.objects.filter(status=Status.HELD, lease_until__lte=timezone.now())
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    if digest_for:
        _publish(reminders_digest_send, digest_for, [])
    return enqueued


def _invalid_reason(checksum: str, kind, target) -> str:
    if target is None:
        return "The target no longer exists."
    if kind.checksum(target) != checksum:
        return "The target changed (moved or cancelled) after this reminder was scheduled."
    return ""


def _skip(pk: int, reason: str) -> None:
    Reminder.objects.filter(pk=pk).update(status=Status.SKIPPED, lease_until=None, last_error=reason)


def _failed(pk: int, claim: str, attempts: int, error: str) -> None:
    now = timezone.now()
    if attempts >= conf.max_attempts():
        changes = {"status": Status.FAILED, "lease_until": None}
    else:  # back to the queue; the dispatcher takes it again when the backoff (the lease) runs out
        changes = {"status": Status.QUEUED, "lease_until": now + conf.backoff(attempts)}
    Reminder.objects.filter(pk=pk, claim=claim, status=Status.SENDING).update(
        claim="", last_error=error[:2000], **changes
    )


# One round trip: take the row (queued → sending, a fresh key, one more attempt) and read what the send
# needs about the person: address, name, language, and their choice for this kind.
_CLAIM_SQL = """
WITH old AS (
    SELECT id, claim, kind, recipient_id FROM notifications_reminder
    WHERE id = %s AND status = 'queued' FOR NO KEY UPDATE
)
UPDATE notifications_reminder AS r
SET status = 'sending', claim = %s, attempts = r.attempts + 1, lease_until = %s, updated_at = %s
FROM old
JOIN {user} AS u ON u.id = old.recipient_id
LEFT JOIN notifications_remindersettings AS s ON s.user_id = u.id
LEFT JOIN notifications_reminderpreference AS p ON p.user_id = u.id AND p.kind = old.kind
WHERE r.id = old.id
RETURNING old.claim, r.kind, r.content_type_id, r.object_id, r.channel, r.checksum, r.attempts,
    u.id, u.email, u.first_name, u.last_name, COALESCE(s.language, 'es'), p.enabled, p.digest
"""

# Recording 'sent' does not wait for the disk: if PostgreSQL itself crashed before writing it, the row
# would still say 'sending' with this send's key, and the recovery path asks the channel (see above).
_MARK_SENT_SQL = """
BEGIN;
SET LOCAL synchronous_commit TO OFF;
UPDATE notifications_reminder SET status = 'sent', sent_at = %s, lease_until = NULL, last_error = '',
    updated_at = %s
WHERE id = %s AND claim = %s AND status = 'sending';
COMMIT;
"""


def reminder_deliver(*, reminder_id: int) -> str:
    """Send one reminder, exactly once (see the module docstring). Returns what happened, for logs/tests.

    The claim is one statement (queued → sending with a fresh key, the previous key returned) that
    commits before anything is sent; whatever happens next, the row says a send may be under way."""
    now = timezone.now()
    claim = uuid.uuid4().hex
    user_model = get_user_model()
    with connection.cursor() as cursor:
        cursor.execute(
            _CLAIM_SQL.format(user=connection.ops.quote_name(user_model._meta.db_table)),
            [reminder_id, claim, now + conf.lease(), now],
        )
        found = cursor.fetchone()
    if found is None:
        return "nothing to do"  # sent, skipped, cancelled, or another attempt holds it
    (previous, kind_name, content_type_id, object_id, channel_name, checksum, attempts) = found[:7]
    user_id, email, first_name, last_name, language, wants, digest = found[7:]
    recipient = user_model(id=user_id, email=email, first_name=first_name, last_name=last_name)
    mine = Reminder.objects.filter(pk=reminder_id, claim=claim, status=Status.SENDING)
    try:
        kind = get_kind(kind_name)
    except LookupError as error:
        mine.update(status=Status.SKIPPED, lease_until=None, last_error=str(error))
        return "skipped"
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    target = next(iter(model._default_manager.filter(pk=object_id)[:1]), None) if model else None
    reason = _invalid_reason(checksum, kind, target)
    if not reason and wants is False:
        reason = "The recipient turned this kind of reminder off."
    if reason:
        mine.update(status=Status.SKIPPED, lease_until=None, last_error=reason)
        return "skipped"
    channel = channel_get(channel_name)
    if previous:
        # A worker died after claiming this reminder: did its message leave?
        if channel.confirm(previous):
            mine.update(status=Status.SENT, sent_at=now, lease_until=None, claim=previous)
            return "confirmed"
        logger.warning("Reminder %s: earlier attempt %s unconfirmed; sending again", reminder_id, previous)
    elif digest and kind.digestible:
        mine.update(
            status=Status.HELD, claim="", attempts=F("attempts") - 1, lease_until=_next_digest_at(now)
        )
        return "held"
    try:
        message = message_render(
            kind=kind,
            context=kind.context(target),
            recipient=recipient,
            reminder_id=reminder_id,
            language=language,
        )
        channel.send(message=message, key=claim)
    except Exception as error:
        logger.exception("Reminder %s: sending failed", reminder_id)
        _failed(reminder_id, claim, attempts, f"{type(error).__name__}: {error}")
        return "failed"
    sent_at = timezone.now()
    if connection.in_atomic_block:  # called inside someone's transaction (tests): no BEGIN/COMMIT of ours
        mine.update(status=Status.SENT, sent_at=sent_at, lease_until=None, last_error="")
    else:
        with connection.cursor() as cursor:
            cursor.execute(_MARK_SENT_SQL, [sent_at, sent_at, reminder_id, claim])
    return "sent"


def reminders_digest_send(*, recipient_id: int) -> int:
    """One message with all of a person's held reminders whose digest time has come. The rows share one
    claim, so a crash is recovered like a single reminder's. Returns how many reminders went out."""
    now = timezone.now()
    claim = uuid.uuid4().hex
    with transaction.atomic():
        rows = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(recipient_id=recipient_id, status=Status.HELD, lease_until__lte=now)
            .order_by("due_at", "id")
        )
        if not rows:
            return 0
        disabled = set(
            ReminderPreference.objects.filter(user_id=recipient_id, enabled=False).values_list(
                "kind", flat=True
            )
        )
        entries, channel_name = [], rows[0].channel
        for row in rows:
            try:
                kind = get_kind(row.kind)
            except LookupError as error:
                _skip(row.pk, str(error))
                continue
            target = row.target
            reason = _invalid_reason(row.checksum, kind, target) or (
                "The recipient turned this kind of reminder off." if row.kind in disabled else ""
            )
            if reason:
                _skip(row.pk, reason)
            elif row.channel == channel_name:
                entries.append((row.pk, kind, kind.context(target)))
        ids = [pk for pk, _, _ in entries]
        Reminder.objects.filter(pk__in=ids).update(
            status=Status.SENDING, claim=claim, lease_until=now + conf.lease(), attempts=1
        )
        recipient = get_user_model().objects.select_related("reminder_settings").get(pk=recipient_id)
    if not entries:
        return 0
    try:
        message = digest_render(recipient=recipient, entries=entries)
        channel_get(channel_name).send(message=message, key=claim)
    except Exception as error:
        logger.exception("Digest for %s: sending failed", recipient_id)
        Reminder.objects.filter(claim=claim, status=Status.SENDING).update(
            status=Status.HELD, claim="", lease_until=now + conf.backoff(1), last_error=str(error)[:2000]
        )
        return 0
    Reminder.objects.filter(claim=claim, status=Status.SENDING).update(
        status=Status.SENT, sent_at=timezone.now(), lease_until=None
    )
    return len(entries)
