"""Dispatching and sending: the part that must hold when workers die and Redis goes away.

Why a delivery task carries a chunk of ids (REMINDER_CHUNK_SIZE, 200) and not one: per reminder, a
Celery task cost a broker publish, a fetch, an ack and the pool's round trip, and three database commits
and three template renders besides; that capped delivery near 36 reminders/s on the 2-core machine. A
chunk pays the Celery and broker cost once, claims and records its rows in a few statements, and renders
the templates once per target and language. Every guarantee below is still per row:

Guarantees, and the one window left:
- The dispatcher claims due rows with FOR UPDATE SKIP LOCKED and a lease (status 'queued'), then
  enqueues one task per chunk of ids after the claim commits. Two dispatchers never take the same row; a
  lost message (Redis restarted, worker killed) is enqueued again when the lease runs out.
- The delivery task claims every row of its chunk that is still 'queued' in one statement (status
  'sending', a fresh key per row) and COMMITS it before sending, then marks a row 'sent' only if its key
  is still the row's. A row found anything but 'queued' is left alone, so redelivered or duplicate
  messages, or two chunks naming the same row, cannot send it twice.
- A worker that dies after committing its claim leaves rows 'sending' with the keys of sends that may or
  may not have left. When the lease expires the dispatcher queues them again, keeping the keys, and the
  next attempt first asks the channel `confirm(key)` for each. The file channel answers exactly (exactly
  once, proven in tests/notifications/test_worker.py), so its sends are recorded once per chunk. SMTP
  cannot answer: such a reminder is sent again, with the same Message-ID; its sends are recorded one by
  one, right after each, so the at-least-once window stays one reminder per worker process that died
  during its SMTP conversation.
- A chunk sends for at most half the lease; rows it has not reached by then go back to 'queued' with
  their previous key for the next dispatcher run, so no claim expires while its row waits in a chunk. A
  single send slower than the lease could still be taken over while it runs: keep channel timeouts well
  under REMINDER_LEASE_SECONDS (300 s by default).
- On SQLite (a single-process `make run` without PostgreSQL) the same steps run without row locks or
  PostgreSQL-only SQL.
"""

import logging
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from . import conf
from .channels import channel_get
from .models import Reminder, ReminderPreference, ReminderSettings
from .registry import get_kind
from .rendering import LIMA, MessageCache, digest_render

logger = logging.getLogger(__name__)
Status = Reminder.Status


def _next_digest_at(now: datetime) -> datetime:
    local = timezone.localtime(now, LIMA)
    at = local.replace(hour=conf.digest_hour(), minute=0, second=0, microsecond=0)
    if at <= local:
        at += timedelta(days=1)
    return at


def _publish(task, messages: list[tuple], outcome: list[bool]) -> None:
    """After commit: the messages through one producer. If Redis is away the rows stay 'queued' and their
    lease brings them back; nothing is lost, the dispatcher just stops for this run."""
    try:
        with task.app.producer_or_acquire() as producer:
            for args in messages:
                task.apply_async(args, producer=producer)
        outcome.append(True)
    except Exception:  # the broker is down or unreachable
        logger.exception("Could not enqueue %d messages; the reminders will be enqueued again", len(messages))
        outcome.append(False)


def chunks(ids: list[int], size: int | None = None) -> list[tuple[list[int]]]:
    """The ids as delivery-task arguments, `size` (REMINDER_CHUNK_SIZE) per task."""
    size = size or conf.chunk_size()
    return [(ids[i : i + size],) for i in range(0, len(ids), size)]


def reminders_dispatch(*, batch_size: int = 1000, budget_seconds: float | None = None) -> int:
    """Claim what is due (and what lost its worker or its message) and enqueue its delivery, a task per
    chunk of ids. Safe to run many at once: SKIP LOCKED hands each row to one dispatcher. Returns how many
    reminders it enqueued."""
    from .tasks import reminders_digest_send, reminders_send

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
            if connection.vendor == "postgresql":
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
            transaction.on_commit(partial(_publish, reminders_send, chunks(ids), outcome))
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
        _publish(reminders_digest_send, [(pk,) for pk in digest_for], [])
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


# One statement per chunk: take every row still 'queued' (→ 'sending', each its own fresh key, one more
# attempt), in id order so two workers holding overlapping chunks lock in the same order, and return each
# row's previous key. It commits on its own (autocommit, synchronous) before anything is sent.
_CLAIM_SQL = """
WITH old AS (
    SELECT id, claim FROM notifications_reminder
    WHERE id = ANY(%s) AND status = 'queued' ORDER BY id FOR NO KEY UPDATE
)
UPDATE notifications_reminder AS r
SET status = 'sending', claim = %s::text || r.id::text, attempts = r.attempts + 1, lease_until = %s,
    updated_at = %s
FROM old
WHERE r.id = old.id
RETURNING r.id, old.claim, r.claim, r.kind, r.content_type_id, r.object_id, r.channel, r.checksum,
    r.attempts, r.recipient_id, r.person_id
"""


