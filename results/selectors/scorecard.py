"""The scorecard: approved values against targets per municipality and indicator, cell by cell."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format

from municipalities.models import Municipality

from .. import aggregation
from ..models import PERIODS_PER_YEAR, Indicator, Report, TimeAggregation
from .common import STATUS_LABELS, STATUS_ORDER, municipalities_for_user, scorecard_reader

# --- figures: the scorecard and the dashboard ---


def _where(year_column: str, *, year_from, year_to, municipality_ids, indicator_ids, table: str):
    """The conditions (and their parameters) that keep the reports or targets of these years (`year_column`),
    municipalities and indicators; an empty bound or None keeps all."""
    conditions, params = [], []
    for bound, operator in ((year_from, ">="), (year_to, "<=")):
        if bound:
            conditions.append(f"{year_column} {operator} %s")
            params.append(bound)
    for column, ids in (("municipality_id", municipality_ids), ("indicator_id", indicator_ids)):
        if ids is not None:
            ids = list(ids)
            conditions.append(f'"{table}"."{column}" IN ({", ".join(["%s"] * len(ids)) or "NULL"})')
            params += ids
    return "".join(f" AND {condition}" for condition in conditions), params


def _decimal(value):
    """PostgreSQL gives numerics as Decimals; SQLite (the demo) as numbers of its own."""
    return value if value is None or isinstance(value, Decimal) else Decimal(str(value))


# Written out rather than built by the ORM: building and compiling these two queries cost twice as long as
# running them (1.2 ms each for the one municipality a write changed, at 10×). Each column is named with its
# table, as Django writes it, so that a value kept by what it reads (kallpanchis/core/caching.py) knows which.
_APPROVED = """
SELECT "results_report"."indicator_id", "results_report"."municipality_id", "results_report"."period_id",
       "results_period"."year", "results_period"."number", "results_report"."value", "results_report"."level"
FROM "results_report" INNER JOIN "results_period" ON ("results_report"."period_id" = "results_period"."id")
WHERE "results_report"."state" = %s"""
_TARGETS = """
SELECT "results_target"."indicator_id", "results_target"."municipality_id", "results_target"."year",
       "results_period"."number", "results_target"."value"
FROM "results_target"
LEFT OUTER JOIN "results_period" ON ("results_target"."period_id" = "results_period"."id")
WHERE TRUE"""


def _approved_by_key(
    *, year_from: int | None, year_to: int | None, municipality_ids=None, indicator_ids=None
):
    """{(indicator, municipality, year): [(period number, figure)]} of the latest approved versions."""
    where, params = _where(
        '"results_period"."year"',
        year_from=year_from,
        year_to=year_to,
        municipality_ids=municipality_ids,
        indicator_ids=indicator_ids,
        table="results_report",
    )
    latest: dict[tuple, tuple] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f'{_APPROVED}{where} ORDER BY "results_report"."version"', [Report.State.APPROVED, *params]
        )
        for indicator_id, municipality_id, period_id, year, number, value, level in cursor.fetchall():
            figure = _decimal(value) if value is not None else (Decimal(level) if level is not None else None)
            latest[(indicator_id, municipality_id, period_id)] = (year, number, figure)
    out: dict[tuple, list] = defaultdict(list)
    for (indicator_id, municipality_id, _period), (year, number, figure) in latest.items():
        out[(indicator_id, municipality_id, year)].append((number, figure))
    return out


def _targets_by_key(*, year_from, year_to, municipality_ids=None, indicator_ids=None):
    """{(indicator, municipality, year): target}: the yearly target, else its periods' targets aggregated."""
    where, params = _where(
        '"results_target"."year"',
        year_from=year_from,
        year_to=year_to,
        municipality_ids=municipality_ids,
        indicator_ids=indicator_ids,
        table="results_target",
    )
    yearly: dict[tuple, Decimal] = {}
    by_period: dict[tuple, list] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(_TARGETS + where, params)
        for indicator_id, municipality_id, year, number, value in cursor.fetchall():
            key = (indicator_id, municipality_id, year)
            if number is None:
                yearly[key] = _decimal(value)
            else:
                by_period[key].append((number, _decimal(value)))
    return yearly, by_period


