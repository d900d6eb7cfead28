"""How reported values add up: over the periods of a year, over places, disaggregations; and what the
scorecard and the dashboard's reported indicators make of them."""

from decimal import Decimal as D

import pytest

from results import aggregation, selectors, services
from results.models import Report

from .factories import YEAR, approved, assign, indicator

VALUES = [(1, D("120")), (2, D("80"))]


@pytest.mark.parametrize(("how", "expected"), [("sum", D("200")), ("latest", D("80")), ("average", D("100"))])
def test_over_time(how, expected):
    assert aggregation.over_time(VALUES, how) == expected
    # the order the periods come in does not matter: latest is the highest period
    assert aggregation.over_time(list(reversed(VALUES)), how) == expected


def test_an_empty_year_is_no_data_not_zero():
    assert aggregation.over_time([], "sum") is None
    assert aggregation.over_time([(1, None)], "average") is None
    assert aggregation.over_places([None, None], "sum") is None
    assert aggregation.over_time([(1, None), (2, D("5"))], "average") == D("5")


@pytest.mark.parametrize(("how", "expected"), [("sum", D("300")), ("average", D("150"))])
def test_over_places(how, expected):
    assert aggregation.over_places([D("200"), D("100"), None], how) == expected


def test_disaggregation_gaps():
    assert aggregation.disaggregation_gaps(D("135"), {"gender": {"female": "70", "male": "65"}}) == {}
    assert aggregation.disaggregation_gaps(D("135"), {"gender": {"female": "70", "male": "60"}}) == {
        "gender": D("130")
    }
    # a dimension left empty is not checked; each dimension adds up on its own
    assert aggregation.disaggregation_gaps(
        D("10"), {"gender": {}, "age_group": {"youth": "4", "adult": "6"}, "district": {"080301": "9"}}
    ) == {"district": D("9")}


@pytest.mark.parametrize(
    ("actual", "target", "higher", "status"),
    [
        (D("300"), D("300"), True, "on_track"),
        (D("240"), D("300"), True, "at_risk"),
        (D("200"), D("300"), True, "behind"),
        (None, D("300"), True, "no_data"),
        (D("5"), None, True, "no_target"),
        (D("90"), D("100"), False, "on_track"),
        (D("120"), D("100"), False, "at_risk"),
        (D("200"), D("100"), False, "behind"),
    ],
)
def test_status(actual, target, higher, status):
    assert aggregation.status(actual, target, higher_is_better=higher) == status


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("time_rule", "place_rule", "anta", "both"),
    [
        ("sum", "sum", D("200"), D("250")),  # Anta 120 + 80; Chumbivilcas 50 → 250
        ("latest", "sum", D("80"), D("130")),
        ("average", "average", D("100"), D("75")),  # (100 + 50) / 2
    ],
)
def test_scorecard_and_dashboard_add_up_by_the_indicators_rules(
    coordinator, technician_anta, technician_chumbivilcas, municipalities, time_rule, place_rule, anta, both
):
    ind = indicator(coordinator, time_aggregation=time_rule, place_aggregation=place_rule, disaggregations=[])
    s1, s2 = assign(coordinator, ind, municipalities["anta"], target="300")
    assign(coordinator, ind, municipalities["chumbivilcas"], target="100")
    approved(coordinator, technician_anta, ind, municipalities["anta"], s1, "120")
    approved(coordinator, technician_anta, ind, municipalities["anta"], s2, "80")
    approved(coordinator, technician_chumbivilcas, ind, municipalities["chumbivilcas"], s1, "50")
    # a value waiting for review does not count
    services.report_submit(
        by=technician_chumbivilcas,
        indicator=ind,
        municipality=municipalities["chumbivilcas"],
        period=s2,
        value=999,
    )
    card = selectors.scorecard(user=coordinator, year=YEAR)
    cells = {m.organisation.name: row[0] for m, row in card.rows}
    assert cells["Municipalidad Provincial de Anta"].actual == anta
    assert cells["Municipalidad Provincial de Anta"].target == D("300")

    class Filters:
        province = district = ""
        year_from = year_to = YEAR

    (row,) = selectors.reported_figures(coordinator, Filters)
    assert row["actual"] == both
    expected_target = D("400") if place_rule == "sum" else D("200")
    assert row["target"] == expected_target
    # the technician of Anta sees Anta only
    (own,) = selectors.reported_figures(technician_anta, Filters)
    assert own["actual"] == anta


@pytest.mark.django_db
def test_the_latest_approved_version_counts(coordinator, technician_anta, municipalities):
    ind = indicator(coordinator, disaggregations=[])
    s1, _s2 = assign(coordinator, ind, municipalities["anta"], target="300")
    first = approved(coordinator, technician_anta, ind, municipalities["anta"], s1, "135")
    second = services.report_correct(by=technician_anta, report=first, reason="Acta", value=D("150"))
    card = selectors.scorecard(user=coordinator, year=YEAR)
    assert card.rows[0][1][0].actual == D("135")  # the correction waits for review
    services.report_approve(by=coordinator, report=second)
    card = selectors.scorecard(user=coordinator, year=YEAR)
    assert card.rows[0][1][0].actual == D("150")
    assert Report.objects.get(pk=first.pk).value == D("135")


@pytest.mark.django_db
def test_a_sum_is_compared_with_the_target_of_the_periods_reported(
    coordinator, technician_anta, municipalities
):
    """While a year runs, 135 ha after the first of two semesters against 300 is 90 % of the 150 expected."""
    import datetime

    ind = indicator(coordinator, disaggregations=[])
    year = datetime.date.today().year
    s1, _s2 = assign(coordinator, ind, municipalities["anta"], target="300", year=year)
    approved(coordinator, technician_anta, ind, municipalities["anta"], s1, "135")
    cell = selectors.scorecard(user=coordinator, year=year).rows[0][1][0]
    assert (cell.actual, cell.target, cell.expected, cell.status) == (D("135"), D("300"), D("150"), "at_risk")
    assert str(cell.label) == "En riesgo"
