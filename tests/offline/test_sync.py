"""The sync endpoint: a phone's draft is applied exactly once, refused when the meeting changed, and never
applied for someone who may not log the meeting."""

import datetime
import json
import uuid

import pytest
from django.urls import reverse

from kallpanchis.offline.models import OfflineSubmission
from spaces.models import Agreement, Attendance, Meeting
from spaces.services import meeting_cancel, meeting_postpone
from tests.offline.helpers import draft_payload, meeting_to_log, upcoming_meeting

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


def test_three_retries_make_one_log(tech, meeting):
    payload = draft_payload(meeting)
    answers = [post(tech, meeting, payload) for _ in range(3)]

    assert [a.status_code for a in answers] == [201, 200, 200]
    assert [a.json()["duplicate"] for a in answers] == [False, True, True]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert meeting.minutes == "Se acordó mejorar los pastos."
    assert meeting.decisions == "Comprar semillas de avena."
    rows = list(Attendance.objects.filter(meeting=meeting).order_by("position"))
    assert [r.name for r in rows] == [f"Persona {i}" for i in range(1, 11)]
    assert [r.gender for r in rows] == ["female", "male"] * 5
    assert [r.is_producer for r in rows] == [i % 3 == 0 for i in range(1, 11)]
    assert {r.organisation_name for r in rows} == {"Comunidad Ccollana"}
    agreements = list(Agreement.objects.filter(meeting=meeting).order_by("due_date"))
    assert [a.what for a in agreements] == ["Acuerdo 1", "Acuerdo 2"]
    assert [a.responsible_person for a in agreements] == ["Luis Mamani"] * 2
    submission = OfflineSubmission.objects.get()
    assert (submission.client_id, submission.object_id, submission.kind) == (
        uuid.UUID(payload["client_id"]),
        meeting.pk,
        "meeting_log",
    )
    assert submission.result == {
        "status": "accepted",
        "meeting": meeting.pk,
        "attendance": 10,
        "agreements": 2,
    }


def test_refused_when_the_meeting_was_postponed_in_between(tech, meeting, technician_anta):
    payload = draft_payload(meeting)
    new_start = meeting.starts_at + datetime.timedelta(days=7)
    meeting_postpone(
        meeting=meeting,
        by=technician_anta,
        starts_at=new_start,
        ends_at=new_start + datetime.timedelta(hours=2),
        reason="Lluvias",
    )
    answer = post(tech, meeting, payload)

    assert answer.status_code == 409
    assert answer.json()["error"] == "changed"
    assert answer.json()["message"].startswith("Esta reunión se trasladó al ")
    assert answer.json()["message"].endswith(
        "Su borrador se conserva en este teléfono: revise la reunión y vuelva a enviarlo."
    )
    assert Attendance.objects.count() == 0
    assert OfflineSubmission.objects.count() == 0
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.POSTPONED


def test_refused_when_the_meeting_was_cancelled(tech, meeting, technician_anta):
    payload = draft_payload(meeting)
    meeting_cancel(meeting=meeting, by=technician_anta, reason="Paro agrario")
    answer = post(tech, meeting, payload)
    assert answer.status_code == 409
    assert "cancel" in answer.json()["message"].lower()
    assert OfflineSubmission.objects.count() == 0


def test_after_the_refusal_the_same_draft_with_the_new_version_is_accepted(tech, meeting, technician_anta):
    payload = draft_payload(meeting)
    new_start = meeting.starts_at + datetime.timedelta(hours=1)  # moved, and still started before now
    meeting_postpone(
        meeting=meeting,
        by=technician_anta,
        starts_at=new_start,
        ends_at=new_start + datetime.timedelta(hours=1),
        reason="x",
    )
    assert post(tech, meeting, payload).status_code == 409
    meeting.refresh_from_db()
    payload["version"] = meeting.updated_at.isoformat()
    assert post(tech, meeting, payload).status_code == 201
    assert Attendance.objects.filter(meeting=meeting).count() == 10


def test_signed_out_is_told_so_in_json(client, meeting):
    answer = post(client, meeting, draft_payload(meeting))
    assert answer.status_code == 401
    assert answer.json()["error"] == "signed_out"
    assert client.get(reverse("spaces_offline:meetings")).status_code == 401
    assert Attendance.objects.count() == 0


