"""This app's figures for the coordinators' dashboard (kallpanchis.core.indicators): milk and cheese
produced, short circuits, price, plans approved on time."""

from django.db.models import Count, DecimalField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
from django.db.models.functions import ExtractYear, TruncDate

from kallpanchis.core.indicators import aggregate, formula, hook, measure

from .models import OperatingPlan, PlanDeadline, ProductionRecord, ProductiveLine, SalesChannel

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
    """Associations whose plan for the year was approved and first submitted by the year's deadline (when
    no deadline was set for that year, an approved plan counts as on time)."""
    deadlines = PlanDeadline.objects.filter(year=OuterRef("year"))
    on_time = Exists(deadlines.filter(due_on__gte=OuterRef("submitted_on"))) | ~Exists(deadlines)
    plans = OperatingPlan.objects.filter(status=OperatingPlan.Status.APPROVED, submitted_at__isnull=False)
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
