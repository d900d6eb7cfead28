"""Phones are shared: after sign-out the phone keeps no signed-in page and no saved meeting list, but keeps
(and shows) the meeting logs not sent yet."""

import pytest
from playwright.sync_api import expect

from tests.offline.browser import PEOPLE, idb_drafts, idb_meetings, open_shell, sign_in, wait_for_worker
from tests.offline.helpers import meeting_to_log

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CACHE_CONTENTS = """async () => {
  const out = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      out.push({cache: name, path: new URL(request.url).pathname, body: await response.text()});
    }
  }
  return out;
}"""


def test_after_sign_out_the_cache_holds_no_signed_in_page(
    live_server, phone, technician_anta, municipalities
):
    meeting_to_log(municipalities["anta"])
    page = phone
    sign_in(page, live_server.url, technician_anta.email)
    page.goto(live_server.url + "/spaces/meetings/")
    open_shell(page, live_server.url)
    wait_for_worker(page)
    assert [m["title"] for m in idb_meetings(page)] == ["Mesa técnica de leche"]
    # An unsent draft, kept on the phone only.
    page.locator("li.meeting", has_text="Mesa técnica de leche").get_by_role("button").click()
    page.locator("#log-minutes").fill("Borrador sin enviar.")
    page.locator("#add-person").click()
    page.locator("#attendance > li").first.locator("[data-field=given_names]").fill(PEOPLE[0][0])
    page.locator("#save-draft").click()
    expect(page.locator("li.draft")).to_have_count(1)
    # What the worker keeps while signed in: static files and the shell, which holds nobody's data.
    before = page.evaluate(CACHE_CONTENTS)
    assert {e["path"] for e in before} >= {"/offline/", "/static/offline/shell.js", "/static/css/app.css"}
    assert all(e["path"] == "/offline/" or e["path"].startswith("/static/") for e in before)
    shell = next(e["body"] for e in before if e["path"] == "/offline/")
    assert technician_anta.email not in shell and technician_anta.first_name not in shell
    assert "csrfmiddlewaretoken" not in shell
    # A signed-in page left in the cache by some older worker must go too.
    page.evaluate(
        "async () => { const c = await caches.open((await caches.keys())[0]);"
        " await c.put('/spaces/meetings/', new Response('Mesa técnica de leche, signed in')); }"
    )

    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Abrir el menú").click()
    # The menu slides open on a phone: its entries are clicked once it is open, not while it moves.
    expect(page.locator("#main-nav.show")).to_be_visible()
    page.get_by_role("button", name="Mi cuenta").click()  # signing out sits in the account menu
    sign_out = page.get_by_role("button", name="Cerrar sesión")
    expect(sign_out).to_be_visible()
    sign_out.click()
    page.wait_for_load_state()
    expect(page.locator("body[data-signed-in='0']")).to_have_count(1)

    after = page.evaluate(CACHE_CONTENTS)
    assert after, "the static files and the shell stay, so the page still opens offline"
    assert all(e["path"] == "/offline/" or e["path"].startswith("/static/") for e in after), after
    assert not any("signed in" in e["body"] or technician_anta.email in e["body"] for e in after)
    assert idb_meetings(page) == []
    [draft] = idb_drafts(page)
    assert draft["minutes"] == "Borrador sin enviar."
    expect(page.locator("#unsent-drafts")).to_contain_text("Este teléfono guarda 1 acta que aún no se envió.")

    # Offline, signed out: the shell still opens and says a draft waits, naming nobody (it is its author's);
    # no signed-in page comes back.
    page.context.set_offline(True)
    open_shell(page, live_server.url)
    expect(page.locator("li.draft")).to_have_count(0)
    expect(page.locator("#drafts-others")).to_contain_text("espera 1 registro de reunión")
    assert PEOPLE[0][0] not in page.locator("body").inner_text()
    expect(page.locator("li.meeting")).to_have_count(0)
    with pytest.raises(Exception):  # noqa: B017 - the browser's own "no connection" error
        page.goto(live_server.url + "/spaces/meetings/")
