"""Reported indicators on the coordinators' dashboard: the table beside the computed ones, and the
drill-down."""

from collections import defaultdict
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kallpanchis.core.caching import ALL, kept_here

from .. import aggregation
from ..models import Indicator, Report, Target
from .common import STATUS_LABELS, municipalities_for_user, scorecard_reader
from .framework import report_visible_q
from .scorecard import BADGES, _approved_by_key, _expected, _targets_by_key, _yearly_target


def _described(indicator) -> dict:
    """What the dashboard's table and the drill-down both say of a reported indicator."""
    return {
        "indicator": indicator,
        "result": str(indicator.result),
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "decimals": indicator.decimals,
    }


def reported_figures(user, filters) -> list[dict]:
    """The dashboard's side of the reported indicators (registered as the `reported` hook of
    kallpanchis.core.indicators): each active indicator's actual and target over the dashboard's years and
    places in this person's scope. Years add up by the indicator's time rule (sum: every period; latest: the
    last period; average: of the periods), places by its place rule. Every filter selects from the same
    values (`_scope_values`), kept per person's access until the next write."""
    indicators, places, values, yearly, by_period, keys_by_year = _scope_values(user)
    if not indicators:
        return []
    mids = _chosen_places(places, filters)
    year_from = getattr(filters, "year_from", None) or min(keys_by_year, default=0)
    year_to = getattr(filters, "year_to", None) or max(keys_by_year, default=0)
    # Each indicator's places and years with a value or a target, from the keys of the years asked for: not
    # every place times every year for each indicator (what has neither adds nothing).
    keys_of: dict[int, set] = defaultdict(set)
    for year in range(year_from, year_to + 1):
        for indicator_id, mid in keys_by_year.get(year, ()):
            if mid in mids:
                keys_of[indicator_id].add((mid, year))
    scorecard = reverse("results:scorecard")
    rows = []
    for indicator in indicators:
        per_place_actual: dict[int, list] = defaultdict(list)
        per_place_target: dict[int, list] = defaultdict(list)
        for mid, year in keys_of[indicator.pk]:
            key = (indicator.pk, mid, year)
            for number, figure in values.get(key, []):
                per_place_actual[mid].append((year * 100 + number, figure))
            target = _yearly_target(indicator, key, yearly, by_period)
            if target is not None:
                per_place_target[mid].append((year, target))
        actual = aggregation.over_places(
            [aggregation.over_time(v, indicator.time_aggregation) for v in per_place_actual.values()],
            indicator.place_aggregation,
        )
        target = aggregation.over_places(
            [aggregation.over_time(v, indicator.time_aggregation) for v in per_place_target.values()],
            indicator.place_aggregation,
        )
        rows.append(
            {
                **_described(indicator),
                "actual": actual,
                "target": target,
                "source": REPORTED_SOURCE,
                "url": scorecard + "?" + urlencode({"sort": indicator.code}),
            }
        )
    return rows


def _scope_values(user):
    """The active indicators; the municipalities in this person's scope ({id: (province code, district
    ubigeo)}); every approved value and target of theirs, of every year; and which (indicator, place) have
    one in each year. Kept in the process until the next write (a few thousand numbers: unpickling them
    would cost what reading them does): each new combination of the dashboard's filters then only selects
    from them."""

    def compute():
        indicators = list(Indicator.objects.active().select_related("result"))
        places = {
            pk: (province, district)
            for pk, province, district in municipalities_for_user(user).values_list(
                "pk", "province__code", "district__ubigeo"
            )
        }
        values = _approved_by_key(year_from=None, year_to=None, municipality_ids=list(places))
        yearly, by_period = _targets_by_key(year_from=None, year_to=None, municipality_ids=list(places))
        keys_by_year: dict[int, set] = defaultdict(set)
        for indicator_id, mid, year in (*values, *yearly, *by_period):
            keys_by_year[year].add((indicator_id, mid))
        return indicators, places, dict(values), yearly, dict(by_period), dict(keys_by_year)

    return kept_here("results:dashboard-values", user=user, groups=(ALL,), compute=compute)


REPORTED_SOURCE = _("Reported by the municipalities, approved by the coordinators")


def _chosen_places(places: dict, filters) -> set[int]:
    """The ids of `places` ({id: (province code, district ubigeo)}) under the dashboard's place filter: the
    district when one is chosen, else the province, else all."""
    province, district = getattr(filters, "province", ""), getattr(filters, "district", "")
    if district:
        return {mid for mid, (_code, ubigeo) in places.items() if ubigeo == district}
    return {mid for mid, (code, _ubigeo) in places.items() if not province or code == province}


def _dashboard_places(user, filters):
    """The municipalities in this person's scope under the dashboard's place filter (the same rule as the
    dashboard's table: `_chosen_places` over the scope's places)."""
    places = _scope_values(user)[1]
    return municipalities_for_user(user).filter(pk__in=_chosen_places(places, filters))


