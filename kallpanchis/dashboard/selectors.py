"""Everything the dashboard pages, exports and the donor report read: a handful of queries on the
precomputed facts, whatever the size of the data (the number of queries does not grow with it)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from urllib.parse import urlencode

from django.db.models import Q, Sum
from django.http import Http404
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from kallpanchis.accounts.access import access_for
from kallpanchis.core import caching
from kallpanchis.core import indicators as registry

from .models import ALL, Disaggregation, ExpectedResult, Fact, Indicator, Refresh

GENDERS = ("female", "male", "unstated")


@dataclass(frozen=True)
class Filters:
    province: str = ""
    district: str = ""
    line: str = ""
    year_from: int | None = None
    year_to: int | None = None

    @property
    def territorial(self) -> bool:
        return bool(self.province or self.district or self.line)

    def years(self, axis: list[int]) -> list[int]:
        first = self.year_from or (axis[0] if axis else None)
        last = self.year_to or (axis[-1] if axis else None)
        return [y for y in axis if (first is None or y >= first) and (last is None or y <= last)]

    def query(self, **extra) -> str:
        params = {
            "province": self.province,
            "district": self.district,
            "line": self.line,
            "year_from": self.year_from or "",
            "year_to": self.year_to or "",
            **extra,
        }
        return urlencode({k: v for k, v in params.items() if v not in ("", None)})


def dashboard_allowed(user) -> bool:
    """Coordinators, partner staff and consortium-wide viewers see everything; municipal staff (and viewers
    of a municipality) see their municipality's territory; everyone else (leaders…) gets a 404."""
    access = access_for(user)
    return access.consortium_wide or bool(access.municipality_organisations)


def _split(name: str) -> tuple[str, str]:
    measure, _, gender = name.partition(":")
    return measure, gender or ALL


def _facts(user, filters: Filters, measures: set[str], *, rollup: bool = True):
    """The facts for these filters and this person's scope. With `rollup`, the pre-added rows are used where
    they fit (whole project: province = district = "*"; a whole province: district = "*"), so the dashboard
    adds up a few hundred rows whatever the number of places; without, the rows of each place (map,
    drill-down)."""
    if not dashboard_allowed(user):
        raise Http404
    qs = Fact.objects.filter(measure__in=measures, line=filters.line or ALL)
    scope = registry.scope_for(user)
    whole_provinces = None if scope is None else scope[0]
    places = qs.exclude(province=ALL).exclude(district=ALL)
    if filters.district:
        qs = places.filter(district=filters.district)
    elif filters.province:
        if rollup and (whole_provinces is None or filters.province in whole_provinces):
            return qs.filter(province=filters.province, district=ALL)
        qs = places.filter(province=filters.province)
    elif rollup and scope is None:
        return qs.filter(province=ALL, district=ALL)
    elif rollup:
        provinces, districts = scope
        inside = ~Q(province__in=provinces)  # districts of the scope not already in a whole province
        return qs.filter(
            Q(province__in=provinces, district=ALL) | (Q(district__in=districts) & inside)
        ).exclude(province=ALL)
    else:
        qs = places
    if scope is not None:
        provinces, districts = scope
        qs = qs.filter(Q(province__in=provinces) | Q(district__in=districts))
    return qs


@dataclass
class Figure:
    indicator: Indicator
    formula: registry.Formula
    applies: bool
    actual: Decimal | None
    target: Decimal | None
    trend: list[tuple[int, Decimal | None, Decimal | None]]  # (year, actual, target)
    by_gender: list[tuple[str, Decimal | None]] = field(default_factory=list)
    drilldown_url: str | None = None

    @property
    def progress_pct(self) -> Decimal | None:
        if self.actual is None or not self.target:
            return None
        return (self.actual * 100 / self.target).quantize(Decimal("1"))

    @property
    def on_track(self) -> bool | None:
        if self.actual is None or self.target is None:
            return None
        ok = self.actual >= self.target if self.indicator.higher_is_better else self.actual <= self.target
        return ok


def _drilldown(formula: registry.Formula, filters: Filters) -> str | None:
    if not formula.drilldown:
        return None
    url = _page(formula.drilldown, get_urlconf(), get_script_prefix())
    if url is None:
        return None
    params = {
        theirs: getattr(filters, ours)
        for ours, theirs in formula.drilldown_params.items()
        if getattr(filters, ours)
    }
    return f"{url}?{urlencode(params)}" if params else url


