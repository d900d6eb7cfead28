"""What is published to anyone (anonymous API readers and the open data): one definition for both.

A municipality publishes only when it says so (`Municipality.publishes_open_data`); then its public
concertation spaces (`is_public`), their meetings and agreements, and its participatory-budget cycles (which
have a public page each) with their accredited agents and ranked projects are published. Never the names of
people: the serializers carry none.
"""

from django.db.models import Exists, OuterRef, Q

from budgets.models import BudgetCycle, ParticipatingAgent, Proposal
from municipalities.models import Municipality
from results.models import Report
from spaces.models import Agreement, ConcertationSpace, Meeting


def municipalities_published():
    return Municipality.objects.filter(publishes_open_data=True)


def spaces_published():
    """Public spaces convened by a publishing municipality, or by a mancomunidad one of whose members
    publishes (a sub-space has its parent's convener)."""
    publishing = municipalities_published().values("pk")
    convened = Q(municipality__in=publishing) | Q(association__members__in=publishing)
    return ConcertationSpace.objects.filter(
        pk__in=ConcertationSpace.objects.filter(convened, is_public=True).values("pk")
    )


def meetings_published():
    return Meeting.objects.filter(space__in=spaces_published().values("pk"))


def agreements_published():
    return Agreement.objects.filter(meeting__space__in=spaces_published().values("pk"))


def cycles_published():
    return BudgetCycle.objects.filter(municipality__publishes_open_data=True)


def agents_published():
    """As on the cycle's public page: accredited agents only."""
    return ParticipatingAgent.objects.filter(
        cycle__in=cycles_published().values("pk"), status=ParticipatingAgent.Status.ACCREDITED
    )


def proposals_published():
    """As on the cycle's public page: the ranked projects (with their allocation and execution)."""
    return Proposal.objects.filter(cycle__in=cycles_published().values("pk"), rank__isnull=False)


def reported_values_current():
    """The value that counts for each indicator, municipality and period: its latest approved version (a
    correction waiting for review leaves the approved one counting, as on the dashboard)."""
    later = Report.objects.filter(
        indicator=OuterRef("indicator"),
        municipality=OuterRef("municipality"),
        period=OuterRef("period"),
        state=Report.State.APPROVED,
        version__gt=OuterRef("version"),
    )
    return Report.objects.approved().filter(~Exists(later))


def reported_values_published():
    """Approved figures of publishing municipalities: figures only (no narrative, evidence or reviewer)."""
    return reported_values_current().filter(municipality__publishes_open_data=True)
