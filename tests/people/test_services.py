import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.test import Client
from django.urls import reverse

from kallpanchis.people.models import Consent, Erasure, Family, MergeRecord, Person
from kallpanchis.people.services import (
    ProbableDuplicate,
    consent_record,
    consent_withdraw,
    family_create,
    family_set_members,
    merge_undo,
    person_create,
    person_erase,
    person_merge,
    person_update,
)
from tests.conftest import with_mfa

from .factories import ANTA, COLQUEMARCA, PUCYURA, consent, register

pytestmark = pytest.mark.django_db


# --- registering ------------------------------------------------------------------------------------------


def test_create_records_the_person_and_their_registration_consent(technician_anta):
    person = register(
        technician_anta,
        given_names="María  Élida",
        first_surname="Quíspe",
        second_surname="Mamani",
        dni="4012 3456",
        phone="987 654 321",
        languages=["quechua", "spanish"],
        community="Comunidad Ccollpa",
        sms_consent=True,
    )
    person.refresh_from_db()
    assert person.given_names == "María Élida"
    assert person.search_name == "maria elida quispe mamani"
    assert person.dni == "40123456"
    assert person.phone == "+51987654321"
    assert person.created_by == technician_anta
    kinds = sorted(person.consents.values_list("kind", "method", "recorded_by"))
    assert kinds == [("registration", "paper", technician_anta.pk), ("sms", "paper", technician_anta.pk)]


def test_no_consent_no_person(db):
    with pytest.raises(ValidationError):
        person_create(
            by=None,
            consent=consent(purpose=""),
            given_names="Ana",
            first_surname="Huamán",
            gender="female",
            district_ubigeo=ANTA,
        )
    assert not Person.objects.exists()


def test_verbal_consent_needs_a_witness(db):
    with pytest.raises(ValidationError) as error:
        register(consent=consent(method="verbal", witness_name=""))
    assert "witness_name" in error.value.message_dict
    assert not Person.objects.exists() and not Consent.objects.exists()
    person = register(consent=consent(method="verbal", witness_name="Juan Ccori"))
    assert person.consents.get().witness_name == "Juan Ccori"


@pytest.mark.parametrize(
    ("field", "value"), [("dni", "1234567"), ("phone", "12"), ("district_ubigeo", "0803")]
)
def test_invalid_fields_are_refused(db, field, value):
    with pytest.raises(ValidationError) as error:
        register(**{field: value})
    assert field in error.value.message_dict
    assert not Person.objects.exists()


def test_same_dni_is_a_duplicate_that_cannot_be_confirmed_away(db):
    first = register(dni="40123456")
    with pytest.raises(ProbableDuplicate) as found:
        register(given_names="Rosa", first_surname="Ccahua", dni="40123456", confirmed_new=False)
    assert [(m.person, m.reasons) for m in found.value.matches] == [(first, ["dni"])]
    assert not found.value.confirmable
    with pytest.raises(ValidationError) as error:
        register(given_names="Rosa", first_surname="Ccahua", dni="40123456", confirmed_new=True)
    assert "dni" in error.value.message_dict
    assert Person.objects.count() == 1


def test_same_phone_is_a_duplicate_unless_confirmed(db):
    first = register(phone="987654321")
    with pytest.raises(ProbableDuplicate) as found:
        register(given_names="Rosa", first_surname="Ccahua", phone="+51 987-654-321", confirmed_new=False)
    assert [(m.person, m.reasons) for m in found.value.matches] == [(first, ["phone"])]
    assert found.value.confirmable
    register(given_names="Rosa", first_surname="Ccahua", phone="987654321", confirmed_new=True)
    assert Person.objects.count() == 2


def test_similar_name_in_the_same_district_is_a_duplicate(db):
    first = register(given_names="María", first_surname="Quispe", second_surname="Mamani")
    with pytest.raises(ProbableDuplicate) as found:
        register(given_names="Maria", first_surname="Quispe", second_surname="Mamany", confirmed_new=False)
    assert [(m.person, m.reasons) for m in found.value.matches] == [(first, ["name"])]
    # The same name in another district is someone else.
    register(
        given_names="Maria",
        first_surname="Quispe",
        second_surname="Mamani",
        district_ubigeo=PUCYURA,
        confirmed_new=False,
    )
    # A different name in the same district is no warning.
    register(given_names="Rosa", first_surname="Ccahua", confirmed_new=False)
    assert Person.objects.count() == 3


def test_a_technician_registers_people_of_their_territory_only(technician_anta, technician_chumbivilcas):
    register(technician_anta, district_ubigeo=PUCYURA)  # a district of Anta province
    with pytest.raises(PermissionDenied):
        register(technician_chumbivilcas, district_ubigeo=ANTA, given_names="Otra")
    assert Person.objects.count() == 1


