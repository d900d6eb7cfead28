"""Helpers for driving the offline meeting log in Chromium."""

from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD

PEOPLE = [
    ("Justina Huillca", "female", "Asociación Virgen de Natividad", "presidenta", True),
    ("Luis Mamani", "male", "Municipalidad de Anta", "técnico", False),
    ("Rosa Quispe", "female", "Comunidad Ccollana", "socia", True),
    ("Teófilo Ccahuana", "male", "Comunidad Ccollana", "socio", True),
    ("Marcelina Puma", "female", "CADEP", "promotora", False),
    ("Eusebio Condori", "male", "Comunidad Huayllaccocha", "", True),
    ("Felícitas Huamán", "female", "Comunidad Huayllaccocha", "tesorera", True),
    ("Braulio Sallo", "male", "ARPAC", "asesor", False),
    ("Nilda Ccori", "female", "Asociación Virgen de Natividad", "socia", True),
    ("Hilario Yupanqui", "unstated", "", "", False),
]
AGREEMENTS = [
    ("Sembrar dos hectáreas de avena forrajera", "Justina Huillca", 20),
    ("Pedir a la municipalidad el análisis de calidad de la leche", "Luis Mamani", 45),
]


def sign_in(page, base_url: str, email: str, next_path: str = "") -> None:
    page.goto(base_url + "/accounts/login/" + (f"?next={next_path}" if next_path else ""))
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_load_state()


def open_shell(page, base_url: str) -> None:
    page.goto(base_url + "/offline/")
    expect(page.locator("body[data-ready='1']")).to_have_count(1)


def wait_for_worker(page) -> None:
    """The worker is installed and holds the shell, so the page opens with no connection."""
    page.wait_for_function(
        "async () => { const r = await navigator.serviceWorker.ready; "
        "return !!r.active && !!(await caches.match('/offline/')); }",
        timeout=15_000,
    )


def fill_log(page, *, meeting_title: str, minutes: str, people=PEOPLE, agreements=(), due_base=None) -> None:
    # Ids and field names, not labels: generic words ("Name", "Add a person") may be translated by another
    # app's catalogue first; the labels themselves are checked by the accessibility guard.
    page.locator("li.meeting", has_text=meeting_title).get_by_role("button").click()
    page.locator("#log-minutes").fill(minutes)
    for i, (name, gender, org, role, producer) in enumerate(people):
        page.locator("#add-person").click()
        row = page.locator("#attendance > li").nth(i)
        row.locator("[data-field=given_names]").fill(name)  # no consent: the name as written, in one box
        row.locator("[data-field=gender]").select_option(gender)
        row.locator("[data-field=organisation_name]").fill(org)
        row.locator("summary").click()  # role and producer are folded away under "More"
        row.locator("[data-field=role]").fill(role)
        if producer:
            row.locator("[data-field=is_producer]").check()
    for i, (what, who, days) in enumerate(agreements):
        page.locator("#add-agreement").click()
        row = page.locator("#agreements > li").nth(i)
        row.locator("[data-field=what]").fill(what)
        row.locator("[data-field=responsible_person]").fill(who)
        row.locator("[data-field=due_date]").fill(
            (due_base + __import__("datetime").timedelta(days=days)).isoformat()
        )
    page.locator("#log-form button[type=submit]").click()


def idb_drafts(page) -> list[dict]:
    return page.evaluate("() => window.KallpanchisOffline.drafts()")


def idb_meetings(page) -> list[dict]:
    return page.evaluate("() => window.KallpanchisOffline.meetings()")


def sync_trail(page) -> list[str]:
    """What the phone asks of the server and what it hears back, with its warnings: read out when a send did
    not arrive, so that a failure says which request failed and how."""
    trail: list[str] = []
    page.on("response", lambda r: trail.append(f"{r.request.method} {r.url} {r.status}"))
    page.on("requestfailed", lambda r: trail.append(f"{r.method} {r.url} failed: {r.failure}"))
    page.on("console", lambda m: trail.append(f"console {m.type}: {m.text}") if m.type != "log" else None)
    return trail


def expect_sent(page, trail: list[str], *, timeout: float) -> None:
    try:
        expect(page.locator("#notice")).to_contain_text("ya está en el servidor", timeout=timeout)
    except AssertionError as failure:
        raise AssertionError(f"{failure}\nWhat the phone did: {trail}") from None
