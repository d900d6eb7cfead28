"""Every page usable on a 360 px phone: nothing wider than the screen, and every control a thumb can hit
(44 × 44 px at least; links inside a sentence are exempt, as WCAG 2.5.8 allows)."""

import pytest

from tests.offline.browser import sign_in
from tests.offline.helpers import meeting_to_log

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEASURE = """() => {
  const small = [];
  const controls = document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]");
  for (const el of controls) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!box.width || !box.height || style.visibility === "hidden") continue;
    if (el.closest(".visually-hidden-focusable, .d-none")) continue;
    if (el.tagName !== "SUMMARY" && el.closest("details:not([open])")) continue;  // folded away
    // A link inside running text (a sentence, help text, a table cell's text) is exempt.
    if (el.tagName === "A" && el.closest("p, .form-text, .small, small, .alert, td, dd")) continue;
    if (el.type === "checkbox" || el.type === "radio") {
      // Checkboxes and radios are hit through their label: measure the .form-check row.
      const row = el.closest(".form-check") || el.parentElement;
      const r = row.getBoundingClientRect();
      if (r.height >= 43.5) continue;
    }
    if (box.height < 43.5 || box.width < 43.5)
      small.push(
        `${el.tagName.toLowerCase()} "${(el.innerText || el.value || el.name || "").trim().slice(0, 30)}" ` +
        `${Math.round(box.width)}x${Math.round(box.height)}`);
  }
  return {wide: document.documentElement.scrollWidth, small};
}"""


@pytest.fixture
def narrow(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def check(page, url):
    page.goto(url)
    result = page.evaluate(MEASURE)
    problems = []
    if result["wide"] > 360:
        problems.append(f"{url} is {result['wide']} px wide")
    if result["small"]:
        problems.append(f"{url} small targets: {result['small']}")
    return problems


def test_pages_fit_360px_with_44px_targets(live_server, narrow, technician_anta, municipalities):
    from tests.producers.factories import association_in, filled_plan, leader_of

    meeting = meeting_to_log(municipalities["anta"])
    association = association_in("080308", name="Asociación Virgen de Natividad", families=45)
    leader = leader_of(association, email="lider@example.pe")
    plan = filled_plan(association, by=leader)  # the plan's row on the association page, its month pickers
    base = live_server.url
    problems = check(narrow, base + "/accounts/login/")
    sign_in(narrow, base, technician_anta.email)
    for path in [
        "/",
        "/offline/",
        "/spaces/",
        f"/spaces/{meeting.space_id}/",
        "/spaces/meetings/",
        f"/spaces/meetings/{meeting.pk}/",
        f"/spaces/meetings/{meeting.pk}/log/",
        "/spaces/agreements/",
        "/people/",
    ]:
        problems += check(narrow, base + path)
    narrow.context.clear_cookies()
    sign_in(narrow, base, leader.email)
    for path in [
        "/",
        f"/producers/{association.pk}/",
        f"/producers/{association.pk}/production/",
        f"/producers/{association.pk}/production/new/",
        f"/producers/{association.pk}/members/new/",
        f"/producers/plans/{plan.pk}/",
        f"/producers/plans/{plan.pk}/edit/",
        "/budgets/",
    ]:
        problems += check(narrow, base + path)
    assert not problems, "\n".join(problems)
