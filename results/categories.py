"""The categories of each disaggregation: gender (the project's one set), age groups, the districts of the
municipality's territory, the thematic lines (given by the producers app through the indicator registry)."""

from django.utils.translation import gettext_lazy as _

from kallpanchis.core import indicators as registry
from kallpanchis.core.models import Gender

from .models import Dimension

AGE_GROUPS = [
    ("youth", _("Under 30")),
    ("adult", _("30 to 59")),
    ("elder", _("60 and over")),
]


def districts_of(municipality) -> list[tuple[str, str]]:
    from municipalities.models import District, Municipality

    if municipality.level == Municipality.Level.PROVINCIAL:
        rows = District.objects.filter(province_id=municipality.province_id).order_by("name")
    else:
        rows = District.objects.filter(pk=municipality.district_id)
    return [(d.ubigeo, d.name) for d in rows]


def categories_for(indicator, municipality) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for dimension in indicator.disaggregations:
        if dimension == Dimension.GENDER:
            out[dimension] = list(Gender.choices)
        elif dimension == Dimension.AGE_GROUP:
            out[dimension] = list(AGE_GROUPS)
        elif dimension == Dimension.DISTRICT:
            out[dimension] = districts_of(municipality)
        elif dimension == Dimension.LINE:
            lines = registry.HOOKS.get("lines")
            out[dimension] = list(lines()) if lines else []
    return out