@dataclass
class _Claimed:
    pk: int
    previous: str
    claim: str
    kind: str
    content_type_id: int
    object_id: int
    channel: str
    checksum: str
    attempts: int
    recipient_id: int | None
    person_id: int | None = None


def _claim(ids: list[int], prefix: str, now: datetime) -> list[_Claimed]:
    lease_until = now + conf.lease()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_CLAIM_SQL, [list(ids), prefix, lease_until, now])
            return [_Claimed(*row) for row in cursor.fetchall()]
    # Elsewhere (SQLite, one process): read, then take each row that is still queued.
    fields = ["id", "claim", "kind", "content_type_id", "object_id", "channel", "checksum", "attempts"]
    claimed = []
    with transaction.atomic():
        for row in (
            Reminder.objects.filter(pk__in=ids, status=Status.QUEUED)
            .order_by("id")
            .values_list(*fields, "recipient_id", "person_id")
        ):
            pk, claim = row[0], f"{prefix}{row[0]}"
            taken = Reminder.objects.filter(pk=pk, status=Status.QUEUED).update(
                status=Status.SENDING, claim=claim, attempts=F("attempts") + 1, lease_until=lease_until
            )
            if taken:
                claimed.append(_Claimed(pk, row[1], claim, *row[2:7], row[7] + 1, row[8], row[9]))
    return claimed


def _recipients(rows: list[_Claimed]) -> tuple[dict, dict, dict]:
    """Who they go to: the people, their language, and their choice per kind (three queries a chunk)."""
    user_model = get_user_model()
    user_ids = {row.recipient_id for row in rows if row.recipient_id}
    fields = ("id", "email", "first_name", "last_name")
    people = {
        values["id"]: user_model(**values)
        for values in user_model.objects.filter(pk__in=user_ids).values(*fields)
    }
    settings_rows = ReminderSettings.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "language", "channels"
    )
    languages, sms_only = {}, set()
    for user_id, language, channels in settings_rows:
        languages[user_id] = language
        if channels == ReminderSettings.Channels.SMS:
            sms_only.add(user_id)
    if sms_only:  # SMS only, and SMS possible: their e-mail rows are skipped (the SMS rows carry it)
        from kallpanchis.people.models import Person
        from kallpanchis.people.sms import people_sms_reachable

        persons = Person.objects.filter(user_id__in=sms_only).values_list("pk", "user_id")
        reachable = people_sms_reachable(person_ids=[pk for pk, _ in persons])
        sms_only = {user_id for pk, user_id in persons if pk in reachable}
    languages["sms_only"] = sms_only
    choices = {
        (user_id, kind): (enabled, digest)
        for user_id, kind, enabled, digest in ReminderPreference.objects.filter(
            user_id__in=user_ids, kind__in={row.kind for row in rows}
        ).values_list("user_id", "kind", "enabled", "digest")
    }
    return people, languages, choices


def _targets(rows: list[_Claimed]) -> dict[tuple[int, int], object]:
    """The things reminded of, one query per model."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        wanted[row.content_type_id].add(row.object_id)
    found = {}
    for content_type_id, object_ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None:
            for pk, target in model._default_manager.in_bulk(list(object_ids)).items():
                found[(content_type_id, pk)] = target
    return found


def _mark_sent(rows: list[_Claimed], prefix: str) -> None:
    """'sent' for rows whose key is still theirs. It does not wait for the disk: if PostgreSQL itself
    crashed before writing it, the rows would still say 'sending' with these keys, and the recovery path
    asks the channel (see the module docstring)."""
    if not rows:
        return
    sent_at = timezone.now()
    ours = connection.vendor == "postgresql" and not connection.in_atomic_block  # not a caller's transaction
    with transaction.atomic():
        if ours:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        _mine([row.pk for row in rows], prefix).update(
            status=Status.SENT, sent_at=sent_at, lease_until=None, last_error=""
        )


def _mine(pks: list[int], prefix: str):
    """These rows, if this chunk's claim is still theirs."""
    return Reminder.objects.filter(
        pk__in=pks, claim__in=[f"{prefix}{pk}" for pk in pks], status=Status.SENDING
    )


def _hand_back(rows: list[_Claimed]) -> None:
    """Claimed but not sent before the chunk ran out of time: back to 'queued' with their previous key and
    attempt count, due for the next dispatcher run."""
    now = timezone.now()
    for row in rows:
        Reminder.objects.filter(pk=row.pk, claim=row.claim, status=Status.SENDING).update(
            status=Status.QUEUED, claim=row.previous, attempts=F("attempts") - 1, lease_until=now
        )


