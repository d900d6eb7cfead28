"""The indicator registry: where domain apps plug their figures in without the dashboard importing them,
and without them importing the dashboard (it lives in the base, below every app).

Each domain app has an `indicators.py`, found by `autodiscover()` (called from the dashboard's
AppConfig.ready), that registers:

- measures: `@measure("milk_l")` on a function returning aggregated rows (see `aggregate`), computed in
  the database and stored as the dashboard's `Fact` rows by its facts_refresh;
- formulas: `formula("milk_litres", numerator="milk_l", denominator=None, factor=1)` — an indicator's value
  is numerator / denominator × factor, both summed over the chosen filters first;
- drill-down: the URL name of the records behind an indicator, with the query parameters it understands;
- the territory (province and district names) and the scope of a person (which places they may see).
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module

from django.apps import apps
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.module_loading import module_has_submodule

logger = logging.getLogger(__name__)

# The value of a dimension (place, line, gender) summed over all its values.
ALL = "*"

MEASURES: dict[str, Callable[[], Iterable[dict]]] = {}
FORMULAS: dict[str, "Formula"] = {}
HOOKS: dict[str, Callable] = {}


@dataclass(frozen=True)
class Formula:
    code: str
    numerator: str
    denominator: str | None = None
    factor: Decimal = Decimal(1)
    # Where the records behind the figure are listed: a URL name and the filters it understands
    # (dashboard filter name -> that page's query parameter).
    drilldown: str | None = None
    drilldown_params: dict[str, str] = field(default_factory=dict)

    @property
    def measures(self) -> tuple[str, ...]:
        return (self.numerator, self.denominator) if self.denominator else (self.numerator,)

    @property
    def is_ratio(self) -> bool:
        return self.denominator is not None

    def value(self, numerator, denominator) -> Decimal | None:
        """None when there is nothing to divide by (an empty period is not a zero)."""
        if not self.denominator:
            return None if numerator is None else Decimal(numerator) * self.factor
        if not denominator:
            return None
        return Decimal(numerator or 0) * self.factor / Decimal(denominator)


def measure(name: str):
    def decorator(function):
        MEASURES[name] = function
        return function

    return decorator


def formula(code: str, **kwargs) -> Formula:
    FORMULAS[code] = Formula(code=code, **kwargs)
    return FORMULAS[code]


def hook(name: str):
    """`territory` → {"provinces": [(code, name)], "districts": [(ubigeo, name, province_code)]};
    `scope(user)` → None for everything, else (province codes seen whole, district ubigeos)."""

    def decorator(function):
        HOOKS[name] = function
        return function

    return decorator


def aggregate(
    queryset,
    *,
    value,
    year,
    province,
    district,
    lines: dict[str, Q] | None = None,
    line=None,
    gender=None,
) -> list[dict]:
    """Rows {year, province, district, line, gender, value} aggregated by PostgreSQL: totals, by gender,
    by line (either an expression giving one line per record, or {line: Q} when a record may count in
    several lines), and by line and gender. Only the grouped results come back to Python."""
    qs = queryset.annotate(
        _year=year,
        _province=Coalesce(province, Value("")),
        _district=Coalesce(district, Value("")),
    )
    keys = ["_year", "_province", "_district"]
    out: list[dict] = []

    def collect(q, extra: list[str], fixed: dict):
        for row in q.values(*keys, *extra).order_by().annotate(_value=value):
            if row["_value"] is None or row["_year"] is None or row.get("_line", ALL) in ("", None):
                continue
            out.append(
                {
                    "year": row["_year"],
                    "province": row["_province"],
                    "district": row["_district"],
                    "line": row.get("_line", fixed.get("line", ALL)),
                    "gender": row.get("_gender", fixed.get("gender", ALL)),
                    "value": row["_value"],
                }
            )

    collect(qs, [], {})
    if gender is not None:
        qs = qs.annotate(_gender=gender)
        collect(qs, ["_gender"], {})
    if line is not None:
        lined = qs.annotate(_line=line)
        collect(lined, ["_line"], {})
        if gender is not None:
            collect(lined, ["_line", "_gender"], {})
    for name, condition in (lines or {}).items():
        collect(qs.filter(condition), [], {"line": name})
        if gender is not None:
            collect(qs.filter(condition), ["_gender"], {"line": name})
    return out


def territory() -> dict:
    provider = HOOKS.get("territory")
    return provider() if provider else {"provinces": [], "districts": []}


def scope_for(user):
    provider = HOOKS.get("scope")
    return provider(user) if provider else None


def autodiscover() -> None:
    """Import every installed app's `indicators.py`. Like autodiscover_modules("indicators"), except that a
    broken indicators.py costs its indicators (logged, and caught by tests/dashboard/test_registry.py), not
    the whole site."""
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "indicators"):
            try:
                import_module(f"{config.name}.indicators")
            except Exception:
                logger.exception("indicators: %s.indicators could not be loaded", config.name)


def reported(user, filters) -> list[dict]:
    """Indicators that people report rather than the platform computes (the `reported` hook, given by the
    results app): rows {indicator, result, code, name, unit, decimals, actual, target, source} for the
    dashboard's filters (province, district, year_from, year_to) in this person's scope."""
    provider = HOOKS.get("reported")
    return provider(user, filters) if provider else []


def reported_detail(user, filters, code: str) -> dict | None:
    """The drill-down of one reported indicator (the `reported_detail` hook, given by the results app) for
    the dashboard's filters in this person's scope: its approved values period by period and place by place
    against the targets, how they add up, who reported and approved each and the reports behind that this
    person may read. None when no active reported indicator has that code."""
    provider = HOOKS.get("reported_detail")
    return provider(user, filters, code) if provider else None
