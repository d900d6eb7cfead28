"""What the reminder pages read, scoped to the person asking."""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kallpanchis.accounts.access import access_for

from .models import Reminder, ReminderPreference, ReminderSettings
from .registry import all_kinds


def reminders_upcoming_for_user(*, user):
    """A person's own reminders still to come (any role, coordinators included)."""
    return (
        Reminder.objects.filter(recipient=user, status__in=Reminder.PENDING, due_at__gte=timezone.now())
        .select_related("content_type")
        .order_by("due_at", "id")
    )


def reminder_targets(reminders) -> dict[int, object]:
    """Reminder id -> what it reminds of, in one query per kind of thing: `select_related()` follows the
    required foreign keys a target's reminder_context reads (such as the record the target belongs to)."""
    wanted: dict[int, set[int]] = {}
    for reminder in reminders:
        wanted.setdefault(reminder.content_type_id, set()).add(reminder.object_id)
    found: dict[tuple[int, int], object] = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        for pk, target in model._default_manager.select_related().in_bulk(list(ids)).items():
            found[(content_type_id, pk)] = target
    return {r.pk: found.get((r.content_type_id, r.object_id)) for r in reminders}


def reminders_for_coordinator(*, user, status: str = ""):
    """Every reminder, newest due first; only coordinators (anyone else: 404)."""
    if not access_for(user).is_coordinator:
        raise Http404
    rows = (
        Reminder.objects.visible_to(user)
        .select_related("recipient", "content_type")
        .order_by("-due_at", "-id")
    )
    if status:
        rows = rows.filter(status=status)
    return rows


def reminder_get_failed_for_coordinator(*, user, reminder_id: int) -> Reminder:
    return get_object_or_404(
        reminders_for_coordinator(user=user, status=Reminder.Status.FAILED), pk=reminder_id
    )


def reminder_preferences_for_user(*, user) -> tuple[str, list[dict]]:
    """The person's language and, per kind, whether it is on and in the digest (defaults: on, one by one)."""
    settings_row = ReminderSettings.objects.filter(user=user).first()
    chosen = {p.kind: p for p in ReminderPreference.objects.filter(user=user)}
    rows = []
    for kind in all_kinds():
        preference = chosen.get(kind.name)
        rows.append(
            {
                "kind": kind,
                "enabled": preference.enabled if preference else True,
                "digest": preference.digest if preference else False,
            }
        )
    return (settings_row.language if settings_row else "es"), rows


def reminders_failed_summary() -> tuple[int, "timezone.datetime | None"]:
    """How many reminders were given up on after their last attempt, and the earliest one's due time."""
    from django.db.models import Count, Min

    row = Reminder.objects.filter(status=Reminder.Status.FAILED).aggregate(
        count=Count("pk"), oldest=Min("due_at")
    )
    return row["count"], row["oldest"]


def reminder_channels_for_user(*, user) -> str:
    from .models import ReminderSettings

    found = ReminderSettings.objects.filter(user=user).values_list("channels", flat=True).first()
    return found or ReminderSettings.Channels.EMAIL
