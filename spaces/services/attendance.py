"""Who each attendance row is about: a person of the register, a new person registered with the consent
they gave on the signed sheet, or nobody (the row stays anonymous: name as written, gender, organisation).
Called by meeting_log inside its transaction; nothing here commits on its own."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kallpanchis.offline.services import person_client_id_record, person_for_client_id
from kallpanchis.people.models import Consent, Person
from kallpanchis.people.services import ConsentData, ProbableDuplicate, person_create
from kallpanchis.people.text import dni_clean

from ..models import Attendance, ConcertationSpace, Meeting
from .common import AttendanceRow, NewAttendee


class NotLinkable(PermissionDenied):
    """A picked person is not one the caller may link (outside their register, or erased)."""


class PeopleToCheck(Exception):
    """New people of a log are probably already in the register: nothing was saved. `found` maps the row's
    index in the attendance list to the ProbableDuplicate (its matches: people the caller may see)."""

    def __init__(self, found: dict[int, ProbableDuplicate]):
        super().__init__("probable duplicates")
        self.found = found


def registration_consent(meeting: Meeting) -> ConsentData:
    """The consent a new person gives by ticking the box of the attendance sheet they sign."""
    day = timezone.localdate(meeting.starts_at)
    with translation.override(settings.LANGUAGE_CODE):  # stored text: in the platform's language
        purpose = _(
            "To be in the register of people the projects reach, so that their participation is counted "
            "once; given on the signed attendance sheet of “%(meeting)s” (%(space)s)."
        ) % {"meeting": meeting.title, "space": meeting.space.name}
    return ConsentData(purpose=purpose, given_on=min(day, timezone.localdate()), method=Consent.Method.PAPER)


def space_people_condition(space: ConcertationSpace) -> Q:
    """People linked to a space: its member organisations' representatives and those who attended it."""
    return Q(space_representations__space=space) | Q(meeting_attendances__meeting__space=space)


def linkable_ids(*, by, space: ConcertationSpace, ids: set[int]) -> set[int]:
    """Of these people, those a row may point at: not erased, and seen by the caller in the register or
    already linked to the space (its managers know who sits in it)."""
    if not ids:
        return set()
    people = Person.objects.active().filter(pk__in=ids)
    if by is not None:
        of_space = Person.objects.filter(space_people_condition(space), pk__in=ids).values("pk")
        people = people.filter(Q(pk__in=Person.objects.visible_to(by).values("pk")) | Q(pk__in=of_space))
    return set(people.values_list("pk", flat=True))


def _dni(raw: str) -> str:
    try:
        return dni_clean(raw)
    except ValidationError as error:
        raise ValidationError({"dni": error.messages}) from None


def _register(*, meeting: Meeting, by, new: NewAttendee) -> tuple[Person, str]:
    """The person a new row is about, and how they were found: "phone" (this phone's id was registered
    before), "dni" (someone holds this DNI: the same person, linked rather than registered twice) or
    "created"."""
    if new.client_id is not None:
        known = person_for_client_id(new.client_id)
        if known is not None:
            return known, "phone"
    if not new.given_names.strip() or not new.first_surname.strip():
        raise ValidationError({"given_names": _("Write the new person's given names and first surname.")})
    dni = _dni(new.dni)
    person, how = None, "created"
    if dni:
        person = Person.objects.active().filter(dni=dni).first()
        how = "dni"
    if person is None:
        person = person_create(
            by=by,
            consent=registration_consent(meeting),
            confirmed_new=new.confirmed_new,
            given_names=new.given_names,
            first_surname=new.first_surname,
            second_surname=new.second_surname,
            gender=new.gender,
            community=new.community,
            district_ubigeo=new.district_ubigeo,
            dni=dni,
        )
        how = "created"
    if new.client_id is not None:
        person_client_id_record(client_id=new.client_id, person=person, by=by)
    return person, how


def attendance_build(
    *, meeting: Meeting, by, rows: list[AttendanceRow], start: int
) -> tuple[list[Attendance], dict[str, list[str]]]:
    """Unsaved attendance rows for `rows`, numbered from `start`, and what happened to people: the names
    "registered" and "linked_by_dni". A person already on the meeting's list (or twice in `rows`) is listed
    once. Refuses a picked person the caller may not link (PermissionDenied), and raises PeopleToCheck when
    new people are probably already registered (every such row at once, so the form can ask about all)."""
    picked = {row.person.pk for row in rows if row.person is not None}
    allowed = linkable_ids(by=by, space=meeting.space, ids=picked)
    if picked - allowed:
        raise NotLinkable(_("Someone picked is not in the register you may see."))
    seen = set(meeting.attendance.filter(person__isnull=False).values_list("person_id", flat=True))
    found: dict[int, ProbableDuplicate] = {}
    report: dict[str, list[str]] = {"registered": [], "linked_by_dni": []}
    built: list[Attendance] = []
    for index, row in enumerate(rows):
        person, name, gender = row.person, row.name.strip(), row.gender
        if row.new_person is not None:
            try:
                person, how = _register(meeting=meeting, by=by, new=row.new_person)
            except ProbableDuplicate as duplicate:
                found[index] = duplicate
                continue
            name = name or row.new_person.name
            if how == "created":
                report["registered"].append(person.display_name)
            elif how == "dni":
                report["linked_by_dni"].append(row.new_person.name)
        if person is not None:
            if person.pk in seen:
                continue
            seen.add(person.pk)
            name = name or person.display_name
            gender = gender or person.gender
        if not name:
            raise ValidationError({"name": _("Write the person's name.")})
        built.append(
            Attendance(
                meeting=meeting,
                person=person,
                name=name[:200],
                organisation=row.organisation,
                organisation_name=(
                    row.organisation.name if row.organisation else row.organisation_name.strip()
                ),
                role=row.role.strip(),
                gender=gender,
                is_producer=row.is_producer,
            )
        )
    if found:
        raise PeopleToCheck(found)
    for position, attendance in enumerate(built, start=start):
        attendance.position = position
    return built, report


def meeting_has_started(meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    return meeting.starts_at <= (now or timezone.now())
