"""The results framework's reported values in the API and the open data: the version that counts (the
latest approved), in the reader's scope, published only by publishing municipalities, and figures only."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from results import services
from tests.api.conftest import bearer, rows
from tests.results.factories import approved, assign, indicator

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

SECRET = "Doña Justina Huillca dio su parcela"


@pytest.fixture
def reported(world, coordinator, technician_anta, technician_chumbivilcas):
    """Anta (publishes): semester 1 approved at 120, corrected to 135 (approved), semester 2 returned.
    Chumbivilcas (does not publish): semester 1 approved at 50."""
    pasture = indicator(coordinator)
    s1, s2 = assign(coordinator, pasture, world["anta"])
    assign(coordinator, pasture, world["chumbi"])
    first = approved(coordinator, technician_anta, pasture, world["anta"], s1, "120", narrative=SECRET)
    returned = services.report_submit(
        by=technician_anta, indicator=pasture, municipality=world["anta"], period=s2, value=Decimal("7")
    )
    services.report_return(by=coordinator, report=returned, comment="Falta la foto")
    chumbi = approved(coordinator, technician_chumbivilcas, pasture, world["chumbi"], s1, "50")
    return {"indicator": pasture, "first": first, "chumbi": chumbi, "s1": s1}


def _values(response):
    assert response.status_code == 200, response.content[:300]
    return sorted((r["municipality"], r["period"], r["version"], Decimal(r["value"])) for r in rows(response))


def test_a_correction_counts_once_approved_and_only_then(api, world, reported, coordinator, technician_anta):
    anta = world["anta"].pk
    assert _values(api.get("/api/v1/reported-values/")) == [(anta, 1, 1, Decimal("120"))]
    correction = services.report_correct(
        by=technician_anta, report=reported["first"], reason="Se midió de nuevo", value=Decimal("135")
    )
    # Waiting for review: the approved version still counts.
    assert _values(api.get("/api/v1/reported-values/")) == [(anta, 1, 1, Decimal("120"))]
    services.report_approve(by=coordinator, report=correction)
    assert _values(api.get("/api/v1/reported-values/")) == [(anta, 1, 2, Decimal("135"))]


def test_each_reader_gets_their_scope_plus_what_is_published(
    api, world, reported, coordinator, technician_anta, technician_chumbivilcas
):
    anta, chumbi = world["anta"].pk, world["chumbi"].pk
    everything = [(anta, 1, 1, Decimal("120")), (chumbi, 1, 1, Decimal("50"))]
    assert _values(api.get("/api/v1/reported-values/", **bearer(coordinator))) == everything
    assert _values(api.get("/api/v1/reported-values/", **bearer(technician_anta))) == [
        (anta, 1, 1, Decimal("120"))
    ]
    # Chumbivilcas' technician: their own, and what Anta publishes.
    assert _values(api.get("/api/v1/reported-values/", **bearer(technician_chumbivilcas))) == everything
    chumbi_value = reported["chumbi"].pk
    assert api.get(f"/api/v1/reported-values/{chumbi_value}/").status_code == 404
    assert api.get(f"/api/v1/reported-values/{chumbi_value}/", **bearer(technician_anta)).status_code == 404
    only_2026 = api.get("/api/v1/reported-values/?indicator=pastos&year=2026", **bearer(coordinator))
    assert len(rows(only_2026)) == 2
    assert rows(api.get("/api/v1/reported-values/?year=2031", **bearer(coordinator))) == []


def test_figures_only_never_the_narrative_and_the_open_data_has_the_same_row(api, world, reported):
    response = api.get("/api/v1/reported-values/")
    assert SECRET not in response.content.decode()
    (row,) = rows(response)
    assert (row["indicator"], row["unit"], row["year"]) == ("pastos", "ha", 2026)
    assert row["frequency"] == "semester"
    response = api.get("/open-data/reported-values.csv")
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    body = "\n".join(",".join(r) for r in table)
    assert SECRET not in body
    data = [r for r in table if r and r[0].isdigit()]
    assert [(r[1], r[4], r[5], r[7], Decimal(r[8])) for r in data] == [
        ("pastos", world["anta"].ubigeo, "2026", "1", Decimal("120"))
    ]


def test_query_count_is_flat_in_the_number_of_values(api, world, reported, coordinator, technician_anta):
    auth = bearer(coordinator)
    api.get("/api/v1/provinces/", **auth)  # the token's first use stamps it

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/reported-values/?page_size=50", **auth)
        return len(rows(response)), len(queries)

    small = count()
    for n in range(12):
        other = indicator(coordinator, code=f"ind-{n}", name=f"Indicador {n}")
        s1, _s2 = assign(coordinator, other, world["anta"])
        approved(coordinator, technician_anta, other, world["anta"], s1, str(n + 1))
    large = count()
    assert (small[0], large[0]) == (2, 14)
    assert large[1] == small[1]
