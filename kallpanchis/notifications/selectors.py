"""What the reminder pages read, scoped to the person asking."""

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
