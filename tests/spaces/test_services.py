import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from spaces.models import Agreement, AgreementStatusChange, Attendance, Meeting, MeetingEvent
from spaces.selectors import meeting_follow_up, space_participation
from spaces.services import (
    AgendaItemData,
    AgreementData,
    AttendanceRow,
    agreement_status_change,
    calendar_token_regenerate,
    calendar_token_revoke,
    meeting_cancel,
    meeting_log,
    meeting_postpone,
    space_create,
)
from tests.accounts.factories import person_with_role

from .factories import anta_space, held, lima, producer_org, scheduled

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(municipalities):
    return anta_space(municipalities["anta"])


def test_schedule_opens_the_agenda_with_the_follow_up_and_invites_every_member(space, technician_anta):
    meeting = scheduled(
        space, agenda=[AgendaItemData(title="Precio de la leche", presenter="ARPAC", duration_minutes=30)]
    )
    items = list(meeting.agenda_items.values_list("position", "title", "is_follow_up"))
    assert items == [(0, "Seguimiento de acuerdos", True), (1, "Precio de la leche", False)]
    assert meeting.status == Meeting.Status.PLANNED
    assert set(meeting.invited.values_list("name", flat=True)) == {
        "Municipalidad Provincial de Anta",
        "Asociación de Productores Lecheros Virgen de Natividad",
    }
    assert list(meeting.events.values_list("kind", flat=True)) == ["scheduled"]
    assert meeting.convened_by == "Municipalidad Provincial de Anta"


def test_a_meeting_that_ends_before_it_starts_is_refused_and_nothing_is_saved(space, technician_anta):
    with pytest.raises(ValidationError) as error:
        scheduled(space, hours=-1)
    assert "ends_at" in error.value.error_dict
    assert Meeting.objects.count() == 0


def test_postponing_keeps_the_old_date_and_the_reason(space, technician_anta):
    meeting = scheduled(space, when=lima(2026, 3, 10, 9))
    meeting_postpone(
        meeting=meeting,
        by=technician_anta,
        starts_at=lima(2026, 3, 17, 10),
        ends_at=lima(2026, 3, 17, 12),
        reason="Feriado",
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.POSTPONED
    assert meeting.starts_at == lima(2026, 3, 17, 10)
    event = meeting.events.get(kind=MeetingEvent.Kind.POSTPONED)
    assert (event.old_starts_at, event.new_starts_at, event.reason, event.by) == (
        lima(2026, 3, 10, 9),
        lima(2026, 3, 17, 10),
        "Feriado",
        technician_anta,
    )


def test_postponing_needs_a_reason_and_a_cancelled_meeting_cannot_move(space, technician_anta):
    meeting = scheduled(space)
    with pytest.raises(ValidationError):
        meeting_postpone(
            meeting=meeting,
            by=technician_anta,
            starts_at=lima(2026, 4, 1),
            ends_at=lima(2026, 4, 1, 11),
            reason=" ",
        )
    meeting_cancel(meeting=meeting, by=technician_anta, reason="Paro agrario")
    with pytest.raises(ValidationError):
        meeting_postpone(
            meeting=meeting,
            by=technician_anta,
            starts_at=lima(2026, 4, 1),
            ends_at=lima(2026, 4, 1, 11),
            reason="x",
        )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert meeting.starts_at == lima(2026, 3, 10)


def test_another_municipality_s_technician_cannot_postpone(space, technician_chumbivilcas):
    meeting = scheduled(space)
    with pytest.raises(PermissionDenied):
        meeting_cancel(meeting=meeting, by=technician_chumbivilcas, reason="x")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED
    assert meeting.events.count() == 1


def test_logging_saves_attendance_agreements_and_marks_held(space, technician_anta):
    meeting = scheduled(space, when=lima(2026, 3, 10))
    org = producer_org()
    meeting_log(
        meeting=meeting,
        by=technician_anta,
        minutes="Acta",
        attendance=[
            AttendanceRow(name=" Justina Huillca ", gender="female", organisation=org, is_producer=True),
            AttendanceRow(name="Pedro Ccori", gender="male", organisation_name="Comunidad Ccollana"),
        ],
        agreements=[
            AgreementData(
                what="Gestionar tanque de frío",
                due_date=datetime.date(2026, 3, 10),
                responsible_organisation=org,
            )
        ],
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert list(
        meeting.attendance.values_list("position", "name", "organisation_name", "gender", "is_producer")
    ) == [
        (1, "Justina Huillca", "Asociación de Productores Lecheros Virgen de Natividad", "female", True),
        (2, "Pedro Ccori", "Comunidad Ccollana", "male", False),
    ]
    assert meeting.agreements.get().status == Agreement.Status.PENDING
    assert list(meeting.events.values_list("kind", flat=True)) == ["scheduled", "held"]


@pytest.mark.parametrize(
    "attendance, agreements",
    [
        ([AttendanceRow(name="  ", gender="female")], []),
        (
            [AttendanceRow(name="Ana", gender="female")],
            [AgreementData(what="x", due_date=datetime.date(2026, 3, 9))],
        ),
    ],
    ids=["row-without-name", "due-before-meeting"],
)
def test_a_bad_row_refuses_the_whole_log(space, technician_anta, attendance, agreements):
    meeting = scheduled(space, when=lima(2026, 3, 10))
    with pytest.raises(ValidationError):
        meeting_log(
            meeting=meeting, by=technician_anta, minutes="Acta", attendance=attendance, agreements=agreements
        )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes) == (Meeting.Status.PLANNED, "")
    assert Attendance.objects.count() == 0 and Agreement.objects.count() == 0


def test_a_log_without_anyone_who_attended_is_refused_and_changes_nothing(space, technician_anta):
    meeting = scheduled(space, when=lima(2026, 3, 10))
    with pytest.raises(ValidationError) as error:
        meeting_log(
            meeting=meeting,
            by=technician_anta,
            minutes="Acta",
            agreements=[AgreementData(what="Tanque de frío", due_date=datetime.date(2026, 4, 10))],
        )
    assert error.value.message_dict == {"attendance": ["Añada al menos una persona que asistió."]}
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes) == (Meeting.Status.PLANNED, "")
    assert Attendance.objects.count() == 0 and Agreement.objects.count() == 0
    assert list(meeting.events.values_list("kind", flat=True)) == ["scheduled"]