def reported_detail(user, filters, code: str) -> dict | None:
    """The dashboard's drill-down of one reported indicator (the `reported_detail` hook of
    kallpanchis.core.indicators): each approved value (the latest approved version) period by period and
    municipality by municipality against its target, who reported and who approved it when, a link to the
    report when this person may read it; then the periods added up over the places and the places over the
    periods by the indicator's rules, and the total the dashboard shows. Five queries whatever the rows."""
    indicator = (
        Indicator.objects.active().select_related("result").filter(code=code).first() if code else None
    )
    if indicator is None:
        return None
    places = list(_dashboard_places(user, filters).select_related("organisation", "province"))
    names = {m.pk: m.organisation.name for m in places}
    year_from, year_to = getattr(filters, "year_from", None), getattr(filters, "year_to", None)
    reports = Report.objects.filter(
        indicator=indicator, state=Report.State.APPROVED, municipality_id__in=names
    ).select_related("period", "submitted_by", "reviewed_by")
    targets = (
        Target.objects.filter(indicator=indicator, municipality_id__in=names)
        .select_related("period")
        .order_by()
    )
    if year_from:
        reports, targets = reports.filter(period__year__gte=year_from), targets.filter(year__gte=year_from)
    if year_to:
        reports, targets = reports.filter(period__year__lte=year_to), targets.filter(year__lte=year_to)
    latest: dict[tuple, Report] = {}
    for report in reports.order_by("version"):
        report.indicator = indicator  # `figure` reads it: no query per row
        latest[(report.municipality_id, report.period_id)] = report
    yearly: dict[tuple, Decimal] = {}
    by_period: dict[tuple, list] = defaultdict(list)
    period_target: dict[tuple, Decimal] = {}
    for target in targets:
        if target.period_id is None:
            yearly[(indicator.pk, target.municipality_id, target.year)] = target.value
        else:
            by_period[(indicator.pk, target.municipality_id, target.year)].append(
                (target.period.number, target.value)
            )
            period_target[(target.municipality_id, target.period_id)] = target.value
    condition = report_visible_q(user)
    readable = {r.pk for r in latest.values()}
    if condition is not None and readable:
        readable = set(Report.objects.filter(condition, pk__in=readable).values_list("pk", flat=True))

    rows = []
    for (mid, period_id), report in sorted(
        latest.items(), key=lambda item: (item[1].period.year, item[1].period.number, names[item[0][0]])
    ):
        rows.append(
            {
                "period": report.period,
                "municipality": names[mid],
                "value": report.figure,
                "level": report.level_label,
                "target": period_target.get((mid, period_id)),
                "submitted_by": report.submitted_by,
                "approved_by": report.reviewed_by,
                "approved_at": report.reviewed_at,
                "version": report.version,
                "url": reverse("results:report_detail", args=[report.pk]) if report.pk in readable else "",
            }
        )

    # The periods, each added up over the places (its targets too, when targets are set per period).
    periods: dict[int, dict] = {}
    for (_mid, period_id), report in latest.items():
        entry = periods.setdefault(period_id, {"period": report.period, "values": [], "targets": []})
        entry["values"].append(report.figure)
    for (_mid, period_id), value in period_target.items():
        if period_id in periods:
            periods[period_id]["targets"].append(value)
    period_rows = [
        {
            "period": e["period"],
            "places": len([v for v in e["values"] if v is not None]),
            "actual": aggregation.over_places(e["values"], indicator.place_aggregation),
            "target": aggregation.over_places(e["targets"], indicator.place_aggregation),
        }
        for e in sorted(periods.values(), key=lambda e: (e["period"].year, e["period"].number))
    ]

    # The places, each added up over the periods (the years' targets by the same rule): what the
    # dashboard's figure adds up over the places.
    years = sorted({r.period.year for r in latest.values()} | {k[2] for k in (*yearly, *by_period)})
    today = timezone.localdate()
    place_rows = []
    for mid in sorted(names, key=lambda pk: names[pk].casefold()):
        values = [
            (r.period.year * 100 + r.period.number, r.figure) for (m, _p), r in latest.items() if m == mid
        ]
        year_targets = [
            (year, t)
            for year in years
            if (t := _yearly_target(indicator, (indicator.pk, mid, year), yearly, by_period)) is not None
        ]
        if not values and not year_targets:
            continue
        actual = aggregation.over_time(values, indicator.time_aggregation)
        target = aggregation.over_time(year_targets, indicator.time_aggregation)
        # Compared like the scorecard's cells: a year under way against the share of its target of the
        # periods reported so far.
        expected = aggregation.over_time(
            [
                (
                    year,
                    _expected(
                        indicator,
                        t,
                        [
                            r.period.number
                            for (m, _p), r in latest.items()
                            if m == mid and r.period.year == year
                        ],
                        year,
                        today,
                    ),
                )
                for year, t in year_targets
            ],
            indicator.time_aggregation,
        )
        state = aggregation.status(actual, expected, higher_is_better=indicator.higher_is_better)
        place_rows.append(
            {
                "municipality": names[mid],
                "actual": actual,
                "target": target,
                "status": state,
                "label": STATUS_LABELS[state],
                "badge": BADGES[state],
            }
        )
    return {
        **_described(indicator),
        "time_aggregation": indicator.get_time_aggregation_display(),
        "place_aggregation": indicator.get_place_aggregation_display(),
        "frequency": indicator.get_frequency_display(),
        "actual": aggregation.over_places([p["actual"] for p in place_rows], indicator.place_aggregation),
        "target": aggregation.over_places([p["target"] for p in place_rows], indicator.place_aggregation),
        "source": REPORTED_SOURCE,
        "rows": rows,
        "periods": period_rows,
        "places": place_rows,
        "scorecard_url": (
            reverse("results:scorecard") + "?" + urlencode({"sort": indicator.code})
            if scorecard_reader(user)
            else ""
        ),
    }
