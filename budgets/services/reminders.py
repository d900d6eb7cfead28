"""Who hears of budget-cycle phase deadlines, and when (the kind is declared in budgets/reminders.py).

Called inside the services that change what a reminder depends on (the calendar, the agents), in their
transaction, so a rollback leaves no reminder behind.
"""

from kallpanchis.accounts.models import Role, RoleAssignment
from kallpanchis.notifications.registry import lead_times
from kallpanchis.notifications.services import reminders_schedule

from ..models import BudgetCycle, ParticipatingAgent
from ..reminders import BUDGET_PHASE_DEADLINE

# Days before a phase closes: a week to prepare, and the day before.
PHASE_LEAD_DAYS = (7, 1)


def phase_reminder_recipients(cycle: BudgetCycle) -> list[int]:
    """The municipality's budget team and the people of every registered (not refused) agent."""
    agents = cycle.agents.exclude(status=ParticipatingAgent.Status.REFUSED).values("organisation_id")
    team = RoleAssignment.objects.filter(
        organisation_id=cycle.municipality.organisation_id, role=Role.TECHNICAL_TEAM
    )
    people = RoleAssignment.objects.filter(organisation_id__in=agents)
    return sorted(set(team.values_list("user_id", flat=True)) | set(people.values_list("user_id", flat=True)))


def cycle_reminders_schedule(*, cycle: BudgetCycle) -> None:
    """Afterwards each phase of the cycle has exactly one pending reminder per recipient and lead time
    (reminders_schedule is idempotent and cancels what no longer fits)."""
    recipients = phase_reminder_recipients(cycle)
    for phase in cycle.phases.all():
        reminders_schedule(
            kind=BUDGET_PHASE_DEADLINE,
            target=phase,
            recipients=recipients,
            due_times=lead_times(phase.deadline_at(), days=PHASE_LEAD_DAYS),
        )
