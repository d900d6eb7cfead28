"""Everything results/ pages, exports and the dashboard read, scoped to the person: the framework pages are
the consortium's (a 404 for anyone else), reporters see what they are assigned, municipal staff see their
municipality's figures (a provincial one's: its districts' too). A fixed number of queries per page."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from kallpanchis.accounts.access import access_for
from kallpanchis.accounts.models import MUNICIPAL_ROLES, Role
from municipalities.models import Municipality

from . import aggregation
from .models import PERIODS_PER_YEAR, Assignment, Indicator, Period, Report, Target, TimeAggregation

STATUS_LABELS = {
    "on_track": _("On track"),
    "at_risk": _("At risk"),
    "behind": _("Behind"),
    "no_data": _("No data"),
    "no_target": _("No target"),
}
STATUS_ORDER = {"behind": 0, "at_risk": 1, "on_track": 2, "no_target": 3, "no_data": 4}


# --- who may do what ---


def framework_reader(user) -> bool:
    """The framework's pages (indicators, targets, reporters) are the consortium's."""
    return access_for(user).consortium_wide


def framework_reader_or_404(user) -> None:
    if not framework_reader(user):
        raise Http404


def scorecard_reader(user) -> bool:
    access = access_for(user)
    return access.consortium_wide or bool(access.organisations_with(*MUNICIPAL_ROLES, Role.VIEWER))


def municipalities_for_user(user):
    return Municipality.objects.visible_to(user)


# --- the framework ---


def indicators_for_user(*, user):
    framework_reader_or_404(user)
    return Indicator.objects.select_related("result").order_by("result__number", "position", "code")


def indicator_get_for_user(*, user, indicator_id: int) -> Indicator:
    framework_reader_or_404(user)
    return get_object_or_404(Indicator.objects.select_related("result"), pk=indicator_id)


def indicator_targets(*, indicator: Indicator):
    return (
        Target.objects.filter(indicator=indicator)
        .select_related("municipality__organisation", "period")
        .order_by("-year", "municipality__organisation__name", "period__number")
    )


def indicator_assignments(*, indicator: Indicator):
    return (
        Assignment.objects.filter(indicator=indicator)
        .select_related("municipality__organisation", "association")
        .order_by("municipality__organisation__name")
    )


# --- reports ---


def _reporter_q(user) -> Q:
    access = access_for(user)
    staff = access.organisations_with(Role.MUNICIPAL_ADMIN, Role.TECHNICIAN)
    leads = access.organisations_with(Role.LEADER)
    return Q(association__isnull=True, municipality__organisation_id__in=staff) | Q(association_id__in=leads)


def assignments_for_reporter(*, user):
    """What this person reports: their municipality's indicators, or their association's."""
    return (
        Assignment.objects.filter(_reporter_q(user), indicator__active=True)
        .select_related("indicator", "municipality__organisation", "association")
        .order_by("municipality__organisation__name", "indicator__position", "indicator__code")
    )


def reporting_rows(*, user, year: int) -> list[dict]:
    """For each assignment, each period of the year: the latest version reported (or none). Three queries."""
    assignments = list(assignments_for_reporter(user=user))
    if not assignments:
        return []
    periods = defaultdict(list)
    for period in Period.objects.filter(year=year).order_by("number"):
        periods[period.frequency].append(period)
    latest: dict[tuple, Report] = {}
    reports = Report.objects.filter(
        period__year=year,
        indicator_id__in={a.indicator_id for a in assignments},
        municipality_id__in={a.municipality_id for a in assignments},
    ).order_by("version")
    for report in reports:
        latest[(report.indicator_id, report.municipality_id, report.period_id)] = report
    rows = []
    for assignment in assignments:
        for period in periods.get(assignment.indicator.frequency, []):
            rows.append(
                {
                    "assignment": assignment,
                    "period": period,
                    "report": latest.get((assignment.indicator_id, assignment.municipality_id, period.pk)),
                }
            )
    return rows


def reports_to_review(*, user):
    """Values waiting for a coordinator's review, oldest first."""
    if not access_for(user).is_coordinator:
        return Report.objects.none()
    return (
        Report.objects.filter(state=Report.State.SUBMITTED)
        .select_related("indicator", "municipality__organisation", "period", "submitted_by")
        .order_by("submitted_at")
    )


def report_visible_q(user) -> Q | None:
    """None: every report (the consortium). Otherwise the reports of the municipalities in the person's
    scope, and those their association is assigned to report."""
    access = access_for(user)
    if access.consortium_wide:
        return None
    visible = Municipality.objects.visible_to(user).values("pk")
    assigned = Assignment.objects.filter(
        association_id__in=access.organisations_with(Role.LEADER),
        indicator_id=OuterRef("indicator_id"),
        municipality_id=OuterRef("municipality_id"),
    )
    return Q(municipality_id__in=visible) | Q(Exists(assigned))


