import datetime
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from municipalities import selectors, services
from municipalities.models import (
    AgreementStatus,
    Event,
    EventParticipation,
    MunicipalAssociation,
    PartnershipAgreement,
    SupportedAction,
    Technician,
    Training,
    TrainingAttendance,
)
from tests.accounts.factories import person_with_role
from tests.municipalities.factories import (
    PDF_BYTES,
    consortium,
    make_agreement,
    make_association,
    make_event,
    make_technician,
    make_training,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture
def technician_pucyura(municipalities):
    return person_with_role(
        "technician", municipalities["pucyura"].organisation, email="tec.pucyura@example.pe"
    )


@pytest.fixture
def partner_staff(db):
    cadep = consortium()["CADEP"]
    return person_with_role("partner_staff", cadep, email="staff@example.pe")


# Partnership agreements


def test_agreement_status_is_derived_from_its_dates(municipalities):
    anta = municipalities["anta"]
    draft = make_agreement(anta, title="Borrador", signed_on=None)
    signed = make_agreement(anta, title="Vigente", valid_until=datetime.date(2026, 12, 31))
    day = datetime.date(2026, 12, 31)
    assert [draft.status_on(day), signed.status_on(day)] == ["draft", "signed"]
    assert signed.status_on(day + datetime.timedelta(days=1)) == "expired"
    annotated = dict(
        PartnershipAgreement.objects.with_status(day + datetime.timedelta(days=1)).values_list(
            "title", "status_code"
        )
    )
    assert annotated == {"Borrador": "draft", "Vigente": "expired"}
    assert list(PartnershipAgreement.objects.with_status_code(AgreementStatus.SIGNED, day)) == [signed]


def test_coordinator_records_an_agreement_with_its_parties_and_document(municipalities, coordinator, media):
    partners = consortium()
    agreement = services.agreement_create(
        by=coordinator,
        municipality=municipalities["colquemarca"],
        title="Convenio Colquemarca",
        consortium_parties=[partners["AVSF"], partners["REMURPE"]],
        signed_on=datetime.date(2025, 2, 1),
        valid_from=datetime.date(2025, 2, 1),
        valid_until=datetime.date(2027, 1, 31),
        objectives="Plan concertado de desarrollo",
        document=SimpleUploadedFile("convenio firmado.pdf", PDF_BYTES),
    )
    agreement.refresh_from_db()
    assert agreement.municipality == municipalities["colquemarca"]
    assert sorted(p.short_name for p in agreement.consortium_parties.all()) == ["AVSF", "REMURPE"]
    assert agreement.document.name.startswith("private/agreements/") and agreement.document.name.endswith(
        ".pdf"
    )
    assert "convenio" not in agreement.document.name  # the person's file name never reaches the disk
    assert agreement.status_on(datetime.date(2026, 1, 1)) == "signed"


def test_technician_cannot_record_an_agreement(municipalities, technician_anta, media):
    with pytest.raises(PermissionDenied):
        services.agreement_create(by=technician_anta, municipality=municipalities["anta"], title="Mío")
    assert PartnershipAgreement.objects.count() == 0
    assert stored_files(media) == []


def test_an_exe_renamed_pdf_is_refused_and_nothing_is_stored(municipalities, coordinator, media):
    fake = SimpleUploadedFile("convenio.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200)
    with pytest.raises(ValidationError) as refused:
        services.agreement_create(
            by=coordinator, municipality=municipalities["anta"], title="Convenio", document=fake
        )
    assert "document" in refused.value.error_dict
    assert PartnershipAgreement.objects.count() == 0
    assert stored_files(media) == []


def test_agreement_dates_must_make_sense(municipalities, coordinator):
    with pytest.raises(ValidationError):
        services.agreement_create(
            by=coordinator,
            municipality=municipalities["anta"],
            title="Al revés",
            valid_from=datetime.date(2025, 1, 1),
            valid_until=datetime.date(2024, 1, 1),
        )
    with pytest.raises(ValidationError):
        services.agreement_create(
            by=coordinator,
            municipality=municipalities["anta"],
            title="Firmado sin vigencia",
            signed_on=datetime.date(2025, 1, 1),
        )
    assert PartnershipAgreement.objects.count() == 0


def test_replacing_the_document_deletes_the_old_file_after_commit(
    municipalities, coordinator, media, django_capture_on_commit_callbacks
):
    agreement = services.agreement_create(
        by=coordinator,
        municipality=municipalities["anta"],
        title="Convenio Anta",
        document=SimpleUploadedFile("a.pdf", PDF_BYTES),
    )
    old = media / agreement.document.name
    assert old.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_update(
            by=coordinator,
            agreement=agreement,
            document=SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
        )
    agreement.refresh_from_db()
    assert not old.exists()
    assert agreement.document.name.endswith(".png")
    assert stored_files(media) == [media / agreement.document.name]


def test_partner_staff_may_update_an_agreement_a_viewer_may_not(municipalities, partner_staff):
    agreement = make_agreement(municipalities["anta"], title="Antes")
    services.agreement_update(by=partner_staff, agreement=agreement, title="Después")
    viewer = person_with_role("viewer", None)
    with pytest.raises(PermissionDenied):
        services.agreement_update(by=viewer, agreement=agreement, title="Otro")
    agreement.refresh_from_db()
    assert agreement.title == "Después"


# Technicians' network


def test_technician_adds_a_member_to_their_own_municipality(municipalities, technician_pucyura):
    member = services.technician_create(
        by=technician_pucyura,
        municipality=municipalities["pucyura"],
        person_name="Yeny Huillca",
        gender="female",
        position="Promotora",
        since=datetime.date(2024, 1, 15),
    )
    assert (member.municipality, member.person_name, member.user) == (
        municipalities["pucyura"],
        "Yeny Huillca",
        None,
    )


def test_technician_cannot_add_a_member_elsewhere(municipalities, technician_pucyura):
    with pytest.raises(PermissionDenied):
        services.technician_create(
            by=technician_pucyura, municipality=municipalities["anta"], person_name="Intruso", gender="male"
        )
    assert Technician.objects.count() == 0


def test_technician_cannot_move_a_member_out_of_reach(municipalities, technician_pucyura):
    member = make_technician(municipalities["pucyura"])
    with pytest.raises(PermissionDenied):
        services.technician_update(
            by=technician_pucyura, technician=member, municipality=municipalities["anta"]
        )
    member.refresh_from_db()
    assert member.municipality == municipalities["pucyura"]


def test_a_member_may_be_linked_to_their_account_once_per_municipality(
    municipalities, coordinator, technician_anta
):
    services.technician_create(
        by=coordinator,
        municipality=municipalities["anta"],
        person_name="Luis",
        gender="male",
        user=technician_anta,
    )
    with pytest.raises(ValidationError):
        services.technician_create(
            by=coordinator,
            municipality=municipalities["anta"],
            person_name="Luis bis",
            gender="male",
            user=technician_anta,
        )
    assert Technician.objects.filter(user=technician_anta).count() == 1


def test_member_leaves_after_joining(municipalities, coordinator):
    with pytest.raises(ValidationError):
        services.technician_create(
            by=coordinator,
            municipality=municipalities["anta"],
            person_name="Fechas al revés",
            gender="male",
            since=datetime.date(2025, 1, 1),
            until=datetime.date(2024, 1, 1),
        )


def test_trainings_are_recorded_by_the_consortium(municipalities, coordinator, technician_anta):
    remurpe = consortium()["REMURPE"]
    training = services.training_create(
        by=coordinator,
        title="Documentos de gestión",
        topic=Training.Topic.MANAGEMENT,
        held_on=datetime.date(2025, 4, 2),
        place="Cusco",
        trainer_organisation=remurpe,
    )
    services.training_update(by=coordinator, training=training, place="Santo Tomás")
    training.refresh_from_db()
    assert (training.place, training.trainer_organisation) == ("Santo Tomás", remurpe)
    with pytest.raises(PermissionDenied):
        services.training_update(by=technician_anta, training=training, place="Anta")
    with pytest.raises(PermissionDenied):
        services.training_create(
            by=technician_anta, title="x", topic="other", held_on=datetime.date(2025, 1, 1), place="x"
        )
    training.refresh_from_db()
    assert training.place == "Santo Tomás" and Training.objects.count() == 1


def test_attendance_of_a_member_brings_their_name_municipality_and_gender(municipalities, coordinator):
    member = make_technician(municipalities["colquemarca"], name="Marisol Ccahuana", gender="female")
    training = make_training()
    row = services.training_attendance_add(by=coordinator, training=training, technician=member)
    assert (row.person_name, row.municipality, row.gender, row.completed) == (
        "Marisol Ccahuana",
        municipalities["colquemarca"],
        "female",
        True,
    )
    with pytest.raises(ValidationError):
        services.training_attendance_add(by=coordinator, training=training, technician=member)
    guest = services.training_attendance_add(
        by=coordinator, training=training, person_name="Regidor invitado", gender="male", completed=False
    )
    assert guest.technician is None and guest.municipality is None
    with pytest.raises(ValidationError):
        services.training_attendance_add(by=coordinator, training=training, person_name="Sin género")
    assert TrainingAttendance.objects.count() == 2


def test_per_technician_the_trainings_completed(municipalities, coordinator, technician_anta):
    member = make_technician(municipalities["anta"], name="Edwin Puma", gender="male")
    first = make_training("Plan DEL", held_on=datetime.date(2025, 1, 10))
    second = make_training("Competitividad", topic="competitiveness", held_on=datetime.date(2025, 6, 10))
    services.training_attendance_add(by=coordinator, training=first, technician=member)
    services.training_attendance_add(by=coordinator, training=second, technician=member, completed=False)
    listed = selectors.technicians_for_user(user=coordinator).get(pk=member.pk)
    assert listed.trainings_completed == 1
    assert [(a.training.title, a.completed) for a in selectors.technician_trainings(technician=member)] == [
        ("Competitividad", False),
        ("Plan DEL", True),
    ]
    with pytest.raises(PermissionDenied):
        services.training_attendance_remove(by=technician_anta, attendance=member.attendance.first())
    services.training_attendance_remove(by=coordinator, attendance=member.attendance.get(training=second))
    assert list(member.attendance.values_list("training__title", flat=True)) == ["Plan DEL"]


def test_trainings_count_attendance_by_gender(municipalities, coordinator):
    training = make_training()
    for name, gender in [("Ana", "female"), ("Rosa", "female"), ("Juan", "male")]:
        services.training_attendance_add(by=coordinator, training=training, person_name=name, gender=gender)
    row = selectors.trainings_for_user(user=coordinator).get(pk=training.pk)
    assert (row.women, row.men, row.attendees) == (2, 1, 3)


# Mancomunidades


def test_mancomunidad_with_members_and_supported_actions(municipalities, coordinator, technician_anta):
    association = services.association_create(
        by=coordinator,
        name="Mancomunidad Hatun Mayu",
        registration_reference="RM-001",
        purpose="Cuenca",
        members=[municipalities["anta"], municipalities["pucyura"]],
    )
    action = services.association_action_add(
        by=coordinator, association=association, title="Plan de pastos", year=2025
    )
    assert sorted(m.ubigeo for m in association.members.all()) == ["0803", "080308"]
    assert list(association.actions.values_list("title", "year")) == [("Plan de pastos", 2025)]
    with pytest.raises(PermissionDenied):
        services.association_update(by=technician_anta, association=association, name="Otra")
    with pytest.raises(PermissionDenied):
        services.association_action_remove(by=technician_anta, action=action)
    assert MunicipalAssociation.objects.get().name == "Mancomunidad Hatun Mayu"
    services.association_update(by=coordinator, association=association, members=[municipalities["anta"]])
    services.association_action_remove(by=coordinator, action=action)
    assert association.members.count() == 1 and SupportedAction.objects.count() == 0


def test_mancomunidad_list_counts_every_member_for_a_district_technician(municipalities, technician_pucyura):
    make_association(
        members=[municipalities["pucyura"], municipalities["anta"], municipalities["chinchaypujio"]]
    )
    make_association(name="Santo Tomás", members=[municipalities["chumbivilcas"]])
    rows = list(selectors.associations_for_user(user=technician_pucyura))
    assert [(a.name, a.member_count) for a in rows] == [("Mancomunidad Hatun Mayu", 3)]


# Events


def test_event_with_organisers_and_participants_by_municipality_and_gender(municipalities, coordinator):
    partners = consortium()
    event = services.event_create(
        by=coordinator,
        name="Encuentro regional",
        scope=Event.Scope.REGIONAL,
        starts_on=datetime.date(2025, 9, 18),
        ends_on=datetime.date(2025, 9, 19),
        place="Cusco",
        organisers=[partners["REMURPE"]],
    )
    services.event_participation_set(
        by=coordinator, event=event, municipality=municipalities["anta"], women=2, men=3
    )
    services.event_participation_set(
        by=coordinator,
        event=event,
        municipality=municipalities["anta"],
        women=4,
        men=1,
        who="alcalde y regidoras",
    )
    services.event_participation_set(
        by=coordinator, event=event, municipality=municipalities["pucyura"], women=1, men=0
    )
    rows = list(
        EventParticipation.objects.order_by("municipality__organisation__name").values_list(
            "women", "men", "who"
        )
    )
    assert rows == [(1, 0, ""), (4, 1, "alcalde y regidoras")]
    listed = selectors.events_for_user(user=coordinator).get()
    assert (listed.women_total, listed.men_total) == (5, 1)
    assert [o.short_name for o in listed.organisers.all()] == ["REMURPE"]


def test_event_refusals_change_nothing(municipalities, coordinator, technician_anta):
    event = make_event(ends_on=None)
    with pytest.raises(ValidationError):
        services.event_participation_set(
            by=coordinator, event=event, municipality=municipalities["anta"], women=0, men=0
        )
    with pytest.raises(PermissionDenied):
        services.event_participation_set(
            by=technician_anta, event=event, municipality=municipalities["anta"], women=1, men=1
        )
    with pytest.raises(PermissionDenied):
        services.event_update(by=technician_anta, event=event, name="Otro")
    with pytest.raises(ValidationError):
        services.event_update(by=coordinator, event=event, ends_on=datetime.date(2020, 1, 1))
    event.refresh_from_db()
    assert (event.name, event.ends_on, EventParticipation.objects.count()) == ("Encuentro regional", None, 0)


# Municipality profile


def test_technician_edits_their_own_municipality_profile_only(
    municipalities, technician_pucyura, partner_staff
):
    services.municipality_profile_update(
        by=technician_pucyura,
        municipality=municipalities["pucyura"],
        office_name="ODEL Pucyura",
        phone="084 123456",
    )
    municipalities["pucyura"].refresh_from_db()
    assert (municipalities["pucyura"].office_name, municipalities["pucyura"].phone) == (
        "ODEL Pucyura",
        "084 123456",
    )
    with pytest.raises(PermissionDenied):
        services.municipality_profile_update(
            by=technician_pucyura, municipality=municipalities["anta"], phone="1"
        )
    municipalities["anta"].refresh_from_db()
    assert municipalities["anta"].phone == ""
    services.municipality_profile_update(by=partner_staff, municipality=municipalities["anta"], phone="084 2")
    with pytest.raises(TypeError):
        services.municipality_profile_update(
            by=partner_staff, municipality=municipalities["anta"], level="district"
        )


def test_other_apps_add_sections_to_the_profile_without_being_imported(
    municipalities, coordinator, monkeypatch
):
    from django.apps import apps

    def sections(municipality, user):
        return [("Espacios de concertación", f"/spaces/?municipality={municipality.pk}", 2)]

    monkeypatch.setattr(
        apps.get_app_config("organisations"), "municipality_sections", sections, raising=False
    )
    found = selectors.municipality_sections(municipality=municipalities["anta"], user=coordinator)
    assert ("Espacios de concertación", f"/spaces/?municipality={municipalities['anta'].pk}", 2) in found


# Demo


def test_seed_demo_data_is_complete_and_idempotent(territory):
    from kallpanchis.organisations import demo as organisations_demo
    from municipalities import demo

    organisations_demo.seed(StringIO())
    demo.seed(StringIO())
    counts = (
        PartnershipAgreement.objects.count(),
        MunicipalAssociation.objects.count(),
        Technician.objects.count(),
        Training.objects.count(),
        TrainingAttendance.objects.count(),
        Event.objects.count(),
        EventParticipation.objects.count(),
        SupportedAction.objects.count(),
    )
    demo.seed(StringIO())
    assert counts[:4] == (5, 3, 25, 12) and counts[5] == 3
    assert (
        PartnershipAgreement.objects.count(),
        MunicipalAssociation.objects.count(),
        Technician.objects.count(),
        Training.objects.count(),
        TrainingAttendance.objects.count(),
        Event.objects.count(),
        EventParticipation.objects.count(),
        SupportedAction.objects.count(),
    ) == counts
    assert {a.municipality.ubigeo for a in PartnershipAgreement.objects.all()} == {
        "0803",
        "0807",
        "080304",
        "080308",
        "080704",
    }
    assert {a.name: a.members.count() for a in MunicipalAssociation.objects.all()} == {
        "Mancomunidad Municipal Hatun Mayu": 5,
        "Mancomunidad Municipal Wilcamayu": 4,
        "Mancomunidad de Municipalidades de la Cuenca del Río Santo Tomás": 4,
    }
    assert all(a.consortium_parties.count() == 4 for a in PartnershipAgreement.objects.all())
