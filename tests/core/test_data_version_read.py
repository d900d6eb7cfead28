"""Data versions (kallpanchis/core/caching.py) read once per GET request, for every group at once; read
afresh outside a request and during a POST, where a write may come between two reads."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kallpanchis.core import caching
from kallpanchis.core.caching import data_version
from tests.people.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def step(group: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO kallpanchis_data_version (name, version) VALUES (%s, 7)", [group])


def version_reads(queries) -> int:
    return sum("FROM kallpanchis_data_version" in q["sql"] for q in queries)


def test_a_page_of_several_kept_values_reads_the_versions_once(technician_anta):
    """The register's search keeps its ids and its count, each under the versions: one read for both."""
    PersonFactory(district_ubigeo="080301", given_names="Rosa", first_surname="Quispe")
    client = Client()
    client.force_login(technician_anta)
    with CaptureQueriesContext(connection) as page:
        assert client.get(reverse("people:person_list"), {"q": "quispe"}).status_code == 200
    assert version_reads(page.captured_queries) == 1


def test_outside_a_request_every_read_sees_the_last_write():
    step("spaces")
    before = data_version("spaces", "all")
    step("spaces")
    assert data_version("spaces", "all") != before


@pytest.mark.parametrize("method, kept", [("GET", True), ("POST", False)])
def test_within_a_request_only_a_get_keeps_what_it_read(method, kept):
    step("spaces")
    # The handlers themselves: sending request_finished would also close the test's connection.
    caching._request_started(None, environ={"REQUEST_METHOD": method})
    try:
        before = data_version("spaces")
        step("spaces")
        assert (data_version("spaces") == before) is kept
    finally:
        caching._request_finished(None)
    assert data_version("spaces") != before  # the request is over: read afresh


def test_kept_here_computes_once_per_version_and_access(technician_anta, technician_chumbivilcas):
    """Values kept in the process: computed once per data version and person's access; a write computes
    them again; None is never kept; the least recently used go first."""
    calls = []

    def compute(value):
        calls.append(value)
        return value

    step("all")
    for _ in range(2):
        assert (
            caching.kept_here("t:a", user=technician_anta, groups=("all",), compute=lambda: compute("a"))
            == "a"
        )
    caching.kept_here("t:a", user=technician_chumbivilcas, groups=("all",), compute=lambda: compute("c"))
    assert calls == ["a", "c"]
    step("all")
    caching.kept_here("t:a", user=technician_anta, groups=("all",), compute=lambda: compute("a"))
    assert calls == ["a", "c", "a"]
    for _ in range(2):
        assert caching.kept_here("t:none", user=None, groups=("all",), compute=lambda: compute(None)) is None
    assert calls[-2:] == [None, None]
    for n in range(caching.HERE_MOST + 1):
        caching.kept_here("t:many", user=None, groups=("all",), compute=lambda n=n: n, key=(n,))
    assert len(caching._here) == caching.HERE_MOST
    caching.kept_here("t:many", user=None, groups=("all",), compute=lambda: compute("again"), key=(0,))
    assert calls[-1] == "again"  # the first was dropped


def test_the_versions_read_are_the_sums_of_the_steps_every_group_or_some():
    """Read through `kallpanchis_data_versions` (core 0006), which plans without a sequential scan: a table
    left with thousands of dead pages by a burst of writes is read through its index."""
    for group, steps in (("spaces", 3), ("t:spaces_meeting", 2)):
        for _ in range(steps):
            step(group)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sum(version) %% %s, count(*) FROM kallpanchis_data_version GROUP BY name",
            [caching.MODULUS],
        )
        expected = {name: version for name, version, _ in cursor.fetchall()}
        cursor.execute("SELECT proconfig FROM pg_proc WHERE proname = 'kallpanchis_data_versions'")
        assert cursor.fetchone()[0] == ["enable_seqscan=off"]
    assert caching._read_versions(None) == expected
    assert caching._read_versions(("spaces", "nothing written")) == {"spaces": expected["spaces"]}


def test_the_versions_are_read_through_a_statement_postgresql_prepares():
    """`prepared_cursor` binds on the server, so psycopg prepares a statement run five times on a
    connection; Django's plain cursor binds on the client and PostgreSQL plans it afresh every time. If
    Django changes how it makes cursors, the swap in kallpanchis/core/prepared.py stops working here."""
    from kallpanchis.core.prepared import prepared_cursor

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    for _ in range(6):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM kallpanchis_data_version WHERE name = %s", ["plain"])
    assert not [s for s in prepared() if "'plain'" in s or "name = $1" in s]
    for _ in range(6):
        caching._read_versions(None)
    assert [s for s in prepared() if "kallpanchis_data_versions" in s]
    with CaptureQueriesContext(connection) as queries:  # still Django's cursor: its hooks see the query
        with prepared_cursor() as cursor:
            cursor.execute("SELECT 1")
    assert queries[0]["sql"] == "SELECT 1"
