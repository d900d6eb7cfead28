"""Plan reminders: the submission deadline for leaders who have not sent their plan, and plans that wait
for review too long."""

import datetime

import pytest
from django.utils import timezone

from kallpanchis.notifications.models import Reminder
from producers.services import deadline_set, plan_return, plan_submit, plan_validate
from tests.producers.factories import filled_plan

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year + 1
DUE_ON = timezone.localdate() + datetime.timedelta(days=30)


def pending(kind, **filters):
    return Reminder.objects.filter(kind=kind, status=Reminder.Status.SCHEDULED, **filters)


def test_deadline_reminds_leaders_14_3_and_1_days_before(leader, other_leader, coordinator):
    deadline = deadline_set(by=coordinator, year=YEAR, due_on=DUE_ON)
    closes = timezone.make_aware(datetime.datetime.combine(DUE_ON, datetime.time(23, 59)))
    assert set(pending("plan_deadline").values_list("recipient_id", flat=True)) == {
        leader.pk,
        other_leader.pk,
    }
    assert set(pending("plan_deadline", recipient=leader).values_list("due_at", flat=True)) == {
        closes - datetime.timedelta(days=d) for d in (14, 3, 1)
    }
    assert pending("plan_deadline", object_id=deadline.pk).count() == 6


def test_moving_the_deadline_moves_the_reminders(leader, coordinator):
    deadline_set(by=coordinator, year=YEAR, due_on=DUE_ON)
    later = DUE_ON + datetime.timedelta(days=10)
    deadline_set(by=coordinator, year=YEAR, due_on=later)
    closes = timezone.make_aware(datetime.datetime.combine(later, datetime.time(23, 59)))
    assert set(pending("plan_deadline").values_list("due_at", flat=True)) == {
        closes - datetime.timedelta(days=d) for d in (14, 3, 1)
    }
    assert Reminder.objects.filter(kind="plan_deadline", status=Reminder.Status.CANCELLED).count() == 3


def test_a_submitted_plan_stops_the_deadline_reminders_and_asks_reviewers_after_7_days(
    association, leader, other_leader, coordinator, technician_anta, technician_chumbivilcas
):
    deadline_set(by=coordinator, year=YEAR, due_on=DUE_ON)
    plan = filled_plan(association, year=YEAR, by=leader)
    before = timezone.now()
    plan_submit(by=leader, plan=plan)
    assert not pending("plan_deadline", recipient=leader).exists()
    assert pending("plan_deadline", recipient=other_leader).count() == 3
    waiting = pending("plan_review_waiting", object_id=plan.pk)
    # Pucyura is in the province of Anta: Anta's technician reviews, Chumbivilcas' does not.
    assert set(waiting.values_list("recipient_id", flat=True)) == {technician_anta.pk, coordinator.pk}
    due = waiting.first().due_at
    assert before + datetime.timedelta(days=7) <= due <= timezone.now() + datetime.timedelta(days=7)


def test_returning_or_approving_a_plan_cancels_the_review_reminder(association, leader, coordinator):
    plan = filled_plan(association, year=YEAR, by=leader)
    plan = plan_submit(by=leader, plan=plan)
    plan_return(by=coordinator, plan=plan, comments=[("budget", "Falta el aporte propio")])
    assert not pending("plan_review_waiting").exists()
    plan.refresh_from_db()
    plan = plan_submit(by=leader, plan=plan)
    assert pending("plan_review_waiting").count() == 1
    plan_validate(by=coordinator, plan=plan)
    assert not pending("plan_review_waiting").exists()


def test_producers_declares_its_kinds_under_the_names_stored_in_reminders():
    from kallpanchis.notifications.registry import get_kind
    from producers import reminders

    assert (reminders.PLAN_DEADLINE, reminders.PLAN_REVIEW_WAITING) == (
        "plan_deadline",
        "plan_review_waiting",
    )
    assert get_kind(reminders.PLAN_DEADLINE).name == "plan_deadline"
    assert get_kind(reminders.PLAN_REVIEW_WAITING).name == "plan_review_waiting"
