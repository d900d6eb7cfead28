"""The reminder kinds of the participatory budget, registered at start-up by the notifications app (which
imports every app's `reminders.py`). The name is what Reminder rows store: never rename it. Who is
reminded and when is decided in services/reminders.py."""

from django.utils.translation import gettext_lazy as _

from kallpanchis.notifications.registry import ReminderKind, register

BUDGET_PHASE_DEADLINE = "budget_phase_deadline"

register(
    ReminderKind(
        name=BUDGET_PHASE_DEADLINE,
        label=_("Participatory-budget phases"),
        intro=_("A phase of the participatory budget is about to close."),
    )
)

BUDGET_PROJECT_REPLACED = "budget_project_replaced"

register(
    ReminderKind(
        name=BUDGET_PROJECT_REPLACED,
        label=_("Replaced participatory-budget projects"),
        intro=_("A funded project of the participatory budget cannot be executed and has been replaced."),
        help_text=_("Sent at once to the Comité de Vigilancia and the CCL."),
        immediate=True,
        digestible=False,
    )
)
