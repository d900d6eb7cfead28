"""The meeting list and agreements register are cached until the data under them changes: a write of any
kind (a service, a bulk update) shows at once, people with another scope never get someone else's block,
and a repeated request is served from the cache."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from spaces.models import Agreement, Meeting

from .factories import anta_space, held, lima

# The list cache keys on versions bumped by PostgreSQL triggers; on SQLite nothing is cached.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_a_repeated_request_is_served_from_the_cache(client, municipalities, technician_anta):
    client.force_login(technician_anta)
    held(anta_space(municipalities["anta"]), when=lima(2026, 1, 1), agreements=["Arreglar el canal"])
    for url in (reverse("spaces:meeting_list"), reverse("spaces:agreement_list")):
        cold_html, cold = get(client, url)
        warm_html, warm = get(client, url)
        assert without_csrf(warm_html) == without_csrf(cold_html)  # the sign-out form's token is per request
        assert warm < cold, url


def test_every_kind_of_write_shows_at_once(client, municipalities, technician_anta):
    client.force_login(technician_anta)
    space = anta_space(municipalities["anta"])
    held(space, when=lima(2026, 1, 1), title="Reunión de enero", agreements=["Arreglar el canal"])
    meetings, agreements = reverse("spaces:meeting_list"), reverse("spaces:agreement_list")
    assert "Reunión de enero" in get(client, meetings)[0]
    assert "Arreglar el canal" in get(client, agreements)[0]

    held(space, when=lima(2026, 2, 1), title="Reunión de febrero", agreements=["Comprar semillas"])
    assert "Reunión de febrero" in get(client, meetings)[0]
    assert "Comprar semillas" in get(client, agreements)[0]

    Meeting.objects.filter(title="Reunión de enero").update(title="Reunión de enero (acta corregida)")
    Agreement.objects.filter(what="Arreglar el canal").update(due_date=datetime.date(2026, 1, 2))
    assert "Reunión de enero (acta corregida)" in get(client, meetings)[0]
    html = get(client, agreements)[0]
    assert "02/01/2026" in html or "2/1/2026" in html

    Agreement.objects.filter(what="Comprar semillas").delete()
    assert "Comprar semillas" not in get(client, agreements)[0]


def test_the_cache_keeps_scopes_apart(
    client, municipalities, technician_anta, technician_chumbivilcas, coordinator
):
    held(anta_space(municipalities["anta"]), when=lima(2026, 1, 1), title="Reunión de Anta", agreements=["A"])
    url = reverse("spaces:meeting_list")
    client.force_login(coordinator)
    assert "Reunión de Anta" in get(client, url)[0]
    client.force_login(technician_chumbivilcas)  # the same URL and data, another territory
    assert "Reunión de Anta" not in get(client, url)[0]
    client.force_login(technician_anta)
    assert "Reunión de Anta" in get(client, url)[0]


def test_a_space_outside_the_scope_is_a_404_even_when_cached(
    client, municipalities, technician_anta, technician_chumbivilcas
):
    space = anta_space(municipalities["anta"])
    held(space, when=lima(2026, 1, 1), agreements=["A"])
    url = reverse("spaces:meeting_list") + f"?space={space.pk}"
    client.force_login(technician_anta)
    assert client.get(url).status_code == 200
    client.force_login(technician_chumbivilcas)
    assert client.get(url).status_code == 404
