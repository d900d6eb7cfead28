"""The leader's journey on a 375×667 phone and on a 1366×768 laptop: a plan with three activities survives
a dropped connection, is approved by the association's asamblea, sent, returned by the technician, fixed,
resubmitted and validated by the coordinator, then locked; then a month of production is entered and shows
in the table.
Every page: no CSP violation, nothing fetched from outside, no serious accessibility problem."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from producers.models import OperatingPlan, ProductionRecord
from tests.accounts.factories import PASSWORD
from tests.browser_guard import PageGuard
from tests.conftest import SCREENS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVITIES = [
    (
        "Instalar pastos cultivados",
        "Hectáreas instaladas",
        "6",
        "ha",
        (2, 3),
        {"own": "1200", "procompite": "3000"},
    ),
    ("Campaña de sanidad animal", "Vacas atendidas", "120", "vacas", (5,), {"own": "300", "ngo": "900"}),
    ("Feria del queso en Anta", "Kilos vendidos", "400", "kg", (8, 9), {"agroideas": "2500"}),
]


def phone_for(browser, live_server, user, screen_kind="phone"):
    """Another phone (or laptop) already signed in as `user` (the technician's, the coordinator's)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(**SCREENS[screen_kind])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context


def test_leader_plan_and_production_journey(
    live_server, screen, screen_kind, browser, association, leader, technician_anta, coordinator
):
    page = screen
    guard = PageGuard(page)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Correo electrónico").fill(leader.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()

    page.get_by_role("link", name="Mi asociación").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(association.name)
    guard.check()
    page.get_by_role("link", name="Nuevo plan").click()
    guard.check()
    page.get_by_label("Año").fill("2010")
    page.get_by_role("button", name="Empezar el plan").click()

    page.get_by_label("Diagnóstico corto").fill("Poca leche en época seca; pastos degradados.")
    page.get_by_label("Objetivo general").fill("Más leche y mejor precio para las familias.")
    for i, (title, indicator, quantity, unit, months, budget) in enumerate(ACTIVITIES):
        page.fill(f"[name=activities-{i}-title]", title)
        page.fill(f"[name=activities-{i}-indicator]", indicator)
        page.fill(f"[name=activities-{i}-quantity]", quantity)
        page.fill(f"[name=activities-{i}-unit]", unit)
        page.fill(f"[name=activities-{i}-responsible]", "Justina Huillca")
        for m in months:
            page.check(f"#id_activities-{i}-months_{m}")
        for k, (source, amount) in enumerate(budget.items()):
            page.select_option(f"[name=activities-{i}-line{k}_source]", source)
            page.fill(f"[name=activities-{i}-line{k}_unit_cost]", amount)
    page.get_by_role("button", name="Guardar borrador").click()
    expect(page.get_by_text("Borrador guardado.")).to_be_visible()
    guard.check()
    edit_url = page.url

    # The connection drops: the page cannot even reload. When it returns, the saved draft is there.
    page.context.set_offline(True)
    with pytest.raises(PlaywrightError):
        page.reload()
    page.context.set_offline(False)
    page.goto(edit_url)
    expect(page.get_by_label("Diagnóstico corto")).to_have_value(
        "Poca leche en época seca; pastos degradados."
    )
    for i, (title, _ind, _qty, _unit, months, budget) in enumerate(ACTIVITIES):
        expect(page.locator(f"[name=activities-{i}-title]")).to_have_value(title)
        expect(page.locator(f"#id_activities-{i}-months_{months[0]}")).to_be_checked()
        for k, (source, amount) in enumerate(budget.items()):
            expect(page.locator(f"[name=activities-{i}-line{k}_source]")).to_have_value(source)
            expect(page.locator(f"[name=activities-{i}-line{k}_unit_cost]")).to_have_value(f"{amount}.00")

    # The association's asamblea general approves the plan before it is sent.
    page.goto(edit_url.replace("/edit/", "/asamblea/"))
    page.get_by_label("Fecha de la asamblea").fill("2010-01-16")
    page.get_by_label("Acta: libro y folio").fill("Libro 2, folio 35")
    page.get_by_label("Socios presentes").fill("30")
    page.get_by_label("Socios hábiles").fill("45")
    page.get_by_label("Votos a favor del plan").fill("28")
    page.get_by_role("button", name="Guardar la aprobación").click()
    expect(page.locator("#plan-assembly")).to_contain_text("30 de 45")
    guard.check()
    page.goto(edit_url)
    page.get_by_role("button", name="Guardar y enviar").click()
    guard.check()
    page.get_by_role("button", name="Sí, enviarlo").click()
    expect(page.locator("#plan-status")).to_have_text("Enviado")
    expect(page.locator("#plan-total")).to_have_text("S/ 7,900.00")
    guard.check()
    plan_url = page.url

    technician = phone_for(browser, live_server, technician_anta, screen_kind).new_page()
    technician_guard = PageGuard(technician)
    technician.goto(plan_url)
    technician.get_by_role("link", name="Devolver con observaciones").click()
    technician_guard.check()
    technician.get_by_label("Presupuesto").fill("La feria necesita aporte propio.")
    technician.get_by_role("button", name="Devolver el plan").click()
    expect(technician.locator("#plan-status")).to_have_text("Devuelto")
    technician_guard.check()
    expect(technician.get_by_role("link", name="Validar", exact=True)).to_have_count(0)

    page.goto(plan_url)
    expect(page.get_by_text("La feria necesita aporte propio.").first).to_be_visible()
    page.get_by_role("link", name="Editar el plan").click()
    page.select_option("[name=activities-2-line1_source]", "own")
    page.fill("[name=activities-2-line1_unit_cost]", "500")
    page.get_by_role("button", name="Guardar y enviar").click()
    page.get_by_role("button", name="Sí, enviarlo").click()
    expect(page.locator("#plan-status")).to_have_text("Reenviado")

    boss = phone_for(browser, live_server, coordinator, screen_kind).new_page()
    boss_guard = PageGuard(boss)
    boss.goto(plan_url)
    boss.get_by_role("link", name="Validar", exact=True).click()
    boss_guard.check()
    boss.get_by_role("button", name="Validar").click()
    expect(boss.locator("#plan-status")).to_have_text("Validado")
    boss_guard.check()

    page.goto(plan_url)
    expect(page.get_by_text("Validado: este plan está cerrado.")).to_be_visible()
    expect(page.get_by_role("link", name="Editar el plan")).to_have_count(0)
    page.goto(edit_url)
    expect(page.get_by_text("Este plan ya no se puede cambiar.")).to_be_visible()
    expect(page.locator("#plan-total")).to_have_text("S/ 8,400.00")
    guard.check()

    plan = OperatingPlan.objects.get()
    assert plan.status == "validated"
    assert list(plan.events.values_list("action", flat=True)) == [
        "created",
        "assembly",
        "submitted",
        "returned",
        "resubmitted",
        "validated",
    ]

    # Production entry: March 2010, with a milk price far from the usual one, confirmed.
    page.goto(f"{live_server.url}/producers/{association.pk}/")
    page.get_by_role("link", name="Producción y ventas").click()
    guard.check()
    page.get_by_role("link", name="Registrar un mes").click()
    guard.check()
    page.fill("[name=month]", "2010-03")
    page.fill("[name=cows_milked]", "40")
    page.fill("[name=milk_produced_l]", "9000")
    page.fill("[name=milk_sold_l]", "6000")
    page.fill("[name=cheese_produced_kg]", "300")
    page.fill("[name=cheese_sold_kg]", "280")
    page.fill("[name=guinea_pigs_sold]", "15")
    page.fill("[name=milk_price]", "1.30")
    page.fill("[name=cheese_price]", "16")
    page.select_option("[name=channel]", "dairy_plant")
    page.get_by_role("button", name="Guardar", exact=True).click()
    expect(page.get_by_text("Mes guardado.")).to_be_visible()
    guard.check()
    row = page.locator("table.production-table tbody tr").filter(has_text="03/2010")
    expect(row).to_contain_text("9000")
    expect(row).to_contain_text("Planta")
    record = ProductionRecord.objects.get(association=association)
    assert (record.month.isoformat(), record.milk_sold_l) == ("2010-03-01", 6000)
    assert record.channel == "dairy_plant"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_autosave_keeps_typing_through_a_dropped_connection(live_server, browser, association, leader):
    """With JavaScript: the draft saves itself every 15 s; offline, the entry waits on the phone and is
    sent when the connection returns."""
    from producers.services import plan_start

    plan = plan_start(by=leader, association=association, year=2010)
    context = phone_for(browser, live_server, leader)
    page = context.new_page()
    page.clock.install()
    page.goto(f"{live_server.url}/producers/plans/{plan.pk}/edit/")

    page.get_by_label("Diagnóstico corto").fill("Helada fuerte en junio.")
    page.clock.run_for(16_000)
    expect(page.locator("#autosave-status")).to_contain_text("Borrador guardado a las")
    assert OperatingPlan.objects.get(pk=plan.pk).diagnosis == "Helada fuerte en junio."

    context.set_offline(True)
    page.get_by_label("Objetivo general").fill("Más leche en época seca.")
    page.clock.run_for(16_000)
    expect(page.locator("#autosave-status")).to_contain_text("Sin conexión")
    assert OperatingPlan.objects.get(pk=plan.pk).general_objective == ""

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#autosave-status")).to_contain_text("Borrador guardado a las")
    page.reload()
    expect(page.get_by_label("Objetivo general")).to_have_value("Más leche en época seca.")
    context.close()


