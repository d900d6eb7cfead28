"""A technician logs a meeting in a village with no signal; the log reaches the server once, whatever the
connection does, and is never lost."""

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from kallpanchis.offline.models import OfflineSubmission
from spaces.models import Agreement, Attendance, Meeting
from spaces.services import meeting_postpone
from tests.browser_guard import PageGuard
from tests.offline.browser import (
    AGREEMENTS,
    PEOPLE,
    expect_sent,
    fill_log,
    idb_drafts,
    open_shell,
    sign_in,
    sync_trail,
    wait_for_worker,
)
from tests.offline.helpers import meeting_to_log

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meeting(municipalities):
    return meeting_to_log(municipalities["anta"])


def three_people_logged_offline(page, base_url: str, technician) -> None:
    """Signed in, the meeting logged with three people while the phone has no connection: the draft waits."""
    sign_in(page, base_url, technician.email)
    open_shell(page, base_url)
    wait_for_worker(page)
    page.context.set_offline(True)
    fill_log(page, meeting_title="Mesa técnica de leche", minutes="Acta.", people=PEOPLE[:3])


def test_meeting_logged_offline_reaches_the_server_exactly_once(live_server, phone, technician_anta, meeting):
    page = phone
    context = page.context
    guard = PageGuard(page)
    sign_in(page, live_server.url, technician_anta.email)
    open_shell(page, live_server.url)
    wait_for_worker(page)
    expect(page.locator("li.meeting", has_text="Mesa técnica de leche")).to_be_visible()
    guard.check()

    # No signal: the page itself comes from the service worker.
    context.set_offline(True)
    response = page.reload()
    assert response.from_service_worker
    expect(page.get_by_text("Sin conexión: los borradores se quedan en este teléfono")).to_be_visible()
    day = timezone.localdate(meeting.starts_at)
    fill_log(
        page,
        meeting_title="Mesa técnica de leche",
        minutes="Se revisó el avance de la mesa de leche.",
        agreements=AGREEMENTS,
        due_base=day,
    )
    expect(page.locator("#notice")).to_have_text("Esperando conexión para enviar.")

    # Closing and reopening the page: the draft is still on the phone, whole.
    page.reload()
    expect(page.locator("li.draft")).to_have_count(1)
    expect(page.locator("li.draft")).to_contain_text("10 personas")
    expect(page.locator("li.draft .draft-state")).to_have_text("Esperando conexión para enviar.")
    [draft] = idb_drafts(page)
    assert [p["name"] for p in draft["attendance"]] == [p[0] for p in PEOPLE]
    assert len(draft["agreements"]) == 2
    page.locator("li.draft .js-open").click()
    expect(page.locator("#attendance > li")).to_have_count(10)
    expect(page.locator("#attendance > li").nth(9).locator("[data-field=given_names]")).to_have_value(
        "Hilario Yupanqui"
    )
    page.locator("#close-form").click()

    # The connection returns, badly: the first send never reaches the server, the second reaches it but
    # its answer is lost. The phone retries with the same draft id.
    calls = []

    def flaky(route):
        calls.append(route.request.post_data_json["client_id"])
        if len(calls) == 1:
            route.fulfill(status=503, body="")
        elif len(calls) == 2:
            route.fetch()
            route.fulfill(status=503, body="")
        else:
            route.continue_()

    context.route("**/spaces/offline/meetings/*/log", flaky)
    context.set_offline(False)
    expect(page.locator("#notice")).to_have_text(
        "Enviada: el acta de «Mesa técnica de leche» ya está en el servidor.", timeout=20_000
    )
    expect(page.locator("li.draft")).to_have_count(0)

    assert len(calls) == 3 and len(set(calls)) == 1 and calls[0] == draft["id"]
    submission = OfflineSubmission.objects.get()
    assert str(submission.client_id) == draft["id"]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert meeting.minutes == "Se revisó el avance de la mesa de leche."
    rows = list(Attendance.objects.filter(meeting=meeting).order_by("position"))
    assert [(r.name, r.gender, r.organisation_name, r.role, r.is_producer) for r in rows] == PEOPLE
    agreements = list(Agreement.objects.filter(meeting=meeting).order_by("due_date"))
    assert [(a.what, a.responsible_person, (a.due_date - day).days) for a in agreements] == AGREEMENTS


