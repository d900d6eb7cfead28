"""The reminder kind of results reporting, registered at start-up by the notifications app (which imports
every app's `reminders.py`). The name is what Reminder rows store: never rename it. Who is reminded and when
is decided in services/reminders.py."""

from django.utils.translation import gettext_lazy as _

from kallpanchis.notifications.registry import ReminderKind, register

RESULTS_REPORT_DUE = "results_report_due"

register(
    ReminderKind(
        name=RESULTS_REPORT_DUE,
        label=_("Results reporting periods"),
        intro=_("A value of an indicator you report is due, or late."),
        help_text=_(
            "Sent 7 and 1 days before each reporting period's due date, and 3 and 10 days after it if no "
            "value was sent."
        ),
    )
)