@lru_cache(maxsize=64)
def _page(name: str, urlconf, prefix: str) -> str | None:
    """The address of the page `name` for this URLconf and prefix, once per process; None when its app has
    not published it (yet)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _value(formula, table, years, gender=ALL):
    def total(name):
        measure, fixed = _split(name)
        by_year = table.get((measure, fixed if fixed != ALL else gender), {})
        found = [by_year.get(y) for y in years]
        found = [v for v in found if v is not None]
        return sum(found, Decimal(0)) if found else None

    numerator = total(formula.numerator)
    denominator = total(formula.denominator) if formula.denominator else None
    if formula.denominator and numerator is None and denominator:
        numerator = Decimal(0)
    return formula.value(numerator, denominator)


def _target(indicator: Indicator, formula, years: list[int]) -> Decimal | None:
    targets = {t.year: t.value for t in indicator.targets.all()}
    if not years:
        return None
    if formula.is_ratio:  # a share or an average: the target of the last year of the period
        return targets.get(years[-1])
    found = [targets[y] for y in years if y in targets]
    return sum(found, Decimal(0)) if found else None


TRENDS_KEPT = 2000  # trends kept with one place's facts (about 20 per period asked)


def dashboard_figures(*, user, filters: Filters) -> dict:
    """Every indicator as actual vs target for the period, its yearly trend and its gender split. From the
    indicators, their targets and the facts of this place and line (`_indicators_and_facts`: three queries,
    kept in the process until the next write), and the last refresh (kept too)."""
    indicators, table, fact_years, trends = _indicators_and_facts(user, filters)
    formulas = {i.code: registry.FORMULAS[i.code] for i in indicators}
    # The years shown: those the targets cover (the project's years), widened to the chosen period; with no
    # target at all, the years that have figures.
    known = {t.year for i in indicators for t in i.targets.all()} or fact_years
    known |= {y for y in (filters.year_from, filters.year_to) if y}
    axis = list(range(min(known), max(known) + 1)) if known else []
    years = filters.years(axis)
    figures = []
    for indicator in indicators:
        formula = formulas[indicator.code]
        applies = not (filters.line and not indicator.disaggregated_by(Disaggregation.LINE))
        if filters.district and not indicator.disaggregated_by(Disaggregation.DISTRICT):
            applies = False
        show_target = not filters.territorial and access_for(user).consortium_wide
        # The same for every period of this place whose years the axis already spans: kept with its facts.
        asked = (indicator.code, tuple(axis), applies, show_target)
        trend = trends.get(asked)
        if trend is None:
            if len(trends) >= TRENDS_KEPT:  # a bound on memory: the periods asked of one place are few
                trends.clear()
            trend = trends[asked] = [
                (
                    y,
                    _value(formula, table, [y]) if applies else None,
                    _target(indicator, formula, [y]) if show_target else None,
                )
                for y in axis
            ]
        by_gender = []
        if applies and indicator.disaggregated_by(Disaggregation.GENDER):
            by_gender = [(g, _value(formula, table, years, gender=g)) for g in GENDERS]
        figures.append(
            Figure(
                indicator=indicator,
                formula=formula,
                applies=applies,
                actual=_value(formula, table, years) if applies else None,
                target=_target(indicator, formula, years) if show_target else None,
                trend=trend,
                by_gender=by_gender,
                drilldown_url=_drilldown(formula, filters),
            )
        )
    results = [
        (choice, label, [f for f in figures if f.indicator.result == choice])
        for choice, label in ExpectedResult.choices
    ]
    return {
        "figures": figures,
        "results": results,
        "years": years,
        "axis": axis,
        "refreshed": refresh_latest(),
        "reach": reach_headline(table, filters.year_to or timezone.localdate().year),
    }


def _indicators_and_facts(user, filters: Filters):
    """The indicators (their targets read) and the facts they need for this place and line in this person's
    scope, added up by measure, gender and year: {(measure, gender): {year: value}}. Every year is read (the
    years shown are chosen after), so that a new period for the same place is computed from what is kept:
    in the process, until the next write (a refresh of the facts is one), with the trends computed from
    them as periods are asked."""

    def compute():
        indicators = list(Indicator.objects.filter(code__in=registry.FORMULAS).prefetch_related("targets"))
        formulas = [registry.FORMULAS[i.code] for i in indicators]
        measures = {_split(m)[0] for f in formulas for m in f.measures} | set(HEADLINE_MEASURES)
        table: dict[tuple[str, str], dict[int, Decimal]] = defaultdict(dict)
        fact_years: set[int] = set()
        rows = _facts(user, filters, measures).values("measure", "gender", "year").order_by()
        for row in rows.annotate(v=Sum("value")):
            table[(row["measure"], row["gender"])][row["year"]] = row["v"]
            fact_years.add(row["year"])
        # the last: each indicator's trend by year, filled in as periods are asked (dashboard_figures)
        return indicators, dict(table), fact_years, {}

    if not dashboard_allowed(user):
        raise Http404
    place = (filters.line, filters.province, filters.district)
    return caching.kept_here("dashboard:facts", user=user, groups=(caching.ALL,), compute=compute, key=place)


# What the first screen answers: how many people (women) and families were reached in the year, each once.
HEADLINE_MEASURES = ("reach_people", "reach_families", "attendance")


def reach_headline(table, year: int) -> dict:
    """People and families reached in `year` (the period's last year, or this year), women among the people,
    and the women's share of unique participants beside their share of attendance rows. From the facts
    already read for the figures: no query of its own."""

    def get(measure, gender=ALL):
        return table.get((measure, gender), {}).get(year)

    def share(part, whole):
        return None if not whole else (Decimal(part or 0) * 100 / whole).quantize(Decimal("1"))

    people, women = get("reach_people"), get("reach_people", "female")
    return {
        "year": year,
        "people": people,
        "women": women if people is not None else None,
        "families": get("reach_families"),
        "women_share": share(women, people),
        "attendance_women_share": share(get("attendance", "female"), get("attendance")),
    }


def refresh_latest() -> Refresh | None:
    """The last refresh of the facts, kept in the process until the next write (a refresh is one)."""
    return caching.kept_here(  # None (never refreshed) is not kept: asked again until the first refresh
        "dashboard:refresh",
        user=None,
        groups=(caching.ALL,),
        compute=lambda: Refresh.objects.order_by("-finished_at").first(),
    )


def figures_cache_key(*, user, filters: Filters, refresh: Refresh | None) -> str:
    """Same facts, filters, scope and language → same figures block."""
    import hashlib

    from django.utils.translation import get_language

    scope = registry.scope_for(user)
    who = "all" if scope is None else ",".join(sorted(scope[0])) + "|" + ",".join(sorted(scope[1]))
    raw = f"{refresh.pk if refresh else 0}|{get_language()}|{filters.query()}|{who}"
    return "dashboard:figures:" + hashlib.sha256(raw.encode()).hexdigest()


def indicator_get(*, code: str) -> Indicator:
    indicator = (
        Indicator.objects.filter(code=code, code__in=registry.FORMULAS).prefetch_related("targets").first()
    )
    if indicator is None:
        raise Http404
    return indicator


def indicator_by_place(
    *, user, filters: Filters, indicator: Indicator, years: list[int] | None = None
) -> dict:
    """The indicator for the period, district by district (what the map shades) and province by province.
    One query on the facts."""
    formula = registry.FORMULAS[indicator.code]
    measures = {_split(m)[0] for m in formula.measures}
    qs = _facts(user, filters, measures, rollup=False)
    if years is not None:
        qs = qs.filter(year__in=years)
    elif filters.year_from or filters.year_to:
        qs = qs.filter(year__gte=filters.year_from or 0, year__lte=filters.year_to or 9999)
    by_district: dict[str, dict] = defaultdict(lambda: defaultdict(dict))
    by_province: dict[str, dict] = defaultdict(lambda: defaultdict(dict))
    for row in qs.values("measure", "gender", "province", "district").order_by().annotate(v=Sum("value")):
        key = (row["measure"], row["gender"])
        if row["district"]:
            by_district[row["district"]][key][0] = row["v"]
        prov = by_province[row["province"]][key]
        prov[0] = prov.get(0, Decimal(0)) + row["v"]
    applies = not (filters.line and not indicator.disaggregated_by(Disaggregation.LINE))
    districts = {d: _value(formula, t, [0]) for d, t in by_district.items()} if applies else {}
    provinces = {p: _value(formula, t, [0]) for p, t in by_province.items()} if applies else {}
    return {"districts": districts, "provinces": provinces, "applies": applies}


def indicator_by_year_and_place(*, user, filters: Filters, indicator: Indicator) -> list[dict]:
    """The drill-down table: one row per year and province/district, with numerator and denominator."""
    formula = registry.FORMULAS[indicator.code]
    measures = {_split(m)[0] for m in formula.measures}
    cells: dict[tuple, dict] = defaultdict(lambda: defaultdict(dict))
    qs = _facts(user, filters, measures, rollup=False)
    if filters.year_from or filters.year_to:
        qs = qs.filter(year__gte=filters.year_from or 0, year__lte=filters.year_to or 9999)
    for row in (
        qs.values("measure", "gender", "year", "province", "district").order_by().annotate(v=Sum("value"))
    ):
        cells[(row["year"], row["province"], row["district"])][(row["measure"], row["gender"])][0] = row["v"]
    rows = []
    for (year, province, district), table in sorted(cells.items()):
        numerator = table[_split(formula.numerator)].get(0)
        denominator = table[_split(formula.denominator)].get(0) if formula.denominator else None
        if numerator is None and denominator:
            numerator = Decimal(0)
        rows.append(
            {
                "year": year,
                "province": province,
                "district": district,
                "numerator": numerator,
                "denominator": denominator,
                "value": _value(formula, table, [0]),
            }
        )
    return rows


def today_year() -> int:
    return timezone.localdate().year
