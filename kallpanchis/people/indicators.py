"""The register's figures for the coordinators' dashboard (kallpanchis.core.indicators): people and families
reached, each counted once a year whatever the number of activities, from the participations the domain
apps register (kallpanchis/people/reach.py). Found by the registry's autodiscover() like the apps' own."""

from kallpanchis.core.indicators import formula, measure

from . import reach
from .models import AgeGroup

measure("reach_people")(lambda: reach.people_reached())
measure("reach_families")(reach.families_reached)
measure("reach_repeat")(reach.people_repeating)
for _kind in reach.KINDS:
    measure(f"reach_people_{_kind}")(lambda kind=_kind: reach.people_reached(kind=kind))
# One measure per age group (a fact has no age dimension): "0-17" → reach_age_0_17, "" → reach_age_unknown.
AGE_MEASURES = {
    group: "reach_age_" + (group.replace("-", "_").replace("+", "_plus") or "unknown")
    for group in AgeGroup.values
}
for _group, _name in AGE_MEASURES.items():
    measure(_name)(lambda group=_group: reach.people_reached(age_group=group))

formula("reach_people", numerator="reach_people", drilldown="people:person_list")
formula("reach_families", numerator="reach_families", drilldown="people:family_list")
formula("reach_women_share", numerator="reach_people:female", denominator="reach_people", factor=100)
formula("reach_repeat", numerator="reach_repeat", drilldown="people:person_list")
for _kind in reach.KINDS:
    formula(f"reach_people_{_kind}", numerator=f"reach_people_{_kind}")
for _name in AGE_MEASURES.values():
    formula(_name, numerator=_name)
