import pytest

from kallpanchis.people import selectors
from kallpanchis.people.models import Person, age_group_expression, age_group_of
from kallpanchis.people.services import person_erase
from kallpanchis.people.text import normalise, phone_e164, phone_masked, similarity

from .factories import ANTA, COLQUEMARCA, PUCYURA, register

pytestmark = pytest.mark.django_db


def names(people):
    return sorted(p.display_name for p in people)


@pytest.fixture
def people(municipalities):
    return {
        "maria": register(
            given_names="María",
            first_surname="Quíspe",
            second_surname="Mamani",
            dni="40123456",
            phone="987654321",
        ),
        "rosa": register(
            given_names="Rosa", first_surname="Ccahua", district_ubigeo=PUCYURA, phone="984222333"
        ),
        "juana": register(given_names="Juana", first_surname="Mamani", district_ubigeo=COLQUEMARCA),
    }


def test_search_ignores_accents_and_case(coordinator, people):
    assert names(selectors.person_search(user=coordinator, q="Maria Quispe")) == ["María Quíspe Mamani"]
    assert names(selectors.person_search(user=coordinator, q="QUISPE maría")) == ["María Quíspe Mamani"]


@pytest.mark.postgres
def test_search_is_fuzzy_on_postgresql(coordinator, people):
    assert names(selectors.person_search(user=coordinator, q="Mamany")) == [
        "Juana Mamani",
        "María Quíspe Mamani",
    ]
    assert names(selectors.person_search(user=coordinator, q="Kispe")) == []  # too far: not a match
    assert names(selectors.person_search(user=coordinator, q="Cahua Rosa")) == ["Rosa Ccahua"]


def test_search_by_dni_and_by_phone_as_typed(coordinator, people):
    assert names(selectors.person_search(user=coordinator, q="40123456")) == ["María Quíspe Mamani"]
    for typed in ["984 222 333", "+51 984-222-333", "984222333"]:
        assert names(selectors.person_search(user=coordinator, q=typed)) == ["Rosa Ccahua"], typed


def test_search_and_list_keep_to_the_scope(technician_anta, technician_chumbivilcas, people):
    assert names(selectors.person_list(user=technician_anta)) == ["María Quíspe Mamani", "Rosa Ccahua"]
    assert names(selectors.person_list(user=technician_chumbivilcas)) == ["Juana Mamani"]
    assert names(selectors.person_search(user=technician_chumbivilcas, q="40123456")) == []


def test_partner_staff_and_viewers_see_nobody(people):
    from kallpanchis.organisations.models import Organisation
    from tests.accounts.factories import person_with_role

    cadep = Organisation.objects.create(name="CADEP", kind="ngo", consortium_role="production")
    partner = person_with_role("partner_staff", cadep)
    viewer = person_with_role("viewer", None)
    assert not Person.objects.visible_to(partner).exists()
    assert not Person.objects.visible_to(viewer).exists()


def test_a_district_municipality_sees_its_district_only(people):
    from municipalities.services import municipality_ensure
    from tests.accounts.factories import person_with_role

    pucyura = municipality_ensure(ubigeo=PUCYURA, consortium_partner=True)
    technician = person_with_role("technician", pucyura.organisation)
    assert names(Person.objects.visible_to(technician)) == ["Rosa Ccahua"]


def test_erased_people_leave_lists_and_search(coordinator, people):
    person_erase(by=coordinator, person=people["rosa"])
    assert names(selectors.person_list(user=coordinator)) == ["Juana Mamani", "María Quíspe Mamani"]
    assert selectors.person_search(user=coordinator, q="984222333") == []


def test_age_groups_in_python_and_in_the_database(db):
    assert [age_group_of(y, 2026) for y in (None, 2010, 2008, 1997, 1996, 1982, 1981, 1967, 1966)] == [
        "",
        "0-17",
        "18-29",
        "18-29",
        "30-44",
        "30-44",
        "45-59",
        "45-59",
        "60+",
    ]
    for year in (2010, 1996, 1966):
        register(given_names=f"P{year}", birth_year=year)
    register(given_names="Sin año")
    groups = dict(Person.objects.annotate(g=age_group_expression(2026)).values_list("given_names", "g"))
    assert groups == {"P2010": "0-17", "P1996": "30-44", "P1966": "60+", "Sin año": ""}


def test_text_helpers():
    assert normalise("  María   Ñahui-Quíspe ") == "maria nahui quispe"
    assert phone_e164("987 654 321") == "+51987654321"
    assert phone_masked("+51987654321") == "+51 9•• ••• 321"
    assert similarity("maria quispe mamani", "maria quispe mamany") >= 0.5
    assert ANTA.startswith("0803")


@pytest.mark.postgres
def test_a_name_search_pages_its_ranked_people_by_their_ids(municipalities, technician_anta):
    """A name search answers its people closest first: counted from the ids found, each page (a slice, an
    index) read by that page's ids only, in the searcher's scope."""
    for i in range(7):
        register(given_names=f"Hilaria {i}", first_surname="Quispe", phone=f"98700000{i}")
    register(given_names="Hilaria", first_surname="Quispe", district_ubigeo=COLQUEMARCA, phone="987000099")
    found = selectors.person_list(user=technician_anta, q="hilaria quispe")
    assert found.count() == len(found) == 7  # Colquemarca's Hilaria is out of Anta's scope
    everyone = found[:]
    assert [p.pk for p in everyone] == found.ids and len(everyone) == 7
    assert [p.pk for p in found[2:4]] == found.ids[2:4]
    assert found[0].pk == found.ids[0] and found[-1].pk == found.ids[-1]
    with pytest.raises(IndexError):
        found[7]
    assert [p.display_name for p in selectors.person_search(user=technician_anta, q="hilaria", limit=3)] == [
        p.display_name for p in everyone[:3]
    ]