def _yearly_target(indicator, key, yearly, by_period):
    if key in yearly:
        return yearly[key]
    if key in by_period:
        return aggregation.over_time(by_period[key], indicator.time_aggregation)
    return None


BADGES = {
    "on_track": "text-bg-success",
    "at_risk": "text-bg-warning",
    "behind": "text-bg-danger",
    "no_data": "text-bg-light border",
    "no_target": "text-bg-light border",
}


def figure_text(value: Decimal | None, decimals: int) -> str:
    """A figure as the page shows it (the locale's separators), "—" when there is none."""
    return "—" if value is None else number_format(round(value, decimals), decimal_pos=decimals)


@dataclass
class Cell:
    indicator: Indicator
    municipality: Municipality
    actual: Decimal | None
    target: Decimal | None
    expected: Decimal | None
    periods_reported: int
    status: str
    url: str = ""

    @property
    def label(self):
        return STATUS_LABELS[self.status]

    @property
    def badge(self) -> str:
        return BADGES[self.status]

    @property
    def text(self) -> str:
        """ "135 / 300": what a scorecard cell reads (computed here: 2,000 cells are too many for filters)."""
        decimals = self.indicator.decimals
        return f"{figure_text(self.actual, decimals)} / {figure_text(self.target, decimals)}"

    @property
    def progress_pct(self) -> Decimal | None:
        if self.actual is None or not self.target:
            return None
        return (self.actual * 100 / self.target).quantize(Decimal("1"))


@dataclass
class Scorecard:
    year: int
    indicators: list
    rows: list = field(default_factory=list)  # (municipality, [Cell])
    sort: str = ""
    descending: bool = False
    html_rows: str = ""  # the rows' HTML (scorecard_rows.scorecard_table)


def _expected(indicator, target, reported_numbers, year, today) -> Decimal | None:
    """A sum over the year is compared, while the year runs, with the share of the target of the periods
    reported so far (135 ha after the first of two semesters against 300 is 90 %); other rules compare with
    the whole target."""
    if target is None:
        return None
    if indicator.time_aggregation != TimeAggregation.SUM or year < today.year or not reported_numbers:
        return target
    periods = PERIODS_PER_YEAR[indicator.frequency]
    return target * Decimal(max(reported_numbers)) / Decimal(periods)


def cell_for(indicator, municipality, values, target, year, today) -> Cell:
    actual = aggregation.over_time(values, indicator.time_aggregation)
    numbers = [n for n, v in values if v is not None]
    expected = _expected(indicator, target, numbers, year, today)
    return Cell(
        indicator=indicator,
        municipality=municipality,
        actual=actual,
        target=target,
        expected=expected,
        periods_reported=len(numbers),
        status=aggregation.status(actual, expected, higher_is_better=indicator.higher_is_better),
    )


def scorecard_axes(*, user, year: int) -> tuple[list[Indicator], list[Municipality]]:
    """The scorecard's columns (active indicators) and rows (the municipalities in this person's scope with
    a target this year or a reporter): two queries."""
    indicators = list(Indicator.objects.active().select_related("result"))
    municipalities = list(scorecard_municipalities(user=user, year=year, indicators=indicators))
    return indicators, municipalities


def scorecard_municipalities(*, user, year: int, indicators):
    """The scorecard's rows as a queryset (the municipalities in this person's scope with a target this
    year or a reporter), ordered by name; a 404 for who may not read the scorecard."""
    if not scorecard_reader(user):
        raise Http404
    ids = [i.pk for i in indicators]
    involved = Q(result_targets__year=year, result_targets__indicator_id__in=ids) | Q(
        result_assignments__indicator_id__in=ids
    )
    return (
        municipalities_for_user(user)
        .filter(pk__in=Municipality.objects.filter(involved).values("pk"))
        .select_related("organisation")
        .order_by("organisation__name")
    )


