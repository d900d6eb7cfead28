from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format

register = template.Library()


@register.filter
def soles(value) -> str:
    """Money in Peruvian soles, formatted by the active locale: S/ 1,250.50."""
    if value in (None, ""):
        return "—"
    return f"S/ {intcomma(number_format(Decimal(value), 2, use_l10n=True))}"
