"""The plan list and the production table are cached until the data under them changes: a write of any
kind shows at once, and people with another scope never get someone else's block."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kallpanchis.core import fragments
from producers.models import OperatingPlan, PlanDeadline, ProductionRecord
from producers.services import plan_submit, production_record_save

from .factories import association_in, filled_plan

pytestmark = pytest.mark.django_db


LATE = 'text-bg-danger">Tardío<'  # the plan row's badge


def html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_production_table_shows_every_write_at_once(client, association, leader):
    client.force_login(leader)
    values = {"milk_produced_l": Decimal(6000), "milk_sold_l": Decimal(2000), "channel": "direct"}
    production_record_save(by=None, association=association, month=date(2008, 1, 1), values=values)
    url = reverse("producers:production_list", args=[association.pk])
    assert "6000" in html(client, url).replace(".", "").replace(",", "")
    ProductionRecord.objects.filter(association=association).update(milk_produced_l=7123)
    assert "7123" in html(client, url).replace(".", "").replace(",", "")


def test_a_month_written_renders_its_row_and_the_totals_not_the_table_around_them(
    client, association, leader
):
    """A month's figures change the table's totals: the totals and that row are rendered again, the block
    around them (title, year filter, headings) is kept."""
    client.force_login(leader)
    for month in (1, 2):
        values = {"milk_produced_l": Decimal(1000 * month), "milk_sold_l": Decimal(10), "channel": "direct"}
        production_record_save(by=None, association=association, month=date(2008, month, 1), values=values)
    url = reverse("producers:production_list", args=[association.pk])
    client.get(url)
    february = ProductionRecord.objects.filter(association=association, month=date(2008, 2, 1))
    february.update(milk_produced_l=2500)
    response = client.get(url)
    templates = [t.name for t in response.templates]
    assert "producers/partials/production_list_block.html" not in templates
    assert templates.count("producers/partials/production_row.html") == 1
    assert "producers/partials/production_totals.html" in templates
    totals = response.content.decode().split("<tfoot>")[1].split("</tfoot>")[0]
    assert "3500" in totals.replace(".", "").replace(",", "")  # 1,000 + 2,500


def test_plan_list_shows_a_submission_at_once_and_keeps_scopes_apart(
    client, municipalities, technician_anta, technician_chumbivilcas, coordinator
):
    anta = association_in("080308", name="Asociación Lechera de Pucyura")
    url = reverse("producers:plan_list")
    client.force_login(technician_anta)
    assert "Asociación Lechera de Pucyura" not in html(client, url)
    plan_submit(by=None, plan=filled_plan(anta))
    assert "Asociación Lechera de Pucyura" in html(client, url)
    OperatingPlan.objects.update(status=OperatingPlan.Status.RETURNED)
    assert "Asociación Lechera de Pucyura" not in html(client, url + "?status=submitted")
    # A reviewer's list opens on the plans waiting for them; a returned plan is under "see every plan".
    every = url + "?all=1"
    client.force_login(technician_chumbivilcas)  # the same URL and data, another territory
    assert "Asociación Lechera de Pucyura" not in html(client, every)
    client.force_login(coordinator)
    assert "Asociación Lechera de Pucyura" in html(client, every)
    assert "Asociación Lechera de Pucyura" not in html(client, url)


def test_a_plan_whose_sending_date_is_written_shows_it_without_reading_the_list_order_again(
    client, municipalities, technician_anta, monkeypatch
):
    """The list's order is kept by the columns its query reads (fragments.Rows): the date a plan was sent
    is not one of them, and whether it was late is worked out from it on the row."""
    monkeypatch.setattr(fragments, "CHECK_KEPT_ORDER", False)  # the test settings' check reads it again
    plan = plan_submit(by=None, plan=filled_plan(association_in("080308", name="Asociación Qori Waka")))
    PlanDeadline.objects.create(year=plan.year, due_on=date(plan.year, 3, 31))
    OperatingPlan.objects.filter(pk=plan.pk).update(submitted_at=datetime(plan.year, 3, 20, 15, tzinfo=UTC))
    url = reverse("producers:plan_list")
    client.force_login(technician_anta)
    assert "Asociación Qori Waka" in html(client, url) and LATE not in html(client, url)
    # 1 April, 01:00 in Lima is still 31 March: on time
    OperatingPlan.objects.filter(pk=plan.pk).update(submitted_at=datetime(plan.year, 4, 1, 1, tzinfo=UTC))
    with CaptureQueriesContext(connection) as queries:
        page = html(client, url)
    assert "31/03/" in page and LATE not in page
    # the page's query (filtered, ordered, with each year's deadline) did not run; the row was read by its id
    assert not [q for q in queries if '"producers_plandeadline"' in q["sql"]]
    OperatingPlan.objects.filter(pk=plan.pk).update(submitted_at=datetime(plan.year, 4, 1, 6, tzinfo=UTC))
    page = html(client, url)
    assert "01/04/" in page and LATE in page


def test_the_indexed_review_order_puts_the_plans_in_review_first():
    """plans_waiting_first() names the statuses itself (the index is built before the model's class is):
    they must stay the model's IN_REVIEW."""
    from producers.models import plans_waiting_first

    when = plans_waiting_first().cases[0]
    assert set(when.condition.children[0][1]) == set(OperatingPlan.IN_REVIEW)
