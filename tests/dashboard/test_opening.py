"""The dashboard opens on the current year with the period said and changeable; "recompute now" comes back
to the same filters; the district list follows the province; old figures are said to be old."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kallpanchis.dashboard.models import Refresh

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:dashboard")


def test_it_opens_on_the_current_year_and_all_years_is_a_choice(client, world, coordinator):
    client.force_login(coordinator)
    year = timezone.localdate().year
    page = client.get(URL)
    assert page.context["filters"].year_from == page.context["filters"].year_to == year
    assert f"Cifras de {year}" in page.content.decode()
    assert 'href="#id_year_from"' in page.content.decode()
    every = client.get(URL, {"year_from": "", "year_to": ""})
    assert every.context["filters"].year_from is None and "Cifras de todos los años" in every.content.decode()
    assert "2,700" in client.get(URL, {"year_from": 2009, "year_to": 2009}).content.decode()


def test_recompute_now_keeps_the_filters(client, world, coordinator):
    client.force_login(coordinator)
    answer = client.post(
        reverse("dashboard:refresh"),
        {"province": "0807", "district": "", "line": "milk", "year_from": "2009", "year_to": "2009"},
    )
    assert answer.status_code == 302
    assert answer.url == URL + "?province=0807&line=milk&year_from=2009&year_to=2009"
    every = client.post(reverse("dashboard:refresh"), {"province": "", "year_from": "", "year_to": ""})
    assert every.url == URL + "?year_from=&year_to="


def test_districts_say_their_province_and_others_are_hidden(client, world, coordinator):
    client.force_login(coordinator)
    html = client.get(URL, {"province": "0807"}).content.decode()
    assert '<option value="080704" data-province="0807">Colquemarca</option>' in html
    assert '<option value="080308" data-province="0803" hidden disabled>Pucyura</option>' in html
    assert "dashboard/filters.js" in html


def test_old_figures_are_said_to_be_old(client, world, coordinator):
    client.force_login(coordinator)
    assert "pueden estar desactualizadas" not in client.get(URL).content.decode()
    Refresh.objects.update(finished_at=timezone.now() - datetime.timedelta(hours=3))
    page = client.get(URL).content.decode()
    assert "pueden estar desactualizadas" in page
    assert "no ha respondido" in page
