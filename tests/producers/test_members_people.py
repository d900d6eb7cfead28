"""Association members linked to the register of people: the service's rules, the leader's scope over
their members, erasure and merge reaching the member rows, and the member form without JavaScript."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kallpanchis.people.models import Consent, Person
from kallpanchis.people.services import NewPerson, ProbableDuplicate, person_erase, person_merge
from producers.models import Member
from producers.services import member_add, member_update
from tests.people.factories import PUCYURA, consent, register

pytestmark = pytest.mark.django_db


def _new(**fields):
    values = {"given_names": "Justina", "first_surname": "Huillca", "gender": "female"}
    values.update(district_ubigeo=PUCYURA, **fields)
    return NewPerson(consent=consent(), fields=values)


def test_a_member_picked_from_the_register_takes_their_name_gender_and_dni(association):
    person = register(given_names="Hilaria", first_surname="Quispe", dni="40112233", district_ubigeo=PUCYURA)
    member = member_add(by=None, association=association, person=person)
    assert (member.person, member.name, member.gender, member.dni) == (
        person,
        "Hilaria Quispe",
        "female",
        "40112233",
    )


def test_a_leader_registers_a_new_member_with_consent_and_then_sees_them(association, leader, other_leader):
    member = member_add(by=leader, association=association, new_person=_new(), board_role="secretary")
    person = member.person
    assert member.name == "Justina Huillca" and member.board_role == "secretary"
    assert Consent.objects.filter(person=person, kind="registration", recorded_by=leader).count() == 1
    assert list(Person.objects.visible_to(leader)) == [person]
    assert not Person.objects.visible_to(other_leader).exists()


def test_a_person_who_is_a_member_of_two_of_my_associations_is_one_row(municipalities, leader, association):
    from tests.producers.factories import association_in

    second = association_in("080308")
    from kallpanchis.accounts.services import role_grant

    role_grant(by=None, user=leader, role="leader", organisation=second.organisation)
    leader = type(leader).objects.get(pk=leader.pk)  # a fresh access
    person = register(district_ubigeo=PUCYURA)
    member_add(by=None, association=association, person=person)
    member_add(by=None, association=second, person=person)
    assert list(Person.objects.visible_to(leader)) == [person]


def test_a_leader_cannot_link_someone_outside_their_association(association, leader):
    stranger = register(given_names="Nélida", first_surname="Ccahua", district_ubigeo=PUCYURA)
    with pytest.raises(PermissionDenied):
        member_add(by=leader, association=association, person=stranger)
    assert not Member.objects.exists()


def test_a_probable_duplicate_stops_and_leaves_nothing_behind(association, coordinator):
    register(given_names="Justina", first_surname="Huillca", district_ubigeo=PUCYURA)
    with pytest.raises(ProbableDuplicate):
        member_add(by=coordinator, association=association, new_person=_new())
    assert not Member.objects.exists()
    assert Person.objects.count() == 1


def test_the_same_person_is_a_member_once_per_association(association):
    from django.core.exceptions import ValidationError

    person = register(district_ubigeo=PUCYURA)
    member_add(by=None, association=association, person=person)
    with pytest.raises(ValidationError):
        member_add(by=None, association=association, person=person, name="María Q.")
    assert Member.objects.count() == 1


def test_an_existing_member_is_registered_later_and_linked(association, leader):
    member = member_add(by=leader, association=association, name="Justina Huillca", gender="female")
    member_update(by=leader, member=member, new_person=_new(dni="40999888"))
    member.refresh_from_db()
    assert member.person.dni == "40999888"
    assert member.name == "Justina Huillca"


def test_erasure_blanks_the_member_row_and_keeps_it_counted(association):
    person = register(dni="40112299", district_ubigeo=PUCYURA)
    member = member_add(by=None, association=association, person=person)
    person_erase(by=None, person=person)
    member.refresh_from_db()
    assert (member.name, member.dni, member.gender) == ("", "", "female")
    assert Member.objects.filter(association=association).count() == 1


def test_merge_moves_the_membership_to_the_kept_person(association):
    kept = register(district_ubigeo=PUCYURA)
    other = register(given_names="Maria", first_surname="Quispi", district_ubigeo=PUCYURA)
    member = member_add(by=None, association=association, person=other)
    person_merge(by=None, kept=kept, merged=other)
    member.refresh_from_db()
    assert member.person == kept


# --- the form, without JavaScript ----------------------------------------------------------------------


def _form(**extra):
    data = {"name": "", "gender": "", "dni": "", "board_role": "", "person-q": "", "person-pick": ""}
    data.update(extra)
    return data


def test_the_member_form_searches_then_links_the_person_picked(client, association, coordinator):
    person = register(given_names="Hilaria", first_surname="Quispe", district_ubigeo=PUCYURA)
    client.force_login(coordinator)
    url = reverse("producers:member_create", args=[association.pk])
    page = client.post(url, _form(**{"person-q": "hilaria quispe", "person-search": "1"}))
    assert page.status_code == 200
    assert not Member.objects.exists()  # a search saves nothing
    assert f'value="{person.pk}"' in page.content.decode()
    response = client.post(url, _form(**{"person-q": "hilaria quispe", "person-pick": str(person.pk)}))
    assert response.status_code == 302
    assert Member.objects.get().person == person


def test_the_member_form_registers_a_new_person_with_consent(client, association, leader):
    client.force_login(leader)
    url = reverse("producers:member_create", args=[association.pk])
    page = client.get(url)
    assert f'value="{PUCYURA}"' in page.content.decode()  # the association's district, offered
    data = _form(
        **{
            "person-register": "1",
            "person-new-given_names": "Justina",
            "person-new-first_surname": "Huillca",
            "person-new-gender": "female",
            "person-new-district_ubigeo": PUCYURA,
            "person-new-consent_given": "on",
            "person-new-purpose": "Padrón de socios",
            "person-new-given_on": "2026-03-02",
            "person-new-method": "paper",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    member = Member.objects.get()
    assert member.person.display_name == "Justina Huillca" and member.name == "Justina Huillca"
    # A second, similar registration is warned and offers the existing person to pick.
    page = client.post(url, data)
    assert page.status_code == 200
    assert "Esta persona puede estar ya en el registro." in page.content.decode()  # Spanish first
    assert f'value="{member.person.pk}"' in page.content.decode()
    assert Member.objects.count() == 1


def test_the_member_form_without_consent_registers_nobody(client, association, leader):
    client.force_login(leader)
    url = reverse("producers:member_create", args=[association.pk])
    data = _form(
        **{
            "person-register": "1",
            "person-new-given_names": "Justina",
            "person-new-first_surname": "Huillca",
            "person-new-gender": "female",
            "person-new-district_ubigeo": PUCYURA,
        }
    )
    assert client.post(url, data).status_code == 200
    assert not Person.objects.exists() and not Member.objects.exists()


def test_members_per_association_by_gender_beside_the_declared_families(municipalities, association):
    """Counted from the members' lists (the typed `families` stays as declared)."""
    from django.utils import timezone

    from kallpanchis.core import indicators as registry
    from kallpanchis.core.indicators import ALL
    from tests.producers.factories import association_in

    other = association_in("080704")
    association_in("080308")  # no member listed: not in the denominator
    for name, gender in [("Justina", "female"), ("Rosa", "female"), ("Julián", "male")]:
        member_add(by=None, association=association, name=name, gender=gender)
    member_add(by=None, association=other, name="Yolanda", gender="female")
    year = timezone.localdate().year

    def total(measure, gender=ALL):
        rows = registry.MEASURES[measure]()
        return sum(
            r["value"] for r in rows if r["year"] == year and r["line"] == ALL and r["gender"] == gender
        )

    assert total("association_members") == 4
    assert total("association_members", "female") == 3
    assert total("associations_with_members") == 2
    assert total("associations_with_members", "female") == 2  # the same under every gender
    formula = registry.FORMULAS["members_per_association"]
    assert formula.value(total("association_members", "female"), total("associations_with_members")) == 1.5


