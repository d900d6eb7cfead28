"""Which people of the register municipal staff see: those living in their municipality's territory.

A provincial municipality covers its province's districts (the first 4 digits of the UBIGEO), a district
municipality its own district (all 6). Viewers of a municipality see counts only, not people.
"""

from collections.abc import Iterable

from django.db.models import Case, CharField, F, Q, When
from django.utils.translation import gettext_lazy as _

from kallpanchis.accounts.models import MUNICIPAL_ROLES
from kallpanchis.people import legacy, scope

from .models import District, Municipality, Technician, TrainingAttendance


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


# --- bringing the past in (kallpanchis.people.legacy) ------------------------------------------------------
# Network members and training lists carry no consent to the register: their rows are linked to people
# already registered (by their organisation, the municipality), never used to register anyone.


def municipality_place(prefix: str):
    """The UBIGEO of a municipality's territory: its district's, or its province's 4 digits."""
    return Case(
        When(**{f"{prefix}level": Municipality.Level.DISTRICT}, then=F(f"{prefix}district__ubigeo")),
        default=F(f"{prefix}province__code"),
        output_field=CharField(),
    )


def _technician_rows(**filters):
    rows = (
        Technician.objects.filter(person__isnull=True, **filters)
        .annotate(place=municipality_place("municipality__"))
        .order_by("pk")
        .values_list(
            "pk",
            "person_name",
            "gender",
            "municipality_id",
            "municipality__organisation_id",
            "place",
            "position",
        )
    )
    for pk, name, gender, municipality, organisation, place, position in rows.iterator(chunk_size=2000):
        yield legacy.LegacyRow(
            pk=pk,
            name=name,
            gender=gender,
            organisation_id=organisation,
            district_ubigeo=place or "",
            context=position,
            together=municipality,
        )


def _training_rows(**filters):
    rows = (
        TrainingAttendance.objects.filter(person__isnull=True, **filters)
        .annotate(place=municipality_place("municipality__"))
        .order_by("pk")
        .values_list(
            "pk",
            "person_name",
            "gender",
            "technician__person_id",
            "municipality__organisation_id",
            "place",
            "training_id",
            "training__title",
            "training__held_on",
        )
    )
    for pk, name, gender, person, organisation, place, training, title, held_on in rows.iterator(
        chunk_size=2000
    ):
        yield legacy.LegacyRow(
            pk=pk,
            name=name,
            gender=gender,
            person_id=person,
            organisation_id=organisation,
            district_ubigeo=place or "",
            context=f"{title} · {held_on:%d/%m/%Y}",
            together=training,
        )


legacy.register(
    legacy.Source(
        label="municipalities.Technician",
        model=Technician,
        rows=_technician_rows,
        linked=lambda: Technician.objects.filter(person__isnull=False).values_list(
            "person_id", "municipality__organisation_id", "municipality_id"
        ),
        verbose_name=_("network member"),
        order=20,
    )
)
legacy.register(
    legacy.Source(
        label="municipalities.TrainingAttendance",
        model=TrainingAttendance,
        rows=_training_rows,
        linked=lambda: TrainingAttendance.objects.filter(person__isnull=False).values_list(
            "person_id", "municipality__organisation_id", "training_id"
        ),
        verbose_name=_("training participant"),
        order=30,
    )
)
