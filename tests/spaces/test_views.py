import datetime
import shutil
import subprocess

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kallpanchis.organisations.models import Organisation
from kallpanchis.organisations.services import organisation_ensure
from spaces.models import Agreement, Attendance, Meeting
from spaces.services import calendar_token_regenerate, calendar_token_revoke, space_update

from .factories import anta_space, held, lima, producer_org, scheduled

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(municipalities):
    return anta_space(municipalities["anta"])


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def log_post(rows: list[dict], agreements: list[dict], **extra) -> dict:
    data = {
        "minutes": "Se acordó mejorar el acopio.",
        "decisions": "",
        **management("attendance", max(len(rows), 1)),
        **management("agreements", max(len(agreements), 1)),
    }
    for i, row in enumerate(rows):
        # "name": a person not in the space's list, as written (the form's given-names box).
        data.update({f"attendance-{i}-{'given_names' if k == 'name' else k}": v for k, v in row.items()})
    for i, row in enumerate(agreements):
        data.update({f"agreements-{i}-{k}": v for k, v in row.items()})
    data.update(extra)
    return data


def test_schedule_a_meeting(client, space, technician_anta):
    client.force_login(technician_anta)
    data = {
        "title": "Reunión de marzo",
        "date": "2026-03-10",
        "start_time": "09:00",
        "end_time": "12:00",
        "place": "Izcuchaca",
        "convened_by": "",
        **management("agenda", 3),
        "agenda-0-title": "Precio de la leche",
        "agenda-0-duration_minutes": "30",
    }
    response = client.post(reverse("spaces:meeting_schedule", args=[space.pk]), data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "spaces:meeting_detail", args=[meeting.pk]
    )
    assert meeting.starts_at == lima(2026, 3, 10, 9) and meeting.ends_at == lima(2026, 3, 10, 12)
    assert list(meeting.agenda_items.values_list("title", flat=True)) == [
        "Seguimiento de acuerdos",
        "Precio de la leche",
    ]
    assert meeting.invited.count() == 0  # nothing ticked: nobody invited
    page = client.get(response["Location"]).content.decode()
    assert "Reunión de marzo" in page and "Precio de la leche" in page


