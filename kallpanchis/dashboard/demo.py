"""The project's indicators with baselines and yearly targets (2008-2010 and the current years), then a first
rebuild of the figures. Names and explanations are English message ids shown translated (gettext_noop)."""

from decimal import Decimal as D

from django.utils import timezone
from django.utils.translation import gettext_noop as N

from .models import Disaggregation as G
from .models import ExpectedResult as R
from .services import facts_refresh, indicator_ensure

PLACE = [G.PROVINCE, G.DISTRICT]

INDICATORS = [
    # code, result, name, unit, computation, disaggregations, baseline (2008), targets 2008-2010, yearly now
    (
        "milk_litres",
        R.PRODUCTION,
        N("Milk produced"),
        N("litres"),
        N("Sum of the milk produced recorded by the associations month by month, in the year."),
        [*PLACE, G.LINE],
        D("1800000"),
        (D("1900000"), D("2200000"), D("2500000")),
        D("2600000"),
    ),
    (
        "cheese_kg",
        R.PRODUCTION,
        N("Cheese produced"),
        N("kg"),
        N("Sum of the cheese produced recorded by the associations month by month, in the year."),
        [*PLACE, G.LINE],
        D("60000"),
        (D("65000"), D("80000"), D("95000")),
        D("100000"),
    ),
    (
        "short_circuit_share",
        R.MARKETS,
        N("Milk sold through short circuits"),
        N("% of milk sold"),
        N(
            "Fresh milk sold in months whose main channel was direct sale or a fair, divided by all "
            "fresh milk sold, × 100."
        ),
        [*PLACE, G.LINE],
        D("10"),
        (D("15"), D("25"), D("35")),
        D("40"),
    ),
    (
        "milk_price",
        R.MARKETS,
        N("Average price of milk"),
        N("S/ per litre"),
        N("Money from fresh milk sold (price × litres) divided by the litres sold, in months with a price."),
        [*PLACE, G.LINE],
        D("0.80"),
        (D("0.85"), D("0.95"), D("1.05")),
        D("1.40"),
    ),
    (
        "plans_on_time",
        R.MARKETS,
        N("Associations with an approved plan on time"),
        N("associations"),
        N(
            "Associations whose annual operating plan for the year was approved and first submitted by the "
            "year's deadline (with no deadline set, an approved plan counts)."
        ),
        [*PLACE, G.LINE],
        D("0"),
        (D("40"), D("100"), D("150")),
        D("180"),
    ),
    (
        "meetings_per_space",
        R.MUNICIPAL,
        N("Meetings held per space"),
        N("meetings per space"),
        N(
            "Meetings logged as held in the year, divided by the spaces that had at least one meeting "
            "(not cancelled) in the year."
        ),
        [*PLACE, G.LINE],
        D("2"),
        (D("4"), D("6"), D("6")),
        D("6"),
    ),
    (
        "attendance",
        R.MUNICIPAL,
        N("Attendance at meetings"),
        N("people"),
        N("People on the attendance lists of meetings held in the year, counted by gender."),
        [*PLACE, G.LINE, G.GENDER],
        D("500"),
        (D("1200"), D("2500"), D("3500")),
        D("4000"),
    ),
    (
        "women_share",
        R.MUNICIPAL,
        N("Share of women among attendees"),
        N("%"),
        N("Women on the attendance lists of meetings held, divided by everyone on them, × 100."),
        [*PLACE, G.LINE],
        D("20"),
        (D("25"), D("30"), D("35")),
        D("40"),
    ),
    (
        "agreements_on_time",
        R.MUNICIPAL,
        N("Agreements done on time"),
        N("% of agreements due"),
        N(
            "Agreements done on or before their due date, divided by the agreements due in the year (those "
            "dropped are left out), × 100."
        ),
        [*PLACE, G.LINE],
        D("30"),
        (D("40"), D("55"), D("70")),
        D("75"),
    ),
    (
        "pb_productive_allocated",
        R.MUNICIPAL,
        N("Participatory budget allocated to productive projects"),
        N("S/"),
        N(
            "Money allocated to the prioritised projects of producer organisations in the cycles of the "
            "fiscal year."
        ),
        PLACE,
        D("150000"),
        (D("300000"), D("600000"), D("900000")),
        D("1200000"),
    ),
    (
        "pb_productive_share",
        R.MUNICIPAL,
        N("Share of the participatory-budget envelope for productive projects"),
        N("% of the envelope"),
        N(
            "Money allocated to producer organisations' projects divided by the envelopes of the cycles "
            "of the fiscal year, × 100."
        ),
        PLACE,
        D("5"),
        (D("8"), D("12"), D("15")),
        D("20"),
    ),
    (
        "technicians_trained",
        R.MUNICIPAL,
        N("Municipal technicians trained"),
        N("people"),
        N("People who completed at least one training of the technicians' network in the year, by gender."),
        [*PLACE, G.GENDER],
        D("0"),
        (D("30"), D("60"), D("80")),
        D("60"),
    ),
]


def seed(stdout) -> None:
    now = timezone.localdate().year
    for position, (code, result, name, unit, computation, disagg, baseline, early, current) in enumerate(
        INDICATORS
    ):
        targets = dict(zip((2008, 2009, 2010), early, strict=True))
        targets.update({year: current for year in (now - 1, now, now + 1)})
        indicator_ensure(
            code=code,
            result=result,
            position=position,
            name=name,
            unit=unit,
            computation=computation,
            disaggregations=[str(d) for d in disagg],
            baseline=baseline,
            baseline_year=2008,
            targets=targets,
        )
    refresh = facts_refresh()
    stdout.write(f"Dashboard: {len(INDICATORS)} indicators, {refresh.facts} figures computed.")
