import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kallpanchis.people.models import Consent, Family, MergeRecord, Person
from kallpanchis.people.services import family_create, person_merge
from tests.accounts.factories import person_with_role

from .factories import ANTA, COLQUEMARCA, PersonFactory, register

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def tec(technician_anta):
    return client_for(technician_anta)


@pytest.fixture
def maria(technician_anta):
    return register(
        technician_anta,
        given_names="María",
        first_surname="Quispe",
        dni="40123456",
        phone="987654321",
        community="Ccollpa",
    )


@pytest.fixture
def juana(technician_chumbivilcas):
    return register(
        technician_chumbivilcas,
        given_names="Juana",
        first_surname="Mamani",
        district_ubigeo=COLQUEMARCA,
        phone="984222333",
    )


def test_list_masks_phones_and_shows_no_dni(tec, maria, juana):
    page = text(tec.get(reverse("people:person_list")))
    assert "María Quispe" in page and "Juana" not in page
    assert "+51 9•• ••• 321" in page
    assert "987654321" not in page and "987 654 321" not in page and "40123456" not in page
    assert "Anta" in page  # the district's name, from the municipalities app


def test_list_search_and_empty_states(tec, maria):
    assert "María Quispe" in text(tec.get(reverse("people:person_list"), {"q": "maria quíspe"}))
    page = text(tec.get(reverse("people:person_list"), {"q": "Zzyzx"}))
    assert "Nadie en su padrón coincide" in page


def test_list_query_count_is_flat(django_assert_num_queries, technician_anta, municipalities):
    """One row or 25, the same queries, each measured just after a write (the count is kept until the next
    one): the district names come in one query for the page."""
    client = client_for(technician_anta)
    url = reverse("people:person_list")
    client.get(url)  # the session and the catalogues, once
    PersonFactory(district_ubigeo=ANTA, phone="+51987000001")
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).context["people"]) == 1
    PersonFactory.create_batch(24, district_ubigeo="080308", phone="+51987000002")
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get(url).context["people"]) == 25


def test_search_json_for_pickers(tec, maria, juana):
    data = tec.get(reverse("people:person_search"), {"q": "Quispe", "limit": 5}).json()
    assert data == {
        "results": [
            {
                "id": maria.pk,
                "name": "María Quispe",
                "gender": "female",
                "community": "Ccollpa",
                "district": "Anta",
                "district_ubigeo": ANTA,
                "phone": "+51 9•• ••• 321",
                "family": None,
                "url": f"/people/{maria.pk}/",
            }
        ]
    }
    assert tec.get(reverse("people:person_search"), {"q": "984 222 333"}).json() == {"results": []}


def test_pages_of_a_person_outside_ones_scope_are_404(tec, juana):
    for name in [
        "person_detail",
        "person_edit",
        "person_consent",
        "person_export_csv",
        "person_export_pdf",
        "person_erase",
        "person_merge",
    ]:
        assert tec.get(reverse(f"people:{name}", args=[juana.pk])).status_code == 404, name


def test_partner_staff_get_404_everywhere(maria):
    from kallpanchis.organisations.models import Organisation
    from tests.conftest import with_mfa

    cadep = Organisation.objects.create(name="CADEP", kind="ngo", consortium_role="production")
    client = client_for(with_mfa(person_with_role("partner_staff", cadep)))
    assert client.get(reverse("people:person_list")).status_code == 404
    assert client.get(reverse("people:person_detail", args=[maria.pk])).status_code == 404
    assert client.get(reverse("people:person_search"), {"q": "Maria"}).status_code == 404


def _create_data(**overrides):
    data = {
        "given_names": "Rosa",
        "first_surname": "Ccahua",
        "gender": "female",
        "district_ubigeo": ANTA,
        "consent_given": "on",
        "purpose": "Registro de participantes.",
        "given_on": "2026-03-02",
        "method": "verbal",
        "witness_name": "Juan Ccori",
        "languages": ["quechua"],
    }
    data.update(overrides)
    return data


