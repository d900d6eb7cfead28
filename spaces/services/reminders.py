"""Who hears of meetings and agreements, and when (the kinds are declared in spaces/reminders.py). Called
inside the meeting and agreement services' transactions, so a rollback leaves no reminder behind and a
moved meeting never reminds of its old time."""

from kallpanchis.accounts.models import Role, RoleAssignment
from kallpanchis.notifications.registry import lead_times
from kallpanchis.notifications.services import reminder_notify_now, reminders_cancel, reminders_schedule

from ..models import Agreement, ConcertationSpace, Meeting
from ..reminders import AGREEMENT_DUE, AGREEMENT_OVERDUE, MEETING_CHANGED, MEETING_UPCOMING

AGREEMENT_DUE_DAYS_BEFORE = 3


def space_lead_days(space: ConcertationSpace) -> tuple[int, ...]:
    """The space's '3,1' as (3, 1); a space with none set reminds 3 days and 1 day before."""
    days = tuple(
        sorted({int(d) for d in space.reminder_days.split(",") if d.strip().isdigit()}, reverse=True)
    )
    return days or (3, 1)


def meeting_recipients(meeting: Meeting) -> list[int]:
    """People who hold a role in an invited organisation (the members' representatives with an account)."""
    people = RoleAssignment.objects.filter(organisation_id__in=meeting.invited.values("pk"))
    return sorted(set(people.values_list("user_id", flat=True)))


def meeting_reminders_schedule(*, meeting: Meeting) -> None:
    """An upcoming meeting reminds its invited people at the space's lead times; any other, nobody."""
    if meeting.is_upcoming:
        reminders_schedule(
            kind=MEETING_UPCOMING,
            target=meeting,
            recipients=meeting_recipients(meeting),
            due_times=lead_times(meeting.starts_at, days=space_lead_days(meeting.space)),
        )
    else:
        reminders_cancel(target=meeting, kinds=[MEETING_UPCOMING])


def meeting_change_notify(*, meeting: Meeting) -> None:
    """Postponed or cancelled: the invited people hear at once."""
    reminder_notify_now(kind=MEETING_CHANGED, target=meeting, recipients=meeting_recipients(meeting))


def agreement_recipients(agreement: Agreement) -> list[int]:
    """The people of the responsible organisation; when it has none with an account (or none was named),
    the technicians of the convening municipality, who follow agreements up."""
    people = RoleAssignment.objects.none()
    if agreement.responsible_organisation_id:
        people = RoleAssignment.objects.filter(organisation_id=agreement.responsible_organisation_id)
    if not people.exists():
        space = agreement.meeting.space
        convener = space.municipality.organisation_id if space.municipality_id else None
        people = RoleAssignment.objects.filter(organisation_id=convener, role=Role.TECHNICIAN)
    return sorted(set(people.values_list("user_id", flat=True)))


def agreement_reminders_schedule(*, agreement: Agreement) -> None:
    """An open agreement reminds 3 days before it falls due and once the day after, if still open."""
    if not agreement.is_open:
        reminders_cancel(target=agreement, kinds=[AGREEMENT_DUE, AGREEMENT_OVERDUE])
        return
    recipients = agreement_recipients(agreement)
    for kind, shift in ((AGREEMENT_DUE, -AGREEMENT_DUE_DAYS_BEFORE), (AGREEMENT_OVERDUE, 1)):
        due = agreement.at_eight(days_after_due=shift)
        reminders_schedule(
            kind=kind, target=agreement, recipients=recipients, due_times=lead_times(due, days=(0,))
        )
