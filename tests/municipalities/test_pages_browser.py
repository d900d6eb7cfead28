"""Every page of this app, in Chromium on a phone as a coordinator with the demo data: no CSP violation, no
request leaving the machine, no serious or critical accessibility violation (tests/browser_guard.py)."""

from io import StringIO

import pytest
from django.test import Client

from municipalities.models import (
    Event,
    MunicipalAssociation,
    Municipality,
    PartnershipAgreement,
    Technician,
    Training,
)
from tests.browser_guard import PageGuard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_page_of_the_app_is_clean_on_a_phone(live_server, browser, coordinator):
    from kallpanchis.organisations import demo as organisations_demo
    from municipalities import demo

    organisations_demo.seed(StringIO())
    demo.seed(StringIO())
    client = Client()
    client.force_login(coordinator)
    context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    guard = PageGuard(page)
    anta = Municipality.objects.get(organisation__name="Municipalidad Provincial de Anta")
    training = Training.objects.first()
    event = Event.objects.first()
    association = MunicipalAssociation.objects.first()
    paths = [
        "/municipalities/",
        f"/municipalities/{anta.pk}/",
        f"/municipalities/{anta.pk}/public/",
        f"/municipalities/{anta.pk}/edit/",
        "/municipalities/map/",
        "/municipalities/agreements/",
        "/municipalities/agreements/?status=expired",
        "/municipalities/agreements/new/",
        f"/municipalities/agreements/{PartnershipAgreement.objects.first().pk}/",
        "/municipalities/technicians/",
        "/municipalities/technicians/new/",
        f"/municipalities/technicians/{Technician.objects.first().pk}/",
        "/municipalities/trainings/",
        "/municipalities/trainings/new/",
        f"/municipalities/trainings/{training.pk}/",
        f"/municipalities/trainings/{training.pk}/attendance/",
        f"/municipalities/trainings/{training.pk}/attendance/{training.attendance.first().pk}/remove/",
        "/municipalities/associations/",
        "/municipalities/associations/new/",
        f"/municipalities/associations/{association.pk}/",
        f"/municipalities/associations/{association.pk}/actions/",
        "/municipalities/events/",
        "/municipalities/events/new/",
        f"/municipalities/events/{event.pk}/",
        f"/municipalities/events/{event.pk}/participation/",
    ]
    problems = []
    for path in paths:
        response = page.goto(live_server.url + path)
        if response.status != 200:
            problems.append(f"{path}: {response.status}")
            continue
        if path == "/municipalities/map/":
            page.get_by_role("button", name="Mostrar el mapa").click()
            page.wait_for_selector("#municipality-map[data-ready=true]")
        try:
            guard.check()
        except AssertionError as error:
            problems.append(str(error))
    context.close()
    assert problems == []
