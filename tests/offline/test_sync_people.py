"""The offline log and the register: the phone keeps the spaces' people, ticks them and adds new ones under an
id of its own; the server registers a new person once however often they are sent, links a DNI another
phone registered first, asks about probable duplicates, and never applies another person's draft."""

import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kallpanchis.offline.models import OfflinePerson, OfflineSubmission
from kallpanchis.people.models import Person
from spaces.models import Attendance, Meeting, SpaceMember
from spaces.offline import owner_key
from spaces.services import AttendanceRow, meeting_cancel, meeting_log
from tests.accounts.factories import person_with_role
from tests.offline.helpers import draft_payload, meeting_to_log
from tests.people.factories import ANTA, COLQUEMARCA, register
from tests.spaces.factories import lima, scheduled

pytestmark = pytest.mark.django_db


def post(client, meeting, payload):
    return client.post(
        reverse("spaces_offline:log", args=[meeting.pk]),
        data=json.dumps(payload),
        content_type="application/json",
    )


@pytest.fixture
def meeting(municipalities):
    return meeting_to_log(municipalities["anta"])


@pytest.fixture
def tech(client, technician_anta):
    client.force_login(technician_anta)
    return client


def new_person(given="Rosa", surnames="Quispe Mamani", client_id=None, **extra) -> dict:
    return {
        "name": f"{given} {surnames}",
        "gender": "female",
        "organisation_name": "Comunidad Ccollana",
        "new_person": {
            "client_id": str(client_id or uuid.uuid4()),
            "given_names": given,
            "surnames": surnames,
            "gender": "female",
            "community": "Ccollana",
            "district": ANTA,
            **extra,
        },
    }


def payload_with(meeting, rows, **extra) -> dict:
    payload = draft_payload(meeting, people=0, agreements=0, **extra)
    payload["attendance"] = rows
    return payload


def test_the_phone_keeps_the_spaces_people_districts_and_whose_list_it_is(tech, meeting, technician_anta):
    justina = register(given_names="Justina", first_surname="Huillca")
    SpaceMember.objects.get(space=meeting.space, role="member").representative_people.add(justina)
    data = tech.get(reverse("spaces_offline:meetings")).json()
    [space] = data["spaces"]
    assert space["id"] == meeting.space_id and space["default_district"] == ANTA
    assert space["people"] == [
        {
            "id": justina.pk,
            "name": "Justina Huillca",
            "gender": "female",
            "community": "",
            "organisation": "Asociación de Productores Lecheros Virgen de Natividad",
            "representative": True,
        }
    ]
    assert "Asociación de Productores Lecheros Virgen de Natividad" in space["organisations"]
    assert ANTA in [code for code, _name in data["districts"]]
    assert data["owner"] == owner_key(technician_anta) and len(data["owner"]) == 24
    assert "dni" not in json.dumps(data["spaces"]).lower()


def test_the_meeting_list_costs_the_same_with_1_or_25_people(tech, meeting):
    def attended(when, people):
        earlier = scheduled(meeting.space, when=when)
        rows = [AttendanceRow(name="", gender="", person=p) for p in people]
        meeting_log(meeting=earlier, by=None, minutes="Acta.", attendance=rows)

    attended(lima(2026, 1, 10), [register(given_names="Persona", first_surname="Uno")])
    with CaptureQueriesContext(connection) as one:
        assert len(tech.get(reverse("spaces_offline:meetings")).json()["spaces"][0]["people"]) == 1
    attended(
        lima(2026, 2, 10), [register(given_names=f"Persona {i}", first_surname=f"Otra{i}") for i in range(24)]
    )
    with CaptureQueriesContext(connection) as many:
        assert len(tech.get(reverse("spaces_offline:meetings")).json()["spaces"][0]["people"]) == 25
    assert len(many) == len(one)


