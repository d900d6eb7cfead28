"""Everything that writes in spaces/. Views, the admin and seed_demo call these, so the rules hold everywhere.

Meeting time changes go only through meeting_schedule, meeting_postpone and meeting_cancel: the reminders
(kallpanchis/notifications) hook there.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kallpanchis.accounts.access import access_for
from kallpanchis.organisations.models import Organisation
from municipalities.models import MunicipalAssociation, Municipality

from .models import (
    AgendaItem,
    Agreement,
    AgreementStatusChange,
    Attendance,
    CalendarToken,
    ConcertationSpace,
    Meeting,
    MeetingEvent,
    SpaceMember,
    ThematicGroup,
    _new_token,
    managed_municipalities,
)


@dataclass(frozen=True)
class AgendaItemData:
    title: str
    presenter: str = ""
    duration_minutes: int | None = None


@dataclass(frozen=True)
class AttendanceRow:
    name: str
    gender: str
    organisation: Organisation | None = None
    organisation_name: str = ""
    role: str = ""
    is_producer: bool = False


@dataclass(frozen=True)
class AgreementData:
    what: str
    due_date: datetime.date
    responsible_organisation: Organisation | None = None
    responsible_person: str = ""


def _require_space_manager(*, user, space: ConcertationSpace) -> None:
    if user is not None and not ConcertationSpace.objects.editable_by(user).filter(pk=space.pk).exists():
        raise PermissionDenied(_("Only the technicians of the convening municipality manage this space."))


# --- spaces ---------------------------------------------------------------------------------------------


@transaction.atomic
def space_create(
    *,
    by,
    name: str,
    level: str,
    kind: str,
    municipality: Municipality | None = None,
    association: MunicipalAssociation | None = None,
    parent: ConcertationSpace | None = None,
    thematic_group: ThematicGroup | None = None,
    purpose: str = "",
    is_public: bool = False,
) -> ConcertationSpace:
    """Create a space convened by a municipality or association the person manages (by=None: seed/admin).
    A sub-space has the convener of its parent. The convening municipality joins as a member."""
    if parent is not None:
        municipality, association = parent.municipality, parent.association
    if by is not None:
        managed = managed_municipalities(by)
        if municipality is not None and not managed.filter(pk=municipality.pk).exists():
            raise PermissionDenied(_("You may only convene spaces for your own municipality."))
        if association is not None and not association.members.filter(pk__in=managed.values("pk")).exists():
            raise PermissionDenied(_("You may only convene spaces for your own municipality."))
    space = ConcertationSpace(
        name=name,
        level=level,
        kind=kind,
        municipality=municipality,
        association=association,
        parent=parent,
        thematic_group=thematic_group,
        purpose=purpose,
        is_public=is_public,
    )
    space.full_clean()
    space.save()
    if municipality is not None:
        SpaceMember.objects.create(
            space=space, organisation_id=municipality.organisation_id, role=SpaceMember.Role.CONVENER
        )
    return space


@transaction.atomic
def space_update(*, space: ConcertationSpace, by, **fields) -> ConcertationSpace:
    """Change a space's name, kind, level, theme, purpose or public flag; its convener stays."""
    _require_space_manager(user=by, space=space)
    allowed = {"name", "level", "kind", "thematic_group", "purpose", "is_public"}
    for key, value in fields.items():
        if key not in allowed:
            raise ValueError(key)
        setattr(space, key, value)
    space.full_clean()
    space.save(update_fields=[*fields, "updated_at"])
    return space


@transaction.atomic
def space_member_add(
    *,
    space: ConcertationSpace,
    by,
    organisation: Organisation,
    role: str = "member",
    representatives: str = "",
) -> SpaceMember:
    """Add an organisation to a space, or update its role and representatives if it is already there."""
    _require_space_manager(user=by, space=space)
    member, _created = SpaceMember.objects.update_or_create(
        space=space, organisation=organisation, defaults={"role": role, "representatives": representatives}
    )
    return member


@transaction.atomic
def space_member_remove(*, member: SpaceMember, by) -> None:
    """Take an organisation out of a space; its past attendance and agreements stay."""
    _require_space_manager(user=by, space=member.space)
    member.delete()


@transaction.atomic
def thematic_group_create(*, by, name: str) -> ThematicGroup:
    """Coordinators add themes (milk, guinea pigs, gastronomy …) that spaces may then work on."""
    if by is not None and not access_for(by).is_coordinator:
        raise PermissionDenied(_("Only coordinators add thematic groups."))
    group = ThematicGroup(name=name.strip())
    group.full_clean()
    group.save()
    return group


# --- meetings ---------------------------------------------------------------------------------------------


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
    _require_space_manager(user=by, space=space)
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
    items = [AgendaItem(meeting=meeting, position=0, title=_("Follow-up of agreements"), is_follow_up=True)]
    items += [
        AgendaItem(
            meeting=meeting,
            position=i,
            title=item.title,
            presenter=item.presenter,
            duration_minutes=item.duration_minutes,
        )
        for i, item in enumerate(agenda, start=1)
    ]
    AgendaItem.objects.bulk_create(items)
    if invited is None:
        invited = [m.organisation_id for m in space.members.all()]
    meeting.invited.set(invited)
    MeetingEvent.objects.create(
        meeting=meeting, kind=MeetingEvent.Kind.SCHEDULED, by=by, new_starts_at=starts_at
    )
    return meeting


