import pytest
from django.urls import reverse

from municipalities.models import Municipality
from tests.accounts.factories import person_with_role

pytestmark = pytest.mark.django_db


def test_technician_of_anta_cannot_open_chumbivilcas(client, municipalities, technician_anta):
    client.force_login(technician_anta)
    for key in ("chumbivilcas", "colquemarca"):
        response = client.get(reverse("municipalities:municipality_detail", args=[municipalities[key].pk]))
        assert response.status_code == 404


def test_provincial_technician_sees_the_districts_of_their_province(municipalities, technician_anta):
    visible = set(
        Municipality.objects.visible_to(technician_anta).values_list("organisation__name", flat=True)
    )
    assert visible == {
        "Municipalidad Provincial de Anta",
        "Municipalidad Distrital de Pucyura",
        "Municipalidad Distrital de Chinchaypujio",
    }


def test_district_technician_sees_only_their_district(municipalities):
    tech = person_with_role("technician", municipalities["pucyura"].organisation)
    assert list(Municipality.objects.visible_to(tech)) == [municipalities["pucyura"]]
    assert list(Municipality.objects.editable_by(tech)) == [municipalities["pucyura"]]


def test_leader_sees_no_municipality_and_coordinator_sees_all(municipalities, coordinator):
    from kallpanchis.organisations.models import Organisation

    association = Organisation.objects.create(name="Asociación Sumaq Llaqta", kind=Organisation.Kind.PRODUCER)
    leader = person_with_role("leader", association)
    assert Municipality.objects.visible_to(leader).count() == 0
    assert Municipality.objects.visible_to(coordinator).count() == 5


def test_municipality_list_shows_only_the_scope(client, municipalities, technician_chumbivilcas):
    client.force_login(technician_chumbivilcas)
    response = client.get(reverse("municipalities:municipality_list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Chumbivilcas" in content and "Colquemarca" in content
    assert "Anta" not in content and "Pucyura" not in content


def test_municipality_list_query_count_does_not_grow(
    client, territory, coordinator, django_assert_max_num_queries
):
    from municipalities.services import municipality_ensure

    client.force_login(coordinator)
    municipality_ensure(ubigeo="080101")
    with django_assert_max_num_queries(99) as one:
        client.get(reverse("municipalities:municipality_list"))
    for district in [
        "080102",
        "080103",
        "080104",
        "080105",
        "080106",
        "080107",
        "080108",
        "080201",
        "080202",
        "080203",
        "080204",
        "080205",
        "080206",
        "080207",
        "080301",
        "080302",
        "080303",
        "080304",
        "080305",
        "080306",
        "080307",
        "080308",
        "080309",
        "080401",
    ]:
        municipality_ensure(ubigeo=district)
    assert Municipality.objects.count() == 25
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("municipalities:municipality_list"))