def test_a_meeting_changed_on_the_server_is_refused_and_the_draft_kept(
    live_server, phone, technician_anta, meeting
):
    page = phone
    sign_in(page, live_server.url, technician_anta.email)
    open_shell(page, live_server.url)
    wait_for_worker(page)
    page.context.set_offline(True)
    fill_log(
        page, meeting_title="Mesa técnica de leche", minutes="Acta escrita en el campo.", people=PEOPLE[:2]
    )

    new_start = meeting.starts_at + timezone.timedelta(hours=1)  # moved, and still started before now
    meeting_postpone(
        meeting=meeting,
        by=technician_anta,
        starts_at=new_start,
        ends_at=new_start + timezone.timedelta(hours=2),
        reason="Lluvias fuertes",
    )
    page.context.set_offline(False)
    expect(page.locator("li.draft .draft-state")).to_contain_text(
        "Esta reunión se trasladó al", timeout=15_000
    )
    expect(page.locator("li.draft .draft-state")).to_contain_text(
        "Su borrador se conserva en este teléfono: revise la reunión y vuelva a enviarlo."
    )
    expect(page.locator("#notice")).to_contain_text("Esta reunión se trasladó al")
    [draft] = idb_drafts(page)
    assert draft["state"] == "refused"
    assert [p["name"] for p in draft["attendance"]] == ["Justina Huillca", "Luis Mamani"]
    assert Attendance.objects.count() == 0
    assert OfflineSubmission.objects.count() == 0
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.POSTPONED

    # Having read the new date, the technician sends again: accepted once.
    page.locator("li.draft .js-open").click()
    page.locator("#log-form button[type=submit]").click()
    expect(page.locator("#notice")).to_contain_text("ya está en el servidor", timeout=15_000)
    assert Attendance.objects.filter(meeting=meeting).count() == 2


def test_an_answer_the_phone_cannot_read_is_tried_again_not_the_end_of_sending(
    live_server, phone, technician_anta, meeting
):
    """A village's shared connection may answer with its own page (a portal, a proxy's error) instead of the
    server's: the phone tries again, as after any failed try, and does not stop sending until reopened."""
    page = phone
    three_people_logged_offline(page, live_server.url, technician_anta)

    seen = []

    def portal_once(route):
        # The second list asked for (the first try's send fails with a 503) comes from the portal.
        seen.append(route.request.url)
        if len(seen) == 2:
            route.fulfill(status=200, content_type="text/html", body="<html><body>Portal</body></html>")
        else:
            route.continue_()

    sends = []

    def busy_once(route):
        sends.append(route.request.url)
        if len(sends) == 1:
            route.fulfill(status=503, body="")
        else:
            route.continue_()

    page.context.route("**/spaces/offline/meetings.json", portal_once)
    page.context.route("**/spaces/offline/meetings/*/log", busy_once)
    trail = sync_trail(page)
    page.context.set_offline(False)
    # Tries after 1 s (the portal's page) and 2 s more: the log is sent on the third.
    expect_sent(page, trail, timeout=20_000)
    assert len(sends) == 2 and len(seen) >= 3
    assert Attendance.objects.filter(meeting=meeting).count() == 3
    assert OfflineSubmission.objects.count() == 1


def test_an_expired_session_keeps_the_draft_and_asks_to_sign_in(live_server, phone, technician_anta, meeting):
    page = phone
    three_people_logged_offline(page, live_server.url, technician_anta)

    Session.objects.all().delete()  # the session ends while the technician is in the field
    page.context.set_offline(False)
    expect(page.locator("#notice")).to_contain_text(
        "Su sesión terminó. Vuelva a iniciar sesión para enviar: sus borradores se quedan en este teléfono.",
        timeout=15_000,
    )
    [draft] = idb_drafts(page)
    assert draft["state"] == "signin"
    assert Attendance.objects.count() == 0

    page.get_by_role("link", name="Volver a iniciar sesión").click()
    page.get_by_label("Correo electrónico").fill(technician_anta.email)
    page.get_by_label("Contraseña").fill(__import__("tests.accounts.factories").accounts.factories.PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).to_have_url(live_server.url + "/offline/")
    expect(page.locator("#notice")).to_contain_text("ya está en el servidor", timeout=15_000)
    assert Attendance.objects.filter(meeting=meeting).count() == 3
    assert OfflineSubmission.objects.count() == 1


def test_a_meeting_page_can_open_its_offline_form_directly(live_server, phone, technician_anta, meeting):
    page = phone
    sign_in(page, live_server.url, technician_anta.email)
    open_shell(page, live_server.url)  # saves the list
    page.goto(live_server.url + f"/offline/#meeting-{meeting.pk}")
    page.reload()
    expect(page.locator("#log-title")).to_have_text("Mesa técnica de leche")
    expect(page.locator("#log-minutes")).to_be_focused()
