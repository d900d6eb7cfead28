"""The API's lists come from the cache until a table an answer reads changes (the "all" data version,
kallpanchis/history/versioning.py): the same answer with fewer queries, a new answer after any write, and
never one person's answer for another."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kallpanchis.history.versioning import TRIGGER, versioned_tables
from tests.api.conftest import bearer, rows
from tests.spaces.factories import held, lima

pytestmark = [pytest.mark.django_db, pytest.mark.redis, pytest.mark.postgres]


def _get(api, path, auth):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path, **auth)
    assert response.status_code == 200
    return response, len(queries)


def test_every_table_an_answer_reads_has_the_trigger():
    tables = versioned_tables()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
            [TRIGGER],
        )
        with_trigger = {row[0] for row in cursor.fetchall()}
    for table in ("spaces_meeting", "spaces_agendaitem", "producers_member", "budgets_proposal"):
        assert table in tables
    assert "results_report" in tables and any(t.startswith("dashboard_") for t in tables)
    assert any(t.startswith("notifications_") for t in tables)
    assert set(tables) <= with_trigger, sorted(set(tables) - with_trigger)


def test_a_list_is_served_again_from_the_cache_until_a_write(api, world, coordinator):
    auth = bearer(coordinator)
    api.get("/api/v1/provinces/", **auth)  # the token's first use stamps it
    path = "/api/v1/meetings/?page_size=50"
    first, first_queries = _get(api, path, auth)
    again, again_queries = _get(api, path, auth)
    assert again.json() == first.json()
    assert again_queries < first_queries, (first_queries, again_queries)

    held(world["anta_public"], when=lima(2026, 5, 20), title="Reunión nueva de mayo")  # any write
    after, after_queries = _get(api, path, auth)
    titles = [m["title"] for m in rows(after)]
    assert "Reunión nueva de mayo" in titles and len(rows(after)) == len(rows(first)) + 1
    assert after_queries == first_queries  # computed again, in the same number of queries


def test_a_cached_answer_is_never_another_persons(api, world, coordinator, technician_anta):
    path = "/api/v1/spaces/?page_size=50"
    wide = {s["name"] for s in rows(_get(api, path, bearer(coordinator))[0])}
    anta = {s["name"] for s in rows(_get(api, path, bearer(technician_anta))[0])}
    anonymous = {s["name"] for s in rows(_get(api, path, {})[0])}
    assert "Subespacio político de Chumbivilcas" in wide
    assert "Subespacio político de Chumbivilcas" not in anta and "Espacio interno de Anta" in anta
    assert anonymous == {"Mesa pública de Anta"}
    # Asked again in the other order, each still gets their own.
    assert {s["name"] for s in rows(_get(api, path, {})[0])} == anonymous
    assert {s["name"] for s in rows(_get(api, path, bearer(technician_anta, "2"))[0])} == anta
