"""Meetings and agreements remind the right people at the right time, and never of an old time."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from kallpanchis.accounts.models import Role
from kallpanchis.notifications.models import Reminder
from spaces.models import Meeting
from spaces.services import (
    AgreementData,
    AttendanceRow,
    agreement_status_change,
    meeting_cancel,
    meeting_log,
    meeting_postpone,
    space_update,
)
from tests.accounts.factories import person_with_role
from tests.spaces.factories import anta_space, producer_org, scheduled

pytestmark = pytest.mark.django_db


def soon(days: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def pending(kind, **filters):
    return Reminder.objects.filter(kind=kind, status=Reminder.Status.SCHEDULED, **filters)


@pytest.fixture
def space(municipalities):
    return anta_space(municipalities["anta"])


@pytest.fixture
def leader(space):
    return person_with_role(Role.LEADER, producer_org())  # the producer organisation is a member


def test_a_meeting_reminds_invited_people_3_and_1_days_before(space, leader, technician_anta):
    meeting = scheduled(space, when=soon(10))
    reminders = pending("meeting_upcoming", object_id=meeting.pk)
    # Invited: the convening municipality (its technician) and the member association (its leader).
    assert set(reminders.values_list("recipient_id", flat=True)) == {leader.pk, technician_anta.pk}
    assert set(reminders.values_list("due_at", flat=True)) == {soon(7), soon(9)}


def test_a_space_sets_its_own_lead_times(space, leader, technician_anta):
    meeting = scheduled(space, when=soon(10))
    space_update(space=space, by=technician_anta, reminder_days="7,2")
    assert set(pending("meeting_upcoming", object_id=meeting.pk).values_list("due_at", flat=True)) == {
        soon(3),
        soon(8),
    }


def test_postponing_moves_reminders_and_tells_people_at_once(space, leader, technician_anta):
    meeting = scheduled(space, when=soon(10))
    meeting_postpone(
        meeting=meeting,
        by=technician_anta,
        starts_at=soon(20),
        ends_at=soon(20) + datetime.timedelta(hours=2),
        reason="Fiesta patronal en Izcuchaca",
    )
    assert set(pending("meeting_upcoming", object_id=meeting.pk).values_list("due_at", flat=True)) == {
        soon(17),
        soon(19),
    }
    assert Reminder.objects.filter(kind="meeting_upcoming", due_at=soon(7), status="cancelled").count() == 2
    changed = Reminder.objects.filter(kind="meeting_changed", object_id=meeting.pk)
    assert set(changed.values_list("recipient_id", flat=True)) == {leader.pk, technician_anta.pk}


def test_cancelling_stops_the_reminders(space, leader, technician_anta):
    meeting = scheduled(space, when=soon(10))
    meeting_cancel(meeting=meeting, by=technician_anta, reason="Paro agrario")
    assert not pending("meeting_upcoming").exists()
    assert Reminder.objects.filter(kind="meeting_changed", object_id=meeting.pk).count() == 2


def test_a_meeting_scheduled_in_a_rolled_back_transaction_leaves_nothing(space, leader):
    with pytest.raises(RuntimeError), transaction.atomic():
        scheduled(space, when=soon(10))
        raise RuntimeError("the phone lost its connection")
    assert not Meeting.objects.exists() and not Reminder.objects.exists()


def test_agreements_remind_their_organisation_before_and_after_the_due_date(space, leader, technician_anta):
    meeting = scheduled(space, when=timezone.now() - datetime.timedelta(hours=3))  # logged once it started
    due = timezone.localdate() + datetime.timedelta(days=30)
    meeting_log(
        meeting=meeting,
        by=technician_anta,
        minutes="Se acordó la feria.",
        attendance=[AttendanceRow(name="Justina Huillca", gender="female")],
        agreements=[
            AgreementData(
                what="Organizar la feria del queso", due_date=due, responsible_organisation=producer_org()
            ),
            AgreementData(what="Gestionar el local", due_date=due, responsible_person="Luis Mamani"),
        ],
    )
    assert not pending("meeting_upcoming").exists()  # held
    fair, venue = meeting.agreements.order_by("pk")
    eight = lambda day: timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))  # noqa: E731
    assert list(pending("agreement_due", object_id=fair.pk).values_list("recipient_id", "due_at")) == [
        (leader.pk, eight(due - datetime.timedelta(days=3)))
    ]
    assert list(pending("agreement_overdue", object_id=fair.pk).values_list("due_at", flat=True)) == [
        eight(due + datetime.timedelta(days=1))
    ]
    # Nobody with an account answers for the venue: the convening municipality's technician follows it up.
    assert set(pending("agreement_due", object_id=venue.pk).values_list("recipient_id", flat=True)) == {
        technician_anta.pk
    }
    agreement_status_change(agreement=fair, by=technician_anta, to_status="done")
    assert not pending("agreement_due", object_id=fair.pk).exists()
    assert not pending("agreement_overdue", object_id=fair.pk).exists()


def test_spaces_declares_its_kinds_under_the_names_stored_in_reminders():
    from kallpanchis.notifications.registry import get_kind
    from spaces import reminders

    names = (
        reminders.MEETING_UPCOMING,
        reminders.MEETING_CHANGED,
        reminders.AGREEMENT_DUE,
        reminders.AGREEMENT_OVERDUE,
    )
    assert names == ("meeting_upcoming", "meeting_changed", "agreement_due", "agreement_overdue")
    assert [get_kind(name).immediate for name in names] == [False, True, False, False]
