"""Pagination, ordering, filters, ETags, read-only and rate limits; query counts flat in the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kallpanchis.api.pagination import Cursor
from tests.api.conftest import bearer, rows
from tests.spaces.factories import held, lima

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


def test_cursor_pages_follow_next_and_cap_the_page_size(api, world, coordinator):
    auth = bearer(coordinator)
    first = api.get("/api/v1/meetings/?page_size=1&ordering=starts_at", **auth).json()
    assert len(first["results"]) == 1 and first["next"]
    second = api.get(first["next"], **auth).json()
    assert second["results"][0]["starts_at"] > first["results"][0]["starts_at"]
    assert Cursor.page_size == 50 and Cursor.max_page_size == 200
    big = api.get("/api/v1/districts/?page_size=1000", **auth).json()
    assert len(big["results"]) == 116 and big["next"] is None  # 116 ≤ 200: one page
    assert len(api.get("/api/v1/districts/", **auth).json()["results"]) == 50


def test_filters_and_ordering(api, world, coordinator):
    auth = bearer(coordinator)
    anta_space = world["anta_public"].pk
    found = rows(api.get(f"/api/v1/meetings/?space={anta_space}", **auth))
    assert {m["space"] for m in found} == {anta_space}
    held_only = rows(api.get("/api/v1/meetings/?status=held", **auth))
    assert {m["status"] for m in held_only} == {"held"}
    assert len(rows(api.get("/api/v1/districts/?province=0803", **auth))) == 9
    names = [s["name"] for s in rows(api.get("/api/v1/spaces/?ordering=-name", **auth))]
    assert names == sorted(names, reverse=True)
    assert api.get("/api/v1/meetings/?starts_after=not-a-date", **auth).status_code == 400


def test_etag_answers_304_to_a_conditional_get(api, world):
    first = api.get("/api/v1/meetings/")
    etag = first["ETag"]
    assert etag.startswith('"') and "Authorization" in first["Vary"]
    again = api.get("/api/v1/meetings/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    held(world["anta_public"], when=lima(2026, 5, 1))
    changed = api.get("/api/v1/meetings/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_tokens_only_read(api, world, coordinator):
    auth = bearer(coordinator)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(api, method)("/api/v1/meetings/", **auth)
        assert response.status_code == 405, method


def test_rate_limit_per_token(api, world, coordinator, settings):
    settings.API_THROTTLE_RATES = {"token": "3/minute", "anonymous": "2/minute"}
    auth, other = bearer(coordinator, "one"), bearer(coordinator, "two")
    assert [api.get("/api/v1/provinces/", **auth).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert api.get("/api/v1/provinces/", **other).status_code == 200  # counted per token
    assert [api.get("/api/v1/provinces/").status_code for _ in range(3)] == [200, 200, 429]


def _grow(world, n):
    """n more rows of every kind the lists show."""
    from budgets import services as budget_services
    from tests.budgets.factories import agent_for, cycle_for, proposal_for, score_all
    from tests.producers.factories import association_in, filled_plan
    from tests.spaces.factories import anta_space

    for i in range(n):
        space = anta_space(world["anta"], name=f"Mesa {i}", is_public=True)
        held(space, when=lima(2025, 1 + i % 12, 1 + i), agreements=[f"Acuerdo {i}"])
        filled_plan(association_in("080308", name=f"Asociación {i}"), year=2026)
        cycle_for(world["anta"], fiscal_year=2030 + i)
    cycle = world["anta_cycle"]
    for i in range(n):
        proposal = proposal_for(agent_for(cycle, f"Agente {i}"), f"Proyecto {i}", cost="1000")
        score_all(proposal, "3")
    budget_services.allocation_run(by=None, cycle=cycle)


LISTS = [
    "spaces",
    "meetings",
    "agreements",
    "associations",
    "plans",
    "budget-cycles",
    "agents",
    "proposals",
    "allocations",
    "scores",
    "municipalities",
    "reported-values",
]


def test_query_count_is_flat_in_the_page_size(api, world, coordinator, capsys):
    auth = bearer(coordinator)
    api.get("/api/v1/provinces/", **auth)  # the token's first use stamps it

    def counts():
        found = {}
        for path in LISTS:
            with CaptureQueriesContext(connection) as queries:
                response = api.get(f"/api/v1/{path}/?page_size=25", **auth)
            assert response.status_code == 200
            found[path] = (len(rows(response)), len(queries))
        return found

    small = counts()
    _grow(world, 24)
    large = counts()
    with capsys.disabled():
        print("\nendpoint | rows, queries (small) | rows, queries (25 more)")
        for path in LISTS:
            print(f"{path} | {small[path]} | {large[path]}")
    for path in LISTS:
        assert large[path][1] == small[path][1], f"{path}: {small[path]} -> {large[path]}"
    assert large["meetings"][0] == 25 and large["plans"][0] == 25 and large["proposals"][0] == 25
