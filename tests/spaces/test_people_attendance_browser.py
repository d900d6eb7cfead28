"""Taking attendance by ticking names, on a 375 × 667 phone: a technician logs a meeting by ticking 8 members
and adding 2 new people (one is warned as probably registered already and linked to that person instead),
then logs the next meeting the same way with no connection, synced twice (the first answer is lost). The
people and families reached — Person rows linked to attendance, their distinct families, and the
dashboard's first screen — change by exactly what was added."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kallpanchis.offline.models import OfflinePerson, OfflineSubmission
from kallpanchis.organisations.models import Organisation
from kallpanchis.organisations.services import organisation_ensure
from kallpanchis.people.models import Family, Person
from kallpanchis.people.services import family_create
from spaces.models import Attendance
from spaces.services import space_member_add
from tests.browser_guard import PageGuard
from tests.offline.browser import expect_sent, open_shell, sign_in, sync_trail, wait_for_worker
from tests.offline.helpers import meeting_to_log
from tests.people.factories import register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBERS = [  # (given names, surnames, gender): two per association, each pair one family
    ("Justina", "Huillca Ccori", "female"),
    ("Julián", "Huillca Puma", "male"),
    ("Hilaria", "Mamani Quispe", "female"),
    ("Fortunato", "Mamani Layme", "male"),
    ("Gregoria", "Ttito Condori", "female"),
    ("Santos", "Ttito Apaza", "male"),
    ("Marcelina", "Choque Yupanqui", "female"),
    ("Eusebio", "Choque Sutta", "male"),
]


def person(given, surnames, gender):
    first, second = surnames.split()
    return register(given_names=given, first_surname=first, second_surname=second, gender=gender)


@pytest.fixture
def world(municipalities):
    first = meeting_to_log(municipalities["anta"], hours_ago=30, title="Mesa de leche de noviembre")
    second = meeting_to_log(municipalities["anta"], hours_ago=3, title="Mesa de leche de diciembre")
    space = first.space
    members = [person(*m) for m in MEMBERS]
    for i in range(4):
        org = organisation_ensure(name=f"Asociación de productores {i + 1}", kind=Organisation.Kind.PRODUCER)
        member = space_member_add(space=space, by=None, organisation=org)
        member.representative_people.add(*members[2 * i : 2 * i + 2])
        family_create(by=None, members=members[2 * i : 2 * i + 2])
    # A fifth association's representative, in a family of her own, who did not come to the first meeting.
    eulogia = person("Eulogia", "Puma Ccahua", "female")
    family_create(by=None, members=[eulogia])
    org = organisation_ensure(name="Asociación de productores 5", kind=Organisation.Kind.PRODUCER)
    space_member_add(space=space, by=None, organisation=org).representative_people.add(eulogia)
    # Registered at a training, not linked to this space: found only by the duplicate check.
    rosa = person("Rosa", "Quispe Mamani", "female")
    family_create(by=None, members=[rosa])
    return {"first": first, "second": second, "members": members, "rosa": rosa, "eulogia": eulogia}


def reached() -> tuple[int, int]:
    people = Person.objects.filter(meeting_attendances__isnull=False).distinct().count()
    families = Family.objects.filter(members__meeting_attendances__isnull=False).distinct().count()
    return people, families


def dashboard_reach(client, coordinator) -> tuple[int, int]:
    from kallpanchis.dashboard.services import facts_refresh

    facts_refresh()
    client.force_login(coordinator)
    html = client.get(reverse("dashboard:dashboard")).content.decode()

    def figure(name):
        found = re.search(rf'data-reach="{name}">([^<]*)<', html)
        return int(found.group(1).replace(".", "").replace(",", "")) if found and found.group(1) != "—" else 0

    return figure("people"), figure("families")


def test_ticking_names_online_then_offline_counts_each_person_once(
    live_server, phone, client, coordinator, technician_anta, world
):
    page = phone
    page.set_default_timeout(15_000)
    guard = PageGuard(page)
    before = reached()
    dashboard_before = dashboard_reach(client, coordinator)
    assert before == (0, 0) and dashboard_before == (0, 0)
    people_before = Person.objects.count()

    # --- online: tick 8 members, add Nilda (new), add "Roza Quispe Mamani" (Rosa, warned and linked) ------
    sign_in(page, live_server.url, technician_anta.email)
    page.goto(f"{live_server.url}/spaces/meetings/{world['first'].pk}/log/")
    guard.check()
    for given, surnames, _gender in MEMBERS:
        page.locator("#roster").get_by_label(f"{given} {surnames}").check()
    page.get_by_role("button", name="Añadir una persona nueva").click()
    row = page.locator(".attendance-row").nth(0)
    row.locator("[name$=-given_names]").fill("Nilda")
    row.locator("[name$=-surnames]").fill("Ccori Huamán")
    row.locator("[name$=-gender]").select_option("female")
    row.locator("[name$=-community]").fill("Ccollana")
    row.locator("[name$=-consent]").check()
    row.get_by_role("button", name="Añadir a la lista").click()
    expect(row.locator(".row-summary")).to_contain_text("Nilda Ccori Huamán · Nueva en el registro")
    page.get_by_role("button", name="Añadir una persona nueva").click()
    row = page.locator(".attendance-row").nth(1)
    row.locator("[name$=-given_names]").fill("Roza")
    row.locator("[name$=-surnames]").fill("Quispe Mamani")
    row.locator("[name$=-gender]").select_option("female")
    row.locator("[name$=-consent]").check()
    row.get_by_role("button", name="Añadir a la lista").click()
    expect(row.locator(".row-warning")).to_contain_text("quizá ya está en el registro")
    row.get_by_role("button", name="Sí, es esta persona: Rosa Quispe Mamani").click()
    expect(page.locator(f"#present-{world['rosa'].pk}")).to_be_checked()
    expect(page.locator(".js-present-count")).to_have_text("10 marcados")
    # The attendance step fits about three screens of the phone.
    assert page.locator("#step-attendance").bounding_box()["height"] <= 3 * 667
    guard.check()
    page.get_by_role("button", name="Siguiente: acta").click()
    page.locator("[name=minutes]").fill("Se revisó el precio de la leche.")
    page.get_by_role("button", name="Siguiente: acuerdos").click()
    page.get_by_role("button", name="Guardar el registro").click()
    expect(page.get_by_role("status").filter(has_text="Se registró la reunión")).to_contain_text(
        "10 personas"
    )
    guard.check()

    nilda = Person.objects.get(search_name="nilda ccori huaman")
    first_rows = Attendance.objects.filter(meeting=world["first"])
    assert set(first_rows.values_list("person_id", flat=True)) == {
        *(p.pk for p in world["members"]),
        world["rosa"].pk,
        nilda.pk,
    }
    assert Person.objects.count() == people_before + 1  # Nilda only: "Roza" was Rosa
    # 8 members (4 families), Rosa (her family), Nilda (no family yet).
    assert reached() == (before[0] + 10, before[1] + 5)
    assert dashboard_reach(client, coordinator) == (dashboard_before[0] + 10, dashboard_before[1] + 5)

    # --- offline: the next meeting, the same way, with no connection; sent twice ---------------------------
    open_shell(page, live_server.url)
    wait_for_worker(page)
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("body[data-ready='1']")).to_have_count(1)
    page.locator("li.meeting", has_text="Mesa de leche de diciembre").get_by_role("button").click()
    roster = page.locator("#roster")
    expect(roster.locator("li")).to_have_count(11)  # 9 representatives, Nilda and Rosa from the first meeting
    for given, surnames, _gender in MEMBERS:
        roster.get_by_label(f"{given} {surnames}").check()
    page.locator("#add-person").click()
    row = page.locator("#attendance > li").nth(0)
    row.locator("[data-field=given_names]").fill("Teodora")
    row.locator("[data-field=surnames]").fill("Ccahua Layme")
    row.locator("[data-field=gender]").select_option("female")
    row.locator("[data-field=consent]").check()
    page.locator("#add-person").click()
    row = page.locator("#attendance > li").nth(1)
    row.locator("[data-field=given_names]").fill("Eulogia")
    row.locator("[data-field=surnames]").fill("Puma")
    row.locator("[data-field=gender]").select_option("female")
    row.locator("[data-field=consent]").check()
    expect(row.locator(".person-warning")).to_contain_text("¿Es una de estas personas de la lista?")
    row.get_by_role("button", name="Sí, es esta persona: Eulogia Puma Ccahua").click()
    expect(roster.get_by_label("Eulogia Puma Ccahua")).to_be_checked()
    expect(page.locator("#attendance > li")).to_have_count(1)
    page.locator("#log-minutes").fill("Se acordó el acopio de diciembre.")
    page.locator("#log-form button[type=submit]").click()
    expect(page.locator("#notice")).to_have_text("Esperando conexión para enviar.")

    calls = []

    def answer_lost_once(route):
        calls.append(route.request.post_data_json["client_id"])
        if len(calls) == 1:
            route.fetch()  # the server applies it ...
            route.fulfill(status=503, body="")  # ... and the answer never reaches the phone
        else:
            route.continue_()

    page.context.route("**/spaces/offline/meetings/*/log", answer_lost_once)
    trail = sync_trail(page)
    page.context.set_offline(False)
    # The phone tries again after 1, 2, 4, 8, 16 s: on a loaded 2-core machine the first tries may all find
    # the server busy.
    expect_sent(page, trail, timeout=60_000)
    assert len(calls) == 2 and len(set(calls)) == 1
    assert OfflineSubmission.objects.count() == 1
    teodora = Person.objects.get(search_name="teodora ccahua layme")
    assert OfflinePerson.objects.get().person == teodora
    second_rows = Attendance.objects.filter(meeting=world["second"])
    assert second_rows.count() == 10
    assert set(second_rows.values_list("person_id", flat=True)) == {
        *(p.pk for p in world["members"]),
        teodora.pk,
        world["eulogia"].pk,
    }
    assert Person.objects.count() == people_before + 2  # Teodora, once for two syncs
    # Teodora (no family yet) and Eulogia (her family) are new; the 8 members were counted already.
    assert reached() == (before[0] + 12, before[1] + 6)
    assert dashboard_reach(client, coordinator) == (dashboard_before[0] + 12, dashboard_before[1] + 6)
