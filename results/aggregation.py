"""How reported values add up: over the periods of a year (sum, latest, average) and over places (sum,
average), and whether disaggregated figures add up to the total. Pure functions, tested on their own and
used by every page, export and the dashboard."""

from collections.abc import Iterable
from decimal import Decimal

from .models import PlaceAggregation, TimeAggregation

# A disaggregated total may differ from the reported total by rounding only.
TOLERANCE = Decimal("0.0001")


def over_time(values: Iterable[tuple[int, Decimal | None]], how: str) -> Decimal | None:
    """`values`: (period number, value) of one year and place; None when no period has a value (an empty
    year is not a zero)."""
    known = sorted((n, v) for n, v in values if v is not None)
    if not known:
        return None
    if how == TimeAggregation.LATEST:
        return known[-1][1]
    total = sum((v for _n, v in known), Decimal(0))
    if how == TimeAggregation.AVERAGE:
        return total / len(known)
    return total


def over_places(values: Iterable[Decimal | None], how: str) -> Decimal | None:
    known = [v for v in values if v is not None]
    if not known:
        return None
    total = sum(known, Decimal(0))
    return total / len(known) if how == PlaceAggregation.AVERAGE else total


def disaggregation_gaps(total: Decimal | None, figures: dict[str, dict[str, str]]) -> dict[str, Decimal]:
    """The dimensions whose figures do not add up to the total: {dimension: their sum}. A dimension with no
    figure typed is not checked (the reporter gave only the total)."""
    gaps = {}
    if total is None:
        return gaps
    for dimension, parts in figures.items():
        numbers = [Decimal(str(v)) for v in parts.values() if v not in ("", None)]
        if not numbers:
            continue
        added = sum(numbers, Decimal(0))
        if abs(added - total) > TOLERANCE:
            gaps[dimension] = added
    return gaps


def status(actual: Decimal | None, target: Decimal | None, *, higher_is_better: bool = True) -> str:
    """on_track / at_risk / behind / no_data: actual against the target (already pro-rated for a year
    under way). At risk: within a quarter of the target."""
    if actual is None:
        return "no_data"
    if target is None:
        return "no_target"
    if higher_is_better:
        ratio = Decimal(1) if target <= 0 else actual / target
    else:
        ratio = Decimal(1) if actual <= target else (target / actual if actual else Decimal(1))
    if ratio >= 1:
        return "on_track"
    if ratio >= Decimal("0.75"):
        return "at_risk"
    return "behind"
