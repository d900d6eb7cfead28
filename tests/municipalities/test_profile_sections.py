"""Spaces, producers and budgets add lines to a municipality profile (AppConfig.municipality_sections)."""

import pytest
from django.urls import reverse

from tests.budgets.factories import cycle_for
from tests.producers.factories import association_in
from tests.spaces.factories import anta_space

pytestmark = pytest.mark.django_db


def test_profile_counts_the_associations_and_cycles_in_scope(client, municipalities, technician_anta):
    association_in("080308")  # Pucyura, in the province of Anta
    association_in("080301")  # Anta district
    association_in("080704")  # Colquemarca, Chumbivilcas: not Anta's
    cycle_for(municipalities["anta"], fiscal_year=2030)
    anta_space(municipalities["anta"])
    anta_space(municipalities["chumbivilcas"], name="Espacio de desarrollo de Chumbivilcas")
    cycle_for(municipalities["chumbivilcas"], fiscal_year=2030)
    client.force_login(technician_anta)
    response = client.get(reverse("municipalities:municipality_detail", args=[municipalities["anta"].pk]))
    sections = {str(title): count for title, _url, count in response.context["sections"]}
    assert sections["Asociaciones de productores"] == 2
    assert sections["Presupuesto participativo"] == 1
    assert sections["Espacios de concertación"] == 1
    pucyura = client.get(reverse("municipalities:municipality_detail", args=[municipalities["pucyura"].pk]))
    assert {str(t): c for t, _u, c in pucyura.context["sections"]}["Asociaciones de productores"] == 1
