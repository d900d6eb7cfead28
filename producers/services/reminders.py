"""Who hears of plans, and when (the kinds are declared in producers/reminders.py): the submission
deadline (PLAN_DEADLINE, 14, 3 and 1 days before, to the leaders whose plan for the year is not submitted
yet) and a plan waiting for review (PLAN_REVIEW_WAITING, after 7 days, to its reviewers). Called inside the
plan services' transactions, so a rollback leaves no reminder behind."""

import datetime

from django.db.models import Q
from django.utils import timezone

from kallpanchis.accounts.models import Role, RoleAssignment
from kallpanchis.notifications.registry import lead_times
from kallpanchis.notifications.services import reminders_cancel, reminders_schedule
from municipalities.models import Municipality

from ..models import OperatingPlan, PlanDeadline, ProducerAssociation
from ..reminders import PLAN_DEADLINE, PLAN_REVIEW_WAITING

DEADLINE_LEAD_DAYS = (14, 3, 1)
REVIEW_WAIT = datetime.timedelta(days=7)


def deadline_reminders_schedule(*, deadline: PlanDeadline) -> None:
    """Afterwards the year's deadline reminders go exactly to the leaders of associations that have not
    sent their plan for that year: a first submission takes a leader off the list."""
    sent = OperatingPlan.objects.filter(year=deadline.year, submitted_at__isnull=False).values(
        "association__organisation_id"
    )
    leaders = RoleAssignment.objects.filter(
        role=Role.LEADER,
        organisation__in=ProducerAssociation.objects.values("organisation_id"),
    ).exclude(organisation_id__in=sent)
    reminders_schedule(
        kind=PLAN_DEADLINE,
        target=deadline,
        recipients=sorted(set(leaders.values_list("user_id", flat=True))),
        due_times=lead_times(deadline.deadline_at(), days=DEADLINE_LEAD_DAYS),
    )


def plan_reviewers(plan: OperatingPlan) -> list[int]:
    """Technicians of the municipalities whose territory holds the association, and the coordinators."""
    district = plan.association.district
    municipalities = Municipality.objects.filter(
        Q(level=Municipality.Level.DISTRICT, district_id=district.pk)
        | Q(level=Municipality.Level.PROVINCIAL, province_id=district.province_id)
    ).values("organisation_id")
    reviewers = RoleAssignment.objects.filter(
        Q(role=Role.TECHNICIAN, organisation_id__in=municipalities) | Q(role=Role.COORDINATOR)
    )
    return sorted(set(reviewers.values_list("user_id", flat=True)))


def plan_review_reminders_update(*, plan: OperatingPlan) -> None:
    """A plan under review reminds its reviewers once it has waited 7 days; any other state, none."""
    if plan.status in OperatingPlan.IN_REVIEW:
        reminders_schedule(
            kind=PLAN_REVIEW_WAITING,
            target=plan,
            recipients=plan_reviewers(plan),
            due_times=[timezone.now() + REVIEW_WAIT],
        )
    else:
        reminders_cancel(target=plan, kinds=[PLAN_REVIEW_WAITING])
