"""The open data: what the municipalities publish (publication.py), as tables anyone may reuse under
CC BY 4.0, described field by field (the data dictionary). No names of people, ever: organisations are
named, people are counted."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Max, Sum
from django.utils.translation import gettext_lazy as _

from kallpanchis.core import indicators as registry
from kallpanchis.dashboard.models import ALL, Fact, Indicator, Refresh

from . import publication, selectors

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = "Kallpanchis — municipalidades y consorcio AVSF, CADEP, REMURPE, ARPAC (Cusco, Perú)"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # integer, decimal, text, date, datetime, boolean
    description: str


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    fields: tuple[Field, ...]

    def rows(self):
        return ROWS[self.slug]()

    def last_updated(self):
        return UPDATED[self.slug]()


ANON = AnonymousUser()


def _municipalities():
    for m in selectors.municipalities_for(user=ANON).order_by("pk"):
        yield [
            m.pk,
            m.organisation.name,
            m.level,
            m.ubigeo,
            m.province.code,
            m.district.ubigeo,
            m.office_name,
        ]


def _spaces():
    for s in selectors.spaces_for(user=ANON).order_by("pk"):
        yield [
            s.pk,
            s.name,
            s.level,
            s.kind,
            s.municipality.ubigeo if s.municipality else "",
            s.municipality.organisation.name if s.municipality else "",
            s.association.name if s.association else "",
            s.parent_id or "",
            s.thematic_group.name if s.thematic_group else "",
            s.purpose,
            s.meeting_count,
        ]


def _meetings():
    for m in selectors.meetings_for(user=ANON).order_by("pk"):
        yield [
            m.pk,
            m.space_id,
            m.space.name,
            m.title,
            m.starts_at.isoformat(),
            m.ends_at.isoformat(),
            m.place,
            m.status,
            m.attendance_total,
            m.attendance_female,
            m.attendance_male,
            m.attendance_total - m.attendance_female - m.attendance_male,
            len(m.agreements.all()),
        ]


def _agreements():
    for a in selectors.agreements_for(user=ANON).order_by("pk"):
        yield [
            a.pk,
            a.meeting_id,
            a.meeting.space_id,
            a.what,
            a.responsible_organisation.name if a.responsible_organisation else "",
            a.due_date.isoformat(),
            a.status,
            a.done_on.isoformat() if a.done_on else "",
        ]


def _cycles():
    for c in selectors.cycles_for(user=ANON).order_by("pk"):
        yield [
            c.pk,
            c.municipality.ubigeo,
            c.municipality.organisation.name,
            c.fiscal_year,
            c.envelope,
            c.ordinance_reference,
            c.agent_count,
            c.accredited_count,
            c.proposal_count,
            c.prioritised_count,
            c.allocated_total,
            c.spent_total,
        ]


def _projects():
    proposals = selectors.proposals_for(user=ANON).select_related("cycle__municipality__organisation")
    for p in proposals.order_by("cycle_id", "rank", "pk"):
        yield [
            p.pk,
            p.cycle_id,
            p.cycle.municipality.ubigeo,
            p.cycle.fiscal_year,
            p.rank,
            p.title,
            p.agent.organisation.name,
            p.district.ubigeo,
            p.cost,
            p.requested,
            p.families,
            p.women,
            p.total_score if p.total_score is not None else "",
            p.allocated if p.allocated is not None else "",
            p.progress_pct,
            p.spent,
        ]


def _indicators():
    """The project's figures as a whole (every province and district added up: no place is singled out),
    by year, from the dashboard's latest refresh."""
    indicators = list(
        Indicator.objects.filter(code__in=registry.FORMULAS).order_by("result", "position", "code")
    )
    table: dict[tuple[str, str], dict[int, Decimal]] = defaultdict(dict)
    measures = {m.partition(":")[0] for i in indicators for m in registry.FORMULAS[i.code].measures}
    facts = (
        Fact.objects.filter(measure__in=measures, line=ALL, province=ALL, district=ALL)
        .values("measure", "gender", "year")
        .order_by()
        .annotate(v=Sum("value"))
    )
    years = set()
    for row in facts:
        table[(row["measure"], row["gender"])][row["year"]] = row["v"]
        years.add(row["year"])

    def total(name, year, gender=ALL):
        measure, _sep, fixed = name.partition(":")
        return table[(measure, fixed or gender)].get(year)

    for indicator in indicators:
        formula = registry.FORMULAS[indicator.code]
        for year in sorted(years):
            values = []
            for gender in (ALL, "female", "male"):
                numerator = total(formula.numerator, year, gender)
                denominator = total(formula.denominator, year, gender) if formula.denominator else None
                if formula.denominator and numerator is None and denominator:
                    numerator = Decimal(0)
                value = formula.value(numerator, denominator)
                values.append("" if value is None else round(value, 4))
            if values[0] == "":
                continue
            yield [indicator.code, indicator.result, indicator.name, indicator.unit, year, *values]