def scorecard(*, user, year: int, sort: str = "", descending: bool = False) -> Scorecard:
    """Municipalities × indicators of a year, each cell the year's actual against that municipality's target.
    Four queries whatever the number of rows and columns."""
    today = timezone.localdate()
    indicators, municipalities = scorecard_axes(user=user, year=year)
    ids = [i.pk for i in indicators]
    mids = [m.pk for m in municipalities]
    values = _approved_by_key(year_from=year, year_to=year, municipality_ids=mids, indicator_ids=ids)
    yearly, by_period = _targets_by_key(
        year_from=year, year_to=year, municipality_ids=mids, indicator_ids=ids
    )
    card = Scorecard(year=year, indicators=indicators, sort=sort, descending=descending)
    base = reverse("results:cell_detail", args=[0, 0]).removesuffix("0/0/")
    for municipality in municipalities:
        cells = []
        for indicator in indicators:
            key = (indicator.pk, municipality.pk, year)
            target = _yearly_target(indicator, key, yearly, by_period)
            cell = cell_for(indicator, municipality, values.get(key, []), target, year, today)
            cell.url = f"{base}{indicator.pk}/{municipality.pk}/?year={year}"
            cells.append(cell)
        card.rows.append((municipality, cells))
    _sort(card)
    return card


def _number_formatter():
    """figure_text for 2,000 cells: the locale's separators read once (Django's number_format reads them per
    number, and the template engine adds a third of a millisecond per cell)."""
    from django.utils.formats import get_format

    decimal_sep, thousand_sep = get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")
    grouping = settings.USE_THOUSAND_SEPARATOR and get_format("NUMBER_GROUPING") == 3

    def text(value: Decimal | None, decimals: int) -> str:
        if value is None:
            return "—"
        raw = f"{round(value, decimals):.{decimals}f}"
        whole, _dot, fraction = raw.partition(".")
        if grouping:
            whole = f"{int(whole):,}".replace(",", thousand_sep)
        return whole + (decimal_sep + fraction if fraction else "")

    return text


def _sort(card: Scorecard) -> None:
    codes = [i.code for i in card.indicators]
    if card.sort in codes:
        column = codes.index(card.sort)

        def key(row):
            cell = row[1][column]
            ratio = (cell.actual / cell.expected) if cell.actual is not None and cell.expected else None
            return (STATUS_ORDER[cell.status], ratio if ratio is not None else Decimal(0), str(row[0]))

        card.rows.sort(key=key, reverse=card.descending)
    else:
        card.sort = "municipality"
        card.rows.sort(key=lambda row: str(row[0]).casefold(), reverse=card.descending)


def cell_detail(*, user, indicator_id: int, municipality_id: int, year: int) -> dict:
    """The figures behind one cell of the scorecard: each period's latest version, its state and history."""
    if not scorecard_reader(user):
        raise Http404
    indicator = get_object_or_404(Indicator.objects.select_related("result"), pk=indicator_id)
    municipality = get_object_or_404(
        municipalities_for_user(user).select_related("organisation"), pk=municipality_id
    )
    reports = list(
        Report.objects.filter(indicator=indicator, municipality=municipality, period__year=year)
        .select_related("period", "submitted_by", "reviewed_by")
        .order_by("period__number", "-version")
    )
    key = (indicator.pk, municipality.pk, year)
    values = _approved_by_key(
        year_from=year, year_to=year, municipality_ids=[municipality.pk], indicator_ids=[indicator.pk]
    ).get(key, [])
    yearly, by_period = _targets_by_key(
        year_from=year, year_to=year, municipality_ids=[municipality.pk], indicator_ids=[indicator.pk]
    )
    target = _yearly_target(indicator, key, yearly, by_period)
    return {
        "indicator": indicator,
        "municipality": municipality,
        "year": year,
        "reports": reports,
        "cell": cell_for(indicator, municipality, values, target, year, timezone.localdate()),
    }
