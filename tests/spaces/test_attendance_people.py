"""Attendance rows about people of the register: picked, registered with consent, linked instead of doubled;
and the log's time rules (not before the meeting starts; an agreement not done before its meeting)."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kallpanchis.offline.models import OfflinePerson
from kallpanchis.people.models import Consent, Person
from kallpanchis.people.services import person_erase, person_merge
from spaces.models import Agreement, Attendance, Meeting
from spaces.services import (
    AgreementData,
    AttendanceRow,
    NewAttendee,
    PeopleToCheck,
    agreement_status_change,
    meeting_log,
)
from tests.people.factories import ANTA, COLQUEMARCA, register

from .factories import anta_space, lima, scheduled

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(municipalities):
    return anta_space(municipalities["anta"])


@pytest.fixture
def meeting(space):
    return scheduled(space, when=lima(2026, 3, 10))


def log(meeting, by, rows, **kwargs):
    return meeting_log(meeting=meeting, by=by, minutes="Acta.", attendance=rows, **kwargs)


def new(given="Rosa", first="Quispe", second="Mamani", **kwargs) -> AttendanceRow:
    person = NewAttendee(
        given_names=given,
        first_surname=first,
        second_surname=second,
        gender="female",
        district_ubigeo=ANTA,
        **kwargs,
    )
    return AttendanceRow(name="", gender="female", new_person=person)


def test_a_picked_person_is_linked_with_the_name_and_gender_of_the_register(meeting, technician_anta):
    justina = register(given_names="Justina", first_surname="Huillca", gender="female")
    log(meeting, technician_anta, [AttendanceRow(name="", gender="", person=justina)])
    row = Attendance.objects.get(meeting=meeting)
    assert (row.person, row.name, row.gender, row.position) == (justina, "Justina Huillca", "female", 1)


def test_a_new_person_who_consented_enters_the_register_with_the_sheet_as_consent(meeting, technician_anta):
    meeting = log(meeting, technician_anta, [new(), AttendanceRow(name="Hilario", gender="male")])
    rosa = Person.objects.get()
    assert (rosa.display_name, rosa.district_ubigeo, rosa.created_by) == (
        "Rosa Quispe Mamani",
        ANTA,
        technician_anta,
    )
    consent = Consent.objects.get(person=rosa)
    assert (consent.kind, consent.method, consent.given_on, consent.recorded_by) == (
        "registration",
        "paper",
        datetime.date(2026, 3, 10),
        technician_anta,
    )
    assert meeting.title in consent.purpose
    rows = list(Attendance.objects.filter(meeting=meeting).order_by("position"))
    assert [(r.name, r.person_id) for r in rows] == [("Rosa Quispe Mamani", rosa.pk), ("Hilario", None)]
    assert meeting.log_report == {"registered": ["Rosa Quispe Mamani"], "linked_by_dni": []}


def test_a_probable_duplicate_stops_the_whole_log_then_is_linked_or_confirmed(meeting, technician_anta):
    rosa = register(given_names="Rosa", first_surname="Quispe", second_surname="Mamani")
    rows = [AttendanceRow(name="Luis", gender="male"), new(given="Roza"), new(given="Nilda", first="Ccori")]
    with pytest.raises(PeopleToCheck) as refused:
        log(meeting, technician_anta, rows)
    assert list(refused.value.found) == [1]
    assert [m.person for m in refused.value.found[1].matches] == [rosa]
    assert Person.objects.count() == 1 and Attendance.objects.count() == 0  # Nilda was not kept either
    assert Meeting.objects.get(pk=meeting.pk).status == "planned"

    # The technician links the row to Rosa instead.
    rows[1] = AttendanceRow(name="", gender="", person=rosa)
    log(meeting, technician_anta, rows)
    assert Person.objects.count() == 2  # Nilda
    assert Attendance.objects.filter(meeting=meeting, person=rosa).count() == 1


def test_someone_else_with_a_similar_name_is_registered_when_confirmed(meeting, technician_anta):
    register(given_names="Rosa", first_surname="Quispe", second_surname="Mamani")
    log(meeting, technician_anta, [new(given="Rosa", confirmed_new=True)])
    assert Person.objects.filter(search_name="rosa quispe mamani").count() == 2


def test_a_registered_dni_is_that_person(meeting, technician_anta):
    rosa = register(given_names="Rosa", first_surname="Quispe", dni="40123456")
    meeting = log(meeting, technician_anta, [new(given="Rosa María", dni="40 123 456")])
    assert Person.objects.count() == 1
    assert Attendance.objects.get(meeting=meeting).person == rosa
    assert meeting.log_report["linked_by_dni"] == ["Rosa María Quispe Mamani"]


def test_a_person_added_on_a_phone_is_registered_once_across_drafts(space, technician_anta):
    first = scheduled(space, when=lima(2026, 3, 10))
    second = scheduled(space, when=lima(2026, 4, 10))
    phone_id = uuid.uuid4()
    log(first, technician_anta, [new(client_id=phone_id)])
    log(second, technician_anta, [new(client_id=phone_id)])  # not a duplicate warning: the same person
    rosa = Person.objects.get()
    assert OfflinePerson.objects.get().person == rosa
    assert Attendance.objects.filter(person=rosa).count() == 2


def test_a_person_is_on_a_list_once(meeting, technician_anta):
    justina = register(given_names="Justina", first_surname="Huillca")
    picked = AttendanceRow(name="", gender="", person=justina)
    log(meeting, technician_anta, [picked, picked])
    log(meeting, technician_anta, [picked, AttendanceRow(name="Otra", gender="female")])
    assert list(Attendance.objects.filter(meeting=meeting).values_list("name", "position")) == [
        ("Justina Huillca", 1),
        ("Otra", 2),
    ]


def test_a_person_outside_ones_register_cannot_be_picked(meeting, technician_anta):
    far = register(given_names="Eusebio", first_surname="Condori", district_ubigeo=COLQUEMARCA)
    with pytest.raises(PermissionDenied):
        log(meeting, technician_anta, [AttendanceRow(name="", gender="", person=far)])
    assert Attendance.objects.count() == 0


def test_someone_who_attended_the_space_may_be_picked_by_its_managers(meeting, space, technician_anta):
    """An inter-district space: people from elsewhere who attended it stay pickable by its technicians."""
    far = register(given_names="Eusebio", first_surname="Condori", district_ubigeo=COLQUEMARCA)
    earlier = scheduled(space, when=lima(2026, 2, 10))
    log(earlier, None, [AttendanceRow(name="", gender="", person=far)])
    log(meeting, technician_anta, [AttendanceRow(name="", gender="", person=far)])
    assert Attendance.objects.filter(person=far).count() == 2


def test_a_meeting_cannot_be_logged_before_it_starts(space, technician_anta):
    soon = scheduled(space, when=timezone.now() + datetime.timedelta(hours=2))
    with pytest.raises(ValidationError, match="una vez que haya empezado"):
        log(soon, technician_anta, [AttendanceRow(name="Ana", gender="female")])
    soon.refresh_from_db()
    assert soon.status == "planned" and Attendance.objects.count() == 0


def test_an_agreement_cannot_be_done_before_its_meeting_nor_in_the_future(meeting, technician_anta):
    meeting = log(
        meeting,
        technician_anta,
        [AttendanceRow(name="Ana", gender="female")],
        agreements=[
            AgreementData(what="Sembrar avena", due_date=datetime.date(2026, 5, 1), responsible_person="Ana")
        ],
    )
    agreement = Agreement.objects.get()
    for day in (datetime.date(2026, 3, 9), timezone.localdate() + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError):
            agreement_status_change(agreement=agreement, by=technician_anta, to_status="done", on=day)
        agreement.refresh_from_db()
        assert (agreement.status, agreement.done_on) == ("pending", None)
    agreement_status_change(
        agreement=agreement, by=technician_anta, to_status="done", on=datetime.date(2026, 3, 10)
    )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.done_on) == ("done", datetime.date(2026, 3, 10))


def test_erasure_blanks_the_name_as_written_and_keeps_the_row(meeting, technician_anta, coordinator):
    rosa = register(given_names="Rosa", first_surname="Quispe")
    log(meeting, technician_anta, [AttendanceRow(name="Rosa Q.", gender="female", person=rosa)])
    person_erase(by=coordinator, person=rosa)
    row = Attendance.objects.get()
    assert (row.name, row.person_id, row.gender) == ("", rosa.pk, "female")


def test_merging_two_people_on_one_list_is_refused_and_otherwise_moves_the_row(
    space, technician_anta, coordinator
):
    rosa = register(given_names="Rosa", first_surname="Quispe")
    twin = register(given_names="Rosa", first_surname="Quispe", second_surname="M")
    first = scheduled(space, when=lima(2026, 3, 10))
    log(first, technician_anta, [AttendanceRow(name="", gender="", person=p) for p in (rosa, twin)])
    with pytest.raises(ValidationError):
        person_merge(by=coordinator, kept=rosa, merged=twin)
    assert Attendance.objects.filter(person=twin).count() == 1
    Attendance.objects.filter(person=rosa).delete()
    person_merge(by=coordinator, kept=rosa, merged=twin)
    assert Attendance.objects.get().person == rosa


def test_the_attendance_sheet_prints_the_spaces_people_then_blank_rows_with_a_dni_column(
    client, space, meeting, technician_anta
):
    from django.urls import reverse

    from spaces.models import SpaceMember
    from tests.spaces.test_views import pdf_text

    justina = register(given_names="Justina", first_surname="Huillca", dni="40123456")
    SpaceMember.objects.get(space=space, role="member").representative_people.add(justina)
    earlier = scheduled(space, when=lima(2026, 2, 10))
    rosa = register(given_names="Rosa", first_surname="Quispe", gender="female")
    log(
        earlier,
        None,
        [AttendanceRow(name="", gender="", person=rosa, organisation_name="Comunidad Ccollana")],
    )
    client.force_login(technician_anta)
    text = pdf_text(client.get(reverse("spaces:attendance_sheet", args=[meeting.pk])).content)
    lines = [line.split() for line in text.splitlines() if line.strip()[:2].strip().isdigit()]
    assert [line[:2] for line in lines[:2]] == [["1", "Justina"], ["2", "Rosa"]]  # by name
    assert "Comunidad Ccollana" in text and "DNI" in text and "Ley 29733" in text
    assert [int(line[0]) for line in lines] == list(range(1, 31))  # then blank rows, 30 in all
    assert "40123456" not in text  # the sheet goes round the room: no DNI is printed


def test_a_member_organisations_representatives_are_linked_by_dni_or_name(client, space, technician_anta):
    from django.urls import reverse

    from kallpanchis.organisations.models import Organisation
    from kallpanchis.organisations.services import organisation_ensure
    from spaces.models import SpaceMember

    justina = register(given_names="Justina", first_surname="Huillca", dni="40123456")
    rosa = register(given_names="Rosa", first_surname="Quispe", second_surname="Mamani")
    register(given_names="Julián", first_surname="Ccori")
    register(given_names="Julián", first_surname="Ccori", second_surname="Puma")
    org = organisation_ensure(name="Asociación Ccollana", kind=Organisation.Kind.PRODUCER)
    client.force_login(technician_anta)
    url = reverse("spaces:space_member_add", args=[space.pk])
    data = {"organisation": org.pk, "role": "member", "representatives": ""}
    refused = client.post(url, {**data, "representative_people": "40 123 456\nJulián Ccori\nNadie Nunca"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["representative_people"] == [
        "“Julián Ccori” coincide con varias personas: escriba su DNI.",
        "Nadie del registro que usted puede ver coincide con “Nadie Nunca”.",
    ]
    assert not SpaceMember.objects.filter(organisation=org).exists()
    assert (
        client.post(url, {**data, "representative_people": "40123456\nrosa quispe mamani"}).status_code == 302
    )
    member = SpaceMember.objects.get(organisation=org)
    assert set(member.representative_people.all()) == {justina, rosa}
    # The next meeting's log lists them to tick.
    page = client.get(reverse("spaces:meeting_log", args=[scheduled(space, when=lima(2026, 4, 1)).pk]))
    assert {e.person_id for e in page.context["roster"]} == {justina.pk, rosa.pk}
