"""Public pages: anyone can follow a cycle."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from kallpanchis.organisations.models import Organisation

from .. import selectors
from ..models import ParticipatingAgent, Proposal


def public_list(request):
    cycles = list(selectors.cycles_public())
    today = timezone.localdate()
    for cycle in cycles:
        cycle.state = selectors.cycle_state(cycle, today)
    return render(request, "budgets/public_list.html", {"cycles": cycles})


def public_detail(request, pk):
    """Transparency: phase, calendar, registered agents (organisations only), ranking, allocation and
    execution progress, the accreditation lists and their challenges, the accountability report. No names
    of people, no documents."""
    cycle = get_object_or_404(selectors.cycles_public(), pk=pk)
    projects = selectors.prioritised_projects(cycle=cycle)
    return render(
        request,
        "budgets/public_detail.html",
        {
            "cycle": cycle,
            "state": selectors.cycle_state(cycle),
            "phases": selectors.phases_with_steps(cycle=cycle),
            "agents": selectors.agents_for_cycle(cycle=cycle).filter(
                status__in=(ParticipatingAgent.Status.ACCREDITED, ParticipatingAgent.Status.BY_RIGHT)
            ),
            "challenges": selectors.challenges_for_cycle(cycle=cycle),
            "by_right_count": cycle.agents_by_right.count(),
            "report": selectors.accountability_report(cycle=cycle),
            "ranked": Proposal.objects.filter(cycle=cycle, rank__isnull=False)
            .select_related("agent__organisation", "district")
            .order_by("rank"),
            "projects": projects,
            "totals": selectors.execution_totals(projects),
            "organisation_kinds": Organisation.Kind,
        },
    )