def reminders_deliver(*, reminder_ids: list[int]) -> dict[int, str]:
    """Send a chunk of reminders, each exactly once (see the module docstring). Returns what happened to
    each id that this call took ('sent', 'confirmed', 'skipped', 'held', 'failed', 'handed back'); ids it
    did not take (sent, skipped, cancelled, or held by another attempt) are absent."""
    now = timezone.now()
    prefix = uuid.uuid4().hex[:20] + "-"
    rows = _claim(reminder_ids, prefix, now)
    if not rows:
        return {}
    deadline = time.monotonic() + conf.lease().total_seconds() / 2
    outcome: dict[int, str] = {}
    sms_rows = [row for row in rows if row.channel == "sms"]
    if sms_rows:
        from .sms.delivery import sms_deliver

        targets = _targets(sms_rows)
        outcome.update(sms_deliver(rows=sms_rows, prefix=prefix, now=now, deadline=deadline, targets=targets))
        rows = [row for row in rows if row.channel != "sms"]
        if not rows:
            return outcome
    people, languages, choices = _recipients(rows)
    sms_only = languages.pop("sms_only")
    targets = _targets(rows)
    checksums: dict[tuple, str] = {}
    skipped: dict[str, list[int]] = defaultdict(list)
    held: list[int] = []
    to_send: list[tuple[_Claimed, object, object]] = []
    for row in rows:
        try:
            kind = get_kind(row.kind)
        except LookupError as error:
            skipped[str(error)].append(row.pk)
            continue
        target = targets.get((row.content_type_id, row.object_id))
        if target is None:
            reason = "The target no longer exists."
        else:
            key = (row.kind, row.content_type_id, row.object_id)
            if key not in checksums:
                checksums[key] = kind.checksum(target)
            reason = "" if checksums[key] == row.checksum else _invalid_reason(row.checksum, kind, target)
        wants, digest = choices.get((row.recipient_id, row.kind), (None, False))
        if not reason and wants is False:
            reason = "The recipient turned this kind of reminder off."
        if not reason and row.recipient_id in sms_only and get_kind(row.kind).sms_people is not None:
            reason = "The recipient chose SMS only; the SMS row carries this reminder."
        if reason:
            skipped[reason].append(row.pk)
            continue
        channel = channel_get(row.channel)
        if row.previous:
            # A worker died after claiming this reminder: did its message leave?
            if channel.confirm(row.previous):
                Reminder.objects.filter(pk=row.pk, claim=row.claim, status=Status.SENDING).update(
                    status=Status.SENT, sent_at=now, lease_until=None, claim=row.previous
                )
                outcome[row.pk] = "confirmed"
                continue
            logger.warning("Reminder %s: earlier attempt %s unconfirmed; sending again", row.pk, row.previous)
        elif digest and kind.digestible:
            held.append(row.pk)
            continue
        to_send.append((row, kind, target))

    for reason, pks in skipped.items():
        _mine(pks, prefix).update(status=Status.SKIPPED, lease_until=None, last_error=reason)
        outcome.update(dict.fromkeys(pks, "skipped"))
    if held:
        _mine(held, prefix).update(
            status=Status.HELD, claim="", attempts=F("attempts") - 1, lease_until=_next_digest_at(now)
        )
        outcome.update(dict.fromkeys(held, "held"))

    messages = MessageCache()
    contexts: dict[tuple, object] = {}
    unrecorded: list[_Claimed] = []
    for index, (row, kind, target) in enumerate(to_send):
        if time.monotonic() > deadline:
            _hand_back([r for r, _, _ in to_send[index:]])
            outcome.update({r.pk: "handed back" for r, _, _ in to_send[index:]})
            break
        channel = channel_get(row.channel)
        target_key = (row.content_type_id, row.object_id)
        try:
            if (row.kind, target_key) not in contexts:
                contexts[(row.kind, target_key)] = kind.context(target)
            message = messages.render(
                kind=kind,
                target_key=target_key,
                context=contexts[(row.kind, target_key)],
                recipient=people[row.recipient_id],
                reminder_id=row.pk,
                language=languages.get(row.recipient_id, "es"),
            )
            channel.send(message=message, key=row.claim)
        except Exception as error:
            logger.exception("Reminder %s: sending failed", row.pk)
            _failed(row.pk, row.claim, row.attempts, f"{type(error).__name__}: {error}")
            outcome[row.pk] = "failed"
            continue
        outcome[row.pk] = "sent"
        unrecorded.append(row)
        if not channel.confirms:  # nothing could tell later whether it left: record it now
            _mark_sent(unrecorded, prefix)
            unrecorded = []
    _mark_sent(unrecorded, prefix)
    return outcome


def reminder_deliver(*, reminder_id: int) -> str:
    """One reminder: a chunk of one (the coordinators' retry, and tasks queued before chunks existed)."""
    return reminders_deliver(reminder_ids=[reminder_id]).get(reminder_id, "nothing to do")


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
