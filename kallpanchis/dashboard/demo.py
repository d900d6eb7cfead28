"""The project's indicators with baselines and yearly targets (2008-2010 and the current years), then a first
rebuild of the figures. Names and explanations are English message ids shown translated (gettext_noop)."""

from decimal import Decimal as D

from django.utils import timezone
from django.utils.translation import gettext_noop

from .models import Disaggregation as G
from .models import ExpectedResult as R
from .services import facts_refresh, indicator_ensure

PLACE = [G.PROVINCE, G.DISTRICT]

INDICATORS = [
    # code, result, name, unit, computation, disaggregations, baseline (2008), targets 2008-2010, yearly now
    (
        "milk_litres",
        R.PRODUCTION,
        gettext_noop("Milk produced"),
        gettext_noop("litres"),
        gettext_noop("Sum of the milk produced recorded by the associations month by month, in the year."),
        [*PLACE, G.LINE],
        D("1800000"),
        (D("1900000"), D("2200000"), D("2500000")),
        D("2600000"),
    ),
    (
        "cheese_kg",
        R.PRODUCTION,
        gettext_noop("Cheese produced"),
        gettext_noop("kg"),
        gettext_noop("Sum of the cheese produced recorded by the associations month by month, in the year."),
        [*PLACE, G.LINE],
        D("60000"),
        (D("65000"), D("80000"), D("95000")),
        D("100000"),
    ),
    (
        "short_circuit_share",
        R.MARKETS,
        gettext_noop("Milk sold through short circuits"),
        gettext_noop("% of milk sold"),
        gettext_noop(
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
        gettext_noop("Average price of milk"),
        gettext_noop("S/ per litre"),
        gettext_noop(
            "Money from fresh milk sold (price × litres) divided by the litres sold, in months with a price."
        ),
        [*PLACE, G.LINE],
        D("0.80"),
        (D("0.85"), D("0.95"), D("1.05")),
        D("1.40"),
    ),
    (
        "plans_on_time",
        R.MARKETS,
        gettext_noop("Associations with an approved plan on time"),
        gettext_noop("associations"),
        gettext_noop(
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
        gettext_noop("Meetings held per space"),
        gettext_noop("meetings per space"),
        gettext_noop(
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
        gettext_noop("Attendance at meetings"),
        gettext_noop("people"),
        gettext_noop("People on the attendance lists of meetings held in the year, counted by gender."),
        [*PLACE, G.LINE, G.GENDER],
        D("500"),
        (D("1200"), D("2500"), D("3500")),
        D("4000"),
    ),
    (
        "women_share",
        R.MUNICIPAL,
        gettext_noop("Share of women among attendees"),
        gettext_noop("%"),
        gettext_noop("Women on the attendance lists of meetings held, divided by everyone on them, × 100."),
        [*PLACE, G.LINE],
        D("20"),
        (D("25"), D("30"), D("35")),
        D("40"),
    ),
    (
        "agreements_on_time",
        R.MUNICIPAL,
        gettext_noop("Agreements done on time"),
        gettext_noop("% of agreements due"),
        gettext_noop(
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
        gettext_noop("Participatory budget allocated to productive projects"),
        gettext_noop("S/"),
        gettext_noop(
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
        gettext_noop("Share of the participatory-budget envelope for productive projects"),
        gettext_noop("% of the envelope"),
        gettext_noop(
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
        gettext_noop("Municipal technicians trained"),
        gettext_noop("people"),
        gettext_noop(
            "People who completed at least one training of the technicians' network in the year, by gender."
        ),
        [*PLACE, G.GENDER],
        D("0"),
        (D("30"), D("60"), D("80")),
        D("60"),
    ),
    # Reach, counted once (kallpanchis/people/reach.py): people of the register, whatever the number of
    # activities. A period of several years adds each year's figure (someone reached in two years counts in
    # each); the first screen's headline is one year.
    (
        "reach_people",
        R.MUNICIPAL,
        gettext_noop("People reached, each counted once"),
        gettext_noop("people"),
        gettext_noop(
            "People of the register (with their consent) who took part in the year in a meeting, a training "
            "or a budget workshop, each counted once whatever the number of activities; by their district "
            "and gender. Names written on a list without consent are not counted here."
        ),
        [*PLACE, G.LINE, G.GENDER],
        D("0"),
        (D("800"), D("1800"), D("2500")),
        D("2500"),
    ),
    (
        "reach_families",
        R.MUNICIPAL,
        gettext_noop("Families reached"),
        gettext_noop("families"),
        gettext_noop(
            "Families (households of the register) with at least one member who took part in the year, each "
            "counted once, by the family's district."
        ),
        [*PLACE, G.LINE],
        D("0"),
        (D("600"), D("1500"), D("2200")),
        D("2200"),
    ),
    (
        "reach_women_share",
        R.MUNICIPAL,
        gettext_noop("Women among the people reached"),
        gettext_noop("%"),
        gettext_noop(
            "Women among the people reached (each counted once), × 100; compare with the women's share of "
            "the attendance rows, where the same woman counts at every meeting."
        ),
        [*PLACE, G.LINE],
        D("20"),
        (D("30"), D("35"), D("40")),
        D("45"),
    ),
    (
        "reach_repeat",
        R.MUNICIPAL,
        gettext_noop("People who took part three times or more"),
        gettext_noop("people"),
        gettext_noop(
            "People of the register with three participations or more in the year (meetings, trainings, "
            "budget workshops; in the line, for one line), by gender."
        ),
        [*PLACE, G.LINE, G.GENDER],
        D("0"),
        (D("200"), D("500"), D("800")),
        D("800"),
    ),
    (
        "members_per_association",
        R.PRODUCTION,
        gettext_noop("Members per association"),
        gettext_noop("members per association"),
        gettext_noop(
            "Members on the associations' lists at the end of the year divided by the associations that have "
            "members, by gender; the number of families each association declares is shown apart, as "
            "declared."
        ),
        [*PLACE, G.LINE, G.GENDER],
        D("12"),
        (D("14"), D("15"), D("16")),
        D("16"),
    ),
]


def seed(stdout) -> None:
    indicators_ensure()
    refresh = facts_refresh()
    stdout.write(f"Dashboard: {len(INDICATORS)} indicators, {refresh.facts} figures computed.")


def indicators_ensure() -> None:
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
