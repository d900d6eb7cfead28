"""Indicators, targets and reports for the results tests, made through the services."""

import datetime
from decimal import Decimal

from results import services
from results.models import ExpectedResult

YEAR = 2026


def result_1() -> ExpectedResult:
    return ExpectedResult.objects.get_or_create(number=1, defaults={"title": "Producción segura"})[0]


def indicator(coordinator, code="pastos", **fields):
    defaults = {
        "result": result_1(),
        "code": code,
        "name": "Pasto mejorado",
        "unit": "ha",
        "decimals": 1,
        "frequency": "semester",
        "disaggregations": ["gender"],
        "time_aggregation": "sum",
        "place_aggregation": "sum",
    }
    return services.indicator_create(by=coordinator, **{**defaults, **fields})


def assign(coordinator, indicator, municipality, *, target="300", year=YEAR, association=None):
    services.indicator_municipality_set(
        by=coordinator,
        indicator=indicator,
        municipality=municipality,
        year=year,
        value=Decimal(target) if target is not None else None,
        association=association,
    )
    return services.periods_ensure(frequency=indicator.frequency, year=year)


def approved(coordinator, reporter, indicator, municipality, period, value, **kwargs):
    report = services.report_submit(
        by=reporter,
        indicator=indicator,
        municipality=municipality,
        period=period,
        value=Decimal(value),
        **kwargs,
    )
    return services.report_approve(by=coordinator, report=report)


def day(year=YEAR, month=12, d=31):
    return datetime.date(year, month, d)