def test_end_before_start_is_shown_next_to_the_end_time(client, space, technician_anta):
    client.force_login(technician_anta)
    data = {
        "title": "R",
        "date": "2026-03-10",
        "start_time": "12:00",
        "end_time": "09:00",
        "place": "X",
        **management("agenda", 0),
    }
    response = client.post(reverse("spaces:meeting_schedule", args=[space.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["end_time"] == ["La reunión debe terminar después de empezar."]
    assert Meeting.objects.count() == 0


def test_log_twelve_people_and_two_agreements(client, space, technician_anta):
    meeting = scheduled(space, when=lima(2026, 3, 10))
    org = producer_org()
    client.force_login(technician_anta)
    rows = [
        {
            "name": f"Persona {i}",
            "gender": "female" if i % 3 else "male",
            "organisation": str(org.pk) if i < 6 else "",
            "organisation_name": "" if i < 6 else "Comunidad Ccollana",
        }
        for i in range(12)
    ]
    rows += [{"name": "", "gender": "", "organisation": "", "organisation_name": ""}] * 3  # spare lines
    agreements = [
        {
            "what": "Instalar tanque de frío",
            "responsible_organisation": str(org.pk),
            "responsible_person": "",
            "due_date": "2026-04-10",
        },
        {
            "what": "Capacitar en BPM",
            "responsible_organisation": "",
            "responsible_person": "Luis Mamani",
            "due_date": "2026-05-10",
        },
    ]
    response = client.post(reverse("spaces:meeting_log", args=[meeting.pk]), log_post(rows, agreements))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert meeting.attendance.count() == 12
    assert meeting.attendance.filter(gender="female").count() == 8
    assert list(meeting.agreements.values_list("what", "responsible_person")) == [
        ("Instalar tanque de frío", ""),
        ("Capacitar en BPM", "Luis Mamani"),
    ]


def test_bad_log_input_is_explained_next_to_each_field_and_nothing_is_saved(client, space, technician_anta):
    meeting = scheduled(space, when=lima(2026, 3, 10))
    client.force_login(technician_anta)
    rows = [{"name": "Ana Quispe", "gender": "female"}, {"name": "", "gender": "male", "role": "Presidente"}]
    agreements = [{"what": "Algo", "responsible_person": "Ana", "due_date": "2026-03-09"}]
    upload = SimpleUploadedFile("acta.pdf", b"MZ\x90\x00 an exe", content_type="application/pdf")
    response = client.post(
        reverse("spaces:meeting_log", args=[meeting.pk]), log_post(rows, agreements, signed_record=upload)
    )
    assert response.status_code == 200
    ctx = response.context
    assert ctx["attendance"].forms[1].errors["given_names"] == [
        "Escriba el nombre de la persona, o borre esta fila."
    ]
    assert ctx["agreements"].forms[0].errors["due_date"] == [
        "La fecha límite no puede ser anterior a la reunión."
    ]
    assert "PDF" in ctx["form"].errors["signed_record"][0]
    html = response.content.decode()
    assert "Escriba el nombre de la persona" in html and 'aria-invalid="true"' in html
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED and meeting.minutes == ""
    assert Attendance.objects.count() == 0 and Agreement.objects.count() == 0


def test_oversize_signed_record_is_refused(client, space, technician_anta):
    meeting = scheduled(space)
    client.force_login(technician_anta)
    big = SimpleUploadedFile(
        "acta.pdf", b"%PDF-1.7" + b"0" * (8 * 1024 * 1024 + 10), content_type="application/pdf"
    )
    response = client.post(
        reverse("spaces:meeting_log", args=[meeting.pk]),
        log_post([{"name": "Ana", "gender": "female"}], [], signed_record=big),
    )
    assert response.status_code == 200
    assert "8 MB" in response.context["form"].errors["signed_record"][0]
    assert Attendance.objects.count() == 0


def test_log_needs_at_least_one_person(client, space, technician_anta):
    meeting = scheduled(space)
    client.force_login(technician_anta)
    response = client.post(reverse("spaces:meeting_log", args=[meeting.pk]), log_post([], []))
    assert response.status_code == 200
    assert response.context["attendance"].non_form_errors() == ["Añada al menos una persona que asistió."]


def test_add_more_rows_without_javascript_keeps_what_was_typed(client, space, technician_anta):
    meeting = scheduled(space)
    client.force_login(technician_anta)
    data = log_post([{"name": "Ana Quispe", "gender": "female"}], [], more_rows="1")
    data["minutes"] = ""
    response = client.post(reverse("spaces:meeting_log", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert len(response.context["attendance"].forms) == 1 + 3
    html = response.content.decode()
    assert 'value="Ana Quispe"' in html and 'name="attendance-3-given_names"' in html
    assert "is-invalid" not in html.split('id="step-attendance"')[1]  # no error shown while adding rows
    assert Attendance.objects.count() == 0


def test_signed_record_is_uploaded_and_served_only_through_the_view(client, space, technician_anta):
    meeting = scheduled(space)
    client.force_login(technician_anta)
    scan = SimpleUploadedFile("Acta firmada.pdf", b"%PDF-1.7 signed", content_type="application/pdf")
    client.post(
        reverse("spaces:meeting_log", args=[meeting.pk]),
        log_post([{"name": "Ana", "gender": "female"}], [], signed_record=scan),
    )
    meeting.refresh_from_db()
    assert meeting.signed_record.name.startswith("private/meeting-records/")
    response = client.get(reverse("spaces:signed_record", args=[meeting.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.7 signed"


def test_attendance_sheet_pdf_has_numbered_rows_and_the_meeting(client, space, technician_anta):
    meeting = scheduled(space, when=lima(2026, 3, 10, 9))
    client.force_login(technician_anta)
    response = client.get(reverse("spaces:attendance_sheet", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Espacio técnico de desarrollo económico de Anta" in text
    assert "10 de marzo de 2026" in text and "Local comunal de Izcuchaca" in text
    assert "Firma" in text and "Organización" in text
    numbers = [line.split()[0] for line in text.splitlines() if line.strip() and line.split()[0].isdigit()]
    assert [int(n) for n in numbers if int(n) <= 40][:30] == list(range(1, 31))


def test_acta_pdf_has_agenda_attendance_minutes_and_agreements(client, space, technician_anta):
    earlier = held(space, when=lima(2026, 2, 10), agreements=["Limpiar el canal"])
    meeting = held(space, when=lima(2026, 3, 10), agreements=["Instalar tanque de frío"], women=2, men=1)
    client.force_login(technician_anta)
    text = pdf_text(client.get(reverse("spaces:meeting_acta", args=[meeting.pk])).content)
    for expected in [
        "Seguimiento de acuerdos",
        "Limpiar el canal",
        "Se revisó el avance.",
        "Instalar tanque de frío",
        "Luis Mamani",
        "Mujer 0",
        "Mujer 1",
        "Varón 0",
        "3 personas: 2 mujeres, 1 hombres",
    ]:
        assert expected in text, expected
    assert earlier.pk != meeting.pk


def test_acta_of_a_planned_meeting_is_not_found(client, space, technician_anta):
    meeting = scheduled(space)
    client.force_login(technician_anta)
    assert client.get(reverse("spaces:meeting_acta", args=[meeting.pk])).status_code == 404


def test_agreement_status_change_through_the_page(client, space, technician_anta):
    meeting = held(space, agreements=["Tanque"])
    agreement = meeting.agreements.get()
    client.force_login(technician_anta)
    evidence = SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff\xe0 jpeg", content_type="image/jpeg")
    response = client.post(
        reverse("spaces:agreement_detail", args=[agreement.pk]),
        {"to_status": "done", "note": "Listo", "evidence": evidence},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "done" and agreement.done_on == timezone.localdate()
    change = agreement.history.get()
    response = client.get(reverse("spaces:agreement_evidence", args=[change.pk]))
    assert response.status_code == 200
    page = client.get(reverse("spaces:agreement_detail", args=[agreement.pk])).content.decode()
    assert "Listo" in page and "Hecho" in page


def test_register_filters_by_organisation_and_overdue(client, space, technician_anta):
    org = producer_org()
    meeting = held(space, when=lima(2020, 3, 10), agreements=["Viejo"])
    agreement = meeting.agreements.get()
    Agreement.objects.filter(pk=agreement.pk).update(responsible_organisation=org)
    # Held yesterday, due in a month (a meeting is logged once it started).
    held(space, when=timezone.now() - datetime.timedelta(days=1), agreements=["Futuro"])
    client.force_login(technician_anta)
    response = client.get(reverse("spaces:agreement_list"), {"overdue": "on"})
    assert [a.what for a in response.context["agreements"]] == ["Viejo"]
    assert "is-overdue" in response.content.decode()
    response = client.get(reverse("spaces:agreement_list"), {"organisation": org.pk})
    assert [a.what for a in response.context["agreements"]] == ["Viejo"]


def test_postpone_and_cancel_pages(client, space, technician_anta):
    meeting = scheduled(space, when=lima(2026, 3, 10, 9))
    client.force_login(technician_anta)
    response = client.post(
        reverse("spaces:meeting_postpone", args=[meeting.pk]),
        {"date": "2026-03-17", "start_time": "10:00", "end_time": "09:00", "reason": "Lluvias"},
    )
    assert response.context["form"].errors["end_time"]
    response = client.post(
        reverse("spaces:meeting_postpone", args=[meeting.pk]),
        {"date": "2026-03-17", "start_time": "10:00", "end_time": "12:00", "reason": "Lluvias"},
    )
    assert response.status_code == 302
    page = client.get(reverse("spaces:meeting_detail", args=[meeting.pk])).content.decode()
    assert "10/03/2026 09:00" in page and "Lluvias" in page
    client.post(reverse("spaces:meeting_cancel", args=[meeting.pk]), {"reason": "Paro"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


def test_private_calendar_feed_is_valid_and_in_lima_time(client, space, technician_anta):
    meeting = scheduled(space, when=timezone.now().replace(microsecond=0) + datetime.timedelta(days=3))
    token = calendar_token_regenerate(user=technician_anta).token
    response = client.get(reverse("spaces:calendar_feed", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    start = events[0].decoded("dtstart")
    assert str(start.tzinfo) == "America/Lima"
    assert start == meeting.starts_at and start.utcoffset() == datetime.timedelta(hours=-5)
    assert events[0]["location"] == "Local comunal de Izcuchaca"
    assert any(c.name == "VTIMEZONE" for c in calendar.walk())
    calendar_token_revoke(user=technician_anta)
    assert client.get(reverse("spaces:calendar_feed", args=[token])).status_code == 404


def test_calendar_settings_regenerate_changes_the_address(client, technician_anta):
    client.force_login(technician_anta)
    client.post(reverse("spaces:calendar_regenerate"))
    first = client.get(reverse("spaces:calendar_settings")).context["feed_url"]
    client.post(reverse("spaces:calendar_regenerate"))
    second = client.get(reverse("spaces:calendar_settings")).context["feed_url"]
    assert first != second and client.get(first).status_code == 404 and client.get(second).status_code == 200
    client.post(reverse("spaces:calendar_revoke"))
    assert client.get(second).status_code == 404


def test_public_page_shows_meetings_and_agreements_but_no_names(client, space, technician_anta):
    space_update(space=space, by=None, is_public=True)
    held(space, when=lima(2026, 2, 10), agreements=["Instalar tanque de frío"], women=2, men=1)
    scheduled(space, when=timezone.now() + datetime.timedelta(days=5), title="Próxima reunión")
    response = client.get(reverse("spaces:public_space", args=[space.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Próxima reunión" in html
        and "Instalar tanque de frío" in html
        and "3 participantes (2 mujeres)" in html
    )
    assert "Mujer 0" not in html and "Luis Mamani" not in html
    ics = icalendar.Calendar.from_ical(
        client.get(reverse("spaces:public_space_calendar", args=[space.pk])).content
    )
    assert len(list(ics.walk("VEVENT"))) >= 1


def test_private_space_has_no_public_page(client, space):
    assert client.get(reverse("spaces:public_space", args=[space.pk])).status_code == 404
    assert client.get(reverse("spaces:public_space_calendar", args=[space.pk])).status_code == 404


def test_create_a_space_with_the_form(client, municipalities, technician_anta):
    client.force_login(technician_anta)
    response = client.post(
        reverse("spaces:space_create"),
        {
            "name": "Mesa de cuyes",
            "municipality": municipalities["anta"].pk,
            "level": "provincial",
            "kind": "thematic",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("spaces:space_create"), {"name": "Sin convocante", "level": "provincial", "kind": "thematic"}
    )
    assert response.context["form"].errors["municipality"]
    response = client.post(
        reverse("spaces:space_create"),
        {
            "name": "Ajena",
            "municipality": municipalities["colquemarca"].pk,
            "level": "district",
            "kind": "technical",
        },
    )
    assert "municipality" in response.context["form"].errors


def test_member_add_and_remove(client, space, technician_anta):
    from kallpanchis.organisations.models import Organisation

    client.force_login(technician_anta)
    cadep = Organisation.objects.create(name="CADEP", kind="ngo")
    client.post(
        reverse("spaces:space_member_add", args=[space.pk]),
        {"organisation": cadep.pk, "role": "adviser", "representatives": "Rosa Huamán"},
    )
    member = space.members.get(organisation=cadep)
    assert member.role == "adviser"
    assert (
        client.get(reverse("spaces:space_member_remove", args=[member.pk])).status_code == 200
    )  # confirmation first
    client.post(reverse("spaces:space_member_remove", args=[member.pk]))
    assert not space.members.filter(organisation=cadep).exists()


def test_edit_the_agenda_of_an_upcoming_meeting(client, space, technician_anta):
    from spaces.services import AgendaItemData

    meeting = scheduled(space, agenda=[AgendaItemData(title="Viejo punto"), AgendaItemData(title="Se queda")])
    client.force_login(technician_anta)
    url = reverse("spaces:meeting_agenda", args=[meeting.pk])
    form = client.get(url).context["agenda"]
    assert [f.initial["title"] for f in form.forms[:2]] == ["Viejo punto", "Se queda"]
    data = {
        **management("agenda", 4),
        "agenda-0-title": "",
        "agenda-1-title": "Se queda",
        "agenda-2-title": "Nuevo",
    }
    assert client.post(url, data).status_code == 302
    titles = list(meeting.agenda_items.values_list("position", "title", "is_follow_up"))
    assert titles == [(0, "Seguimiento de acuerdos", True), (1, "Se queda", False), (2, "Nuevo", False)]


def test_agenda_of_a_held_meeting_cannot_change(client, space, technician_anta):
    meeting = held(space)
    client.force_login(technician_anta)
    assert client.get(reverse("spaces:meeting_agenda", args=[meeting.pk])).status_code == 404


def test_coordinator_adds_a_thematic_group_and_a_technician_cannot(client, coordinator, technician_anta):
    from spaces.models import ThematicGroup

    client.force_login(coordinator)
    response = client.post(reverse("spaces:thematic_group_list"), {"name": "Papa nativa"})
    assert response.status_code == 302
    assert list(ThematicGroup.objects.values_list("name", flat=True)) == ["Papa nativa"]
    client.force_login(technician_anta)
    assert client.get(reverse("spaces:thematic_group_list")).status_code == 200
    assert client.post(reverse("spaces:thematic_group_list"), {"name": "Otra"}).status_code == 404
    assert ThematicGroup.objects.count() == 1


def test_edit_a_space_and_delete_an_attendance_row(client, space, technician_anta):
    client.force_login(technician_anta)
    response = client.post(
        reverse("spaces:space_edit", args=[space.pk]),
        {"name": "Espacio técnico de Anta", "level": "provincial", "kind": "technical", "is_public": "on"},
    )
    assert response.status_code == 302
    space.refresh_from_db()
    assert (space.name, space.is_public) == ("Espacio técnico de Anta", True)
    meeting = held(space, women=1, men=1)
    row = meeting.attendance.first()
    assert client.get(reverse("spaces:attendance_remove", args=[row.pk])).status_code == 200
    client.post(reverse("spaces:attendance_remove", args=[row.pk]))
    assert list(meeting.attendance.values_list("name", flat=True)) == ["Varón 0"]


def test_meeting_list_of_one_space(client, municipalities, space, technician_anta, technician_chumbivilcas):
    other = anta_space(municipalities["anta"], name="Otro espacio")
    scheduled(space, title="Del espacio")
    scheduled(other, title="De otro")
    client.force_login(technician_anta)
    response = client.get(reverse("spaces:meeting_list"), {"space": space.pk})
    assert [m.title for m in response.context["meetings"]] == ["Del espacio"]
    client.force_login(technician_chumbivilcas)
    assert client.get(reverse("spaces:meeting_list"), {"space": space.pk}).status_code == 404


def test_the_log_offers_the_organisations_around_the_meeting_for_agreements(client, space, technician_anta):
    """Not every organisation of the region (2,100 options per agreement row at 10×): the space's members,
    the convening municipality, the consortium's partners; another one posted is still accepted."""
    meeting = scheduled(space, when=lima(2026, 3, 10))
    far = producer_org("Asociación de Criadores de Cuyes de Llusco")
    partner = organisation_ensure(name="CADEP", kind=Organisation.Kind.NGO, consortium_role="municipalities")
    client.force_login(technician_anta)
    page = client.get(reverse("spaces:meeting_log", args=[meeting.pk])).content.decode()
    select = page[page.index('name="agreements-0-responsible_organisation"') :]
    select = select[: select.index("</select>")]
    assert f'value="{producer_org().pk}"' in select  # a member of the space
    assert f'value="{space.municipality.organisation.pk}"' in select and f'value="{partner.pk}"' in select
    assert f'value="{far.pk}"' not in select
    agreement = {
        "what": "Visitar a los criadores",
        "responsible_organisation": str(far.pk),
        "responsible_person": "",
        "due_date": "2026-04-10",
    }
    rows = [{"name": "Persona 1", "gender": "female", "organisation": "", "organisation_name": "Ccollana"}]
    response = client.post(reverse("spaces:meeting_log", args=[meeting.pk]), log_post(rows, [agreement]))
    assert response.status_code == 302
    assert meeting.agreements.get().responsible_organisation == far
