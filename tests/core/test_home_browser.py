"""Each role's home page in Chromium, on the screen that role uses (a 375 px phone for the technician and the
leader, a 1366 px laptop for the coordinator and the budget team): it lists what was made due for them, each
item's action opens the right page, and finishing one (an agreement done, a plan approved, a proposal
evaluated) takes it off the home page. Every page visited passes the guard (CSP, nothing fetched from
outside, no serious accessibility violation)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from budgets.models import Phase
from producers.services import plan_submit
from spaces.models import Agreement
from spaces.services import AgreementData, AttendanceRow, meeting_log, space_member_add
from tests.accounts.factories import person_with_role
from tests.browser_guard import PageGuard
from tests.budgets.factories import agent_for, cycle_for, proposal_for
from tests.conftest import SCREENS
from tests.producers.factories import association_in, filled_plan, leader_of
from tests.spaces.factories import anta_space, scheduled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _today():
    return timezone.localdate()


def _at(days: int, hour: int = 10) -> datetime.datetime:
    day = _today() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def signed_in(browser, live_server, user, screen: str):
    client = Client()
    client.force_login(user)
    context = browser.new_context(**SCREENS[screen])
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    return page, PageGuard(page)


def item(page, title: str):
    return page.locator("li.pending-item", has=page.locator(".pending-title", has_text=title))


def open_item(page, live_server, title: str, expected_path: str, guard) -> None:
    """Follow the item's action from the home page, check where it lands, come back."""
    page.goto(live_server.url + "/")
    item(page, title).locator("a.pending-action").click()
    expect(page).to_have_url(live_server.url + expected_path)
    guard.check()


def test_technician_on_a_phone(live_server, browser, municipalities, technician_anta):
    space = anta_space(municipalities["anta"])
    forgotten = scheduled(space, when=_at(-4), title="Reunión sin acta")
    coming = scheduled(space, when=_at(3), title="Reunión de la mesa de leche")
    held = scheduled(space, when=_at(-10), title="Reunión de enero")
    meeting_log(
        meeting=held,
        by=technician_anta,
        minutes="Acta.",
        attendance=[AttendanceRow(name="Rosa Quispe", gender="female")],
        agreements=[
            AgreementData(what="Instalar el tanque de frío", due_date=_today() + datetime.timedelta(days=2))
        ],
    )
    agreement = Agreement.objects.get()
    page, guard = signed_in(browser, live_server, technician_anta, "phone")
    page.goto(live_server.url + "/")
    expect(page.locator("section.pending-overdue")).to_contain_text("Reunión sin acta")
    expect(page.locator("section.pending-this_week")).to_contain_text("Reunión de la mesa de leche")
    expect(page.locator("section.pending-this_week")).to_contain_text("Instalar el tanque de frío")
    guard.check()

    open_item(page, live_server, "Reunión sin acta", f"/spaces/meetings/{forgotten.pk}/log/", guard)
    open_item(page, live_server, "Reunión de la mesa de leche", f"/spaces/meetings/{coming.pk}/", guard)
    open_item(page, live_server, "Instalar el tanque de frío", f"/spaces/agreements/{agreement.pk}/", guard)

    # Mark the agreement done from its page: it leaves the home page.
    page.get_by_label("Nuevo estado").select_option("done")
    page.get_by_role("button", name="Guardar el seguimiento").click()
    expect(page.get_by_text("Se cambió el estado del acuerdo.")).to_be_visible()
    page.goto(live_server.url + "/")
    expect(page.locator("li.pending-item", has_text="Instalar el tanque de frío")).to_have_count(0)
    expect(page.locator("li.pending-item", has_text="Reunión sin acta")).to_have_count(1)
    page.context.close()


