"""The scorecard rows' signatures (results migration 0004): every write to a municipality's reports or
targets of a year gives that municipality and year a number never given before, by whatever means it is
made, and leaves the others as they were."""

import pytest
from django.db import connection

from results.models import Target

from .factories import YEAR, approved, assign, indicator

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def signatures() -> dict[tuple[int, int], int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT municipality_id, year, version FROM results_scorecard_signature")
        return {(m, y): v for m, y, v in cursor.fetchall()}


def changed(before: dict, after: dict) -> set:
    return {pair for pair in before.keys() | after.keys() if before.get(pair) != after.get(pair)}


def test_each_write_steps_the_municipality_and_year_it_touched(coordinator, technician_anta, municipalities):
    anta, chumbivilcas = municipalities["anta"], municipalities["chumbivilcas"]
    ind = indicator(coordinator, disaggregations=[])
    before = signatures()
    s1, _s2 = assign(coordinator, ind, anta, target="300")
    assign(coordinator, ind, chumbivilcas, target="100")
    after = signatures()
    assert changed(before, after) == {(anta.pk, YEAR), (chumbivilcas.pk, YEAR)}

    seen = set(after.values())
    steps = [
        # a value approved (a report): its period's year
        lambda: approved(coordinator, technician_anta, ind, anta, s1, "135"),
        # a bulk update no service made
        lambda: Target.objects.filter(municipality=anta).update(value=310),
        # a target moved to another year: both years
        lambda: Target.objects.filter(municipality=anta).update(year=YEAR + 1),
        lambda: Target.objects.filter(municipality=anta).delete(),
    ]
    expected = [
        {(anta.pk, YEAR)},
        {(anta.pk, YEAR)},
        {(anta.pk, YEAR), (anta.pk, YEAR + 1)},
        {(anta.pk, YEAR + 1)},
    ]
    for step, pairs in zip(steps, expected, strict=True):
        before = signatures()
        step()
        after = signatures()
        assert changed(before, after) == pairs
        new = {after[pair] for pair in pairs}
        assert not new & seen  # never a number given before
        seen |= new
    assert signatures()[(chumbivilcas.pk, YEAR)] == after[(chumbivilcas.pk, YEAR)]


def test_emptying_a_table_steps_every_signature(coordinator, municipalities):
    ind = indicator(coordinator, disaggregations=[])
    assign(coordinator, ind, municipalities["anta"], target="300")
    assign(coordinator, ind, municipalities["chumbivilcas"], target="100")
    before = signatures()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE waits for no pending check
        cursor.execute("TRUNCATE results_target")
    after = signatures()
    assert before and changed(before, after) == set(before)