def _reported_values():
    """The results framework's approved figures of publishing municipalities, one row per period."""
    reports = publication.reported_values_published().select_related(
        "indicator", "municipality__province", "municipality__district", "period"
    )
    for r in reports.order_by("indicator__code", "municipality_id", "period__year", "period__number"):
        yield [
            r.pk,
            r.indicator.code,
            r.indicator.name,
            r.indicator.unit,
            r.municipality.ubigeo,
            r.period.year,
            r.period.frequency,
            r.period.number,
            "" if r.value is None else r.value,
            "" if r.level is None else r.level,
            r.level_label,
            r.version,
        ]


def _latest(queryset, field="updated_at"):
    return lambda: queryset().aggregate(last=Max(field))["last"]


def _refreshed():
    latest = Refresh.objects.order_by("-finished_at").first()
    return latest.finished_at if latest else None


ROWS = {
    "municipalities": _municipalities,
    "spaces": _spaces,
    "meetings": _meetings,
    "agreements": _agreements,
    "budget-cycles": _cycles,
    "budget-projects": _projects,
    "indicators": _indicators,
    "reported-values": _reported_values,
}
UPDATED = {
    "municipalities": lambda: None,
    "spaces": _latest(lambda: selectors.spaces_for(user=ANON).order_by()),
    "meetings": _latest(lambda: selectors.meetings_for(user=ANON).order_by()),
    "agreements": _latest(lambda: selectors.agreements_for(user=ANON).order_by()),
    "budget-cycles": _latest(lambda: selectors.cycles_for(user=ANON).order_by()),
    "budget-projects": _latest(lambda: selectors.proposals_for(user=ANON).order_by()),
    "indicators": _refreshed,
    "reported-values": _latest(lambda: publication.reported_values_published().order_by()),
}

