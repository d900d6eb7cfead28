"""This app's figures for the coordinators' dashboard (kallpanchis.core.indicators): technicians trained,
the territory's names, and the places a person may see."""

from django.db.models import Case, CharField, Count, F, Value, When
from django.db.models.functions import Cast, Coalesce, ExtractYear

from kallpanchis.core.indicators import aggregate, formula, hook, measure
from kallpanchis.people import reach

from .models import District, Municipality, Province, TrainingAttendance


def municipality_place(prefix: str) -> tuple:
    """(province code, district UBIGEO) of the municipality at `prefix`; a provincial municipality's work
    is province-wide, so its district is left empty."""
    province = F(f"{prefix}province__code")
    district = Case(
        When(**{f"{prefix}level": Municipality.Level.DISTRICT}, then=F(f"{prefix}district__ubigeo")),
        default=Value(""),
        output_field=CharField(),
    )
    return province, district


@measure("technicians_trained")
def technicians_trained():
    """People who completed at least one training of the network in the year (one person counted once a
    year; a person is their network membership, or their name when they are not a member)."""
    province, district = municipality_place("municipality__")
    person = Coalesce(Cast("technician_id", CharField()), "person_name")
    return aggregate(
        TrainingAttendance.objects.filter(completed=True),
        value=Count(person, distinct=True),
        year=ExtractYear("training__held_on"),
        province=province,
        district=district,
        gender=F("gender"),
    )


formula("technicians_trained", numerator="technicians_trained", drilldown="municipalities:training_list")


@hook("territory")
def territory():
    return {
        "provinces": list(Province.objects.order_by("name").values_list("code", "name")),
        "districts": list(District.objects.order_by("name").values_list("ubigeo", "name", "province__code")),
    }


@hook("scope")
def scope(user):
    """None = everything (consortium); else the provinces seen whole and the districts seen, from
    Municipality.objects.visible_to: a provincial municipality's staff see their province, a district's
    their district."""
    from kallpanchis.accounts.access import access_for

    if access_for(user).consortium_wide:
        return None
    provinces, districts = set(), set()
    for level, province_code, ubigeo in Municipality.objects.visible_to(user).values_list(
        "level", "province__code", "district__ubigeo"
    ):
        if level == Municipality.Level.PROVINCIAL:
            provinces.add(province_code)
        else:
            districts.add(ubigeo)
    return frozenset(provinces), frozenset(districts)


# Reach, counted once (kallpanchis/people/reach.py): a training row that names a person of the register is a
# participation (trainings have no thematic line: they count in the total, not in a line).
reach.participation(
    reach.TRAINING,
    lambda: TrainingAttendance.objects.values(
        r_person=F("person_id"), r_year=ExtractYear("training__held_on"), r_line=Value("")
    ),
)
