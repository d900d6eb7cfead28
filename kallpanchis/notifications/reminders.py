"""The kinds the issue lists. Their targets (Meeting, Agreement, OperatingPlan, BudgetPhase) implement
`reminder_context(kind)` and, where time is not the whole story, `reminder_checksum()`; the source apps
call the services with these names (see docs/notifications.md)."""

from django.utils.translation import gettext_lazy as _

from .registry import ReminderKind, register

MEETING_UPCOMING = register(
    ReminderKind(
        name="meeting_upcoming",
        label=_("Upcoming meetings"),
        intro=_("A meeting you are invited to is coming up."),
        help_text=_("Sent 3 days and 1 day before, or as the space decides."),
    )
)
MEETING_CHANGED = register(
    ReminderKind(
        name="meeting_changed",
        label=_("Meetings postponed or cancelled"),
        intro=_("A meeting you were invited to has changed."),
        help_text=_("Sent at once when a meeting is moved or cancelled."),
        immediate=True,
        digestible=False,
    )
)
PLAN_DEADLINE = register(
    ReminderKind(
        name="plan_deadline",
        label=_("Operating plan deadline"),
        intro=_("The annual operating plan of your association has not been submitted yet."),
        help_text=_("Sent 14, 3 and 1 days before the deadline."),
    )
)
PLAN_REVIEW_WAITING = register(
    ReminderKind(
        name="plan_review_waiting",
        label=_("Plans waiting for your review"),
        intro=_("An operating plan has been waiting for your review for more than 7 days."),
    )
)
BUDGET_PHASE_DEADLINE = register(
    ReminderKind(
        name="budget_phase_deadline",
        label=_("Participatory-budget phases"),
        intro=_("A phase of the participatory budget is about to close."),
    )
)
AGREEMENT_DUE = register(
    ReminderKind(
        name="agreement_due",
        label=_("Agreements falling due"),
        intro=_("An agreement you are responsible for falls due soon."),
        help_text=_("Sent 3 days before the due date."),
    )
)
AGREEMENT_OVERDUE = register(
    ReminderKind(
        name="agreement_overdue",
        label=_("Overdue agreements"),
        intro=_("An agreement you are responsible for is overdue."),
        help_text=_("Sent once, the day after the due date."),
    )
)
