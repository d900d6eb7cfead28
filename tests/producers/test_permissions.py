"""Outside a person's scope every producers page is a 404, and refused writes change nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from producers.models import Member, OperatingPlan, ProducerAssociation, ProductionRecord
from producers.services import member_add, plan_submit, production_record_save
from tests.accounts.factories import person_with_role

from .factories import association_in, filled_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(association, leader):
    member = member_add(by=None, association=association, name="Rosa Quispe", gender="female", dni="40123456")
    plan = plan_submit(by=leader, plan=filled_plan(association, by=leader))
    record = production_record_save(
        by=None,
        association=association,
        month=date(2010, 1, 1),
        values={"milk_produced_l": Decimal(6000), "milk_sold_l": Decimal(2000), "channel": "direct"},
    )
    return {"association": association, "member": member, "plan": plan, "record": record}


def scoped_urls(w):
    a, m, p, r = w["association"].pk, w["member"].pk, w["plan"].pk, w["record"].pk
    return [
        reverse("producers:association_detail", args=[a]),
        reverse("producers:association_update", args=[a]),
        reverse("producers:member_create", args=[a]),
        reverse("producers:member_update", args=[m]),
        reverse("producers:member_delete", args=[m]),
        reverse("producers:plan_start", args=[a]),
        reverse("producers:plan_detail", args=[p]),
        reverse("producers:plan_edit", args=[p]),
        reverse("producers:plan_submit", args=[p]),
        reverse("producers:plan_return", args=[p]),
        reverse("producers:plan_validate", args=[p]),
        reverse("producers:plan_version_new", args=[p]),
        reverse("producers:plan_diff", args=[p]),
        reverse("producers:plan_pdf", args=[p]),
        reverse("producers:production_list", args=[a]),
        reverse("producers:production_create", args=[a]),
        reverse("producers:production_update", args=[r]),
        reverse("producers:production_import", args=[a]),
        reverse("producers:production_template", args=[a]),
    ]


def test_everything_is_404_for_a_leader_of_another_association(client, world, other_leader):
    client.force_login(other_leader)
    for url in scoped_urls(world):
        assert client.get(url).status_code == 404, url


def test_everything_is_404_for_a_technician_of_another_province(client, world, technician_chumbivilcas):
    client.force_login(technician_chumbivilcas)
    for url in scoped_urls(world):
        assert client.get(url).status_code == 404, url


def test_refused_posts_change_nothing(client, world, other_leader, technician_chumbivilcas):
    plan = world["plan"]
    before = OperatingPlan.objects.values().get(pk=plan.pk)
    for person in (other_leader, technician_chumbivilcas):
        client.force_login(person)
        posts = {
            reverse("producers:plan_return", args=[plan.pk]): {"section_general": "No"},
            reverse("producers:plan_validate", args=[plan.pk]): {},
            reverse("producers:plan_edit", args=[plan.pk]): {"revision": plan.revision, "diagnosis": "x"},
            reverse("producers:member_delete", args=[world["member"].pk]): {},
            reverse("producers:association_update", args=[world["association"].pk]): {"name": "Robada"},
        }
        for url, data in posts.items():
            assert client.post(url, data).status_code == 404, url
    assert OperatingPlan.objects.values().get(pk=plan.pk) == before
    assert Member.objects.filter(pk=world["member"].pk).exists()
    assert ProducerAssociation.objects.get(pk=world["association"].pk).name.startswith(
        "Asociación de Productores"
    )
    assert ProductionRecord.objects.count() == 1


def test_territory_decides_what_technicians_see(world, technician_anta, municipalities):
    chinchaypujio = association_in("080304", name="Asociación Chinchaypujio Wasi")
    pucyura_tech = person_with_role("technician", municipalities["pucyura"].organisation)
    visible = ProducerAssociation.objects.visible_to
    assert set(visible(technician_anta)) == {world["association"], chinchaypujio}  # province of Anta
    assert list(visible(pucyura_tech)) == [world["association"]]  # only the district
    assert list(ProducerAssociation.objects.reviewable_by(pucyura_tech)) == [world["association"]]


def test_technician_reviews_but_cannot_approve(client, world, technician_anta):
    client.force_login(technician_anta)
    plan = world["plan"]
    assert client.get(reverse("producers:plan_return", args=[plan.pk])).status_code == 200
    assert client.get(reverse("producers:plan_validate", args=[plan.pk])).status_code == 404
    assert client.post(reverse("producers:plan_validate", args=[plan.pk])).status_code == 404
    assert client.get(reverse("producers:plan_edit", args=[plan.pk])).status_code == 404
    assert OperatingPlan.objects.get(pk=plan.pk).status == "submitted"


def test_dni_only_for_those_who_manage_the_association(client, world, leader, technician_anta, coordinator):
    url = reverse("producers:association_detail", args=[world["association"].pk])
    client.force_login(technician_anta)
    page = client.get(url).content.decode()
    assert "Rosa Quispe" in page and "40123456" not in page
    for person in (leader, coordinator):
        client.force_login(person)
        assert "40123456" in client.get(url).content.decode()


def test_viewer_of_another_municipality_sees_nothing(client, world, municipalities):
    viewer = person_with_role("viewer", municipalities["chumbivilcas"].organisation)
    assert ProducerAssociation.objects.visible_to(viewer).count() == 0
    client.force_login(viewer)
    assert client.get(reverse("producers:plan_detail", args=[world["plan"].pk])).status_code == 404
