"""The reminder kinds of meetings and agreements, registered at start-up by the notifications app (which
imports every app's `reminders.py`). The names are what Reminder rows store: never rename one. Who is
reminded and when is decided in services/reminders.py."""

from django.utils.translation import gettext_lazy as _

from kallpanchis.notifications.registry import ReminderKind, register


def meeting_sms_people(meeting) -> list[int]:
    """By SMS: the registered representatives of the space's member organisations (those invited, when
    the meeting names whom it invites). The outbox keeps those with a phone and SMS consent."""
    from .models import SpaceMember

    members = SpaceMember.objects.filter(space_id=meeting.space_id)
    invited = list(meeting.invited.values_list("pk", flat=True))
    if invited:
        members = members.filter(organisation_id__in=invited)
    return sorted(
        set(members.exclude(representative_people=None).values_list("representative_people", flat=True))
    )


def agreement_sms_people(agreement) -> list[int]:
    """By SMS: the registered representatives of the responsible organisation in the agreement's space."""
    from .models import SpaceMember

    if not agreement.responsible_organisation_id:
        return []
    members = SpaceMember.objects.filter(
        space_id=agreement.meeting.space_id, organisation_id=agreement.responsible_organisation_id
    ).exclude(representative_people=None)
    return sorted(set(members.values_list("representative_people", flat=True)))


def _space_area(space) -> tuple[str, str]:
    """Who pays for a space's SMS: its convening municipality (budgets and counts go per municipality)."""
    if space.municipality_id:
        return f"organisation:{space.municipality.organisation_id}", str(space.municipality)
    return "", ""


def meeting_sms_area(meeting) -> tuple[str, str]:
    return _space_area(meeting.space)


def agreement_sms_area(agreement) -> tuple[str, str]:
    return _space_area(agreement.meeting.space)


MEETING_UPCOMING = "meeting_upcoming"
MEETING_CHANGED = "meeting_changed"
AGREEMENT_DUE = "agreement_due"
AGREEMENT_OVERDUE = "agreement_overdue"

register(
    ReminderKind(
        name=MEETING_UPCOMING,
        label=_("Upcoming meetings"),
        intro=_("A meeting you are invited to is coming up."),
        help_text=_("Sent 3 days and 1 day before, or as the space decides."),
        sms_people=meeting_sms_people,
        sms_area=meeting_sms_area,
        sms_replies=True,
    )
)
register(
    ReminderKind(
        name=MEETING_CHANGED,
        label=_("Meetings postponed or cancelled"),
        intro=_("A meeting you were invited to has changed."),
        help_text=_("Sent at once when a meeting is moved or cancelled."),
        immediate=True,
        digestible=False,
        sms_people=meeting_sms_people,
        sms_area=meeting_sms_area,
    )
)
register(
    ReminderKind(
        name=AGREEMENT_DUE,
        label=_("Agreements falling due"),
        intro=_("An agreement you are responsible for falls due soon."),
        help_text=_("Sent 3 days before the due date."),
        sms_people=agreement_sms_people,
        sms_area=agreement_sms_area,
    )
)
register(
    ReminderKind(
        name=AGREEMENT_OVERDUE,
        label=_("Overdue agreements"),
        intro=_("An agreement you are responsible for is overdue."),
        help_text=_("Sent once, the day after the due date."),
        sms_people=agreement_sms_people,
        sms_area=agreement_sms_area,
    )
)
