"""Who hears of results reporting periods, and when (the kind is declared in results/reminders.py): the
reporters of an assignment (the municipality's administrator and technicians, or the leaders of the
association it names), 7 and 1 days before each period's due date and 3 and 10 days after it, for every
period still waiting for a value (none sent, or one returned). Called inside the framework's and the
reports' transactions, so a rollback leaves no reminder behind."""

import datetime

from django.utils import timezone

from kallpanchis.accounts.models import Role, RoleAssignment
from kallpanchis.notifications.services import reminders_cancel, reminders_schedule

from ..models import Assignment, Period, Report
from ..reminders import RESULTS_REPORT_DUE

__all__ = ["assignment_reminders_update", "report_due_times", "reporters_of"]

REMIND_BEFORE_DAYS = (7, 1)
REMIND_AFTER_DAYS = (3, 10)


def reporters_of(assignment: Assignment) -> list[int]:
    """The users who report this assignment (services/reports.py `reporter_can`, without the coordinators
    who may type a paper value in: they are not reminded)."""
    if assignment.association_id:
        people = RoleAssignment.objects.filter(role=Role.LEADER, organisation_id=assignment.association_id)
    else:
        people = RoleAssignment.objects.filter(
            role__in=[Role.MUNICIPAL_ADMIN, Role.TECHNICIAN],
            organisation_id=assignment.municipality.organisation_id,
        )
    return sorted(set(people.values_list("user_id", flat=True)))


def report_due_times(
    *, assignment: Assignment, now: datetime.datetime | None = None
) -> list[datetime.datetime]:
    """9:00 on 7 and 1 days before each open period's due date and 3 and 10 days after it; only moments
    still to come. A period is open while it has no value sent (or its value was returned)."""
    now = now or timezone.now()
    indicator = assignment.indicator
    periods = Period.objects.filter(
        frequency=indicator.frequency,
        due_on__gte=(now - datetime.timedelta(days=max(REMIND_AFTER_DAYS))).date(),
    )
    answered = set(
        Report.objects.filter(
            indicator=indicator,
            municipality_id=assignment.municipality_id,
            period__in=periods,
            state__in=[Report.State.SUBMITTED, Report.State.APPROVED],
        ).values_list("period_id", flat=True)
    )
    times = []
    for period in periods:
        if period.pk in answered:
            continue
        at = timezone.make_aware(datetime.datetime.combine(period.due_on, datetime.time(9, 0)))
        times += [at - datetime.timedelta(days=d) for d in REMIND_BEFORE_DAYS]
        times += [at + datetime.timedelta(days=d) for d in REMIND_AFTER_DAYS]
    return sorted(t for t in times if t > now)


def assignment_reminders_update(*, assignment: Assignment) -> None:
    """An active indicator's assignment reminds its reporters of every period still waiting for a value;
    an inactive one, nobody."""
    assignment = Assignment.objects.select_related("indicator", "municipality").get(pk=assignment.pk)
    if not assignment.indicator.active:
        reminders_cancel(target=assignment, kinds=[RESULTS_REPORT_DUE])
        return
    reminders_schedule(
        kind=RESULTS_REPORT_DUE,
        target=assignment,
        recipients=reporters_of(assignment),
        due_times=report_due_times(assignment=assignment),
    )
