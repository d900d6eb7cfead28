"""This app's figures for the coordinators' dashboard (kallpanchis.core.indicators): participatory-budget
money allocated to productive projects and its share of the envelope."""

from django.db.models import F, Sum, Value
from django.db.models.functions import ExtractYear

from kallpanchis.core.indicators import aggregate, formula, measure
from kallpanchis.organisations.models import Organisation
from kallpanchis.people import reach
from municipalities.indicators import municipality_place

from .models import BudgetCycle, Proposal, Workshop, WorkshopParticipant


@measure("pb_productive_allocated")
def pb_productive_allocated():
    """Money allocated (prioritised projects) to proposals of producer organisations, by the cycle's fiscal
    year and municipality (a proposal has no productive flag: a producer organisation's project is taken to
    be a productive one)."""
    province, district = municipality_place("cycle__municipality__")
    return aggregate(
        Proposal.objects.filter(
            allocated__isnull=False, agent__organisation__kind=Organisation.Kind.PRODUCER
        ),
        value=Sum("allocated"),
        year=F("cycle__fiscal_year"),
        province=province,
        district=district,
    )


@measure("pb_envelope")
def pb_envelope():
    province, district = municipality_place("municipality__")
    return aggregate(
        BudgetCycle.objects.all(),
        value=Sum("envelope"),
        year=F("fiscal_year"),
        province=province,
        district=district,
    )


formula("pb_productive_allocated", numerator="pb_productive_allocated", drilldown="budgets:cycle_list")
formula(
    "pb_productive_share",
    numerator="pb_productive_allocated",
    denominator="pb_envelope",
    factor=100,
    drilldown="budgets:cycle_list",
)


# Reach, counted once (kallpanchis/people/reach.py): who came to a workshop, from its list of participants
# and, for a workshop held as a space's meeting, from that meeting's attendance (such a person counts among
# the meeting's people too; the total counts them once).
reach.participation(
    reach.WORKSHOP,
    lambda: WorkshopParticipant.objects.values(
        r_person=F("person_id"), r_year=ExtractYear("workshop__held_on"), r_line=Value("")
    ),
    name="list",
)
reach.participation(
    reach.WORKSHOP,
    lambda: Workshop.objects.filter(meeting__isnull=False).values(
        r_person=F("meeting__attendance__person_id"), r_year=ExtractYear("held_on"), r_line=Value("")
    ),
    name="meeting",
)