def test_register_a_person_from_the_form(tec, technician_anta, municipalities):
    response = tec.post(reverse("people:person_create"), _create_data(phone="984 111 222", sms_consent="on"))
    person = Person.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    assert (person.phone, person.languages, person.created_by) == (
        "+51984111222",
        ["quechua"],
        technician_anta,
    )
    assert sorted(person.consents.values_list("kind", "witness_name")) == [
        ("registration", "Juan Ccori"),
        ("sms", "Juan Ccori"),
    ]


def test_register_form_refuses_without_consent_or_witness(tec, municipalities):
    page = text(tec.post(reverse("people:person_create"), _create_data(consent_given="", witness_name="")))
    assert not Person.objects.exists()
    assert "testigo" in page.lower()


def test_duplicate_warning_offers_the_match_or_register_anyway(tec, maria):
    response = tec.post(reverse("people:person_create"), _create_data(phone="987 654 321"))
    page = text(response)
    assert Person.objects.count() == 1
    assert "Esta persona quizá ya está en el padrón" in page
    assert f'href="/people/{maria.pk}/"' in page
    assert 'name="create_anyway"' in page
    response = tec.post(reverse("people:person_create"), _create_data(phone="987 654 321", create_anyway="1"))
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_detail_edit_consent_pages(tec, maria):
    page = text(tec.get(reverse("people:person_detail", args=[maria.pk])))
    assert "40123456" in page and "Registro en el padrón" in page
    response = tec.post(
        reverse("people:person_edit", args=[maria.pk]),
        {
            "given_names": "María Elena",
            "first_surname": "Quispe",
            "gender": "female",
            "district_ubigeo": ANTA,
            "dni": "40123456",
            "phone": "987654321",
        },
    )
    assert response.status_code == 302
    maria.refresh_from_db()
    assert maria.given_names == "María Elena"
    response = tec.post(
        reverse("people:person_consent", args=[maria.pk]),
        {"kind": "sms", "purpose": "SMS", "given_on": "2026-03-03", "method": "paper"},
    )
    assert response.status_code == 302
    sms = maria.consents.get(kind="sms")
    tec.post(reverse("people:person_consent", args=[maria.pk]), {"withdraw": sms.pk})
    sms.refresh_from_db()
    assert sms.withdrawn_at is not None


