"""The technician's side of SMS, in Chromium: a meeting scheduled on its page reaches two registered people
without accounts by SMS at the local gateway server; one answers "ARI", the other "BAJA"; the meeting page
shows one confirmed and the other asking for no more SMS, and a change notice reaches only the first.

Time is not waited for: the reminder due the day before the meeting is made due now, then the dispatcher
runs with Celery's tasks in-line (the worker's side is proven in test_sms_worker.py)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kallpanchis.celery import app as celery_app
from kallpanchis.notifications.delivery import reminders_dispatch
from kallpanchis.notifications.models import Reminder, SmsMessage
from kallpanchis.people.models import Consent, Person
from spaces.models import Meeting, SpaceMember
from tests.accounts.factories import PASSWORD
from tests.browser_guard import PageGuard
from tests.local_services import free_port, wait_until
from tests.notifications.sms_gateway_server import GatewayServer, environment
from tests.spaces.factories import anta_space, producer_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _registered(given: str, phone: str, district: str) -> Person:
    person = Person.objects.create(
        given_names=given,
        first_surname="Huillca",
        search_name=f"{given.lower()} huillca",
        phone=phone,
        district_ubigeo=district,
        languages=["quechua", "spanish"],
    )
    for kind in (Consent.Kind.REGISTRATION, Consent.Kind.SMS):
        Consent.objects.create(
            person=person,
            kind=kind,
            purpose="Registro y avisos",
            given_on=datetime.date(2026, 1, 5),
            method="paper",
        )
    return person


@pytest.fixture
def gateway(settings, live_server):
    server = GatewayServer(free_port()).start()
    for name, value in environment(server, "android").items():
        setattr(settings, name, value)
    settings.SITE_URL = live_server.url
    settings.SMS_QUIET_FROM, settings.SMS_QUIET_UNTIL = 0, 0
    server.android_webhook = live_server.url + "/reminders/sms/hooks/android/"
    server.deliver = True
    yield server
    server.stop()


def test_technician_schedules_two_people_get_sms_one_confirms_one_leaves(
    live_server, browser, municipalities, technician_anta, gateway
):
    anta = municipalities["anta"]
    district = anta.ubigeo if len(anta.ubigeo) == 6 else anta.ubigeo + "01"
    space = anta_space(anta)
    rosa = _registered("Rosa", "+51984000001", district)
    juan = _registered("Juan", "+51984000002", district)
    SpaceMember.objects.get(space=space, organisation=producer_org()).representative_people.add(rosa, juan)

    page = browser.new_page()
    page.set_default_timeout(15_000)
    guard = PageGuard(page)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Correo electrónico").fill(technician_anta.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).to_have_url(live_server.url + "/")

    day = timezone.localdate() + datetime.timedelta(days=2)
    page.goto(f"{live_server.url}/spaces/{space.pk}/")
    page.get_by_role("link", name="Programar una reunión").click()
    page.get_by_label("Título").fill("Mesa de leche: precios")
    page.locator("[name=date]").fill(day.isoformat())
    page.get_by_label("Hora de inicio").fill("09:00")
    page.get_by_label("Hora de fin").fill("12:00")
    page.get_by_label("Lugar o comunidad").fill("Local comunal de Izcuchaca")
    page.locator("[name=agenda-0-title]").fill("Precio de la leche fresca")
    page.get_by_role("button", name="Programar", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mesa de leche: precios")
    guard.check()
    meeting = Meeting.objects.get()
    rows = Reminder.objects.for_target(meeting).filter(channel="sms")
    assert sorted(rows.values_list("person_id", flat=True)) == sorted([rosa.pk, juan.pk])

    # The day before the meeting: the dispatcher and the delivery (in-line) send the SMS.
    rows.update(due_at=timezone.now())
    celery_app.conf.task_always_eager = True
    try:
        reminders_dispatch(budget_seconds=5)
    finally:
        celery_app.conf.task_always_eager = False
    assert sorted(phone for phone, _ in gateway.given) == [rosa.phone, juan.phone]
    assert all("Mesa de leche: precios" in text and "ARI" in text for text in gateway.texts_to(rosa.phone))
    assert wait_until(lambda: SmsMessage.objects.filter(status="delivered").count() == 2, timeout=60)

    assert gateway.android_received(rosa.phone, "ARI").status_code == 200
    assert gateway.android_received(juan.phone, "BAJA").status_code == 200

    page.reload()
    guard.check()
    expect(page.locator("#sms-attending")).to_contain_text("Rosa Huillca")
    expect(page.locator("#sms-attending")).not_to_contain_text("Juan")
    expect(page.locator("#sms-stopped")).to_contain_text("Juan Huillca")

    # Juan no longer gets messages: the meeting is cancelled, the notice goes to Rosa alone.
    from spaces.services import meeting_cancel

    meeting_cancel(meeting=meeting, by=technician_anta, reason="Lluvias")
    notices = Reminder.objects.for_target(meeting).filter(channel="sms", kind="meeting_changed")
    assert list(notices.values_list("person_id", flat=True)) == [rosa.pk]
    assert Consent.objects.get(person=juan, kind="sms").withdrawn_at is not None
