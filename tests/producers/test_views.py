from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from producers.models import OperatingPlan, ProductionRecord
from producers.services import plan_start, plan_submit, plan_validate
from producers.services.production import production_record_save

from .factories import association_in, filled_plan, leader_of

pytestmark = pytest.mark.django_db


def plan_post(plan, **overrides):
    """What the plan form posts: three text sections and one activity."""
    data = {
        "revision": plan.revision,
        "diagnosis": "Poca leche en época seca.",
        "general_objective": "Más leche y mejor precio.",
        "specific_objectives": "",
        "lines_of_action": "",
        "activities-TOTAL_FORMS": "3",
        "activities-INITIAL_FORMS": "0",
        "activities-MIN_NUM_FORMS": "0",
        "activities-MAX_NUM_FORMS": "40",
        "activities-0-title": "Instalar pastos",
        "activities-0-indicator": "Hectáreas",
        "activities-0-quantity": "4",
        "activities-0-unit": "ha",
        "activities-0-responsible": "Justina",
        "activities-0-months": ["3", "4"],
        "activities-0-line0_source": "own",
        "activities-0-line0_contribution": "in_kind",
        "activities-0-line0_unit_cost": "500",
        "activities-0-line1_source": "procompite",
        "activities-0-line1_contribution": "cash",
        "activities-0-line1_units": "2",
        "activities-0-line1_unit_cost": "750.25",
    }
    data.update(overrides)
    return data


