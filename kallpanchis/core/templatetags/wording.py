"""How numbers and months read on a page: a count never shows ".00", a month is named, not numbered."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.formats import number_format

register = template.Library()


@register.filter
def plain_number(value) -> str:
    """A quantity as people write it: 5, not 5.00; 2.5 stays 2.5 (formatted by the locale)."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if number == number.to_integral_value():
        return number_format(number.to_integral_value(), 0, use_l10n=True, force_grouping=True)
    places = max(0, -number.normalize().as_tuple().exponent)
    return number_format(number, places, use_l10n=True, force_grouping=True)


@register.filter
def month_name(number, style: str = "short") -> str:
    """1 → "ene." (short) or "enero" (long), in the reader's language."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        return ""
    table = MONTHS if style == "long" else MONTHS_3
    name = table.get(number)
    return str(name).capitalize() if name is not None else ""
