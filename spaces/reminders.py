"""The reminder kinds of meetings and agreements, registered at start-up by the notifications app (which
imports every app's `reminders.py`). The names are what Reminder rows store: never rename one. Who is
reminded and when is decided in services/reminders.py."""

from django.utils.translation import gettext_lazy as _

from kallpanchis.notifications.registry import ReminderKind, register

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
    )
)
register(
    ReminderKind(
        name=AGREEMENT_DUE,
        label=_("Agreements falling due"),
        intro=_("An agreement you are responsible for falls due soon."),
        help_text=_("Sent 3 days before the due date."),
    )
)
register(
    ReminderKind(
        name=AGREEMENT_OVERDUE,
        label=_("Overdue agreements"),
        intro=_("An agreement you are responsible for is overdue."),
        help_text=_("Sent once, the day after the due date."),
    )
)
