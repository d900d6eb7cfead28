"""Budget workshops' participants and delegates linked to the register of people: the services' rules and
the pages, without JavaScript."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from budgets import services
from budgets.models import Delegate, Workshop, WorkshopParticipant
from kallpanchis.people.models import Person
from kallpanchis.people.services import NewPerson, person_erase
from tests.accounts.factories import person_with_role
from tests.people.factories import ANTA, COLQUEMARCA, consent, register

from .factories import agent_for, cycle_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget_anta(municipalities):
    return person_with_role("technical_team", municipalities["anta"].organisation, email="pp.anta@example.pe")


@pytest.fixture
def workshop(municipalities):
    cycle = cycle_for(municipalities["anta"])
    return Workshop.objects.create(
        cycle=cycle, kind="diagnosis", held_on=datetime.date(2026, 6, 1), place="Anta", women=12, men=9
    )


def test_a_participant_picked_from_the_register_takes_name_and_gender(workshop, budget_anta):
    rosa = register(given_names="Rosa", first_surname="Ccori", district_ubigeo=ANTA)
    row = services.workshop_participant_add(by=budget_anta, workshop=workshop, person=rosa)
    assert (row.person, row.name, row.gender) == (rosa, "Rosa Ccori", "female")
    with pytest.raises(ValidationError):  # once per workshop
        services.workshop_participant_add(by=budget_anta, workshop=workshop, person=rosa)
    assert (workshop.women, workshop.men) == (12, 9)  # the head-counts stay as recorded


def test_a_name_without_consent_stays_anonymous_and_someone_out_of_scope_is_refused(workshop, budget_anta):
    row = services.workshop_participant_add(by=budget_anta, workshop=workshop, name="  Juana   Puma ")
    assert (row.person, row.name, row.gender) == (None, "Juana Puma", "unstated")
    stranger = register(given_names="Yolanda", first_surname="Cjuro", district_ubigeo=COLQUEMARCA)
    with pytest.raises(PermissionDenied):
        services.workshop_participant_add(by=budget_anta, workshop=workshop, person=stranger)
    with pytest.raises(ValidationError):
        services.workshop_participant_add(by=budget_anta, workshop=workshop)
    assert WorkshopParticipant.objects.count() == 1


def test_a_participant_registered_with_consent_and_erased_later(workshop, budget_anta):
    new = NewPerson(
        consent=consent(),
        fields={
            "given_names": "Santusa",
            "first_surname": "Puma",
            "gender": "female",
            "district_ubigeo": ANTA,
        },
    )
    row = services.workshop_participant_add(by=budget_anta, workshop=workshop, new_person=new)
    assert row.person.display_name == "Santusa Puma" and row.person.consents.count() == 1
    person_erase(by=None, person=row.person)
    row.refresh_from_db()
    assert row.name == "" and row.person_id is not None  # still counted, anonymously


def test_a_delegate_picked_from_the_register(workshop, budget_anta):
    agent = agent_for(workshop.cycle, "Asociación Sumaq Waka")
    person = register(given_names="Justina", first_surname="Huillca", dni="40123456", district_ubigeo=ANTA)
    delegate = services.delegate_add(by=budget_anta, agent=agent, person=person)
    assert (delegate.full_name, delegate.dni, delegate.gender) == ("Justina Huillca", "40123456", "female")
    with pytest.raises(ValidationError):
        services.delegate_add(by=budget_anta, agent=agent, person=person)
    assert Delegate.objects.count() == 1


def test_the_participants_page_searches_and_adds_without_javascript(client, workshop, budget_anta):
    rosa = register(given_names="Rosa", first_surname="Ccori", district_ubigeo=ANTA)
    client.force_login(budget_anta)
    url = reverse("budgets:workshop_participants", args=[workshop.pk])
    assert client.get(url).status_code == 200
    base = {"name": "", "gender": "", "organisation": "", "person-pick": ""}
    page = client.post(url, {**base, "person-q": "rosa ccori", "person-search": "1"})
    assert f'value="{rosa.pk}"' in page.content.decode() and not WorkshopParticipant.objects.exists()
    assert client.post(url, {**base, "person-pick": str(rosa.pk)}).status_code == 302
    assert client.post(url, {**base, "name": "Juana Puma", "gender": "female"}).status_code == 302
    rows = {(p.name, p.person_id) for p in WorkshopParticipant.objects.all()}
    assert rows == {("Rosa Ccori", rosa.pk), ("Juana Puma", None)}
    remove = reverse(
        "budgets:workshop_participant_remove", args=[WorkshopParticipant.objects.get(person=rosa).pk]
    )
    assert client.get(remove).status_code == 200
    client.post(remove)
    assert WorkshopParticipant.objects.count() == 1 and Person.objects.filter(pk=rosa.pk).exists()


def test_the_participants_page_is_the_budget_teams_only(client, workshop, municipalities):
    other = person_with_role("technician", municipalities["chumbivilcas"].organisation, email="t@example.pe")
    client.force_login(other)
    assert client.get(reverse("budgets:workshop_participants", args=[workshop.pk])).status_code == 404


def test_a_committee_member_who_is_a_linked_delegate_brings_their_person(workshop, budget_anta):
    cycle = workshop.cycle
    agents = [agent_for(cycle, f"Asociación {name}") for name in ("Sumaq", "Wayna", "Qocha", "Llaqta")]
    justina = register(given_names="Justina", first_surname="Huillca", district_ubigeo=ANTA)
    services.delegate_add(by=budget_anta, agent=agents[0], person=justina)
    members = [
        services.VigilanceCandidate(
            agent=agents[0], full_name="JUSTINA  HUILLCA", gender="female", is_president=True
        )
    ] + [
        services.VigilanceCandidate(agent=a, full_name=f"Miembro {k}", gender="male")
        for k, a in enumerate(agents[1:])
    ]
    elected = services.vigilance_committee_elect(
        by=budget_anta, cycle=cycle, elected_on=datetime.date(2026, 3, 1), members=members
    )
    assert [m.person for m in elected] == [justina, None, None, None]