def test_changes_kept_on_the_phone_can_be_put_back(live_server, browser, association, leader):
    """The tab was closed while offline: next time, the page offers the changes the phone kept."""
    from producers.services import plan_start

    plan = plan_start(by=leader, association=association, year=2010)
    context = phone_for(browser, live_server, leader)
    page = context.new_page()
    page.clock.install()
    url = f"{live_server.url}/producers/plans/{plan.pk}/edit/"
    page.goto(url)
    context.set_offline(True)
    page.get_by_label("Diagnóstico corto").fill("Escrito sin señal en la chacra.")
    expect(page.locator("#autosave-status")).to_have_text("")
    # The phone is switched off while still offline: its storage stays, the page is gone.
    kept = context.storage_state()
    context.close()
    assert OperatingPlan.objects.get(pk=plan.pk).diagnosis == ""

    context = browser.new_context(
        viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True, storage_state=kept
    )
    page = context.new_page()
    page.clock.install()
    page.goto(url)
    expect(page.get_by_label("Diagnóstico corto")).to_have_value("")
    expect(page.locator("#autosave-status")).to_contain_text(
        "Este teléfono guardó cambios que no se enviaron."
    )
    page.get_by_role("button", name="Recuperarlos").click()
    expect(page.get_by_label("Diagnóstico corto")).to_have_value("Escrito sin señal en la chacra.")
    page.get_by_role("button", name="Guardar borrador").click()
    expect(page.get_by_text("Borrador guardado.")).to_be_visible()
    assert OperatingPlan.objects.get(pk=plan.pk).diagnosis == "Escrito sin señal en la chacra."
    context.close()