def test_a_dni_held_outside_ones_territory_is_refused_without_naming_its_holder(
    technician_anta, technician_chumbivilcas
):
    register(technician_anta, dni="40123456", given_names="Hilaria")
    with pytest.raises(ValidationError) as error:
        register(technician_chumbivilcas, dni="40123456", district_ubigeo=COLQUEMARCA, given_names="Otra")
    assert "Hilaria" not in str(error.value)
    assert Person.objects.count() == 1


def test_update_corrects_and_renormalises(technician_anta, technician_chumbivilcas):
    person = register(technician_anta)
    person_update(by=technician_anta, person=person, first_surname="Ccori", phone="984 111 222", dni="")
    person.refresh_from_db()
    assert (person.first_surname, person.phone, person.search_name) == (
        "Ccori",
        "+51984111222",
        "maria ccori",
    )
    with pytest.raises(PermissionDenied):
        person_update(by=technician_chumbivilcas, person=person, first_surname="X")
    with pytest.raises(PermissionDenied):  # moving her out of one's territory
        person_update(by=technician_anta, person=person, district_ubigeo=COLQUEMARCA)
    person.refresh_from_db()
    assert (person.first_surname, person.district_ubigeo) == ("Ccori", ANTA)


def test_consents_sms_apart_and_withdrawal_keeps_the_row(technician_anta):
    person = register(technician_anta, phone="987654321")
    sms = consent_record(by=technician_anta, person=person, data=consent(kind="sms"))
    consent_withdraw(by=technician_anta, consent=sms)
    sms.refresh_from_db()
    assert sms.withdrawn_at is not None and sms.withdrawn_by == technician_anta
    assert person.consents.filter(kind="registration", withdrawn_at__isnull=True).count() == 1


# --- families ---------------------------------------------------------------------------------------------


def test_family_members_and_reference_person(db):
    mother, son, other = (
        register(given_names="Rosa"),
        register(given_names="Luis"),
        register(given_names="Ana"),
    )
    family = family_create(by=None, members=[mother, son], reference_person=mother)
    assert set(family.members.all()) == {mother, son}
    assert (family.district_ubigeo, family.reference_person) == (ANTA, mother)
    with pytest.raises(ValidationError):
        family_set_members(by=None, family=family, members=[son], reference_person=mother)
    family_set_members(by=None, family=family, members=[son, other], reference_person=son)
    assert set(family.members.all()) == {son, other}
    mother.refresh_from_db()
    assert mother.family is None
    with pytest.raises(ValidationError):
        family_create(by=None, members=[])


# --- merging ----------------------------------------------------------------------------------------------


def _references(person, linked_models):
    participation, committee = linked_models
    return {
        "consents": set(person.consents.values_list("pk", flat=True)),
        "families_referenced": set(
            Family.objects.filter(reference_person=person).values_list("pk", flat=True)
        ),
        "participations": set(participation.objects.filter(person=person).values_list("pk", flat=True)),
        "committees": set(committee.objects.filter(people=person).values_list("pk", flat=True)),
        "merges": set(MergeRecord.objects.filter(kept=person).values_list("pk", flat=True)),
    }


def _row_counts():
    return {
        m._meta.label: m._base_manager.count() for m in apps.get_models() if m._meta.app_label == "people"
    }


def test_merge_moves_every_reference_and_undo_restores_exactly(linked_models):
    participation, committee = linked_models
    kept = register(given_names="María", first_surname="Quispe", phone="987654321")
    merged = register(given_names="Maria", first_surname="Qispe", dni="40123456", languages=["aymara"])
    earlier = register(given_names="Mari", first_surname="Quispe", district_ubigeo=PUCYURA)
    first_merge = person_merge(by=None, kept=merged, merged=earlier)  # the merged row had absorbed another
    family = family_create(by=None, members=[merged], reference_person=merged)
    p_kept = participation.objects.create(person=kept, name_as_written="María Quispe", gender="female")
    p_merged = participation.objects.create(person=merged, name_as_written="Maria Qispe", gender="male")
    both, only_merged = committee.objects.create(name="Junta"), committee.objects.create(name="Vigilancia")
    both.people.add(kept, merged)
    only_merged.people.add(merged)
    before_kept = _references(kept, linked_models)
    before_merged = _references(merged, linked_models)
    merged_pk, merged_fields = merged.pk, Person.objects.values().get(pk=merged.pk)

    record = person_merge(by=None, kept=kept, merged=merged)

    assert not Person.objects.filter(pk=merged_pk).exists()
    after = _references(kept, linked_models)
    assert after["consents"] == before_kept["consents"] | before_merged["consents"]
    assert after["families_referenced"] == {family.pk}
    assert after["participations"] == {p_kept.pk, p_merged.pk}
    assert after["committees"] == {both.pk, only_merged.pk}
    assert after["merges"] == {first_merge.pk, record.pk}
    kept.refresh_from_db()
    assert (kept.dni, kept.phone, kept.family_id, kept.languages) == (
        "40123456",
        "+51987654321",
        family.pk,
        ["aymara"],
    )
    counts_after_merge = _row_counts()

    restored = merge_undo(by=None, record=record)

    assert restored.pk == merged_pk
    restored_fields = Person.objects.values().get(pk=merged_pk)
    assert {k: v for k, v in restored_fields.items() if k != "updated_at"} == {
        k: v for k, v in merged_fields.items() if k != "updated_at"
    }
    # The undone merge stays in the kept person's history, marked undone.
    assert _references(kept, linked_models) == {**before_kept, "merges": {record.pk}}
    assert _references(restored, linked_models) == before_merged
    kept.refresh_from_db()
    assert (kept.dni, kept.family_id, kept.languages) == ("", None, [])
    record.refresh_from_db()
    assert record.undone_at is not None
    assert _row_counts()["people.Person"] == counts_after_merge["people.Person"] + 1
    with pytest.raises(ValidationError):
        merge_undo(by=None, record=record)