def test_a_leader_corrects_their_member_but_leaves_merging_and_erasing_to_the_registrars(
    association, leader, client
):
    """Ley 29733: the person's data is corrected where it is kept; a merge or an erasure takes the record
    out of the register, so it goes through those who keep it (coordinators, municipal staff)."""
    person = register(given_names="Hilaria", first_surname="Quispe", district_ubigeo=PUCYURA)
    twin = register(given_names="Hilaria", first_surname="Quispe H.", district_ubigeo=PUCYURA)
    member_add(by=None, association=association, person=person)
    member_add(by=None, association=association, person=twin)
    with pytest.raises(PermissionDenied):
        person_erase(by=leader, person=person)
    with pytest.raises(PermissionDenied):
        person_merge(by=leader, kept=person, merged=twin)
    assert Person.objects.active().count() == 2

    client.force_login(leader)
    page = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert reverse("people:person_edit", args=[person.pk]) in page
    assert reverse("people:person_erase", args=[person.pk]) not in page
    assert reverse("people:person_merge", args=[person.pk]) not in page
    assert "pida al técnico de su municipalidad" in page
    assert client.get(reverse("people:person_erase", args=[person.pk])).status_code == 404
    merge = client.post(reverse("people:person_merge", args=[person.pk]), {"other": twin.pk})
    assert merge.status_code == 404
