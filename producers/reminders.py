"""The reminder kinds of operating plans and their execution reports, registered at start-up by the
notifications app (which imports every app's `reminders.py`). The names are what Reminder rows store: never
rename one. Who is reminded and when is decided in services/reminders.py and services/execution.py."""

from django.utils.translation import gettext_lazy as _

from kallpanchis.notifications.registry import ReminderKind, register


def plan_deadline_sms_people(deadline) -> list[int]:
    """By SMS: the board members (registered people) of the associations whose plan for the year is not
    submitted yet. The outbox keeps those with a phone and SMS consent."""
    from .models import Member, OperatingPlan

    sent = OperatingPlan.objects.filter(year=deadline.year, submitted_at__isnull=False).values(
        "association_id"
    )
    board = Member.objects.exclude(board_role="").exclude(person=None).exclude(association_id__in=sent)
    return sorted(set(board.values_list("person_id", flat=True)))


PLAN_DEADLINE = "plan_deadline"
PLAN_REVIEW_WAITING = "plan_review_waiting"

register(
    ReminderKind(
        name=PLAN_DEADLINE,
        label=_("Operating plan deadline"),
        intro=_("The annual operating plan of your association has not been submitted yet."),
        help_text=_("Sent 14, 3 and 1 days before the deadline."),
        sms_people=plan_deadline_sms_people,
    )
)
register(
    ReminderKind(
        name=PLAN_REVIEW_WAITING,
        label=_("Plans waiting for your review"),
        intro=_("An operating plan has been waiting for your review for more than 7 days."),
    )
)

EXECUTION_REPORT_DUE = "execution_report_due"

register(
    ReminderKind(
        name=EXECUTION_REPORT_DUE,
        label=_("Plan execution reports"),
        intro=_("A report on what your association did and spent with its plan is due, or late."),
        help_text=_(
            "Sent 7 and 1 days before each report's due date, and 3 and 10 days after it if not sent."
        ),
    )
)
