"""A leader on a 360 px phone reports the second quarter of a validated plan with no connection — 6 of 10 ha,
own funds and the municipality's Procompite, a photo — and the report reaches the server when the
connection returns. The first sending's answer is lost on the way back, so the phone sends it again: the
server applies it once. The plan then shows 60 % and the spending per source."""

import io

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from kallpanchis.offline.models import OfflineSubmission
from producers.models import ExecutionReport
from tests.browser_guard import PageGuard

from .factories import validated_plan
from .test_execution import phone_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_360 = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def test_leader_reports_a_quarter_offline_and_it_is_applied_once(
    live_server, browser, association, leader, coordinator
):
    plan = validated_plan(association, leader=leader, coordinator=coordinator)
    activity = plan.activities.get()
    client = Client()
    client.force_login(leader)
    context = browser.new_context(**PHONE_360)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    guard = PageGuard(page)

    page.goto(f"{live_server.url}/producers/plans/{plan.pk}/")
    guard.check()
    page.get_by_role("link", name="Informar el avance").click()
    guard.check()
    page.locator("[name=period]").select_option("2")
    page.fill(f"[name=a{activity.pk}_done]", "6")
    page.fill(f"[name=a{activity.pk}_own]", "1200")
    page.fill(f"[name=a{activity.pk}_procompite]", "1500")
    page.get_by_label("Nota breve").fill("Sembramos avena y vicia en 6 ha.")
    page.set_input_files(
        "[name=photos]", files=[{"name": "IMG_0612.jpg", "mimeType": "image/jpeg", "buffer": phone_jpeg()}]
    )

    # No connection: the report stays on the phone.
    context.set_offline(True)
    page.get_by_role("button", name="Enviar el informe").click()
    expect(page.locator("#report-status")).to_contain_text("Sin conexión. El informe queda guardado")
    assert not ExecutionReport.objects.exists()

    # The connection returns; the first sending reaches the server but its answer is lost.
    lost = []

    def lose_the_answer(route):
        route.fetch()
        lost.append(route.request.url)
        route.abort()

    page.route("**/reports/sync/", lose_the_answer)
    context.set_offline(False)
    page.wait_for_timeout(1500)
    if not lost:  # no "online" event on this browser: the leader presses the button
        page.get_by_role("button", name="Enviar ahora").click()
    expect(page.locator("#report-status")).to_contain_text("Sin conexión")
    assert len(lost) == 1
    assert ExecutionReport.objects.count() == 1

    # The phone still holds the report and sends it again: the server says it has it already.
    page.unroute("**/reports/sync/")
    page.get_by_role("button", name="Enviar ahora").click()
    expect(page.locator("#report-status")).to_contain_text("Informe enviado. El técnico lo revisará.")
    guard.check()
    assert ExecutionReport.objects.count() == 1
    assert OfflineSubmission.objects.filter(kind="execution_report").count() == 1
    report = ExecutionReport.objects.get()
    assert (report.period, report.status, report.submitted_by) == (2, "submitted", leader)
    photo = report.photos.get()
    assert photo.gps_kept is False
    with photo.image.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert dict(image.getexif()) == {} and max(image.size) == 1600

    page.get_by_role("link", name="Ver el plan").click()
    expect(page.locator("#plan-physical")).to_have_text("60 %")
    expect(page.locator("#progress-sources tr[data-source=own] .source-spent")).to_have_text("S/ 1,200.00")
    expect(page.locator("#progress-sources tr[data-source=procompite] .source-spent")).to_have_text(
        "S/ 1,500.00"
    )
    expect(page.locator("#plan-spent")).to_have_text("S/ 2,700.00")
    guard.check()
    # Nothing is left on the phone to send.
    page.goto(f"{live_server.url}/producers/plans/{plan.pk}/reports/new/")
    expect(page.get_by_text("Un informe guardado en este teléfono aún no se ha enviado.")).to_have_count(0)
    context.close()
