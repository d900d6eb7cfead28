"""Drafts on the phone, as a technician lives with them: a draft refused because its meeting was cancelled
or moved is discarded (after a confirmation), moved to another meeting or re-based on the meeting as it is
now; after a send the list no longer offers the same meeting; on a shared phone a draft is its author's."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kallpanchis.offline.models import OfflineSubmission
from spaces.models import Attendance, Meeting
from spaces.services import meeting_cancel, meeting_postpone
from tests.accounts.factories import person_with_role
from tests.browser_guard import PageGuard
from tests.offline.browser import PEOPLE, fill_log, idb_drafts, open_shell, sign_in, wait_for_worker
from tests.offline.helpers import meeting_to_log

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def draft_item(page, title):
    return page.locator("li.draft", has_text=title)


def test_refused_drafts_are_rebased_moved_or_discarded(live_server, phone, technician_anta, municipalities):
    anta = municipalities["anta"]
    moved = meeting_to_log(anta, hours_ago=5, title="Mesa de leche")
    cancelled = meeting_to_log(anta, hours_ago=4, title="Mesa de cuyes")
    dropped = meeting_to_log(anta, hours_ago=3, title="Mesa de gastronomía")
    spare = meeting_to_log(anta, hours_ago=2, title="Asamblea del espacio")
    page = phone
    guard = PageGuard(page)
    sign_in(page, live_server.url, technician_anta.email)
    open_shell(page, live_server.url)
    wait_for_worker(page)
    page.context.set_offline(True)
    for meeting, people in ((moved, PEOPLE[:1]), (cancelled, PEOPLE[1:3]), (dropped, PEOPLE[3:4])):
        fill_log(page, meeting_title=meeting.title, minutes="Acta del campo.", people=people)
    expect(page.locator("li.draft")).to_have_count(3)

    new_start = moved.starts_at + datetime.timedelta(hours=1)  # moved, still started before now
    meeting_postpone(
        meeting=moved,
        by=technician_anta,
        starts_at=new_start,
        ends_at=new_start + datetime.timedelta(hours=1),
        reason="Lluvia",
    )
    meeting_cancel(meeting=cancelled, by=technician_anta, reason="Paro agrario")
    meeting_cancel(meeting=dropped, by=technician_anta, reason="Paro agrario")
    page.context.set_offline(False)
    expect(draft_item(page, "Mesa de cuyes").locator(".draft-state")).to_contain_text(
        "fue cancelada", timeout=20_000
    )
    expect(draft_item(page, "Mesa de gastronomía").locator(".draft-state")).to_contain_text("fue cancelada")
    expect(draft_item(page, "Mesa de leche").locator(".draft-state")).to_contain_text("se trasladó")
    guard.check()
    # A cancelled meeting cannot take its draft back: no "update it" there, only moving or discarding.
    expect(draft_item(page, "Mesa de cuyes").locator(".js-rebase")).to_have_count(0)

    # Moved on the server: re-based on the meeting as it is now, checked, sent.
    draft_item(page, "Mesa de leche").locator(".js-rebase").click()
    expect(page.locator("#log-when")).to_be_visible()
    page.locator("#log-form button[type=submit]").click()
    expect(page.locator("#notice")).to_contain_text("«Mesa de leche» ya está en el servidor", timeout=15_000)
    assert Attendance.objects.filter(meeting=moved).count() == 1

    # Cancelled: moved to another meeting of the space and sent there.
    draft_item(page, "Mesa de cuyes").locator(".js-move").click()
    page.get_by_label("Reunión", exact=True).select_option(str(spare.pk))
    page.locator(".js-move-ok").click()
    expect(page.locator("#log-title")).to_have_text("Asamblea del espacio")
    expect(page.locator("#attendance > li")).to_have_count(2)
    page.locator("#log-form button[type=submit]").click()
    expect(page.locator("#notice")).to_contain_text(
        "«Asamblea del espacio» ya está en el servidor", timeout=15_000
    )
    assert sorted(Attendance.objects.filter(meeting=spare).values_list("name", flat=True)) == sorted(
        p[0] for p in PEOPLE[1:3]
    )
    assert not Attendance.objects.filter(meeting=cancelled).exists()

    # Cancelled and not wanted any more: discarded, after saying so twice.
    item = draft_item(page, "Mesa de gastronomía")
    item.locator(".js-discard").click()
    expect(page.get_by_role("alertdialog")).to_contain_text(
        "¿Descartar el registro de «Mesa de gastronomía»? Su asistencia (1)"
    )
    page.locator(".js-discard-no").click()
    expect(item).to_have_count(1)
    item.locator(".js-discard").click()
    page.locator(".js-discard-yes").click()
    expect(page.locator("li.draft")).to_have_count(0)
    assert idb_drafts(page) == []
    page.goto(live_server.url + "/spaces/")
    expect(page.locator("#unsent-drafts")).to_be_hidden()  # the banner is gone with the draft
    assert OfflineSubmission.objects.count() == 2
    guard.check()


def test_after_a_send_the_meeting_is_not_offered_again(live_server, phone, technician_anta, municipalities):
    sent = meeting_to_log(municipalities["anta"], hours_ago=3, title="Mesa de leche")
    meeting_to_log(municipalities["anta"], hours_ago=2, title="Mesa de cuyes")
    page = phone
    sign_in(page, live_server.url, technician_anta.email)
    open_shell(page, live_server.url)

    # A draft saved for one meeting: the meeting opens that draft, never a second, blank one.
    page.locator("li.meeting", has_text="Mesa de cuyes").get_by_role("button").click()
    page.locator("#log-minutes").fill("A medio escribir.")
    page.locator("#save-draft").click()
    page.locator("#close-form").click()
    expect(page.locator("li.meeting", has_text="Mesa de cuyes").get_by_role("button")).to_have_text(
        "Abrir el borrador"
    )
    page.locator("li.meeting", has_text="Mesa de cuyes").get_by_role("button").click()
    expect(page.locator("#log-minutes")).to_have_value("A medio escribir.")
    page.locator("#close-form").click()
    assert len(idb_drafts(page)) == 1

    fill_log(page, meeting_title="Mesa de leche", minutes="Acta.", people=PEOPLE[:2])
    expect(page.locator("#notice")).to_contain_text("ya está en el servidor", timeout=15_000)
    # The list came back from the server: the logged meeting is gone from it.
    expect(page.locator("li.meeting", has_text="Mesa de leche")).to_have_count(0)
    expect(page.locator("li.meeting", has_text="Mesa de cuyes")).to_have_count(1)
    assert Meeting.objects.get(pk=sent.pk).status == "held"
    page.reload()
    expect(page.locator("body[data-ready='1']")).to_have_count(1)
    expect(page.locator("li.meeting", has_text="Mesa de leche")).to_have_count(0)


def test_on_a_shared_phone_a_draft_is_only_its_authors(live_server, phone, technician_anta, municipalities):
    meeting = meeting_to_log(municipalities["anta"])
    other = person_with_role("technician", municipalities["anta"].organisation, email="otra@example.pe")
    page = phone
    sign_in(page, live_server.url, technician_anta.email)
    open_shell(page, live_server.url)
    page.locator("li.meeting", has_text=meeting.title).get_by_role("button").click()
    page.locator("#log-minutes").fill("Acta de Juan.")
    page.locator("#add-person").click()
    page.locator("#attendance > li [data-field=given_names]").fill("Justina Huillca")
    page.locator("#save-draft").click()
    page.locator("#close-form").click()
    expect(page.locator("li.draft")).to_have_count(1)

    # The session ends (or the technician signs out): any page seen signed out forgets whose list it was.
    page.context.clear_cookies()
    page.goto(live_server.url + "/")
    expect(page.locator("#unsent-drafts")).to_be_visible()
    open_shell(page, live_server.url)
    expect(page.locator("li.draft")).to_have_count(0)
    expect(page.locator("#drafts-others")).to_have_text(
        "En este teléfono espera 1 registro de reunión. Inicie sesión para abrir y enviar los suyos."
    )
    text = page.locator("body").inner_text()
    assert "Justina" not in text and meeting.title not in text

    # Another technician signs in on the same phone: they neither see nor send it.
    sign_in(page, live_server.url, other.email)
    page.goto(live_server.url + "/")
    expect(page.locator("#home-drafts")).to_be_hidden()
    open_shell(page, live_server.url)
    expect(page.locator("li.meeting", has_text=meeting.title)).to_have_count(1)
    expect(page.locator("li.draft")).to_have_count(0)
    expect(page.locator("#drafts-others")).to_contain_text("1 registro de reunión de otra persona")
    assert "Justina" not in page.locator("body").inner_text()
    assert OfflineSubmission.objects.count() == 0 and Meeting.objects.get(pk=meeting.pk).status == "planned"

    # Its author signs in again: it is theirs to open and send.
    page.context.clear_cookies()
    page.goto(live_server.url + "/")
    sign_in(page, live_server.url, technician_anta.email)
    open_shell(page, live_server.url)
    draft_item(page, meeting.title).locator(".js-open").click()
    expect(page.locator("#attendance > li [data-field=given_names]")).to_have_value("Justina Huillca")
    page.locator("#log-form button[type=submit]").click()
    expect(page.locator("#notice")).to_contain_text("ya está en el servidor", timeout=15_000)
    assert OfflineSubmission.objects.get().user == technician_anta
    assert list(Attendance.objects.filter(meeting=meeting).values_list("name", flat=True)) == [
        "Justina Huillca"
    ]
    assert timezone.now() >= Meeting.objects.get(pk=meeting.pk).starts_at