def report_get_for_user(*, user, report_id: int) -> Report:
    qs = Report.objects.select_related(
        "indicator__result",
        "municipality__organisation",
        "period",
        "submitted_by",
        "reviewed_by",
        "supersedes",
    )
    condition = report_visible_q(user)
    if condition is not None:
        qs = qs.filter(condition)
    return get_object_or_404(qs, pk=report_id)


def report_versions(*, report: Report):
    return (
        Report.objects.filter(
            indicator=report.indicator_id, municipality=report.municipality_id, period=report.period_id
        )
        .select_related("submitted_by", "reviewed_by")
        .order_by("-version")
    )


# --- figures: the scorecard and the dashboard ---


def _approved_by_key(
    *, year_from: int | None, year_to: int | None, municipality_ids=None, indicator_ids=None
):
    """{(indicator, municipality, year): [(period number, figure)]} of the latest approved versions."""
    qs = Report.objects.filter(state=Report.State.APPROVED)
    if year_from:
        qs = qs.filter(period__year__gte=year_from)
    if year_to:
        qs = qs.filter(period__year__lte=year_to)
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    if indicator_ids is not None:
        qs = qs.filter(indicator_id__in=indicator_ids)
    latest: dict[tuple, tuple] = {}
    for row in qs.values_list(
        "indicator_id",
        "municipality_id",
        "period_id",
        "period__year",
        "period__number",
        "version",
        "value",
        "level",
    ).order_by("version"):
        indicator_id, municipality_id, period_id, year, number, _version, value, level = row
        figure = value if value is not None else (Decimal(level) if level is not None else None)
        latest[(indicator_id, municipality_id, period_id)] = (year, number, figure)
    out: dict[tuple, list] = defaultdict(list)
    for (indicator_id, municipality_id, _period), (year, number, figure) in latest.items():
        out[(indicator_id, municipality_id, year)].append((number, figure))
    return out


def _targets_by_key(*, year_from, year_to, municipality_ids=None, indicator_ids=None):
    """{(indicator, municipality, year): target}: the yearly target, else its periods' targets aggregated."""
    qs = Target.objects.all()
    if year_from:
        qs = qs.filter(year__gte=year_from)
    if year_to:
        qs = qs.filter(year__lte=year_to)
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    if indicator_ids is not None:
        qs = qs.filter(indicator_id__in=indicator_ids)
    yearly: dict[tuple, Decimal] = {}
    by_period: dict[tuple, list] = defaultdict(list)
    # No order: Target's default ordering (indicator, municipality) joins four tables to sort by their
    # own orderings, and building that query cost more than running it.
    for indicator_id, municipality_id, year, number, value in qs.values_list(
        "indicator_id", "municipality_id", "year", "period__number", "value"
    ).order_by():
        key = (indicator_id, municipality_id, year)
        if number is None:
            yearly[key] = value
        else:
            by_period[key].append((number, value))
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
    last period; average: of the periods), places by its place rule."""
    indicators = list(Indicator.objects.active().select_related("result"))
    if not indicators:
        return []
    mids = list(_dashboard_places(user, filters).values_list("pk", flat=True))
    year_from, year_to = getattr(filters, "year_from", None), getattr(filters, "year_to", None)
    values = _approved_by_key(year_from=year_from, year_to=year_to, municipality_ids=mids)
    yearly, by_period = _targets_by_key(year_from=year_from, year_to=year_to, municipality_ids=mids)
    rows = []
    for indicator in indicators:
        per_place_actual: dict[int, list] = defaultdict(list)
        per_place_target: dict[int, list] = defaultdict(list)
        years = sorted(
            {k[2] for k in values if k[0] == indicator.pk}
            | {k[2] for k in (*yearly, *by_period) if k[0] == indicator.pk}
        )
        for mid in mids:
            for year in years:
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
                "url": reverse("results:scorecard") + "?" + urlencode({"sort": indicator.code}),
            }
        )
    return rows


REPORTED_SOURCE = _("Reported by the municipalities, approved by the coordinators")


def _dashboard_places(user, filters):
    """The municipalities in this person's scope under the dashboard's place filter."""
    places = municipalities_for_user(user)
    if getattr(filters, "district", ""):
        places = places.filter(district__ubigeo=filters.district)
    elif getattr(filters, "province", ""):
        places = places.filter(province__code=filters.province)
    return places


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
