"""SMS rows in the outbox: one Reminder row per person of the register (no account needed), channel
'sms', next to the e-mail rows of the same kind and target. Called by services.reminders_schedule and
reminder_notify_now, inside the source app's transaction."""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType

from kallpanchis.people.sms import people_sms_reachable

from ..models import Reminder, ReminderSettings
from ..registry import ReminderKind

CHANNEL = "sms"


def sms_recipients(kind: ReminderKind, target) -> list[int]:
    """The people the kind names for this target who can be sent an SMS (phone, SMS consent, not erased)
    and who, if they have an account, chose SMS or both in their preferences (an account holder who chose
    nothing keeps e-mail)."""
    if kind.sms_people is None:
        return []
    reachable = people_sms_reachable(person_ids=set(kind.sms_people(target)))
    with_account = {p.user_id: pk for pk, p in reachable.items() if p.user_id}
    if with_account:
        by_email_only = set(
            ReminderSettings.objects.filter(user_id__in=with_account)
            .exclude(channels__in=[ReminderSettings.Channels.SMS, ReminderSettings.Channels.BOTH])
            .values_list("user_id", flat=True)
        )
        chose = set(
            ReminderSettings.objects.filter(user_id__in=with_account).values_list("user_id", flat=True)
        )
        no_choice = set(with_account) - chose
        for user_id in by_email_only | no_choice:
            reachable.pop(with_account[user_id], None)
    return sorted(reachable)


def sms_schedule(
    *, kind: ReminderKind, target, due_times: Iterable[datetime], checksum: str, content_type: ContentType
) -> None:
    """The SMS rows of (kind, target) become exactly reachable people × due times; the same rules as the
    e-mail rows (pending ones that no longer fit are cancelled, sent ones stay, no second copy)."""
    if kind.sms_people is None:
        return
    wanted = {(pk, due) for pk in sms_recipients(kind, target) for due in set(due_times)}
    existing = list(
        Reminder.objects.select_for_update()
        .filter(kind=kind.name, content_type=content_type, object_id=target.pk, person__isnull=False)
        .only("id", "person_id", "due_at", "status", "checksum")
    )
    seen, cancel, refresh, revive = set(), [], [], []
    for row in existing:
        key = (row.person_id, row.due_at)
        seen.add(key)
        if key not in wanted:
            if row.status in Reminder.PENDING:
                cancel.append(row.pk)
        elif row.status in Reminder.PENDING and row.checksum != checksum:
            refresh.append(row.pk)
        elif row.status in (Reminder.Status.CANCELLED, Reminder.Status.SKIPPED):
            revive.append(row.pk)
    Reminder.objects.filter(pk__in=cancel).update(status=Reminder.Status.CANCELLED, lease_until=None)
    Reminder.objects.filter(pk__in=refresh).update(checksum=checksum)
    Reminder.objects.filter(pk__in=revive).update(
        status=Reminder.Status.SCHEDULED,
        checksum=checksum,
        attempts=0,
        claim="",
        last_error="",
        lease_until=None,
    )
    Reminder.objects.bulk_create(
        [
            Reminder(
                kind=kind.name,
                content_type=content_type,
                object_id=target.pk,
                person_id=pk,
                due_at=due,
                checksum=checksum,
                channel=CHANNEL,
            )
            for pk, due in sorted(wanted - seen)
        ],
        ignore_conflicts=True,
    )


def sms_notify_now(*, kind: ReminderKind, target, checksum: str, content_type: ContentType, now, lease_until):
    """A change notice by SMS, queued at once (the caller enqueues the ids after commit)."""
    if kind.sms_people is None:
        return []
    return Reminder.objects.bulk_create(
        [
            Reminder(
                kind=kind.name,
                content_type=content_type,
                object_id=target.pk,
                person_id=pk,
                due_at=now,
                checksum=checksum,
                channel=CHANNEL,
                status=Reminder.Status.QUEUED,
                lease_until=lease_until,
            )
            for pk in sms_recipients(kind, target)
        ]
    )