def test_outside_scope_is_404_and_changes_nothing(client, technician_chumbivilcas, meeting):
    client.force_login(technician_chumbivilcas)
    answer = post(client, meeting, draft_payload(meeting))
    assert answer.status_code == 404
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED
    assert OfflineSubmission.objects.count() == 0


def test_the_same_draft_id_from_another_person_is_refused(client, tech, meeting, municipalities):
    from tests.accounts.factories import person_with_role

    payload = draft_payload(meeting)
    assert post(tech, meeting, payload).status_code == 201
    other = person_with_role("technician", municipalities["anta"].organisation, email="otro@example.pe")
    client.force_login(other)
    answer = post(client, meeting, payload)
    assert answer.status_code == 409
    assert answer.json()["error"] == "conflict"
    assert OfflineSubmission.objects.get().user.email == "tec.anta@example.pe"


def test_invalid_drafts_say_what_to_fix_and_change_nothing(tech, meeting):
    payload = draft_payload(meeting, people=2, agreements=1)
    payload["minutes"] = " "
    payload["attendance"][1]["name"] = ""
    payload["agreements"][0]["due_date"] = ""
    answer = post(tech, meeting, payload)
    assert answer.status_code == 400
    assert answer.json()["errors"] == [
        "Escriba el acta.",
        "Persona 2: escriba el nombre.",
        "Acuerdo 1: indique la fecha límite.",
    ]
    assert Attendance.objects.count() == 0
    bad = post(tech, meeting, {"client_id": "nope"})
    assert bad.status_code == 400
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED


def test_a_due_date_before_the_meeting_refuses_the_whole_log(tech, meeting):
    payload = draft_payload(meeting)
    payload["agreements"][0]["due_date"] = "2020-01-01"
    answer = post(tech, meeting, payload)
    assert answer.status_code == 400
    assert Attendance.objects.count() == 0
    assert OfflineSubmission.objects.count() == 0


def test_a_draft_without_anyone_who_attended_is_refused_by_the_service(tech, meeting):
    answer = post(tech, meeting, draft_payload(meeting, people=0))
    assert answer.status_code == 400
    assert answer.json()["errors"] == ["Añada al menos una persona que asistió."]
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED
    assert Agreement.objects.count() == 0 and OfflineSubmission.objects.count() == 0


def test_meeting_list_for_offline_use(tech, meeting, municipalities, django_assert_max_num_queries):

    far = upcoming_meeting(municipalities["anta"], days=200, title="Lejana")
    other = upcoming_meeting(municipalities["chumbivilcas"], title="Chumbivilcas")
    answer = tech.get(reverse("spaces_offline:meetings"))
    data = answer.json()
    assert answer["Cache-Control"].startswith("max-age=0")
    assert [m["id"] for m in data["meetings"]] == [meeting.pk]
    assert data["meetings"][0] == {
        "id": meeting.pk,
        "title": "Mesa técnica de leche",
        "space": meeting.space.name,
        "starts_at": meeting.starts_at.isoformat(),
        "place": "Local comunal de Izcuchaca",
        "status": "planned",
        "version": meeting.updated_at.isoformat(),
        "space_id": meeting.space_id,
    }
    assert data["csrf_token"]
    assert far.pk not in [m["id"] for m in data["meetings"]] and other.pk not in [
        m["id"] for m in data["meetings"]
    ]


def test_meeting_list_query_count_does_not_grow(tech, municipalities, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    upcoming_meeting(municipalities["anta"], title="Una")
    with CaptureQueriesContext(connection) as one:
        assert len(tech.get(reverse("spaces_offline:meetings")).json()["meetings"]) == 1
    from django.utils import timezone

    from spaces.models import ConcertationSpace
    from tests.spaces.factories import scheduled

    space = ConcertationSpace.objects.get()
    for i in range(24):
        scheduled(space, when=timezone.now() + datetime.timedelta(days=3, hours=i), title=f"R{i}")
    with django_assert_num_queries(len(one)):
        assert len(tech.get(reverse("spaces_offline:meetings")).json()["meetings"]) == 25