def test_a_second_log_may_add_no_rows_when_people_were_logged_before(space, technician_anta):
    meeting = held(space, when=lima(2026, 3, 10), women=1, men=0)
    meeting_log(meeting=meeting, by=technician_anta, minutes="Acta corregida")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes, meeting.attendance.count()) == (
        Meeting.Status.HELD,
        "Acta corregida",
        1,
    )


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("acta.pdf", b"MZ\x90\x00 not a pdf"),
        SimpleUploadedFile("acta.pdf", b"%PDF-1.7" + b"0" * (8 * 1024 * 1024 + 1)),
    ],
    ids=["wrong-type", "oversize"],
)
def test_a_bad_signed_record_refuses_the_log(space, technician_anta, upload):
    meeting = scheduled(space)
    with pytest.raises(ValidationError) as error:
        meeting_log(
            meeting=meeting,
            by=technician_anta,
            minutes="Acta",
            attendance=[AttendanceRow(name="Ana", gender="female")],
            signed_record=upload,
        )
    assert "signed_record" in error.value.error_dict
    assert Attendance.objects.count() == 0
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED and not meeting.signed_record


def test_status_change_keeps_history_and_done_date(space, technician_anta):
    meeting = held(space, when=lima(2026, 3, 10), agreements=["Tanque de frío"])
    agreement = meeting.agreements.get()
    agreement_status_change(
        agreement=agreement, by=technician_anta, to_status="in_progress", note="Cotización pedida"
    )
    evidence = SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n....")
    agreement_status_change(
        agreement=agreement,
        by=technician_anta,
        to_status="done",
        note="Instalado",
        evidence=evidence,
        on=datetime.date(2026, 3, 17),
    )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.done_on) == ("done", datetime.date(2026, 3, 17))
    assert agreement.closed_at is not None
    history = list(
        AgreementStatusChange.objects.filter(agreement=agreement).values_list(
            "by__email", "from_status", "to_status", "note"
        )
    )
    assert history == [
        ("tec.anta@example.pe", "pending", "in_progress", "Cotización pedida"),
        ("tec.anta@example.pe", "in_progress", "done", "Instalado"),
    ]
    assert agreement.history.last().evidence.name.startswith("private/agreement-evidence/")
    agreement_status_change(agreement=agreement, by=technician_anta, to_status="in_progress")
    agreement.refresh_from_db()
    assert (agreement.done_on, agreement.closed_at) == (None, None)


