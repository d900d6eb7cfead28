"""Meetings: schedule, agenda, postpone, cancel, log. Time changes happen only here (reminders hook here)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kallpanchis.organisations.models import Organisation

from ..models import (
    AgendaItem,
    Agreement,
    Attendance,
    ConcertationSpace,
    Meeting,
    MeetingEvent,
)
from .attendance import attendance_build, meeting_has_started
from .common import AgendaItemData, AgreementData, AttendanceRow, require_space_manager
from .reminders import agreement_reminders_schedule, meeting_change_notify, meeting_reminders_schedule


def _check_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})


@transaction.atomic
def meeting_schedule(
    *,
    space: ConcertationSpace,
    by,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    convened_by: str = "",
    agenda: list[AgendaItemData] = (),
    invited: list[Organisation] | None = None,
) -> Meeting:
    """Plan a meeting. Its agenda always opens with 'follow-up of agreements' (the space's open agreements
    are listed there when the agenda is shown); invited defaults to every member organisation."""
    require_space_manager(user=by, space=space)
    _check_times(starts_at, ends_at)
    meeting = Meeting(
        space=space,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        convened_by=convened_by or str(space.convener),
        created_by=by,
    )
    meeting.full_clean(exclude=["signed_record"])
    meeting.save()
    follow_up = AgendaItem(meeting=meeting, position=0, title=_("Follow-up of agreements"), is_follow_up=True)
    AgendaItem.objects.bulk_create([follow_up, *_agenda_items(meeting, agenda)])
    if invited is None:
        invited = [m.organisation_id for m in space.members.all()]
    meeting.invited.set(invited)
    MeetingEvent.objects.create(
        meeting=meeting, kind=MeetingEvent.Kind.SCHEDULED, by=by, new_starts_at=starts_at
    )
    meeting_reminders_schedule(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_agenda_set(*, meeting: Meeting, by, agenda: list[AgendaItemData]) -> Meeting:
    """Replace the agenda of an upcoming meeting; the follow-up item stays first."""
    require_space_manager(user=by, space=meeting.space)
    if not meeting.is_upcoming:
        raise ValidationError(_("Only the agenda of a planned or postponed meeting can change."))
    meeting.agenda_items.filter(is_follow_up=False).delete()
    AgendaItem.objects.bulk_create(_agenda_items(meeting, agenda))
    return meeting


def _agenda_items(meeting: Meeting, agenda: list[AgendaItemData]) -> list[AgendaItem]:
    """The typed items, numbered after the follow-up item (which is always 0)."""
    return [
        AgendaItem(
            meeting=meeting,
            position=i,
            title=item.title,
            presenter=item.presenter,
            duration_minutes=item.duration_minutes,
        )
        for i, item in enumerate(agenda, start=1)
    ]


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("space").get(pk=meeting.pk)


@transaction.atomic
def meeting_postpone(
    *, meeting: Meeting, by, starts_at: datetime.datetime, ends_at: datetime.datetime, reason: str
) -> Meeting:
    """Move an upcoming meeting to a new date; the old date and the reason stay in its history."""
    meeting = _locked(meeting)
    require_space_manager(user=by, space=meeting.space)
    if not meeting.is_upcoming:
        raise ValidationError(_("Only a planned or postponed meeting can be postponed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the meeting is postponed.")})
    _check_times(starts_at, ends_at)
    MeetingEvent.objects.create(
        meeting=meeting,
        kind=MeetingEvent.Kind.POSTPONED,
        by=by,
        old_starts_at=meeting.starts_at,
        new_starts_at=starts_at,
        reason=reason.strip(),
    )
    meeting.starts_at, meeting.ends_at, meeting.status = starts_at, ends_at, Meeting.Status.POSTPONED
    meeting.save(update_fields=["starts_at", "ends_at", "status", "updated_at"])
    meeting_reminders_schedule(meeting=meeting)  # the old time's reminders are cancelled
    meeting_change_notify(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by, reason: str) -> Meeting:
    """Cancel an upcoming meeting, keeping the reason."""
    meeting = _locked(meeting)
    require_space_manager(user=by, space=meeting.space)
    if not meeting.is_upcoming:
        raise ValidationError(_("Only a planned or postponed meeting can be cancelled."))
    MeetingEvent.objects.create(
        meeting=meeting,
        kind=MeetingEvent.Kind.CANCELLED,
        by=by,
        old_starts_at=meeting.starts_at,
        reason=reason,
    )
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])
    meeting_reminders_schedule(meeting=meeting)
    meeting_change_notify(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_log(
    *,
    meeting: Meeting,
    by,
    minutes: str,
    decisions: str = "",
    attendance: list[AttendanceRow] = (),
    agreements: list[AgreementData] = (),
    signed_record=None,
) -> Meeting:
    """Record what happened: minutes, decisions, attendance rows (added to those already logged),
    agreements and the scanned signed record. The meeting becomes 'held'. Everything or nothing is saved:
    a meeting that has not started yet, a log that would leave the meeting with nobody who attended (no new
    row and none logged before), a row without a name or an agreement due before the meeting refuses the
    whole log. Checked under the meeting's row lock, so two logs of one meeting (the form and a phone's
    draft) see each other's rows.

    Rows about people: a picked person must be one the caller may link (attendance.linkable_ids); a new
    person who consented is registered (person_create, with the consent of the signed sheet) unless they
    are probably registered already, which raises PeopleToCheck for every such row; a new person whose DNI
    is registered is that person. A person is on a meeting's list once. What happened to people is left
    on the returned meeting as `log_report` ({"registered": [...], "linked_by_dni": [...]})."""
    meeting = _locked(meeting)
    require_space_manager(user=by, space=meeting.space)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting cannot be logged."))
    if not meeting_has_started(meeting):
        raise ValidationError(
            _("This meeting starts on %(when)s: it can be logged as held once it has started.")
            % {"when": formats.date_format(timezone.localtime(meeting.starts_at), "SHORT_DATETIME_FORMAT")}
        )
    if not attendance and not meeting.attendance.exists():
        raise ValidationError({"attendance": _("Add at least one person who attended.")})
    meeting_day = timezone.localdate(meeting.starts_at)
    for row in attendance:
        if row.person is None and row.new_person is None and not row.name.strip():
            raise ValidationError({"name": _("Write the person's name.")})
    for agreement in agreements:
        if agreement.due_date < meeting_day:
            raise ValidationError({"due_date": _("The due date cannot be before the meeting.")})
    rows, report = attendance_build(
        meeting=meeting, by=by, rows=list(attendance), start=meeting.attendance.count() + 1
    )
    was_held = meeting.status == Meeting.Status.HELD
    meeting.minutes, meeting.decisions, meeting.status = minutes, decisions, Meeting.Status.HELD
    fields = ["minutes", "decisions", "status", "updated_at"]
    if signed_record is not None:
        meeting.signed_record = signed_record
        meeting.full_clean(exclude=["space", "created_by"])
        fields.append("signed_record")
    meeting.save(update_fields=fields)
    Attendance.objects.bulk_create(rows)
    created = Agreement.objects.bulk_create(
        [
            Agreement(
                meeting=meeting,
                what=a.what.strip(),
                responsible_organisation=a.responsible_organisation,
                responsible_person=a.responsible_person.strip(),
                due_date=a.due_date,
            )
            for a in agreements
        ]
    )
    meeting_reminders_schedule(meeting=meeting)  # held: no more "coming up" reminders
    for agreement in created:
        agreement.meeting = meeting
        agreement_reminders_schedule(agreement=agreement)
    if not was_held:
        MeetingEvent.objects.create(meeting=meeting, kind=MeetingEvent.Kind.HELD, by=by)
    meeting.log_report = report
    return meeting


@transaction.atomic
def attendance_remove(*, attendance: Attendance, by) -> None:
    """Delete a row typed by mistake."""
    require_space_manager(user=by, space=attendance.meeting.space)
    attendance.delete()
