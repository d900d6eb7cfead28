from decimal import Decimal
from functools import lru_cache

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

register = template.Library()


def figure_text(value, unit: str = "") -> str:
    """A figure as people read it: no decimals past 100 or for a whole number (a count never reads
    "12.00 people"), two below 100 otherwise; '—' for no data."""
    if value is None or value == "":
        return "—"
    return _figure_text(Decimal(value), unit == "S/", get_language())


@lru_cache(maxsize=8192)
def _figure_text(value: Decimal, soles: bool, language: str) -> str:
    """Formatted once per process for each value and language: a dashboard writes some 700 figures, most of
    them the same from one filter to the next (equal decimals, 2.5 and 2.50, read the same)."""
    places = 0 if abs(value) >= 100 or value == value.to_integral_value() else 2
    text = number_format(round(value, places), places, use_l10n=True, force_grouping=True)
    return f"S/ {text}" if soles else text


@register.filter
def figure(value, unit: str = "") -> str:
    return figure_text(value, unit)


@register.filter
def card(figure, query: str):
    """The figure's card (kallpanchis/dashboard/cards.py) with links carrying `query`."""
    from ..cards import figure_card

    return figure_card(figure, query)


@register.filter
def year_table(figure):
    """The figure's years as a table (kallpanchis/dashboard/cards.py)."""
    from ..cards import year_table

    return year_table(figure)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, key)


@register.filter
def tr(value: str) -> str:
    """Translate a stored message id (an indicator's name or unit). `{% translate var %}` would double
    every "%" of the text first ("% of milk sold") and then never find it in the catalogue."""
    from django.utils.translation import gettext

    return gettext(value) if value else value