@transaction.atomic
def meeting_agenda_set(*, meeting: Meeting, by, agenda: list[AgendaItemData]) -> Meeting:
    """Replace the agenda of an upcoming meeting; the follow-up item stays first."""
    _require_space_manager(user=by, space=meeting.space)
    if not meeting.is_upcoming:
        raise ValidationError(_("Only the agenda of a planned or postponed meeting can change."))
    meeting.agenda_items.filter(is_follow_up=False).delete()
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting,
                position=i,
                title=item.title,
                presenter=item.presenter,
                duration_minutes=item.duration_minutes,
            )
            for i, item in enumerate(agenda, start=1)
        ]
    )
    return meeting


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("space").get(pk=meeting.pk)


@transaction.atomic
def meeting_postpone(
    *, meeting: Meeting, by, starts_at: datetime.datetime, ends_at: datetime.datetime, reason: str
) -> Meeting:
    """Move an upcoming meeting to a new date; the old date and the reason stay in its history."""
    meeting = _locked(meeting)
    _require_space_manager(user=by, space=meeting.space)
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
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by, reason: str) -> Meeting:
    """Cancel an upcoming meeting, keeping the reason."""
    meeting = _locked(meeting)
    _require_space_manager(user=by, space=meeting.space)
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
    a row without a name or an agreement due before the meeting refuses the whole log."""
    meeting = _locked(meeting)
    _require_space_manager(user=by, space=meeting.space)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting cannot be logged."))
    meeting_day = timezone.localdate(meeting.starts_at)
    for row in attendance:
        if not row.name.strip():
            raise ValidationError({"name": _("Write the person's name.")})
    for agreement in agreements:
        if agreement.due_date < meeting_day:
            raise ValidationError({"due_date": _("The due date cannot be before the meeting.")})
    was_held = meeting.status == Meeting.Status.HELD
    meeting.minutes, meeting.decisions, meeting.status = minutes, decisions, Meeting.Status.HELD
    fields = ["minutes", "decisions", "status", "updated_at"]
    if signed_record is not None:
        meeting.signed_record = signed_record
        meeting.full_clean(exclude=["space", "created_by"])
        fields.append("signed_record")
    meeting.save(update_fields=fields)
    start = meeting.attendance.count()
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting,
                position=start + i,
                name=row.name.strip(),
                organisation=row.organisation,
                organisation_name=(
                    row.organisation.name if row.organisation else row.organisation_name.strip()
                ),
                role=row.role.strip(),
                gender=row.gender,
                is_producer=row.is_producer,
            )
            for i, row in enumerate(attendance, start=1)
        ]
    )
    Agreement.objects.bulk_create(
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
    if not was_held:
        MeetingEvent.objects.create(meeting=meeting, kind=MeetingEvent.Kind.HELD, by=by)
    return meeting


@transaction.atomic
def attendance_remove(*, attendance: Attendance, by) -> None:
    """Delete a row typed by mistake."""
    _require_space_manager(user=by, space=attendance.meeting.space)
    attendance.delete()


# --- agreements -------------------------------------------------------------------------------------------


@transaction.atomic
def agreement_status_change(
    *,
    agreement: Agreement,
    by,
    to_status: str,
    note: str = "",
    evidence=None,
    on: datetime.date | None = None,
) -> Agreement:
    """Move an agreement to another status, keeping who, when, from, to, the note and the evidence.
    'Done' records the day it was done (today unless told); done or dropped closes it."""
    agreement = Agreement.objects.select_for_update().select_related("meeting__space").get(pk=agreement.pk)
    _require_space_manager(user=by, space=agreement.meeting.space)
    if to_status not in Agreement.Status.values:
        raise ValidationError({"to_status": _("Choose a status.")})
    if to_status == agreement.status:
        raise ValidationError({"to_status": _("The agreement already has this status.")})
    change = AgreementStatusChange(
        agreement=agreement, by=by, from_status=agreement.status, to_status=to_status, note=note.strip()
    )
    if evidence is not None:
        change.evidence = evidence
        change.full_clean(exclude=["agreement", "by"])
    change.save()
    now = timezone.now()
    agreement.status = to_status
    agreement.done_on = (on or timezone.localdate(now)) if to_status == Agreement.Status.DONE else None
    agreement.closed_at = None if to_status in Agreement.OPEN else now
    agreement.save(update_fields=["status", "done_on", "closed_at", "updated_at"])
    return agreement


# --- calendar ---------------------------------------------------------------------------------------------


@transaction.atomic
def calendar_token_regenerate(*, user) -> CalendarToken:
    """Give the person a new private calendar address; the old one stops working at once."""
    token, created = CalendarToken.objects.get_or_create(user=user)
    if not created:
        token.token = _new_token()
        token.save(update_fields=["token"])
    return token


@transaction.atomic
def calendar_token_revoke(*, user) -> None:
    """Switch the private calendar address off."""
    CalendarToken.objects.filter(user=user).delete()