def test_leader_on_a_phone(live_server, browser, municipalities):
    association = association_in("080308", name="Asociación Virgen de Natividad")
    leader = leader_of(association)
    space = anta_space(municipalities["anta"])
    space_member_add(space=space, by=None, organisation=association.organisation)
    assembly = scheduled(space, when=_at(5), title="Asamblea provincial")
    held = scheduled(space, when=_at(-3), title="Reunión pasada")
    meeting_log(
        meeting=held,
        by=None,
        minutes="Acta.",
        attendance=[AttendanceRow(name="Justina Huillca", gender="female")],
        agreements=[
            AgreementData(
                what="Sembrar dos hectáreas de avena",
                due_date=_today() + datetime.timedelta(days=20),
                responsible_organisation=association.organisation,
            )
        ],
    )
    agreement = Agreement.objects.get()
    page, guard = signed_in(browser, live_server, leader, "phone")
    page.goto(live_server.url + "/")
    for text in ("Asamblea provincial", "Sembrar dos hectáreas de avena", "no iniciado", "Producción"):
        expect(page.locator("li.pending-item", has_text=text).first).to_be_visible()
    guard.check()

    open_item(page, live_server, "Asamblea provincial", f"/spaces/meetings/{assembly.pk}/", guard)
    open_item(
        page,
        live_server,
        "no iniciado",
        f"/producers/{association.pk}/plans/new/?year={_today().year}",
        guard,
    )
    expect(page.get_by_label("Año")).to_have_value(str(_today().year))
    open_item(
        page, live_server, "Sembrar dos hectáreas de avena", f"/spaces/agreements/{agreement.pk}/", guard
    )

    # The leader reports what the association did: the agreement is done and leaves the home page.
    page.get_by_label("Nuevo estado").select_option("done")
    page.get_by_label("Nota de seguimiento").fill("Ya sembramos la avena en Huayllaccocha.")
    page.get_by_role("button", name="Guardar el seguimiento").click()
    expect(page.get_by_text("Se cambió el estado del acuerdo.")).to_be_visible()
    page.goto(live_server.url + "/")
    expect(page.locator("li.pending-item", has_text="Sembrar dos hectáreas de avena")).to_have_count(0)
    page.context.close()


def test_coordinator_on_a_laptop(live_server, browser, municipalities, coordinator):
    association = association_in("080308", name="Asociación Sumaq Waka")
    plan = plan_submit(by=None, plan=filled_plan(association, year=_today().year + 1))
    space = anta_space(municipalities["anta"])
    old = scheduled(space, when=_at(-100), title="Reunión antigua")
    meeting_log(
        meeting=old,
        by=None,
        minutes="Acta.",
        attendance=[AttendanceRow(name="Rosa Quispe", gender="female")],
        agreements=[
            AgreementData(what="Un acuerdo vencido", due_date=_today() - datetime.timedelta(days=40))
        ],
    )
    page, guard = signed_in(browser, live_server, coordinator, "desktop")
    page.goto(live_server.url + "/")
    plan_title = f"Plan {plan.year} de Asociación Sumaq Waka"
    expect(item(page, plan_title)).to_be_visible()
    expect(item(page, "1 acuerdo vencido")).to_be_visible()
    expect(item(page, "ninguna reunión en 60 días")).to_be_visible()
    expect(page.locator(".pending-next")).to_contain_text("cifras del panel")
    guard.check()

    page.goto(live_server.url + "/")
    item(page, "1 acuerdo vencido").locator("a.pending-action").click()
    expect(page).to_have_url(
        f"{live_server.url}/spaces/agreements/?overdue=on&municipality={municipalities['anta'].pk}"
    )
    expect(page.get_by_text("Un acuerdo vencido")).to_be_visible()
    guard.check()
    open_item(page, live_server, plan_title, f"/producers/plans/{plan.pk}/", guard)

    # Validate the plan: it leaves the home page.
    page.get_by_role("link", name="Validar", exact=True).click()
    page.get_by_role("button", name="Validar").click()
    expect(page.locator("#plan-status")).to_have_text("Validado")
    page.goto(live_server.url + "/")
    expect(page.locator("li.pending-item", has_text=plan_title)).to_have_count(0)
    page.context.close()


def test_budget_team_on_a_laptop(live_server, browser, municipalities):
    team = person_with_role("technical_team", municipalities["anta"].organisation)
    cycle = cycle_for(municipalities["anta"], fiscal_year=_today().year + 1)
    Phase.objects.filter(cycle=cycle, kind="concertation").update(
        starts_on=_today() - datetime.timedelta(days=5), ends_on=_today() + datetime.timedelta(days=30)
    )
    proposal = proposal_for(
        agent_for(cycle, "Asociación Sumaq Waka"), "Centro de acopio de leche", viable=False
    )
    page, guard = signed_in(browser, live_server, team, "desktop")
    page.goto(live_server.url + "/")
    expect(item(page, "Centro de acopio de leche")).to_be_visible()
    expect(page.locator(".pending-next")).to_contain_text("Próximo plazo legal")
    guard.check()

    open_item(
        page, live_server, "Centro de acopio de leche", f"/budgets/proposals/{proposal.pk}/#evaluation", guard
    )
    page.get_by_label("Admisible", exact=True).check()
    page.fill("[name=reasons]", "Cumple con los criterios.")
    page.get_by_role("button", name="Registrar la evaluación").click()
    expect(page.get_by_text("La evaluación técnica está registrada.")).to_be_visible()
    page.goto(live_server.url + "/")
    expect(page.locator("li.pending-item", has_text="Centro de acopio de leche")).to_have_count(0)
    # Evaluated viable, it now waits for its scores.
    expect(page.locator("li.pending-item", has_text="sin todos sus puntajes")).to_have_count(1)
    page.context.close()