ID = Field("id", "integer", _("Identifier in Kallpanchis (stable)."))
UBIGEO = _("INEI UBIGEO code: 4 digits for a province, 6 for a district.")
DATASETS = {
    d.slug: d
    for d in [
        Dataset(
            "municipalities",
            _("Municipalities"),
            _("Municipalities that publish their open data."),
            (
                ID,
                Field("name", "text", _("Name of the municipality.")),
                Field("level", "text", _("provincial or district.")),
                Field("ubigeo", "text", UBIGEO),
                Field("province", "text", _("UBIGEO of its province.")),
                Field(
                    "district", "text", _("UBIGEO of its district (of its capital, for a provincial one).")
                ),
                Field("office_name", "text", _("Its economic-development office.")),
            ),
        ),
        Dataset(
            "spaces",
            _("Concertation spaces"),
            _("Public concertation spaces convened by those municipalities (or their mancomunidades)."),
            (
                ID,
                Field("name", "text", _("Name of the space.")),
                Field("level", "text", _("provincial, district or intermunicipal.")),
                Field("kind", "text", _("technical, political, development or thematic.")),
                Field(
                    "municipality_ubigeo", "text", _("Convening municipality (UBIGEO), if a municipality.")
                ),
                Field("municipality", "text", _("Convening municipality, if a municipality.")),
                Field("association", "text", _("Convening mancomunidad, if one.")),
                Field("parent_id", "integer", _("The space it is a sub-space of, if any.")),
                Field("thematic_group", "text", _("Theme (milk, guinea pigs, gastronomy …), if any.")),
                Field("purpose", "text", _("What the space is for.")),
                Field("meetings", "integer", _("Number of meetings recorded.")),
            ),
        ),
        Dataset(
            "meetings",
            _("Meetings"),
            _("Meetings of the public spaces: dates, place, status and attendance counted by gender."),
            (
                ID,
                Field("space_id", "integer", _("The space (see spaces).")),
                Field("space", "text", _("Name of the space.")),
                Field("title", "text", _("Title of the meeting.")),
                Field("starts_at", "datetime", _("Start, ISO 8601 with the time zone.")),
                Field("ends_at", "datetime", _("End, ISO 8601 with the time zone.")),
                Field("place", "text", _("Place or village.")),
                Field("status", "text", _("planned, held, postponed or cancelled.")),
                Field("attendance", "integer", _("People who signed the attendance sheet.")),
                Field("women", "integer", _("Of whom women.")),
                Field("men", "integer", _("Of whom men.")),
                Field("gender_not_stated", "integer", _("Of whom gender not stated.")),
                Field("agreements", "integer", _("Agreements taken (see agreements).")),
            ),
        ),
        Dataset(
            "agreements",
            _("Agreements"),
            _("Agreements taken at those meetings, with the organisation responsible and their follow-up."),
            (
                ID,
                Field("meeting_id", "integer", _("The meeting (see meetings).")),
                Field("space_id", "integer", _("The space (see spaces).")),
                Field("what", "text", _("What was agreed.")),
                Field("responsible_organisation", "text", _("Organisation responsible, if any.")),
                Field("due_date", "date", _("Due date (YYYY-MM-DD).")),
                Field("status", "text", _("pending, in_progress, done or dropped.")),
                Field("done_on", "date", _("When it was done, if done.")),
            ),
        ),
        Dataset(
            "budget-cycles",
            _("Participatory-budget cycles"),
            _("Each municipality's participatory budget for a fiscal year, with its totals."),
            (
                ID,
                Field("municipality_ubigeo", "text", UBIGEO),
                Field("municipality", "text", _("Name of the municipality.")),
                Field("fiscal_year", "integer", _("Fiscal year the budget is for.")),
                Field("envelope", "decimal", _("Amount put to the participatory budget (S/).")),
                Field("ordinance", "text", _("Municipal ordinance that regulates the cycle.")),
                Field("agents", "integer", _("Participating agents registered (organisations).")),
                Field("accredited_agents", "integer", _("Of which accredited.")),
                Field("proposals", "integer", _("Project proposals received.")),
                Field("prioritised", "integer", _("Projects given an allocation.")),
                Field("allocated", "decimal", _("Total allocated (S/).")),
                Field("spent", "decimal", _("Total spent on the prioritised projects so far (S/).")),
            ),
        ),
        Dataset(
            "budget-projects",
            _("Participatory-budget results"),
            _("The ranked projects of each cycle: score, allocation and execution."),
            (
                ID,
                Field("cycle_id", "integer", _("The cycle (see budget-cycles).")),
                Field("municipality_ubigeo", "text", UBIGEO),
                Field("fiscal_year", "integer", _("Fiscal year.")),
                Field("rank", "integer", _("Place in the prioritisation.")),
                Field("title", "text", _("Project.")),
                Field("organisation", "text", _("Participating agent that proposed it.")),
                Field("district", "text", _("District where it is carried out (UBIGEO).")),
                Field("cost", "decimal", _("Total cost (S/).")),
                Field("requested", "decimal", _("Asked of the municipality: cost less co-financing (S/).")),
                Field("families", "integer", _("Beneficiary families.")),
                Field("women", "integer", _("Women among the beneficiaries.")),
                Field("score", "decimal", _("Weighted score.")),
                Field("allocated", "decimal", _("Allocated (S/); empty if it did not fit the envelope.")),
                Field("progress_pct", "integer", _("Physical progress (%).")),
                Field("spent", "decimal", _("Spent so far (S/).")),
            ),
        ),
        Dataset(
            "indicators",
            _("Indicators"),
            _("The project's indicators for the whole project, by year, from the dashboard's figures."),
            (
                Field("code", "text", _("Indicator code.")),
                Field("expected_result", "integer", _("Expected result it measures (1, 2 or 3).")),
                Field("name", "text", _("Indicator.")),
                Field("unit", "text", _("Unit.")),
                Field("year", "integer", _("Year.")),
                Field("value", "decimal", _("Value for the year.")),
                Field("women", "decimal", _("Value among women, where counted by gender.")),
                Field("men", "decimal", _("Value among men, where counted by gender.")),
            ),
        ),
        Dataset(
            "reported-values",
            _("Reported results"),
            _("Values reported by each municipality for the results framework's indicators, as approved."),
            (
                ID,
                Field("indicator", "text", _("Indicator code.")),
                Field("name", "text", _("Indicator.")),
                Field("unit", "text", _("Unit.")),
                Field("municipality_ubigeo", "text", UBIGEO),
                Field("year", "integer", _("Year.")),
                Field("frequency", "text", _("Reporting period: year, semester, quarter or month.")),
                Field("period", "integer", _("Number of the period in the year.")),
                Field("value", "decimal", _("Value, for a quantitative indicator.")),
                Field("level", "integer", _("Level on the scale, for a qualitative indicator.")),
                Field("level_label", "text", _("What that level means.")),
                Field("version", "integer", _("Version of the value (a correction is a new version).")),
            ),
        ),
    ]
}


def last_updated():
    """The latest change among all published datasets."""
    dates = [d.last_updated() for d in DATASETS.values()]
    dates = [d for d in dates if d is not None]
    return max(dates) if dates else None
