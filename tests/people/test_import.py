"""Bringing the past in: `people_import` matches rows written before the register to people, registers the
members whose DNI their association recorded (the legacy consent rule), leaves the others anonymous, keeps
the ambiguous ones for a technician's decision; a second run changes nothing; a dry run saves nothing."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from kallpanchis.people.models import Consent, ImportMatch, Person
from kallpanchis.people.services import import_match_pick, import_match_skip, import_run
from municipalities.models import TrainingAttendance
from producers.models import Member
from spaces.models import Attendance
from tests.municipalities.factories import make_training
from tests.people.factories import PUCYURA, register
from tests.producers.factories import association_in
from tests.spaces.factories import anta_space, held, lima

pytestmark = pytest.mark.django_db


@pytest.fixture
def past(municipalities):
    """What the platform held before the register: an association's members (one with a DNI), two meetings'
    attendance sheets, a training list; and two registered women of one name in Pucyura."""
    association = association_in(PUCYURA, name="Asociación Sumaq Waka", communities="Comunidad Ccollpa")
    org = association.organisation
    Member.objects.create(
        association=association, name="Hilaria Quispe Mamani", gender="female", dni="40112233"
    )
    Member.objects.create(association=association, name="Julia Ccori", gender="female")
    space = anta_space(municipalities["anta"])
    first = held(space, when=lima(2026, 3, 10), women=0, men=0 + 1)
    second = held(space, when=lima(2026, 4, 10), women=0, men=1)
    for meeting in (first, second):
        Attendance.objects.create(
            meeting=meeting, name="HILARIA  QUISPE MAMANI", gender="female", organisation=org
        )
        Attendance.objects.create(meeting=meeting, name="Nelida Ccahua", gender="female")
    Attendance.objects.create(meeting=first, name="Rosa Huamán", gender="female")
    register(
        given_names="Nélida", first_surname="Ccahua", community="Anexo Huayllaccocha", district_ubigeo=PUCYURA
    )
    register(given_names="Nélida", first_surname="Ccahua", community="Anexo Chacán", district_ubigeo=PUCYURA)
    training = make_training(held_on=datetime.date(2026, 5, 20))
    TrainingAttendance.objects.create(
        training=training, person_name="Julia Ccori", gender="female", municipality=municipalities["pucyura"]
    )
    return {"association": association, "meetings": (first, second), "training": training}


def _state():
    """Everything the import may change, as plain values."""
    return {
        "people": sorted(Person.objects.values_list("pk", "search_name", "dni")),
        "consents": Consent.objects.count(),
        "members": sorted(Member.objects.values_list("pk", "person_id")),
        "attendance": sorted(Attendance.objects.values_list("pk", "person_id")),
        "training": sorted(TrainingAttendance.objects.values_list("pk", "person_id")),
        "matches": sorted(
            (m.source, m.row_id, m.status, tuple(sorted(m.candidates.values_list("pk", flat=True))))
            for m in ImportMatch.objects.all()
        ),
    }


def test_the_import_matches_creates_with_consent_and_lists_the_ambiguous(past):
    report = import_run()
    hilaria = Person.objects.get(dni="40112233")
    assert (hilaria.given_names, hilaria.first_surname, hilaria.second_surname) == (
        "Hilaria",
        "Quispe",
        "Mamani",
    )
    assert hilaria.district_ubigeo == PUCYURA and hilaria.community == "Comunidad Ccollpa"
    consent = Consent.objects.get(person=hilaria)
    assert consent.method == "paper" and "Asociación Sumaq Waka" in consent.purpose
    # The member with a DNI is registered; both attendance rows with the association's name are her.
    assert Member.objects.get(dni="40112233").person == hilaria
    assert Attendance.objects.filter(person=hilaria).count() == 2
    # Without a DNI, no consent: Julia stays a name (and so does her training row), Rosa too.
    assert Member.objects.get(name="Julia Ccori").person is None
    assert TrainingAttendance.objects.get().person is None
    assert Attendance.objects.get(name="Rosa Huamán").person is None
    # Two registered Nélida Ccahua in Pucyura, the sheets say nothing more: a technician decides.
    pending = ImportMatch.objects.filter(source="spaces.Attendance", status="pending")
    assert pending.count() == 2
    assert all(m.candidates.count() == 2 for m in pending)
    assert (report.matched, report.created, report.ambiguous) == (2, 1, 2)
    assert report.anonymous == 5  # Julia (member, training), Rosa, and the two men of held()


def test_run_twice_same_result_and_a_dry_run_saves_nothing(past):
    before = _state()
    dry = import_run(dry_run=True)
    assert _state() == before
    first = import_run()
    assert (dry.matched, dry.created, dry.ambiguous, dry.anonymous) == (
        first.matched,
        first.created,
        first.ambiguous,
        first.anonymous,
    )
    after = _state()
    again = import_run()
    assert _state() == after
    assert (again.matched, again.created, again.ambiguous) == (0, 0, 2)


def test_decisions_are_kept_and_not_asked_again(past, technician_anta):
    import_run()
    first, second = ImportMatch.objects.filter(status="pending").order_by("row_id")
    nelida = first.candidates.order_by("pk").first()
    import_match_pick(by=technician_anta, match=first, person=nelida)
    import_match_skip(by=technician_anta, match=second)
    assert Attendance.objects.get(pk=first.row_id).person == nelida
    assert Attendance.objects.get(pk=second.row_id).person is None
    report = import_run()
    assert report.ambiguous == 0 and report.decided == 1
    assert ImportMatch.objects.filter(status="pending").count() == 0


def test_a_technician_of_another_province_neither_sees_nor_decides(past, technician_chumbivilcas):
    from django.core.exceptions import PermissionDenied

    import_run()
    match = ImportMatch.objects.filter(status="pending").first()
    with pytest.raises(PermissionDenied):
        import_match_skip(by=technician_chumbivilcas, match=match)
    assert not ImportMatch.objects.visible_to(technician_chumbivilcas).exists()


def test_the_command_prints_the_report(past):
    out = io.StringIO()
    call_command("people_import", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "dry run" in text and "created: 1" in text and "ambiguous: 2" in text and "matched: 2" in text
    assert not Person.objects.filter(dni="40112233").exists()


def test_the_matches_page_picks_and_skips_without_javascript(client, past, technician_anta):
    import_run()
    client.force_login(technician_anta)
    page = client.get(reverse("people:match_list"))
    assert page.status_code == 200
    first, second = ImportMatch.objects.filter(status="pending").order_by("row_id")
    person = first.candidates.order_by("pk").first()
    assert "Nelida Ccahua" in page.content.decode()
    response = client.post(reverse("people:match_decide", args=[first.pk]), {"pick": person.pk})
    assert response.status_code == 302
    assert Attendance.objects.get(pk=first.row_id).person == person
    client.post(reverse("people:match_decide", args=[second.pk]), {"skip": "1"})
    assert ImportMatch.objects.get(pk=second.pk).status == "skipped"


def test_the_matches_page_query_count_is_flat(client, past, technician_anta, django_assert_max_num_queries):
    import_run()
    client.force_login(technician_anta)
    url = reverse("people:match_list")
    client.get(url)
    with django_assert_max_num_queries(20) as one:
        client.get(url)
    for meeting_day in range(11, 30):
        meeting = held(anta_space_for(past), when=lima(2026, 6, meeting_day), women=0, men=1)
        Attendance.objects.create(meeting=meeting, name="Nelida Ccahua", gender="female")
    import_run()
    assert ImportMatch.objects.filter(status="pending").count() == 21
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)


def anta_space_for(past):
    return past["meetings"][0].space
