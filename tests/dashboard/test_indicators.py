"""Every indicator against figures computed by hand on the small data set of factories.small_world."""

from decimal import Decimal as D

import pytest

from kallpanchis.dashboard.selectors import Filters, dashboard_figures

pytestmark = pytest.mark.django_db


def figures(user, **filters) -> dict:
    data = dashboard_figures(user=user, filters=Filters(**filters))
    return {f.indicator.code: f for f in data["figures"]}


def values(user, **filters) -> dict:
    return {
        code: (None if f.actual is None else f.actual.quantize(D("0.01")))
        for code, f in figures(user, **filters).items()
    }


def test_2009_everywhere(world, coordinator):
    assert values(coordinator, year_from=2009, year_to=2009) == {
        "milk_litres": D("2700.00"),
        "cheese_kg": D("110.00"),
        "short_circuit_share": D("59.09"),  # (800 + 500) / (800 + 900 + 500)
        "milk_price": D(
            "0.89"
        ),  # (800 × 1.00 + 900 × 0.80) / (800 + 900); the month with no price is left out
        "plans_on_time": D("1.00"),  # Sumaq Llaqta by 31/03; Wayna Qocha submitted on 10/04
        "meetings_per_space": D("1.50"),  # 3 held / 2 spaces with meetings (the cancelled one is not counted)
        "attendance": D("6.00"),
        "women_share": D("50.00"),  # 3 women of 6
        "agreements_on_time": D("33.33"),  # 1 of 3 due (the dropped one is left out)
        "pb_productive_allocated": None,
        "pb_productive_share": None,
        "technicians_trained": D("2.00"),  # Luz twice counts once; Rosa did not complete
        # nobody of the small world is in the register of people, and its associations list no member
        "reach_people": None,
        "reach_families": None,
        "reach_women_share": None,
        "reach_repeat": None,
        "members_per_association": None,
    }


def test_gender_disaggregation(world, coordinator):
    data = figures(coordinator, year_from=2009, year_to=2009)
    assert data["attendance"].by_gender == [("female", 3), ("male", 2), ("unstated", 1)]
    assert data["technicians_trained"].by_gender == [("female", 1), ("male", 1), ("unstated", None)]
    assert data["milk_litres"].by_gender == []  # not disaggregated by gender


def test_2010_production_plans_and_budget(world, coordinator):
    got = values(coordinator, year_from=2010, year_to=2010)
    assert got["milk_litres"] == D("700.00")
    assert got["short_circuit_share"] == D("100.00")
    assert got["milk_price"] == D("1.20")
    assert got["plans_on_time"] == D("1.00")  # no deadline set for 2010: approved counts
    assert got["pb_productive_allocated"] == D(
        "150000.00"
    )  # the public institution's project is not productive
    assert got["pb_productive_share"] == D("15.00")
    assert got["meetings_per_space"] is None


def test_whole_period_adds_up_years(world, coordinator):
    got = values(coordinator, year_from=2009, year_to=2010)
    assert got["milk_litres"] == D("3400.00")
    assert got["plans_on_time"] == D("2.00")
    assert got["short_circuit_share"] == D("67.86")  # (1300 + 600) / (2200 + 600)


def test_province_district_and_line(world, coordinator):
    chumbivilcas = values(coordinator, province="0807", year_from=2009, year_to=2009)
    assert chumbivilcas["milk_litres"] == D("2200.00")
    assert chumbivilcas["meetings_per_space"] == D("1.50")
    assert chumbivilcas["technicians_trained"] is None
    anta = values(coordinator, province="0803", year_from=2009, year_to=2009)
    assert anta["milk_litres"] == D("500.00")
    assert anta["technicians_trained"] == D("2.00")
    colquemarca = values(coordinator, district="080704", year_from=2009, year_to=2009)
    assert colquemarca["meetings_per_space"] == D("1.00")  # the provincial milk group is not in one district
    assert colquemarca["attendance"] == D("1.00")
    milk = values(coordinator, line="milk", year_from=2009, year_to=2009)
    assert milk["milk_litres"] == D("2700.00")
    assert milk["meetings_per_space"] == D("2.00")  # only the milk group's meetings
    assert milk["attendance"] == D("5.00")
    assert milk["women_share"] == D("60.00")
    assert milk["technicians_trained"] is None  # not disaggregated by line
    assert not figures(coordinator, line="milk")["technicians_trained"].applies
    cheese = values(coordinator, line="cheese", year_from=2009, year_to=2009)
    assert cheese["milk_litres"] == D("2200.00")  # only the association that also makes cheese


def test_empty_period_is_no_data_not_zero(world, coordinator):
    assert set(values(coordinator, year_from=2011, year_to=2011).values()) == {None}


def test_targets_and_trend(world, coordinator):
    data = figures(coordinator, year_from=2009, year_to=2009)
    milk = data["milk_litres"]
    assert milk.target == D("2200000")
    trend = {year: (actual, target) for year, actual, target in milk.trend}
    assert trend[2009] == (D("2700.0"), D("2200000"))
    assert trend[2010] == (D("700.0"), D("2500000"))
    assert trend[2008] == (None, D("1900000"))
    # A ratio's target over a period is the last year's, a count's is the sum.
    period = figures(coordinator, year_from=2009, year_to=2010)
    assert period["women_share"].target == D("35")
    assert period["milk_litres"].target == D("4700000")
    # Targets are for the whole project: none shown for one province.
    assert figures(coordinator, province="0807")["milk_litres"].target is None


def test_refresh_follows_changes(world, coordinator):
    from kallpanchis.dashboard.services import facts_refresh
    from tests.dashboard.factories import production

    production(world["b"], 2009, 5, milk=300, sold=0, channel="middleman")
    assert values(coordinator, year_from=2009, year_to=2009)["milk_litres"] == D("2700.00")  # precomputed
    facts_refresh()
    assert values(coordinator, year_from=2009, year_to=2009)["milk_litres"] == D("3000.00")
    world["b"].production_records.all().delete()
    facts_refresh()
    assert values(coordinator, year_from=2009, year_to=2009)["milk_litres"] == D("2200.00")


def test_the_trends_kept_with_a_place_s_facts_stay_bounded_and_right(world, coordinator, monkeypatch):
    """Each period asked keeps its trends beside the place's facts; past the bound they are dropped, not
    piled up, and a period asked again gets the same trends as the first time."""
    from kallpanchis.dashboard import selectors

    monkeypatch.setattr(selectors, "TRENDS_KEPT", 30)
    first = {code: f.trend for code, f in figures(coordinator, year_from=2009, year_to=2009).items()}
    for year_from in range(2001, 2010):
        for year_to in range(year_from, 2012):
            figures(coordinator, year_from=year_from, year_to=year_to)
            trends = selectors._indicators_and_facts(coordinator, Filters())[3]
            assert len(trends) <= 30
    again = {code: f.trend for code, f in figures(coordinator, year_from=2009, year_to=2009).items()}
    assert again == first
    assert any(value is not None for trend in first.values() for _year, value, _target in trend)
