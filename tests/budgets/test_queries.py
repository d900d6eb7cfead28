"""List pages cost the same number of queries with 1 row as with 25."""

import pytest
from django.urls import reverse

from tests.accounts.factories import person_with_role

from .factories import agent_for, cycle_for, proposal_for, score_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget_anta(municipalities):
    return person_with_role("technical_team", municipalities["anta"].organisation, email="pp.anta@example.pe")


def _count(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(200) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", ["budgets:proposal_list", "budgets:ranking"])
def test_proposals_and_ranking_are_flat(
    client, municipalities, budget_anta, django_assert_max_num_queries, page
):
    cycle = cycle_for(municipalities["anta"], envelope="1000000")
    agent = agent_for(cycle, "Asociación A")
    score_all(proposal_for(agent, "Proyecto 0", cost="10000"), 3)
    client.force_login(budget_anta)
    url = reverse(page, args=[cycle.pk])
    one = _count(client, url, django_assert_max_num_queries)
    for i in range(1, 25):
        score_all(proposal_for(agent, f"Proyecto {i}", cost=str(10000 + i * 1000), families=10 + i), i % 6)
    many = _count(client, url, django_assert_max_num_queries)
    assert many == one


def test_cycle_list_is_flat(client, territory, municipalities, coordinator, django_assert_max_num_queries):
    cycle_for(municipalities["anta"], fiscal_year=2010)
    client.force_login(coordinator)
    one = _count(client, reverse("budgets:cycle_list"), django_assert_max_num_queries)
    for year in range(2011, 2035):
        cycle_for(municipalities["anta"], fiscal_year=year)
    many = _count(client, reverse("budgets:cycle_list"), django_assert_max_num_queries)
    assert many == one


def test_execution_page_is_flat(client, municipalities, budget_anta, django_assert_max_num_queries):
    from budgets import services

    cycle = cycle_for(municipalities["anta"], envelope="100000000")
    agent = agent_for(cycle, "Asociación A")
    score_all(proposal_for(agent, "Proyecto 0"), 3)
    services.allocation_run(by=None, cycle=cycle)
    client.force_login(budget_anta)
    url = reverse("budgets:execution", args=[cycle.pk])
    one = _count(client, url, django_assert_max_num_queries)
    for i in range(1, 25):
        score_all(proposal_for(agent, f"Proyecto {i}"), 3)
    services.allocation_run(by=None, cycle=cycle)
    many = _count(client, url, django_assert_max_num_queries)
    assert many == one


@pytest.mark.parametrize("page", ["budgets:accountability", "budgets:public_detail"])
def test_accountability_report_is_flat(
    client, municipalities, budget_anta, django_assert_max_num_queries, page
):
    """The rendición de cuentas (accountability page and public page) lists earlier cycles' projects."""
    from budgets import services

    earlier = cycle_for(municipalities["anta"], fiscal_year=2026, envelope="100000000")
    agent = agent_for(earlier, "Asociación A")
    score_all(proposal_for(agent, "Proyecto 0"), 3)
    services.allocation_run(by=None, cycle=earlier)
    cycle = cycle_for(municipalities["anta"], fiscal_year=2027)
    client.force_login(budget_anta)
    url = reverse(page, args=[cycle.pk])
    one = _count(client, url, django_assert_max_num_queries)
    for i in range(1, 25):
        score_all(proposal_for(agent, f"Proyecto {i}"), 3)
    services.allocation_run(by=None, cycle=earlier)
    many = _count(client, url, django_assert_max_num_queries)
    assert many == one
    assert "Proyecto 24" in client.get(url).content.decode()


def test_mef_export_is_flat(client, municipalities, budget_anta, django_assert_max_num_queries):
    """The MEF-shaped export reads a fixed number of queries whatever the number of projects."""
    from budgets import services

    cycle = cycle_for(municipalities["anta"], envelope="100000000")
    agent = agent_for(cycle, "Asociación A")
    score_all(proposal_for(agent, "Proyecto 0"), 3)
    services.allocation_run(by=None, cycle=cycle)
    client.force_login(budget_anta)
    url = reverse("budgets:mef_export", args=[cycle.pk, "csv"])
    one = _count(client, url, django_assert_max_num_queries)
    for i in range(1, 25):
        score_all(proposal_for(agent, f"Proyecto {i}"), 3)
    services.allocation_run(by=None, cycle=cycle)
    many = _count(client, url, django_assert_max_num_queries)
    assert many == one


def test_procompite_list_is_flat(client, municipalities, budget_anta, django_assert_max_num_queries):
    """The Procompite business plans page: same queries with 1 plan and with 25."""
    from decimal import Decimal

    from budgets import services

    from .factories import producer

    def plan(i):
        services.business_plan_submit(
            by=None,
            municipality=municipalities["anta"],
            association=producer(f"Asociación {i}"),
            year=2026,
            title=f"Plan de negocio {i}",
            legal_registration="SUNARP 11084512",
            investment_budget=Decimal("100000"),
            operating_budget=Decimal("20000"),
            association_contribution=Decimal("30000"),
            in_kind="Galpones",
        )

    plan(0)
    client.force_login(budget_anta)
    url = reverse("budgets:business_plan_list")
    one = _count(client, url, django_assert_max_num_queries)
    for i in range(1, 25):
        plan(i)
    many = _count(client, url, django_assert_max_num_queries)
    assert many == one
    page = client.get(url).content.decode()
    assert "Plan de negocio 24" in page
    # Outside the municipality's territory, nothing is listed.
    client.force_login(person_with_role("technical_team", municipalities["chumbivilcas"].organisation))
    assert "Plan de negocio" not in client.get(url).content.decode()
