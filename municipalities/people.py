"""Which people of the register municipal staff see: those living in their municipality's territory.

A provincial municipality covers its province's districts (the first 4 digits of the UBIGEO), a district
municipality its own district (all 6). Viewers of a municipality see counts only, not people.
"""

from collections.abc import Iterable

from django.db.models import Q

from kallpanchis.accounts.models import MUNICIPAL_ROLES
from kallpanchis.people import scope

from .models import District, Municipality


def territory_prefixes(access) -> list[str]:
    """The UBIGEO prefixes of the municipalities where this person works (4 digits for a province)."""
    own = access.organisations_with(*MUNICIPAL_ROLES)
    if not own:
        return []
    rows = Municipality.objects.filter(organisation_id__in=own).values_list(
        "level", "province__code", "district__ubigeo"
    )
    return sorted(
        {
            province if level == Municipality.Level.PROVINCIAL else district
            for level, province, district in rows
        }
    )


@scope.register("municipalities")
def people_of_my_territory(access) -> Q | None:
    condition = None
    for prefix in territory_prefixes(access):
        q = Q(district_ubigeo__startswith=prefix)
        condition = q if condition is None else condition | q
    return condition


class Districts:
    def choices(self, access) -> list[tuple[str, str]]:
        districts = District.objects.select_related("province").order_by("province__name", "name")
        if not access.is_coordinator:
            prefixes = territory_prefixes(access)
            if not prefixes:
                return []
            condition = Q()
            for prefix in prefixes:
                condition |= Q(ubigeo__startswith=prefix)
            districts = districts.filter(condition)
        return [(d.ubigeo, f"{d.name} ({d.province.name})") for d in districts]

    def names(self, codes: Iterable[str]) -> dict[str, str]:
        return dict(District.objects.filter(ubigeo__in=list(codes)).values_list("ubigeo", "name"))


scope.register_places(Districts())
