"""This app's figures for the coordinators' dashboard (kallpanchis.core.indicators): milk and cheese
produced, short circuits, price, plans validated on time."""

from collections import defaultdict

from django.db.models import Count, DecimalField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import ExtractYear, TruncDate
from django.utils import timezone

from kallpanchis.core.indicators import ALL, aggregate, formula, hook, measure
from kallpanchis.core.models import Gender

from .models import (
    Member,
    OperatingPlan,
    PlanDeadline,
    ProducerAssociation,
    ProductionRecord,
    ProductiveLine,
    SalesChannel,
)

# Short circuits: the association sells to the consumer, at its own stall or at a fair.
SHORT_CIRCUITS = (SalesChannel.DIRECT, SalesChannel.FAIR)


def _lines(prefix: str) -> dict[str, Q]:
    """An association works in several lines: its records count in each of them."""
    return {line: Q(**{f"{prefix}productive_lines__has": line}) for line in ProductiveLine.values}


def _production(queryset, value):
    return aggregate(
        queryset,
        value=value,
        year=ExtractYear("month"),
        province=F("association__district__province__code"),
        district=F("association__district__ubigeo"),
        lines=_lines("association__"),
    )


@measure("milk_l")
def milk_l():
    return _production(ProductionRecord.objects.all(), Sum("milk_produced_l"))


@measure("cheese_kg")
def cheese_kg():
    return _production(ProductionRecord.objects.all(), Sum("cheese_produced_kg"))


@measure("milk_sold_l")
def milk_sold_l():
    return _production(ProductionRecord.objects.all(), Sum("milk_sold_l"))


@measure("milk_sold_short_l")
def milk_sold_short_l():
    """Fresh milk sold in months whose main channel was a short circuit (direct sale or fair)."""
    return _production(ProductionRecord.objects.filter(channel__in=SHORT_CIRCUITS), Sum("milk_sold_l"))


@measure("milk_sold_priced_l")
def milk_sold_priced_l():
    return _production(ProductionRecord.objects.filter(milk_price__isnull=False), Sum("milk_sold_l"))


@measure("milk_sales_soles")
def milk_sales_soles():
    value = ExpressionWrapper(
        F("milk_price") * F("milk_sold_l"), output_field=DecimalField(max_digits=20, decimal_places=3)
    )
    return _production(ProductionRecord.objects.filter(milk_price__isnull=False), Sum(value))


@measure("plans_on_time")
def plans_on_time():
    """Associations whose plan for the year was validated and first submitted by the year's deadline (when
    no deadline was set for that year, a validated plan counts as on time)."""
    deadlines = PlanDeadline.objects.filter(year=OuterRef("year"))
    on_time = Exists(deadlines.filter(due_on__gte=OuterRef("submitted_on"))) | ~Exists(deadlines)
    plans = OperatingPlan.objects.filter(status=OperatingPlan.Status.VALIDATED, submitted_at__isnull=False)
    return aggregate(
        plans.annotate(submitted_on=TruncDate("submitted_at")).filter(on_time),
        value=Count("association_id", distinct=True),
        year=F("year"),
        province=F("association__district__province__code"),
        district=F("association__district__ubigeo"),
        lines=_lines("association__"),
    )


formula("milk_litres", numerator="milk_l", drilldown="producers:association_list")
formula("cheese_kg", numerator="cheese_kg", drilldown="producers:association_list")
formula(
    "short_circuit_share",
    numerator="milk_sold_short_l",
    denominator="milk_sold_l",
    factor=100,
    drilldown="producers:association_list",
)
formula(
    "milk_price",
    numerator="milk_sales_soles",
    denominator="milk_sold_priced_l",
    drilldown="producers:association_list",
)
formula("plans_on_time", numerator="plans_on_time", drilldown="producers:plan_list")


@hook("lines")
def lines():
    return list(ProductiveLine.choices)


# --- members per association, by gender (counted from the members' list, beside the declared `families`) ---


def _cumulated(rows: list[dict], genders=None) -> list[dict]:
    """Yearly counts of what started in each year → what there is at the end of each year, from the first
    year to this one (members are a stock: a year's figure is everyone recorded by then)."""
    this_year = timezone.localdate().year
    by_key: dict[tuple, dict[int, int]] = defaultdict(dict)
    for row in rows:
        key = (row["province"], row["district"], row["line"], row["gender"])
        by_key[key][int(row["year"])] = by_key[key].get(int(row["year"]), 0) + row["value"]
    out = []
    for (province, district, line, gender), years in by_key.items():
        running = 0
        for year in range(min(years), max(this_year, max(years)) + 1):
            running += years.get(year, 0)
            for each in genders or [gender]:
                out.append(
                    {
                        "year": year,
                        "province": province,
                        "district": district,
                        "line": line,
                        "gender": each,
                        "value": running,
                    }
                )
    return out


@measure("association_members")
def association_members():
    """Members on the associations' lists at the end of each year, by gender, the association's place and
    lines."""
    rows = aggregate(
        Member.objects.all(),
        value=Count("pk"),
        year=ExtractYear("created_at"),
        province=F("association__district__province__code"),
        district=F("association__district__ubigeo"),
        lines=_lines("association__"),
        gender=F("gender"),
    )
    return _cumulated(rows)


@measure("associations_with_members")
def associations_with_members():
    """Associations with at least one member on their list at the end of each year; the same figure under
    every gender, so that "members per association" can be read for women and for men."""
    first = Member.objects.filter(association=OuterRef("pk")).order_by("created_at").values("created_at")[:1]
    rows = aggregate(
        ProducerAssociation.objects.annotate(first_member=Subquery(first)).filter(first_member__isnull=False),
        value=Count("pk"),
        year=ExtractYear("first_member"),
        province=F("district__province__code"),
        district=F("district__ubigeo"),
        lines=_lines(""),
    )
    return _cumulated(rows, genders=[ALL, *Gender.values])


formula(
    "members_per_association",
    numerator="association_members",
    denominator="associations_with_members",
    drilldown="producers:association_list",
)
