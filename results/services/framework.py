"""The results framework, defined by coordinators in the platform (not in the Django admin, not in code)."""

import calendar
import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kallpanchis.accounts.access import access_for

from ..models import PERIODS_PER_YEAR, Assignment, ExpectedResult, Frequency, Indicator, Period, Target
from .reminders import assignment_reminders_update

__all__ = [
    "framework_check_coordinator",
    "result_create",
    "indicator_create",
    "indicator_update",
    "periods_ensure",
    "target_set",
    "assignment_set",
    "indicator_municipality_set",
]

# A report is due this many days after its period ends.
DUE_AFTER_DAYS = 15

INDICATOR_FIELDS = (
    "result",
    "code",
    "name",
    "kind",
    "unit",
    "decimals",
    "higher_is_better",
    "scale",
    "baseline",
    "baseline_year",
    "frequency",
    "disaggregations",
    "time_aggregation",
    "place_aggregation",
    "definition",
    "position",
    "active",
)


def framework_check_coordinator(by) -> None:
    """Only coordinators define the framework and review values."""
    if not access_for(by).is_coordinator:
        raise PermissionDenied(_("Only the consortium's coordinators define results and indicators."))


def result_create(*, by, number: int, title: str) -> ExpectedResult:
    framework_check_coordinator(by)
    result = ExpectedResult(number=number, title=title)
    result.full_clean()
    result.save()
    return result


def _indicator_clean(indicator: Indicator) -> None:
    if indicator.kind == Indicator.Kind.QUALITATIVE:
        if len(indicator.scale or []) < 2:
            raise ValidationError(
                {"scale": _("A qualitative indicator needs a scale of at least two levels.")}
            )
    elif not indicator.unit:
        raise ValidationError({"unit": _("A quantitative indicator needs a unit.")})
    indicator.full_clean()


@transaction.atomic
def indicator_create(*, by, **fields) -> Indicator:
    """A coordinator adds an indicator; quantitative ones need a unit, qualitative ones a scale."""
    framework_check_coordinator(by)
    indicator = Indicator(**{k: v for k, v in fields.items() if k in INDICATOR_FIELDS})
    _indicator_clean(indicator)
    indicator.save()
    # Turned off, or reported at another frequency: its reporters' reminders follow.
    for assignment in indicator.assignments.all():
        assignment_reminders_update(assignment=assignment)
    return indicator


@transaction.atomic
def indicator_update(*, by, indicator: Indicator, **fields) -> Indicator:
    """Changing how an indicator aggregates changes every figure shown from then on; approved values
    themselves never change."""
    framework_check_coordinator(by)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    for name, value in fields.items():
        if name in INDICATOR_FIELDS:
            setattr(indicator, name, value)
    _indicator_clean(indicator)
    indicator.save()
    # Turned off, or reported at another frequency: its reporters' reminders follow.
    for assignment in indicator.assignments.all():
        assignment_reminders_update(assignment=assignment)
    return indicator


def _bounds(frequency: str, year: int, number: int) -> tuple[datetime.date, datetime.date]:
    months = 12 // PERIODS_PER_YEAR[frequency]
    first_month = (number - 1) * months + 1
    last_month = first_month + months - 1
    return (
        datetime.date(year, first_month, 1),
        datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


def periods_ensure(*, frequency: str, year: int) -> list[Period]:
    """The reporting calendar of a year at this frequency (created once; running it again changes nothing)."""
    frequency = Frequency(frequency)
    periods = []
    for number in range(1, PERIODS_PER_YEAR[frequency] + 1):
        starts, ends = _bounds(frequency, year, number)
        period, _created = Period.objects.get_or_create(
            frequency=frequency,
            year=year,
            number=number,
            defaults={
                "starts_on": starts,
                "ends_on": ends,
                "due_on": ends + datetime.timedelta(days=DUE_AFTER_DAYS),
            },
        )
        periods.append(period)
    return periods


@transaction.atomic
def target_set(
    *, by, indicator: Indicator, municipality, year: int, value: Decimal | None, period: Period | None = None
) -> Target | None:
    """A municipality's target for a year (or one period of it); an empty value removes it."""
    framework_check_coordinator(by)
    if period is not None and (period.year != year or period.frequency != indicator.frequency):
        raise ValidationError(_("The period is not one of this indicator's periods in that year."))
    existing = Target.objects.filter(indicator=indicator, municipality=municipality, year=year, period=period)
    if value is None:
        existing.delete()
        return None
    target = existing.select_for_update().first() or Target(
        indicator=indicator, municipality=municipality, year=year, period=period
    )
    target.value = value
    target.full_clean(validate_constraints=False)
    target.save()
    return target


@transaction.atomic
def assignment_set(*, by, indicator: Indicator, municipality, association=None) -> Assignment:
    """Who reports this indicator for this municipality: its municipal staff, or a producer association's
    leaders."""
    from kallpanchis.organisations.models import Organisation

    framework_check_coordinator(by)
    if association is not None and association.kind != Organisation.Kind.PRODUCER:
        raise ValidationError({"association": _("Only a producer association can report for itself.")})
    assignment, _created = Assignment.objects.update_or_create(
        indicator=indicator, municipality=municipality, defaults={"association": association}
    )
    assignment_reminders_update(assignment=assignment)
    return assignment


@transaction.atomic
def indicator_municipality_set(
    *,
    by,
    indicator: Indicator,
    municipality,
    year: int,
    value,
    association=None,
    period_number: int | None = None,
):
    """The indicator page's one form: a municipality's target for a year (or one period of it) and who
    reports it, with the year's reporting periods opened."""
    periods = periods_ensure(frequency=indicator.frequency, year=year)
    period = None
    if period_number is not None:
        period = next((p for p in periods if p.number == period_number), None)
        if period is None:
            raise ValidationError(
                {"period": _("The period is not one of this indicator's periods in that year.")}
            )
    target = target_set(
        by=by, indicator=indicator, municipality=municipality, year=year, value=value, period=period
    )
    assignment = assignment_set(
        by=by, indicator=indicator, municipality=municipality, association=association
    )
    return target, assignment