def test_a_representative_cannot_change_an_agreement(space, technician_anta):
    meeting = held(space, agreements=["Tanque de frío"])
    leader = person_with_role("leader", producer_org())
    agreement = meeting.agreements.get()
    with pytest.raises(PermissionDenied):
        agreement_status_change(agreement=agreement, by=leader, to_status="done")
    agreement.refresh_from_db()
    assert agreement.status == "pending" and agreement.history.count() == 0


def test_follow_up_lists_agreements_open_when_the_meeting_began(space, technician_anta):
    first = held(space, when=lima(2026, 1, 10), agreements=["A", "B", "C"])
    a, b, c = first.agreements.order_by("pk")
    agreement_status_change(agreement=b, by=technician_anta, to_status="dropped")
    later = scheduled(space, when=lima(2099, 1, 10))
    assert [x.what for x in meeting_follow_up(meeting=later)] == ["A", "C"]
    # For a meeting held before B was dropped, B was still open then.
    second = held(space, when=lima(2026, 2, 10))
    b.refresh_from_db()
    assert b.closed_at > second.starts_at
    assert [x.what for x in meeting_follow_up(meeting=second)] == ["A", "B", "C"]
    assert [x.what for x in meeting_follow_up(meeting=first)] == []


def test_participation_figures_match_hand_counts(space, technician_anta):
    org = producer_org()
    # Jan: 3 women (org) + 1 man (Ccollana) = 4, two agreements; Feb: 1 woman + 2 men, one agreement.
    jan = held(space, when=lima(2026, 1, 15), women=3, men=1, organisation=org, agreements=["A", "B"])
    feb = held(space, when=lima(2026, 2, 15), women=1, men=2, organisation=org, agreements=["C"])
    held(space, when=lima(2025, 12, 15), women=5, men=0)  # outside the period
    scheduled(space, when=lima(2026, 1, 20))  # planned, not held: not counted
    a, b = jan.agreements.order_by("pk")
    (c,) = feb.agreements.all()
    agreement_status_change(agreement=a, by=technician_anta, to_status="done", on=a.due_date)  # on time
    agreement_status_change(
        agreement=b, by=technician_anta, to_status="done", on=b.due_date + datetime.timedelta(days=1)
    )  # late
    agreement_status_change(agreement=c, by=technician_anta, to_status="dropped")
    figures = space_participation(
        space=space, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 2, 28)
    )
    assert figures.meetings_held == 2
    assert figures.attendance == 7
    assert figures.women == 4
    assert figures.women_share == Decimal("57.1")
    assert figures.organisations_represented == 2
    assert (figures.agreements, figures.agreements_done, figures.agreements_done_on_time) == (3, 2, 1)
    assert figures.done_on_time_share == Decimal("33.3")
    empty = space_participation(space=space, start=datetime.date(2030, 1, 1), end=datetime.date(2030, 12, 31))
    assert (empty.meetings_held, empty.attendance, empty.women_share) == (0, 0, None)


def test_sub_space_takes_its_parent_s_convener_and_refuses_other_municipalities(
    space, municipalities, technician_anta, technician_chumbivilcas
):
    from spaces.models import ThematicGroup

    milk = ThematicGroup.objects.create(name="Leche")
    sub = space_create(
        by=technician_anta,
        name="Mesa de leche",
        level="provincial",
        kind="thematic",
        parent=space,
        thematic_group=milk,
    )
    assert sub.municipality == municipalities["anta"]
    with pytest.raises(PermissionDenied):
        space_create(
            by=technician_chumbivilcas,
            name="Intrusa",
            level="provincial",
            kind="technical",
            municipality=municipalities["anta"],
        )
    # A provincial technician convenes for a district municipality of the province.
    pucyura = space_create(
        by=technician_anta,
        name="Mesa distrital",
        level="district",
        kind="development",
        municipality=municipalities["pucyura"],
    )
    assert pucyura.members.get().organisation == municipalities["pucyura"].organisation


def test_calendar_token_regenerate_and_revoke(technician_anta):
    first = calendar_token_regenerate(user=technician_anta).token
    second = calendar_token_regenerate(user=technician_anta).token
    assert first != second and len(second) >= 40
    calendar_token_revoke(user=technician_anta)
    from spaces.models import CalendarToken

    assert not CalendarToken.objects.filter(user=technician_anta).exists()
