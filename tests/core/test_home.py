"""The home page per role ("Pendientes"): what each app says is due, grouped overdue / this week / later,
each item a link with one action; the number of queries does not grow with the number of items."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from budgets.models import Phase
from kallpanchis.core.pending import Group, NextStep, PendingItem, pending_for
from kallpanchis.notifications.models import Reminder
from producers.models import ProductionRecord
from producers.services import plan_submit
from spaces.models import Agreement
from spaces.services import (
    AgreementData,
    AttendanceRow,
    agreement_status_change,
    meeting_log,
    space_member_add,
)
from tests.accounts.factories import person_with_role
from tests.budgets.factories import agent_for, cycle_for, proposal_for
from tests.producers.factories import association_in, filled_plan, leader_of
from tests.spaces.factories import anta_space, scheduled

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _at(days: int, hour: int = 10) -> datetime.datetime:
    day = _today() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def items_of(response) -> list[tuple[str, str, str]]:
    """(group, kind, title) of every item on the home page."""
    home = response.context["home"]
    return [(g["code"], item.kind, str(item.title)) for g in home.groups for item in g["items"]]


def queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home")).status_code == 200
    return len(ctx.captured_queries)


# --- the grouping -------------------------------------------------------------------------------------


def test_items_are_grouped_by_their_due_date():
    today = datetime.date(2026, 6, 10)

    def item(days):
        return PendingItem(title="x", url="/", action_label="Ir", due=today + datetime.timedelta(days=days))

    assert item(-1).group_on(today) == Group.OVERDUE
    assert item(0).group_on(today) == Group.THIS_WEEK
    assert item(6).group_on(today) == Group.THIS_WEEK
    assert item(7).group_on(today) == Group.LATER
    assert PendingItem(title="x", url="/", action_label="Ir").group_on(today) == Group.LATER
    assert (
        PendingItem(title="x", url="/", action_label="Ir", group=Group.OVERDUE).group_on(today) == "overdue"
    )


def test_every_app_registers_its_part():
    from kallpanchis.core.pending import providers

    names = {f"{p.__module__}.{p.__name__}" for p in providers()}
    assert {
        "spaces.pending.spaces_pending",
        "producers.pending.producers_pending",
        "budgets.pending.budgets_pending",
        "kallpanchis.dashboard.pending.dashboard_pending",
        "kallpanchis.notifications.pending.notifications_pending",
    } <= names


def test_nothing_pending_says_so_and_what_comes_next(client, municipalities):
    viewer = person_with_role("viewer", municipalities["anta"].organisation)
    client.force_login(viewer)
    response = client.get(reverse("home"))
    assert response.context["home"].empty
    assert "Nada pendiente" in response.content.decode()


# --- technician ---------------------------------------------------------------------------------------


@pytest.fixture
def space(municipalities):
    return anta_space(municipalities["anta"])


def _technician_items(space, technician, n: int, start: int = 0):
    """n upcoming meetings, n agreements due this week, n plans of the territory sent for review."""
    for i in range(start, start + n):
        scheduled(space, when=_at(2 + i % 20, hour=8), title=f"Reunión {i}")
    past = scheduled(space, when=_at(-1 - start), title=f"Reunión pasada {start}")
    meeting_log(
        meeting=past,
        by=technician,
        minutes="Se revisó el avance.",
        attendance=[AttendanceRow(name="Rosa Quispe", gender="female")],
        agreements=[
            AgreementData(what=f"Acuerdo {i}", due_date=_today() + datetime.timedelta(days=i % 6))
            for i in range(start, start + n)
        ],
    )
    for i in range(start, start + n):
        association = association_in("080308", name=f"Asociación Sumaq {i}")
        plan_submit(by=None, plan=filled_plan(association, year=_today().year + 1))


def test_technician_home_lists_meetings_agreements_and_plans(client, space, technician_anta):
    _technician_items(space, technician_anta, 1)
    forgotten = scheduled(space, when=_at(-5), title="Reunión sin acta")
    client.force_login(technician_anta)
    response = client.get(reverse("home"))
    found = items_of(response)
    assert ("overdue", "meeting_log", f"{space.name}: Reunión sin acta") in found
    assert ("this_week", "meeting", f"{space.name}: Reunión 0") in found
    assert ("this_week", "agreement", "Acuerdo 0") in found
    assert any(kind == "plan_review" and "Asociación Sumaq 0" in title for _g, kind, title in found)
    page = response.content.decode()
    assert reverse("spaces:meeting_log", args=[forgotten.pk]) in page
    assert reverse("spaces:attendance_sheet", args=[forgotten.pk]) in page
    assert 'id="home-drafts"' in page  # the offline drafts of this phone are listed by home.js


def test_technician_home_queries_are_flat(client, space, technician_anta):
    client.force_login(technician_anta)
    _technician_items(space, technician_anta, 1)
    one = queries(client)
    _technician_items(space, technician_anta, 24, start=1)
    assert Agreement.objects.count() == 25
    assert queries(client) == one


def test_an_agreement_done_leaves_the_home(client, space, technician_anta):
    _technician_items(space, technician_anta, 1)
    client.force_login(technician_anta)
    agreement = Agreement.objects.get(what="Acuerdo 0")
    assert ("this_week", "agreement", "Acuerdo 0") in items_of(client.get(reverse("home")))
    agreement_status_change(agreement=agreement, by=technician_anta, to_status="done")
    assert not [i for i in items_of(client.get(reverse("home"))) if i[2] == "Acuerdo 0"]


# --- association leader -------------------------------------------------------------------------------


@pytest.fixture
def association(municipalities):
    return association_in("080308", name="Asociación de Productores Lecheros Virgen de Natividad")


@pytest.fixture
def leader(association):
    return leader_of(association, email="lider@example.pe")


def _leader_items(space, association, n: int, start: int = 0):
    """n meetings of a space the association sits in, n agreements it answers for."""
    for i in range(start, start + n):
        scheduled(space, when=_at(3 + i % 20), title=f"Asamblea {i}")
    past = scheduled(space, when=_at(-2 - start), title=f"Reunión pasada {start}")
    meeting_log(
        meeting=past,
        by=None,
        minutes="Acta.",
        attendance=[AttendanceRow(name="Justina Huillca", gender="female")],
        agreements=[
            AgreementData(
                what=f"Compromiso {i}",
                due_date=_today() + datetime.timedelta(days=10 + i),
                responsible_organisation=association.organisation,
            )
            for i in range(start, start + n)
        ],
    )


def test_leader_home_lists_meetings_agreements_plan_production_and_budget(
    client, space, association, leader, municipalities
):
    space_member_add(space=space, by=None, organisation=association.organisation)
    _leader_items(space, association, 1)
    cycle_for(municipalities["anta"], fiscal_year=_today().year + 2)  # registration open all next year
    client.force_login(leader)
    found = items_of(client.get(reverse("home")))
    kinds = {kind for _g, kind, _t in found}
    assert {"meeting", "agreement", "plan", "production", "budget_registration"} <= kinds
    assert ("later", "agreement", "Compromiso 0") in found
    assert any(kind == "plan" and "no iniciado" in title for _g, kind, title in found)


def test_leader_home_queries_are_flat(client, space, association, leader, municipalities):
    space_member_add(space=space, by=None, organisation=association.organisation)
    client.force_login(leader)
    _leader_items(space, association, 1)
    cycle_for(municipalities["anta"], fiscal_year=_today().year + 2)
    one = queries(client)
    _leader_items(space, association, 24, start=1)
    assert Agreement.objects.filter(responsible_organisation=association.organisation).count() == 25
    assert queries(client) == one


def test_leader_updates_the_status_of_an_agreement_of_their_association(client, space, association, leader):
    _leader_items(space, association, 1)
    agreement = Agreement.objects.get(what="Compromiso 0")
    client.force_login(leader)
    response = client.post(
        reverse("spaces:agreement_detail", args=[agreement.pk]),
        {"to_status": "done", "note": "Ya sembramos la avena."},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "done"
    assert agreement.history.get().note == "Ya sembramos la avena."
    assert not [i for i in items_of(client.get(reverse("home"))) if i[2] == "Compromiso 0"]


def test_recorded_production_leaves_the_home(client, association, leader):
    client.force_login(leader)
    months = [i for i in items_of(client.get(reverse("home"))) if i[1] == "production"]
    assert len(months) == 1  # six months missing: one line sums them up
    first = _today().replace(day=1)
    for back in range(1, 7):
        index = first.year * 12 + first.month - 1 - back
        ProductionRecord.objects.create(
            association=association,
            month=datetime.date(index // 12, index % 12 + 1, 1),
            milk_produced_l=Decimal("100"),
            channel="direct",
        )
    assert not [i for i in items_of(client.get(reverse("home"))) if i[1] == "production"]


# --- budget team --------------------------------------------------------------------------------------


def _budget_items(cycle, n: int, start: int = 0):
    for i in range(start, start + n):
        agent = agent_for(cycle, f"Asociación Sumaq {i}")
        proposal_for(agent, f"Proyecto {i}", viable=False)


def test_budget_team_home_lists_steps_proposals_and_the_next_deadline(client, municipalities):
    team = person_with_role("technical_team", municipalities["anta"].organisation)
    cycle = cycle_for(municipalities["anta"], fiscal_year=_today().year + 1)
    # Today inside the concertation phase, whatever the day the test runs.
    Phase.objects.filter(cycle=cycle, kind="concertation").update(
        starts_on=_today() - datetime.timedelta(days=5), ends_on=_today() + datetime.timedelta(days=30)
    )
    _budget_items(cycle, 1)
    client.force_login(team)
    response = client.get(reverse("home"))
    found = items_of(response)
    assert ("later", "proposal", "Proyecto 0") in found
    steps = response.context["home"].next_steps
    assert any("Próximo plazo legal" in str(s.text) for s in steps)


def test_budget_team_home_queries_are_flat(client, municipalities):
    team = person_with_role("technical_team", municipalities["anta"].organisation)
    cycle = cycle_for(municipalities["anta"], fiscal_year=_today().year + 1)
    client.force_login(team)
    _budget_items(cycle, 1)
    one = queries(client)
    _budget_items(cycle, 24, start=1)
    assert queries(client) == one


# --- coordinator --------------------------------------------------------------------------------------


def _coordinator_items(space, n: int, start: int = 0):
    past = scheduled(space, when=_at(-90 - start), title=f"Reunión {start}")
    meeting_log(
        meeting=past,
        by=None,
        minutes="Acta.",
        attendance=[AttendanceRow(name="Rosa Quispe", gender="female")],
        agreements=[
            AgreementData(what=f"Acuerdo {i}", due_date=_today() - datetime.timedelta(days=30 + i))
            for i in range(start, start + n)
        ],
    )
    for i in range(start, start + n):
        association = association_in("080308", name=f"Asociación Sumaq {i}")
        plan_submit(by=None, plan=filled_plan(association, year=_today().year + 1))


def test_coordinator_home_lists_plans_overdue_agreements_quiet_places_and_refresh(client, space, coordinator):
    _coordinator_items(space, 1)
    client.force_login(coordinator)
    response = client.get(reverse("home"))
    found = items_of(response)
    kinds = {kind for _g, kind, _t in found}
    assert {"plan_review", "overdue_agreements", "quiet_municipality"} <= kinds
    assert any(kind == "overdue_agreements" and "1 acuerdo vencido" in t for _g, kind, t in found)
    assert any("cifras" in str(s.text) for s in response.context["home"].next_steps)
    link = next(
        i for g in response.context["home"].groups for i in g["items"] if i.kind == "overdue_agreements"
    )
    assert "Acuerdo 0" in client.get(link.url).content.decode()


def test_coordinator_sees_reminders_given_up(client, space, coordinator):
    from django.contrib.contenttypes.models import ContentType

    meeting = scheduled(space, when=_at(5))
    Reminder.objects.create(
        kind="meeting",
        content_type=ContentType.objects.get_for_model(meeting),
        object_id=meeting.pk,
        recipient=coordinator,
        due_at=_at(-1),
        status="failed",
        checksum="x",
    )
    client.force_login(coordinator)
    found = items_of(client.get(reverse("home")))
    assert ("overdue", "reminders_failed", "1 recordatorio no se pudo enviar") in found


def test_coordinator_home_queries_are_flat(client, space, coordinator):
    client.force_login(coordinator)
    _coordinator_items(space, 1)
    one = queries(client)
    _coordinator_items(space, 24, start=1)
    assert queries(client) == one


def test_pending_for_returns_next_steps_apart(space, technician_anta):
    from kallpanchis.accounts.access import access_for

    home = pending_for(user=technician_anta, access=access_for(technician_anta))
    assert all(isinstance(s, NextStep) for s in home.next_steps)


@pytest.mark.redis
@pytest.mark.postgres
def test_the_home_is_kept_until_a_write_and_never_shared(client, space, technician_anta, municipalities):
    """Served again from the cache (the "all" data version) in fewer queries, computed again after any
    write, and each person's own even with the same role in the same municipality."""
    _technician_items(space, technician_anta, 1)
    client.force_login(technician_anta)
    first = queries(client)
    again = queries(client)
    assert again < first, (first, again)
    scheduled(space, when=_at(4, hour=9), title="Reunión agregada")
    added = ("this_week", "meeting", f"{space.name}: Reunión agregada")
    assert added in items_of(client.get(reverse("home")))
    again = queries(client)
    colleague = person_with_role("technician", municipalities["anta"].organisation, email="otra@example.pe")
    client.force_login(colleague)
    assert queries(client) > again  # not the first technician's list, though it would read the same