def test_exports_hold_everything(tec, maria):
    csv_text = tec.get(reverse("people:person_export_csv", args=[maria.pk])).getvalue().decode()
    assert "María Quispe" in csv_text and "40123456" in csv_text and "Registro de participantes" in csv_text
    response = tec.get(reverse("people:person_export_pdf", args=[maria.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_erase_asks_for_confirmation(tec, maria):
    page = text(tec.get(reverse("people:person_erase", args=[maria.pk])))
    assert "No se puede deshacer" in page
    tec.post(reverse("people:person_erase", args=[maria.pk]), {})
    maria.refresh_from_db()
    assert not maria.is_erased
    response = tec.post(reverse("people:person_erase", args=[maria.pk]), {"confirm": "yes"})
    assert response.status_code == 302
    maria.refresh_from_db()
    assert maria.is_erased and maria.dni == ""


def test_merge_choose_confirm_and_undo(tec, technician_anta, maria):
    other = register(technician_anta, given_names="Maria", first_surname="Qispe")
    page = text(tec.get(reverse("people:person_merge", args=[maria.pk]), {"q": "Qispe"}))
    assert f"?other={other.pk}" in page
    page = text(tec.get(reverse("people:person_merge", args=[maria.pk]), {"other": other.pk}))
    assert "Sí, unirlas" in page
    response = tec.post(reverse("people:person_merge", args=[maria.pk]), {"other": other.pk, "keep": "this"})
    assert response.status_code == 302
    record = MergeRecord.objects.get()
    assert not Person.objects.filter(pk=other.pk).exists()
    assert Consent.objects.filter(person=maria).count() == 2
    assert tec.get(reverse("people:merge_undo", args=[record.pk])).status_code == 405
    response = tec.post(reverse("people:merge_undo", args=[record.pk]))
    assert response.status_code == 302 and response["Location"] == f"/people/{other.pk}/"
    assert Consent.objects.filter(person=other).count() == 1


def test_families_pages(tec, technician_anta, maria):
    son = register(technician_anta, given_names="Luis", first_surname="Quispe", gender="male")
    page = text(tec.get(reverse("people:family_create"), {"person": maria.pk, "q": "Luis"}))
    assert "Luis Quispe" in page
    response = tec.post(
        reverse("people:family_create"),
        {"person": maria.pk, "members": [maria.pk, son.pk], "reference_person": maria.pk},
    )
    family = Family.objects.get()
    assert response.status_code == 302 and set(family.members.all()) == {maria, son}
    page = text(tec.get(reverse("people:family_list")))
    assert "Familia de María Quispe" in page and "2 integrantes" in page
    page = text(tec.get(reverse("people:family_detail", args=[family.pk])))
    assert "persona de referencia" in page


def test_family_of_another_territory_is_404(tec, juana):
    family = family_create(by=None, members=[juana], reference_person=juana)
    assert tec.get(reverse("people:family_detail", args=[family.pk])).status_code == 404


def test_merge_history_shows_on_the_kept_person(tec, technician_anta, maria):
    other = register(technician_anta, given_names="Mari", first_surname="Quispe")
    person_merge(by=technician_anta, kept=maria, merged=other)
    page = text(tec.get(reverse("people:person_detail", args=[maria.pk])))
    assert "Mari Quispe" in page and "Deshacer esta unión" in page
    assert not re.search(r"987\s?654\s?321", text(tec.get(reverse("people:person_list"))))


def test_a_name_search_is_kept_until_the_next_write(tec, technician_anta, maria):
    """The ids a name search finds are kept: the same search again reads no index; a person registered
    since is found at once."""
    url = reverse("people:person_search")
    assert [r["name"] for r in tec.get(url, {"q": "quispe"}).json()["results"]] == ["María Quispe"]
    with CaptureQueriesContext(connection) as again:
        assert [r["name"] for r in tec.get(url, {"q": "quispe"}).json()["results"]] == ["María Quispe"]
    assert again.captured_queries and not [
        q for q in again.captured_queries if '"search_name"::text LIKE' in q["sql"]
    ]
    register(technician_anta, given_names="Rosa", first_surname="Quispe", phone="987111222")
    names = {r["name"] for r in tec.get(url, {"q": "quispe"}).json()["results"]}
    assert names == {"María Quispe", "Rosa Quispe"}
    page = text(tec.get(reverse("people:person_list"), {"q": "quispe"}))
    assert "Rosa Quispe" in page and "María Quispe" in page


def test_a_kept_search_is_kept_for_its_readers_access_only(tec, technician_chumbivilcas, maria, juana):
    """The same words searched first in Chumbivilcas, then in Anta: Anta's technician never gets the
    people Chumbivilcas' found."""
    url = reverse("people:person_search")
    chumbivilcas = client_for(technician_chumbivilcas)
    assert [r["name"] for r in chumbivilcas.get(url, {"q": "mamani"}).json()["results"]] == ["Juana Mamani"]
    assert tec.get(url, {"q": "mamani"}).json()["results"] == []
    assert "Juana" not in text(tec.get(reverse("people:person_list"), {"q": "mamani"}))


@pytest.mark.redis
def test_a_listed_persons_row_leaves_the_cache_within_a_quarter_of_an_hour(tec, maria):
    """A row shows a name: an erased or corrected person's old row does not stay in the cache a day."""
    from django.core.cache import cache

    rows = tec.get(reverse("people:person_list")).context["person_rows"]
    client = cache._cache.get_client()
    ttls = [client.ttl(cache.make_key(key)) for key in rows.keys]
    assert ttls and all(0 < ttl <= 15 * 60 for ttl in ttls)
