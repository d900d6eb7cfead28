"""Everything that writes reminders, except sending them (delivery.py).

Source apps call `reminders_schedule`, `reminders_cancel` and `reminder_notify_now` INSIDE the
transaction that changes the thing reminded of: if it rolls back, no reminder exists and nothing was
enqueued."""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kallpanchis.accounts.access import access_for

from . import conf
from .models import Reminder, ReminderPreference, ReminderSettings
from .registry import get_kind
from .sms.outbox import sms_notify_now, sms_schedule


def _user_ids(recipients: Iterable) -> list[int]:
    return sorted({getattr(r, "pk", r) for r in recipients})


@transaction.atomic
def reminders_schedule(
    *,
    kind: str,
    target,
    recipients: Iterable,
    due_times: Iterable[datetime],
    checksum: str | None = None,
    channel: str | None = None,
) -> list[Reminder]:
    """Make the pending reminders of `kind` about `target` exactly `recipients` × `due_times`.

    Rules: a pending reminder that no longer fits (another time, a person no longer invited) is cancelled;
    one that still fits takes the new checksum; sent ones stay sent and are never created again; a second
    copy is impossible (unique constraint, inserted with ON CONFLICT DO NOTHING). `checksum` defaults to
    the kind's checksum of the target as it is now. Returns the reminders that are pending afterwards."""
    definition = get_kind(kind)
    checksum = checksum or definition.checksum(target)
    channel = channel or conf.default_channel()
    content_type = ContentType.objects.get_for_model(target)
    due_times = list(due_times)
    wanted = {(user_id, due) for user_id in _user_ids(recipients) for due in set(due_times)}
    existing = list(
        Reminder.objects.select_for_update()
        .filter(kind=kind, content_type=content_type, object_id=target.pk, recipient__isnull=False)
        .only("id", "recipient_id", "due_at", "status", "checksum")
    )
    seen = set()
    cancel, refresh, revive = [], [], []
    for row in existing:
        key = (row.recipient_id, row.due_at)
        seen.add(key)
        if key not in wanted:
            if row.status in Reminder.PENDING:
                cancel.append(row.pk)
        elif row.status in Reminder.PENDING and row.checksum != checksum:
            refresh.append(row.pk)
        elif row.status in (Reminder.Status.CANCELLED, Reminder.Status.SKIPPED):
            revive.append(row.pk)
    if cancel:
        Reminder.objects.filter(pk__in=cancel).update(status=Reminder.Status.CANCELLED, lease_until=None)
    if refresh:
        Reminder.objects.filter(pk__in=refresh).update(checksum=checksum)
    if revive:
        Reminder.objects.filter(pk__in=revive).update(
            status=Reminder.Status.SCHEDULED,
            checksum=checksum,
            attempts=0,
            claim="",
            last_error="",
            lease_until=None,
            channel=channel,
        )
    Reminder.objects.bulk_create(
        [
            Reminder(
                kind=kind,
                content_type=content_type,
                object_id=target.pk,
                recipient_id=user_id,
                due_at=due,
                checksum=checksum,
                channel=channel,
            )
            for user_id, due in sorted(wanted - seen)
        ],
        ignore_conflicts=True,
    )
    # The same kind by SMS to the people of the register the kind names (sms/outbox.py).
    sms_schedule(
        kind=definition, target=target, due_times=due_times, checksum=checksum, content_type=content_type
    )
    return list(Reminder.objects.pending().filter(kind=kind, content_type=content_type, object_id=target.pk))


@transaction.atomic
def reminders_cancel(*, target, kinds: Iterable[str] | None = None) -> int:
    """The target is gone or no longer needs reminding: its pending reminders are cancelled (sent ones stay
    as a record). Returns how many were cancelled."""
    rows = Reminder.objects.for_target(target).pending()
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    return rows.update(status=Reminder.Status.CANCELLED, lease_until=None)


@transaction.atomic
def reminder_notify_now(
    *, kind: str, target, recipients: Iterable, checksum: str | None = None, channel: str | None = None
) -> list[Reminder]:
    """A change notice (postponed, cancelled): sent at once, still through the outbox, so it is enqueued
    only when the surrounding transaction commits and sent exactly once like any reminder."""
    from .delivery import chunks
    from .tasks import reminders_send

    definition = get_kind(kind)
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(target)
    checksum = checksum or definition.checksum(target)
    rows = Reminder.objects.bulk_create(
        [
            Reminder(
                kind=kind,
                content_type=content_type,
                object_id=target.pk,
                recipient_id=user_id,
                due_at=now,
                checksum=checksum,
                channel=channel or conf.default_channel(),
                status=Reminder.Status.QUEUED,
                lease_until=now + conf.lease(),
            )
            for user_id in _user_ids(recipients)
        ]
    )
    rows += sms_notify_now(
        kind=definition,
        target=target,
        checksum=checksum,
        content_type=content_type,
        now=now,
        lease_until=now + conf.lease(),
    )
    for (ids,) in chunks([row.pk for row in rows if row.pk]):
        reminders_send.delay_on_commit(ids)
    return rows


@transaction.atomic
def reminder_retry(*, reminder: Reminder, by) -> Reminder:
    """A coordinator sends a failed reminder again: it gets a fresh set of attempts and is enqueued once
    this commits. Only failed reminders can be retried, only by a coordinator."""
    from .tasks import reminders_send

    if not access_for(by).is_coordinator:
        raise PermissionDenied
    updated = Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.FAILED).update(
        status=Reminder.Status.QUEUED, attempts=0, claim="", lease_until=timezone.now() + conf.lease()
    )
    if not updated:
        raise ValueError("Only a failed reminder can be retried")
    reminders_send.delay_on_commit([reminder.pk])
    reminder.refresh_from_db()
    return reminder


@transaction.atomic
def reminder_preferences_save(
    *, user, language: str, choices: dict[str, tuple[bool, bool]], channels: str | None = None
) -> None:
    """A person's own choices: language, e-mail and/or SMS, and per kind (receive it, in the daily digest)."""
    defaults = {"language": language}
    if channels in ReminderSettings.Channels.values:
        defaults["channels"] = channels
    ReminderSettings.objects.update_or_create(user=user, defaults=defaults)
    for kind, (enabled, digest) in choices.items():
        get_kind(kind)
        ReminderPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"enabled": enabled, "digest": digest and enabled}
        )


@transaction.atomic
def reminder_unsubscribe(*, user_id: int, kind: str) -> ReminderPreference:
    """From the signed link in a message: this person no longer receives this kind (no login needed; the
    signature proves the link was ours)."""
    get_kind(kind)
    preference, _ = ReminderPreference.objects.update_or_create(
        user_id=user_id, kind=kind, defaults={"enabled": False, "digest": False}
    )
    return preference
