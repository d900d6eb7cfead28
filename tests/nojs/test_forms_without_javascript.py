"""With JavaScript turned off, the core forms still submit, and the server's errors show next to the fields.
htmx and our scripts only improve these pages; nothing here runs a line of JavaScript."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from kallpanchis.accounts.models import User
from spaces.models import Attendance, Meeting
from tests.accounts.factories import PASSWORD, person_with_role
from tests.offline.helpers import meeting_to_log

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ERRORS = ".invalid-feedback, .errorlist, .alert-danger, .is-invalid"


@pytest.fixture
def nojs(browser):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, base_url, email, password=PASSWORD):
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Iniciar sesión").click()


def assert_no_horizontal_scroll(page):
    # A plain layout check that needs no script in the page: Playwright measures from outside.
    width = page.viewport_size["width"]
    assert page.locator("body").bounding_box()["width"] <= width


def test_sign_in_wrong_then_right_password(live_server, nojs, technician_anta):
    sign_in(nojs, live_server.url, technician_anta.email, "equivocada-del-todo")
    expect(nojs.get_by_text("no son correctas")).to_be_visible()
    expect(nojs).to_have_url(live_server.url + "/accounts/login/")
    sign_in(nojs, live_server.url, technician_anta.email)
    expect(nojs).to_have_url(live_server.url + "/")
    expect(nojs.get_by_role("heading", level=1)).to_contain_text("Hola")
    assert_no_horizontal_scroll(nojs)


def test_invite_a_person(live_server, nojs, municipalities, tasks_in_process):
    admin = person_with_role(
        "municipal_admin", municipalities["anta"].organisation, email="admin.anta@example.pe"
    )
    sign_in(nojs, live_server.url, admin.email)
    nojs.goto(live_server.url + "/users/new/")
    nojs.locator("[name=first_name]").fill("Rosa")
    nojs.locator("[name=last_name]").fill("Quispe")
    nojs.locator("[name=email]").fill("rosa@pueblo")  # passes the browser's check, not Django's
    nojs.locator("[name=role]").select_option("technician")
    nojs.locator("[name=organisation]").select_option(str(municipalities["anta"].organisation_id))
    nojs.locator("main form[method=post] [type=submit]").last.click()
    expect(nojs.locator(ERRORS).first).to_be_visible()
    expect(nojs.locator("[name=email]")).to_have_value("rosa@pueblo")
    assert not User.objects.filter(first_name="Rosa").exists()

    nojs.locator("[name=email]").fill("rosa.quispe@example.pe")
    nojs.locator("main form[method=post] [type=submit]").last.click()
    nojs.wait_for_load_state()
    assert User.objects.filter(email="rosa.quispe@example.pe").exists()
    assert [m.to for m in mail.outbox if "rosa.quispe@example.pe" in m.to] == [["rosa.quispe@example.pe"]]


def test_spaces_schedule_and_log_a_meeting(live_server, nojs, technician_anta, municipalities):
    existing = meeting_to_log(municipalities["anta"])
    space = existing.space
    sign_in(nojs, live_server.url, technician_anta.email)

    # Schedule: a meeting that ends before it starts is refused by the server, with the reason shown.
    nojs.goto(live_server.url + f"/spaces/{space.pk}/meetings/new/")
    day = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    nojs.locator("[name=title]").fill("Mesa de cuyes")
    nojs.locator("[name=date]").fill(day)
    nojs.locator("[name=start_time]").fill("10:00")
    nojs.locator("[name=end_time]").fill("09:00")
    nojs.locator("[name=place]").fill("Izcuchaca")
    nojs.locator("main form[method=post] button[type=submit]").last.click()
    expect(nojs.get_by_text("La reunión debe terminar después de empezar")).to_be_visible()
    assert not Meeting.objects.filter(title="Mesa de cuyes").exists()
    nojs.locator("[name=end_time]").fill("12:00")
    nojs.locator("main form[method=post] button[type=submit]").last.click()
    nojs.wait_for_load_state()
    meeting = Meeting.objects.get(title="Mesa de cuyes")
    assert (meeting.status, meeting.place) == ("planned", "Izcuchaca")

    # Log: "add rows" is a plain submit button; a row without a gender or name is reported.
    nojs.goto(live_server.url + f"/spaces/meetings/{existing.pk}/log/")
    rows_before = nojs.locator("[name$='-given_names'][name^='attendance-']").count()
    nojs.locator("[name=minutes]").fill("Se habló de los pastos.")
    nojs.locator("button[name=more_rows]").click()
    expect(nojs.locator("[name$='-given_names'][name^='attendance-']")).to_have_count(rows_before + 3)
    expect(nojs.locator("[name=minutes]")).to_have_value("Se habló de los pastos.")
    nojs.locator("main form[method=post] button[type=submit]").last.click()
    expect(nojs.locator(ERRORS).first).to_be_visible()  # nobody attended: refused
    assert Meeting.objects.get(pk=existing.pk).status == "planned"
    nojs.locator("[name='attendance-0-given_names']").fill("Justina Huillca")
    nojs.locator("[name='attendance-0-gender']").select_option("female")
    nojs.locator("[name='attendance-1-given_names']").fill("Luis Mamani")
    nojs.locator("[name='attendance-1-gender']").select_option("male")
    nojs.locator("main form[method=post] button[type=submit]").last.click()
    nojs.wait_for_load_state()
    assert Meeting.objects.get(pk=existing.pk).status == "held"
    assert list(Attendance.objects.filter(meeting=existing).values_list("name", flat=True)) == [
        "Justina Huillca",
        "Luis Mamani",
    ]
    assert_no_horizontal_scroll(nojs)


def test_producers_member_form(live_server, nojs, municipalities):
    from producers.models import Member
    from tests.producers.factories import association_in, leader_of

    association = association_in("080308", name="Asociación Virgen de Natividad", families=45)
    leader = leader_of(association, email="lider@example.pe")
    sign_in(nojs, live_server.url, leader.email)
    nojs.goto(live_server.url + f"/producers/{association.pk}/members/new/")
    nojs.locator("[name=name]").fill("Justina Huillca")
    nojs.get_by_label("Mujer", exact=True).check()
    nojs.locator("[name=dni]").fill("1234")
    nojs.locator("main form[method=post] button[type=submit]").last.click()
    expect(nojs.get_by_text("El DNI tiene 8 dígitos")).to_be_visible()
    assert not Member.objects.exists()
    nojs.locator("[name=dni]").fill("40123456")
    nojs.locator("main form[method=post] button[type=submit]").last.click()
    nojs.wait_for_load_state()
    assert list(Member.objects.values_list("name", "dni")) == [("Justina Huillca", "40123456")]


def test_producers_production_record_with_unusual_values(live_server, nojs, municipalities):
    from producers.models import ProductionRecord
    from tests.producers.factories import association_in, leader_of

    association = association_in("080308", name="Asociación Virgen de Natividad", families=45)
    leader = leader_of(association, email="lider@example.pe")
    sign_in(nojs, live_server.url, leader.email)
    nojs.goto(live_server.url + f"/producers/{association.pk}/production/new/")
    nojs.locator("[name=month]").fill("2026-05")
    values = {
        "cows_milked": "10",
        "milk_produced_l": "100",
        "milk_sold_l": "200",  # more sold than produced: the server asks to confirm
        "cheese_produced_kg": "0",
        "cheese_sold_kg": "0",
        "guinea_pigs_sold": "0",
        "milk_price": "1.20",
        "cheese_price": "0",
    }
    for name, value in values.items():
        nojs.locator(f"[name={name}]").fill(value)
    nojs.locator("[name=channel]").select_option(index=1)
    nojs.locator("main form[method=post] button[type=submit]").last.click()
    expect(nojs.get_by_text("Más leche vendida que producida.")).to_be_visible()
    assert not ProductionRecord.objects.exists()
    nojs.locator("[name=confirm]").check()
    nojs.locator("main form[method=post] button[type=submit]").last.click()
    nojs.wait_for_load_state()
    record = ProductionRecord.objects.get()
    assert (record.milk_sold_l, record.milk_produced_l, record.cows_milked) == (200, 100, 10)


def test_the_offline_page_says_it_needs_javascript(live_server, nojs):
    nojs.goto(live_server.url + "/offline/")
    expect(nojs.get_by_text("Esta página necesita JavaScript para guardar borradores")).to_be_visible()


def test_budgets_leader_submits_a_project_idea(live_server, nojs, municipalities):
    from budgets.models import Proposal
    from tests.budgets.factories import agent_for, cycle_for

    cycle = cycle_for(municipalities["anta"])
    agent = agent_for(cycle, "Asociación Lechera Sumaq Llaqta")
    leader = person_with_role("leader", agent.organisation, email="lider.pp@example.pe")
    sign_in(nojs, live_server.url, leader.email)
    nojs.goto(live_server.url + f"/budgets/{cycle.pk}/proposals/new/")
    form = nojs.locator("main form[method=post]").last
    nojs.locator("[name=title]").fill("Módulo de quesería")
    for name, value in {"cost": "80000", "cofinancing": "90000", "families": "40", "women": "25"}.items():
        nojs.locator(f"[name={name}]").fill(value)
    for name in ("agent", "result", "district"):
        select = nojs.locator(f"select[name={name}]")
        if select.count() and not select.input_value():
            select.select_option(index=1)
    nojs.locator("[name=other_districts]").nth(2).check()  # a provincial project reaches two districts
    form.locator("button[type=submit]").last.click()
    expect(nojs.locator(ERRORS).first).to_be_visible()  # co-financing above the cost
    assert not Proposal.objects.exists()
    nojs.locator("[name=cofinancing]").fill("10000")
    nojs.locator("main form[method=post]").last.locator("button[type=submit]").last.click()
    nojs.wait_for_load_state()
    proposal = Proposal.objects.get()
    assert (proposal.title, proposal.agent, proposal.submitted_by) == ("Módulo de quesería", agent, leader)


def test_producers_plan_started_and_saved_without_javascript(live_server, nojs, municipalities):
    from producers.models import OperatingPlan
    from tests.producers.factories import association_in, leader_of

    association = association_in("080308", name="Asociación Virgen de Natividad", families=45)
    leader = leader_of(association, email="lider@example.pe")
    sign_in(nojs, live_server.url, leader.email)
    nojs.goto(live_server.url + f"/producers/{association.pk}/plans/new/")
    nojs.locator("[name=year]").fill("2027")
    nojs.locator("main form[method=post] button[type=submit]").last.click()
    nojs.wait_for_load_state()
    plan = OperatingPlan.objects.get(association=association)
    assert nojs.url.endswith(f"/producers/plans/{plan.pk}/edit/")
    nojs.locator("[name=general_objective]").fill("Mejorar la producción de leche de las familias socias.")
    nojs.locator("button[name=save]").click()
    nojs.wait_for_load_state()
    plan.refresh_from_db()
    assert plan.general_objective == "Mejorar la producción de leche de las familias socias."