def test_merge_refused_when_the_same_row_would_hold_both(linked_models):
    participation, _committee = linked_models
    kept, merged = register(given_names="Ana"), register(given_names="Anna")
    participation.objects.create(person=kept, name_as_written="Ana", gender="female")
    participation.objects.create(person=merged, name_as_written="Anna", gender="female")
    with pytest.raises(ValidationError):
        person_merge(by=None, kept=kept, merged=merged)
    assert Person.objects.filter(pk=merged.pk).exists()
    assert participation.objects.filter(person=merged).count() == 1
    assert not MergeRecord.objects.exists()


def test_merge_outside_ones_territory_is_refused(technician_anta, technician_chumbivilcas):
    a = register(technician_anta, given_names="Ana")
    b = register(technician_chumbivilcas, given_names="Ana", district_ubigeo=COLQUEMARCA)
    with pytest.raises(PermissionDenied):
        person_merge(by=technician_anta, kept=a, merged=b)
    assert Person.objects.count() == 2


# --- erasure ----------------------------------------------------------------------------------------------


def _text_everywhere(needles):
    """Every text and JSON cell of every table that contains one of the needles (model.field: value)."""
    found = []
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue  # database views (pghistory's events) and proxies: no table of their own
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        for row in model._base_manager.values(*text_fields) if text_fields else []:
            for name, value in row.items():
                text = str(value).lower()
                found += [f"{model._meta.label}.{name}: {value}" for n in needles if n.lower() in text]
    return found


def test_erase_removes_names_dni_phone_everywhere_and_keeps_the_counts(linked_models, coordinator):
    participation, committee = linked_models
    person = register(
        given_names="Hermelinda",
        first_surname="Chuquitaype",
        second_surname="Huallpamayta",
        dni="40999888",
        phone="987 000 321",
        community="Comunidad Pumaorqo",
        birth_year=1980,
    )
    duplicate = register(given_names="Hermelinda", first_surname="Chuquitaipe", dni="", phone="")
    person_merge(by=None, kept=person, merged=duplicate)
    family = family_create(by=None, members=[person], reference_person=person)
    participation.objects.create(
        person=person, name_as_written="Hermelinda Chuquitaype", dni_as_written="40999888", gender="female"
    )
    committee.objects.create(name="Junta").people.add(person)
    needles = ["Hermelinda", "Chuquitaype", "Chuquitaipe", "Huallpamayta", "40999888", "987000321"]
    assert _text_everywhere(needles)
    counts = _row_counts()
    women = Person.objects.filter(gender="female", district_ubigeo=ANTA).count()

    person_erase(by=coordinator, person=person)

    assert _text_everywhere(needles) == []
    assert _row_counts() == {**counts, "people.Erasure": counts["people.Erasure"] + 1}
    assert Person.objects.filter(gender="female", district_ubigeo=ANTA).count() == women
    person.refresh_from_db()
    assert person.display_name.startswith("Persona anonimizada")
    assert (person.family, person.gender, person.district_ubigeo) == (family, "female", ANTA)
    assert (person.community, person.birth_year, person.dni, person.phone) == ("", None, "", "")
    assert participation.objects.get(person=person).gender == "female"
    assert not person.consents.filter(withdrawn_at__isnull=True).exists()
    assert person.consents.filter(closed_by_erasure=True).exists()
    assert Erasure.objects.get(person=person).by == coordinator

    client = Client()
    client.force_login(with_mfa(coordinator))
    export = client.get(reverse("people:person_export_csv", args=[person.pk])).getvalue().decode()
    assert not [n for n in needles if n.lower() in export.lower()]
    with pytest.raises(ValidationError):
        person_update(by=None, person=person, given_names="Hermelinda")
    with pytest.raises(ValidationError):
        merge_undo(by=None, record=MergeRecord.objects.get(kept=person))