def test_leader_with_one_association_lands_on_it(client, association, leader):
    client.force_login(leader)
    response = client.get(reverse("producers:association_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("producers:association_detail", args=[association.pk])


def test_plan_form_saves_a_draft_without_javascript(client, association, leader):
    plan = plan_start(by=leader, association=association, year=2010)
    client.force_login(leader)
    url = reverse("producers:plan_edit", args=[plan.pk])
    page = client.get(url).content.decode()
    assert page.count('name="activities-') > 3 * 10  # three empty activities to fill
    response = client.post(url, plan_post(plan, save="1"))
    assert response.status_code == 302 and response["Location"] == url
    plan.refresh_from_db()
    assert (plan.diagnosis, plan.revision) == ("Poca leche en época seca.", 2)
    activity = plan.activities.get()
    assert (activity.title, activity.months, activity.quantity) == ("Instalar pastos", 0b1100, Decimal(4))
    assert sorted(activity.budget_lines.values_list("source", "contribution", "units", "amount")) == [
        ("own", "in_kind", Decimal(1), Decimal("500.00")),
        ("procompite", "cash", Decimal(2), Decimal("1500.50")),
    ]


def test_autosave_answers_json_with_the_new_revision(client, association, leader):
    plan = plan_start(by=leader, association=association, year=2010)
    client.force_login(leader)
    url = reverse("producers:plan_autosave", args=[plan.pk])
    response = client.post(url, plan_post(plan, autosave="1"))
    assert response.status_code == 200
    assert response.json()["ok"] is True and response.json()["revision"] == 2
    stale = client.post(url, plan_post(plan, autosave="1", diagnosis="otra"))
    assert stale.status_code == 409 and stale.json()["conflict"] is True
    assert OperatingPlan.objects.get(pk=plan.pk).diagnosis == "Poca leche en época seca."


def test_two_sessions_second_save_refused_both_versions_shown(client, association, leader):
    """Two people open the plan at revision 1; the first saves; the second is refused and sees both."""
    secretary = leader_of(association, email="secretario@example.pe")
    plan = plan_start(by=leader, association=association, year=2010)
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(leader)
    second.force_login(secretary)
    url = reverse("producers:plan_edit", args=[plan.pk])
    assert first.post(url, plan_post(plan, diagnosis="Versión de Justina")).status_code == 302
    response = second.post(url, plan_post(plan, diagnosis="Versión de Mario"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Alguien más guardó este plan" in page
    assert "Versión de Justina" in page  # theirs, displayed
    assert "Versión de Mario</textarea>" in page  # mine, kept in the form
    assert 'name="revision" value="2"' in page
    stored = OperatingPlan.objects.get(pk=plan.pk)
    assert (stored.diagnosis, stored.revision) == ("Versión de Justina", 2)
    # Having seen both, the second person may keep theirs on purpose.
    assert second.post(url, plan_post(stored, diagnosis="Versión de Mario")).status_code == 302
    assert OperatingPlan.objects.get(pk=plan.pk).diagnosis == "Versión de Mario"


def test_return_and_approve_pages(client, association, leader, technician_anta, coordinator):
    plan = plan_submit(by=leader, plan=filled_plan(association, by=leader))
    client.force_login(technician_anta)
    response = client.post(
        reverse("producers:plan_return", args=[plan.pk]),
        {"comment": "", "section_activities": "Precise las hectáreas."},
    )
    assert response.status_code == 302
    client.force_login(leader)
    page = client.get(reverse("producers:plan_edit", args=[plan.pk])).content.decode()
    assert "Precise las hectáreas." in page
    plan.refresh_from_db()
    plan_submit(by=leader, plan=plan)
    client.force_login(coordinator)
    assert (
        client.post(reverse("producers:plan_validate", args=[plan.pk]), {"comment": "Bien"}).status_code
        == 302
    )
    assert OperatingPlan.objects.get(pk=plan.pk).status == "validated"
    client.force_login(leader)
    response = client.get(reverse("producers:plan_edit", args=[plan.pk]))
    assert response.status_code == 302  # locked: back to the plan


def test_plan_pdf(client, association, leader):
    plan = filled_plan(association, by=leader)
    client.force_login(leader)
    response = client.get(reverse("producers:plan_pdf", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_diff_page(client, association, leader, coordinator):
    from producers.services import plan_version_new

    plan = plan_validate(
        by=coordinator, plan=plan_submit(by=leader, plan=filled_plan(association, by=leader))
    )
    new = plan_version_new(by=leader, plan=plan)
    client.force_login(leader)
    response = client.get(reverse("producers:plan_diff", args=[new.pk]))
    assert response.status_code == 200
    assert "Versión 1" in response.content.decode()


def test_production_form_asks_to_confirm_unusual_values(client, association, leader):
    client.force_login(leader)
    url = reverse("producers:production_create", args=[association.pk])
    data = {
        "month": "2010-03",
        "cows_milked": "40",
        "milk_produced_l": "7200",
        "milk_sold_l": "3000",
        "cheese_produced_kg": "520",
        "cheese_sold_kg": "500",
        "guinea_pigs_sold": "10",
        "milk_price": "9.00",
        "cheese_price": "12",
        "channel": "fair",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Algunos valores son inusuales" in response.content.decode()
    assert ProductionRecord.objects.count() == 0
    assert client.post(url, {**data, "milk_sold_l": "-3"}).status_code == 400
    assert ProductionRecord.objects.count() == 0
    assert client.post(url, {**data, "confirm": "on"}).status_code == 302
    assert ProductionRecord.objects.get().month == date(2010, 3, 1)


# --- query counts: flat whatever the number of rows ---------------------------------------------------


def test_association_list_query_count_is_flat(
    client, municipalities, coordinator, django_assert_max_num_queries
):
    client.force_login(coordinator)
    first = association_in("080308")
    filled_plan(first, year=2010)
    url = reverse("producers:association_list")
    with django_assert_max_num_queries(99) as one:
        assert client.get(url).status_code == 200
    for i in range(24):
        a = association_in(["080301", "080304", "080704", "080701"][i % 4])
        filled_plan(a, year=2009 + i % 2)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["associations"]) == 25


def test_plan_review_list_query_count_is_flat(
    client, municipalities, technician_anta, django_assert_max_num_queries
):
    client.force_login(technician_anta)
    plan_submit(by=None, plan=filled_plan(association_in("080308")))
    url = reverse("producers:plan_list")
    with django_assert_max_num_queries(99) as one:
        assert client.get(url).status_code == 200
    for i in range(24):
        plan_submit(by=None, plan=filled_plan(association_in(["080301", "080304", "080308"][i % 3])))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["plans"]) == 25


def test_production_table_query_count_is_flat(client, association, leader, django_assert_max_num_queries):
    client.force_login(leader)
    values = {"milk_produced_l": Decimal(6000), "milk_sold_l": Decimal(2000), "channel": "direct"}
    production_record_save(by=None, association=association, month=date(2008, 1, 1), values=values)
    url = reverse("producers:production_list", args=[association.pk])
    with django_assert_max_num_queries(99) as one:
        assert client.get(url).status_code == 200
    for i in range(1, 25):
        month = date(2008 + i // 12, i % 12 + 1, 1)
        production_record_save(by=None, association=association, month=month, values=values)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["records"]) == 25


def test_correcting_a_month_keeps_its_month(client, association, leader):
    values = {"milk_produced_l": Decimal(6000), "milk_sold_l": Decimal(2000), "channel": "direct"}
    record = production_record_save(by=None, association=association, month=date(2009, 5, 1), values=values)
    client.force_login(leader)
    data = {
        "month": "2009-09",
        "milk_produced_l": "6500",
        "milk_sold_l": "2000",
        "cheese_produced_kg": "0",
        "cheese_sold_kg": "0",
        "guinea_pigs_sold": "0",
        "channel": "fair",
    }
    assert client.post(reverse("producers:production_update", args=[record.pk]), data).status_code == 302
    record.refresh_from_db()
    assert (record.month, record.milk_produced_l, record.channel) == (date(2009, 5, 1), Decimal(6500), "fair")
    assert ProductionRecord.objects.count() == 1


def test_removing_an_activity_and_counting_women(client, association, leader):
    from producers.services import member_add

    plan = filled_plan(association, by=leader)
    client.force_login(leader)
    url = reverse("producers:plan_edit", args=[plan.pk])
    # What the page posts for its first two rows: the first ticked "remove", the second renamed.
    data = plan_post(plan, **{"activities-0-DELETE": "on", "activities-TOTAL_FORMS": "2"})
    data["activities-1-title"] = "Campaña de sanidad"
    assert client.post(url, data).status_code == 302
    assert list(plan.activities.values_list("title", flat=True)) == ["Campaña de sanidad"]

    member_add(by=leader, association=association, name="Rosa Quispe", gender="female")
    member_add(by=leader, association=association, name="Mario Huamán", gender="male")
    page = client.get(reverse("producers:association_detail", args=[association.pk])).content.decode()
    assert "2 · 1 mujeres" in page


def test_coordinator_registers_an_association_with_a_checked_ruc(client, municipalities, coordinator, leader):
    from municipalities.models import District
    from producers.models import ProducerAssociation

    url = reverse("producers:association_create")
    data = {
        "name": "Asociación Sumaq Quesos de Colquemarca",
        "ruc": "20131312954",
        "district": District.objects.get(ubigeo="080704").pk,
        "communities": "Colquemarca, Ahuichanta",
        "families": "35",
        "productive_lines": ["milk", "cheese"],
    }
    client.force_login(leader)
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Este RUC no es válido" in response.content.decode()
    assert not ProducerAssociation.objects.filter(organisation__name=data["name"]).exists()
    assert client.post(url, {**data, "ruc": "20131312955"}).status_code == 302
    created = ProducerAssociation.objects.get(organisation__name=data["name"])
    assert (created.ruc, created.families, created.productive_lines) == (
        "20131312955",
        35,
        ["milk", "cheese"],
    )