def test_ticked_and_new_people_are_applied_once_however_often_the_draft_is_sent(tech, meeting):
    justina = register(given_names="Justina", first_surname="Huillca")
    SpaceMember.objects.get(space=meeting.space, role="member").representative_people.add(justina)
    payload = payload_with(meeting, [{"person": justina.pk, "organisation_name": "Asociación"}, new_person()])
    answers = [post(tech, meeting, payload) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert answers[0].json()["registered"] == 1
    rosa = Person.objects.get(search_name="rosa quispe mamani")
    assert rosa.created_by.email == "tec.anta@example.pe" and rosa.consents.get().method == "paper"
    rows = list(Attendance.objects.filter(meeting=meeting).order_by("position"))
    assert [(r.person, r.name) for r in rows] == [(justina, "Justina Huillca"), (rosa, "Rosa Quispe Mamani")]
    assert OfflineSubmission.objects.count() == 1 and OfflinePerson.objects.get().person == rosa


def test_the_same_new_person_in_a_second_draft_is_not_registered_twice(tech, meeting):
    phone_id = uuid.uuid4()
    assert post(tech, meeting, payload_with(meeting, [new_person(client_id=phone_id)])).status_code == 201
    later = meeting_to_log(meeting.space.municipality, hours_ago=1, title="Segunda reunión")
    answer = post(tech, later, payload_with(later, [new_person(client_id=phone_id)]))
    assert answer.status_code == 201 and answer.json()["registered"] == 0
    rosa = Person.objects.get()
    assert Attendance.objects.filter(person=rosa).count() == 2


def test_two_phones_adding_the_same_dni_make_one_person(tech, client, meeting, municipalities):
    first = post(tech, meeting, payload_with(meeting, [new_person(dni="40123456")]))
    assert first.status_code == 201
    other = person_with_role("technician", municipalities["anta"].organisation, email="otra@example.pe")
    client.force_login(other)
    later = meeting_to_log(meeting.space.municipality, hours_ago=1, title="Otra reunión")
    second = post(client, later, payload_with(later, [new_person(given="Rosa María", dni="40123456")]))
    assert second.status_code == 201
    assert (second.json()["registered"], second.json()["linked_by_dni"]) == (0, 1)
    rosa = Person.objects.get()
    assert rosa.given_names == "Rosa" and Attendance.objects.filter(person=rosa).count() == 2
    assert Attendance.objects.get(meeting=later).name == "Rosa María Quispe Mamani"  # as written


def test_a_probable_duplicate_is_asked_about_and_nothing_is_saved(tech, meeting):
    rosa = register(given_names="Rosa", first_surname="Quispe", second_surname="Mamani")
    rows = [{"name": "Luis", "gender": "male"}, new_person(given="Roza")]
    payload = payload_with(meeting, rows)
    answer = post(tech, meeting, payload)
    assert answer.status_code == 409
    body = answer.json()
    assert body["error"] == "duplicates"
    assert body["rows"] == [
        {
            "index": 1,
            "matches": [{"id": rosa.pk, "name": "Rosa Quispe Mamani", "community": "", "district": "Anta"}],
        }
    ]
    assert Attendance.objects.count() == 0 and OfflineSubmission.objects.count() == 0
    assert Person.objects.count() == 1

    # The technician says it is Rosa: the row becomes a tick.
    payload["attendance"][1] = {"person": rosa.pk}
    assert post(tech, meeting, payload).status_code == 201
    assert Attendance.objects.get(person=rosa).name == "Rosa Quispe Mamani" and Person.objects.count() == 1


def test_someone_else_with_a_similar_name_is_registered_when_the_phone_says_so(tech, meeting):
    register(given_names="Rosa", first_surname="Quispe", second_surname="Mamani")
    answer = post(tech, meeting, payload_with(meeting, [new_person(link_to="new")]))
    assert answer.status_code == 201 and answer.json()["registered"] == 1
    assert Person.objects.count() == 2


def test_a_draft_written_by_another_person_is_never_applied(tech, meeting, technician_anta, municipalities):
    other = person_with_role("technician", municipalities["anta"].organisation, email="otra@example.pe")
    payload = payload_with(
        meeting,
        [{"name": "Ana", "gender": "female"}],
    )
    payload["author"] = owner_key(other)
    answer = post(tech, meeting, payload)
    assert answer.status_code == 409 and answer.json()["error"] == "not_yours"
    assert Meeting.objects.get(pk=meeting.pk).status == "planned" and OfflineSubmission.objects.count() == 0
    payload["author"] = owner_key(technician_anta)
    assert post(tech, meeting, payload).status_code == 201


def test_a_refusal_says_how_the_meeting_is_now(tech, meeting, technician_anta):
    payload = payload_with(meeting, [{"name": "Ana", "gender": "female"}])
    meeting_cancel(meeting=meeting, by=technician_anta, reason="Paro")
    body = post(tech, meeting, payload).json()
    meeting.refresh_from_db()
    assert body["error"] == "changed"
    assert body["meeting"] == {
        "id": meeting.pk,
        "title": meeting.title,
        "space": meeting.space.name,
        "space_id": meeting.space_id,
        "starts_at": meeting.starts_at.isoformat(),
        "place": meeting.place,
        "status": "cancelled",
        "version": meeting.updated_at.isoformat(),
    }


def test_someone_outside_ones_register_cannot_be_ticked(tech, meeting):
    far = register(given_names="Eusebio", first_surname="Condori", district_ubigeo=COLQUEMARCA)
    answer = post(tech, meeting, payload_with(meeting, [{"person": far.pk}]))
    assert answer.status_code == 400
    assert Attendance.objects.count() == 0
    gone = post(tech, meeting, payload_with(meeting, [{"person": 999_999}]))
    assert gone.status_code == 400
    damaged = post(tech, meeting, payload_with(meeting, [{"person": "1; drop"}]))
    assert damaged.status_code == 400
