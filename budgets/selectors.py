"""Everything budgets/ reads for a page or a document, scoped to the person asking."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Sum, Window
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kallpanchis.accounts.access import access_for
from kallpanchis.accounts.models import Role
from municipalities.models import Municipality

from . import allocation
from .calendar import phase_state
from .models import (
    BudgetCycle,
    Criterion,
    HistoryEntry,
    Milestone,
    ParticipatingAgent,
    Phase,
    PhaseKind,
    Proposal,
    Score,
    Step,
    TechnicalTeamMember,
    VigilanceReport,
    Workshop,
    WorkshopParticipant,
)


def _cycles():
    return BudgetCycle.objects.select_related(
        "municipality__organisation", "municipality__province"
    ).prefetch_related("phases")


def cycles_for_user(*, user):
    return _cycles().visible_to(user)


def cycle_get_for_user(*, user, cycle_id: int) -> BudgetCycle:
    return get_object_or_404(cycles_for_user(user=user), pk=cycle_id)


def cycle_get_run_by(*, user, cycle_id: int) -> BudgetCycle:
    """A cycle this person runs (budget team, technician, administrator of the municipality), else 404."""
    return get_object_or_404(_cycles().editable_by(user), pk=cycle_id)


def cycle_runs(*, user, cycle: BudgetCycle) -> bool:
    return BudgetCycle.objects.editable_by(user).filter(pk=cycle.pk).exists()


def cycles_open_for_registration(*, today: datetime.date | None = None):
    """Cycles whose preparation phase has not ended: associations may still register."""
    today = today or timezone.localdate()
    return _cycles().filter(phases__kind=PhaseKind.PREPARATION, phases__ends_on__gte=today)


def cycles_public():
    return _cycles()


def municipalities_run_by(*, user):
    from .models import RUNNING_ROLES

    access = access_for(user)
    qs = Municipality.objects.select_related("organisation")
    if access.superuser:
        return qs
    return qs.filter(organisation_id__in=access.organisations_with(*RUNNING_ROLES))


def leader_organisations(*, user):
    from kallpanchis.organisations.models import Organisation

    return Organisation.objects.filter(pk__in=access_for(user).organisations_with(Role.LEADER))


def cycle_state(cycle: BudgetCycle, today: datetime.date | None = None):
    return phase_state(cycle.phases.all(), today or timezone.localdate())


def phases_with_steps(*, cycle: BudgetCycle):
    return Phase.objects.filter(cycle=cycle).prefetch_related(
        Prefetch("steps", queryset=Step.objects.order_by("position"))
    )


def phase_get_run_by(*, user, phase_id: int) -> Phase:
    return get_object_or_404(
        Phase.objects.select_related("cycle").filter(cycle__in=BudgetCycle.objects.editable_by(user)),
        pk=phase_id,
    )


def step_get_run_by(*, user, step_id: int) -> Step:
    return get_object_or_404(
        Step.objects.select_related("phase__cycle").filter(
            phase__cycle__in=BudgetCycle.objects.editable_by(user)
        ),
        pk=step_id,
    )


def agents_for_cycle(*, cycle: BudgetCycle):
    return (
        ParticipatingAgent.objects.filter(cycle=cycle)
        .select_related("organisation")
        .annotate(delegate_count=Count("delegates", distinct=True))
    )


def agent_get_for_user(*, user, agent_id: int) -> ParticipatingAgent:
    """Readers of the cycle who may see agents' delegates: those who run or read the cycle as municipal
    staff or consortium, and the agent organisation's own people."""
    access = access_for(user)
    qs = ParticipatingAgent.objects.select_related("organisation", "cycle__municipality__organisation")
    if not access.consortium_wide:
        qs = qs.filter(
            Q(cycle__municipality__in=Municipality.objects.visible_to(user))
            | Q(organisation_id__in=access.by_organisation.keys())
        )
    return get_object_or_404(qs, pk=agent_id)


def agents_accredited(*, cycle: BudgetCycle):
    """The agents of the cycle the budget team accredited (who may submit proposals and sit on the Comité
    de Vigilancia)."""
    return ParticipatingAgent.objects.filter(
        cycle=cycle, status=ParticipatingAgent.Status.ACCREDITED
    ).select_related("organisation")


def agents_of_user(*, user, cycle: BudgetCycle):
    return ParticipatingAgent.objects.filter(
        cycle=cycle, organisation_id__in=access_for(user).by_organisation.keys()
    ).select_related("organisation")


def proposals_for_user(*, user, cycle: BudgetCycle):
    return (
        Proposal.objects.visible_to(user)
        .filter(cycle=cycle)
        .select_related("agent__organisation", "district")
        .order_by("pk")
    )


def proposal_get_for_user(*, user, proposal_id: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.visible_to(user).select_related(
            "cycle__municipality__organisation", "agent__organisation", "district"
        ),
        pk=proposal_id,
    )


def proposal_get_run_by(*, user, proposal_id: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.filter(cycle__in=BudgetCycle.objects.editable_by(user)).select_related(
            "cycle__municipality__organisation", "agent__organisation", "district"
        ),
        pk=proposal_id,
    )


def workshop_get_for_user(*, user, workshop_id: int) -> Workshop:
    return get_object_or_404(
        Workshop.objects.filter(cycle__in=BudgetCycle.objects.visible_to(user)).select_related("cycle"),
        pk=workshop_id,
    )


def workshop_participants(*, workshop: Workshop) -> list[WorkshopParticipant]:
    return list(workshop.participants.select_related("organisation", "person"))


def workshop_participants_run_by(*, user):
    """Participants of workshops of the cycles this person runs (the others' are a 404)."""
    return WorkshopParticipant.objects.filter(
        workshop__cycle__in=BudgetCycle.objects.editable_by(user)
    ).select_related("workshop__cycle")


def technical_member_get_run_by(*, user, member_id: int) -> TechnicalTeamMember:
    """A member of the Equipo Técnico of a cycle this person runs, else 404."""
    return get_object_or_404(
        TechnicalTeamMember.objects.filter(cycle__in=BudgetCycle.objects.editable_by(user)), pk=member_id
    )


def milestone_get_run_by(*, user, milestone_id: int) -> Milestone:
    """A milestone of a project in a cycle this person runs, else 404."""
    return get_object_or_404(
        Milestone.objects.select_related("proposal__cycle").filter(
            proposal__cycle__in=BudgetCycle.objects.editable_by(user)
        ),
        pk=milestone_id,
    )


def vigilance_report_get_for_user(*, user, report_id: int) -> VigilanceReport:
    """A Comité de Vigilancia report of a cycle this person sees, else 404 (its document is for those who
    read the whole cycle: the view asks that too)."""
    return get_object_or_404(
        VigilanceReport.objects.filter(cycle__in=BudgetCycle.objects.visible_to(user)), pk=report_id
    )


@dataclass
class RankingRow:
    proposal: Proposal
    position: int
    total: Decimal
    amount: Decimal | None
    scored: int
    cumulative: Decimal | None


@dataclass
class Ranking:
    rows: list[RankingRow]
    criteria: list[Criterion]
    error: str | None
    allocated_total: Decimal
    left: Decimal
    saved_differs: bool = False  # what is saved on the proposals is not what the scores give now


def ranking_for_cycle(*, cycle: BudgetCycle) -> Ranking:
    """The ranking and allocation computed now from the scores (three queries whatever the number of
    projects). What the budget team saved with 'Compute and save' is on the proposals (rank, allocated)."""
    from .services import matrix_error_message

    criteria = list(Criterion.objects.filter(cycle=cycle))
    proposals = list(
        Proposal.objects.filter(cycle=cycle, status=Proposal.Status.ADMISSIBLE, withdrawn_on__isnull=True)
        .select_related("agent__organisation", "district")
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.only("proposal_id", "criterion_id", "value"))
        )
    )
    error = matrix_error_message(criteria)
    if error:
        return Ranking([], criteria, error, Decimal(0), cycle.envelope)
    by_pk = {p.pk: p for p in proposals}
    matrix = [allocation.Criterion(key=c.pk, weight=c.weight, scale_max=c.scale_max) for c in criteria]
    candidates = [
        allocation.Candidate(
            key=p.pk,
            requested=p.requested,
            families=p.families,
            scores={s.criterion_id: s.value for s in p.scores.all()},
        )
        for p in proposals
    ]
    rows, running = [], Decimal(0)
    for item in allocation.prioritise(matrix, candidates, cycle.envelope):
        proposal = by_pk[item.ranked.candidate.key]
        if item.amount is not None:
            running += item.amount
        rows.append(
            RankingRow(
                proposal=proposal,
                position=item.ranked.position,
                total=item.ranked.total,
                amount=item.amount,
                scored=len(proposal.scores.all()),
                cumulative=running if item.amount is not None else None,
            )
        )
    differs = any(r.proposal.rank != r.position or r.proposal.allocated != r.amount for r in rows)
    return Ranking(rows, criteria, None, running, cycle.envelope - running, saved_differs=differs)


def prioritised_projects(*, cycle: BudgetCycle, today: datetime.date | None = None):
    """Projects with an allocation, in rank order, each with its milestones and flags (overdue, stalled)."""
    today = today or timezone.localdate()
    projects = list(
        Proposal.objects.filter(cycle=cycle, allocated__isnull=False)
        .select_related("agent__organisation", "district", "cycle")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "pk")), "programming"
        )
        .order_by("rank", "pk")
    )
    for p in projects:
        overdue = sum(1 for m in p.milestones.all() if m.done_on is None and m.due_on < today)
        p.flag_list = p.flags(today, overdue_milestones=overdue)
        p.overdue_milestones = overdue
        p.spent_pct = (p.spent * 100 / p.allocated).quantize(Decimal("1")) if p.allocated else None
    return projects


def execution_totals(projects) -> dict:
    allocated = sum((p.allocated for p in projects), Decimal(0))
    spent = sum((p.spent for p in projects), Decimal(0))
    return {
        "allocated": allocated,
        "spent": spent,
        "flagged": sum(1 for p in projects if p.flag_list),
        "finished": sum(1 for p in projects if p.progress_pct >= 100),
    }


def history_for_cycle(*, cycle: BudgetCycle, limit: int = 300):
    return HistoryEntry.objects.filter(cycle=cycle).select_related("by")[:limit]


def cycle_summary(*, cycle: BudgetCycle) -> dict:
    agents = ParticipatingAgent.objects.filter(cycle=cycle).aggregate(
        total=Count("pk"), accredited=Count("pk", filter=Q(status=ParticipatingAgent.Status.ACCREDITED))
    )
    proposals = Proposal.objects.filter(cycle=cycle).aggregate(
        total=Count("pk"),
        viable=Count("pk", filter=Q(status=Proposal.Status.ADMISSIBLE)),
        prioritised=Count("pk", filter=Q(allocated__isnull=False)),
        allocated=Sum("allocated"),
    )
    workshops = Workshop.objects.filter(cycle=cycle).aggregate(
        total=Count("pk"), women=Sum("women"), men=Sum("men")
    )
    return {"agents": agents, "proposals": proposals, "workshops": workshops}


# The Comité de Vigilancia reports every six months (DS 142-2009-EF).
VIGILANCE_REPORT_EVERY_DAYS = 183


def vigilance_report_due(*, cycle: BudgetCycle, today: datetime.date | None = None) -> datetime.date | None:
    """The date by which the next committee report was expected, if it has passed; else None. Counted from
    the last report, or from 1 January of the fiscal year while projects are being executed."""
    today = today or timezone.localdate()
    start = datetime.date(cycle.fiscal_year, 1, 1)
    if today < start or not Proposal.objects.filter(cycle=cycle, allocated__isnull=False).exists():
        return None
    last = cycle.vigilance_reports.order_by("-submitted_on").values_list("submitted_on", flat=True).first()
    due = (last or start) + datetime.timedelta(days=VIGILANCE_REPORT_EVERY_DAYS)
    return due if due < today else None


# --- the home page's to-do list (budgets/pending.py) -----------------------------------------------------

HOME_LIMIT = 12


def cycles_running(*, user, today: datetime.date) -> list[BudgetCycle]:
    """The cycles this person runs that are not over (their last phase ends today or later), with their
    phases and steps: two or three queries whatever the number."""
    return list(
        BudgetCycle.objects.editable_by(user)
        .filter(phases__ends_on__gte=today)
        .distinct()
        .select_related("municipality__organisation")
        .prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("position")),
            Prefetch("phases__steps", queryset=Step.objects.order_by("position")),
        )
        .order_by("municipality__organisation__name", "fiscal_year")
    )


def proposals_to_evaluate(*, cycles) -> tuple[list[Proposal], int]:
    """Proposals of these cycles still waiting for the technical evaluation, oldest first."""
    qs = Proposal.objects.filter(cycle__in=cycles, status=Proposal.Status.SUBMITTED)
    rows = list(
        qs.select_related("cycle", "agent__organisation")
        .annotate(home_total=Window(Count("pk")))
        .order_by("created_at", "pk")[:HOME_LIMIT]
    )
    return rows, (rows[0].home_total if rows else 0)


def proposals_missing_scores(*, cycles) -> dict[int, list[int]]:
    """Per cycle, the admissible proposals that lack a score for at least one of the cycle's criteria."""
    criteria = Criterion.objects.filter(cycle=OuterRef("cycle")).order_by().values("cycle")
    criteria = criteria.annotate(n=Count("pk")).values("n")
    scored = Score.objects.filter(proposal=OuterRef("pk")).order_by().values("proposal")
    scored = scored.annotate(n=Count("pk")).values("n")
    rows = (
        Proposal.objects.filter(cycle__in=cycles, status=Proposal.Status.ADMISSIBLE)
        .annotate(
            criteria_count=Coalesce(Subquery(criteria), 0),
            score_count=Coalesce(Subquery(scored), 0),
        )
        .filter(criteria_count__gt=F("score_count"))
        .order_by("pk")
        .values_list("cycle_id", "pk")
    )
    found: dict[int, list[int]] = {}
    for cycle_id, pk in rows:
        found.setdefault(cycle_id, []).append(pk)
    return found


def cycles_open_to_associations(*, organisation_ids, today: datetime.date) -> list[tuple]:
    """(cycle, association organisation id, agent or None) for each cycle open for registration whose
    municipality covers an association of these organisations: the district municipality of its district,
    or the provincial municipality of its province. Three queries whatever the number."""
    from kallpanchis.organisations.models import Organisation

    # Where an association sits is on its producers/ profile, read through the organisation's reverse
    # relation: budgets takes no import of another domain app for one pair of ids.
    associations = [
        {"organisation_id": pk, "district_id": district, "district__province_id": province}
        for pk, district, province in Organisation.objects.filter(
            pk__in=list(organisation_ids), producer_association__isnull=False
        ).values_list(
            "pk", "producer_association__district_id", "producer_association__district__province_id"
        )
    ]
    if not associations:
        return []
    covers = Q()
    for a in associations:
        covers |= Q(municipality__district_id=a["district_id"], municipality__level="district")
        covers |= Q(municipality__province_id=a["district__province_id"], municipality__level="provincial")
    cycles = list(
        cycles_open_for_registration(today=today)
        .filter(covers)
        .distinct()
        .prefetch_related(None)
        .prefetch_related(Prefetch("phases", queryset=Phase.objects.order_by("position")))
    )
    agents = {
        (agent.cycle_id, agent.organisation_id): agent
        for agent in ParticipatingAgent.objects.filter(
            cycle__in=cycles, organisation_id__in=list(organisation_ids)
        )
    }
    found = []
    for cycle in cycles:
        for a in associations:
            m = cycle.municipality
            if (m.level == "district" and m.district_id == a["district_id"]) or (
                m.level == "provincial" and m.province_id == a["district__province_id"]
            ):
                found.append((cycle, a["organisation_id"], agents.get((cycle.pk, a["organisation_id"]))))
    return found


# --- the acta, the MEF-shaped export, accountability ----------------------------------------------------


def reserve_projects(*, cycle: BudgetCycle) -> list[Proposal]:
    """The reserve list of the acta: ranked, admissible projects not funded (nor withdrawn), in rank order.
    A funded project that cannot be executed is replaced from here (services.proposal_replace)."""
    return list(
        Proposal.objects.filter(
            cycle=cycle,
            status=Proposal.Status.ADMISSIBLE,
            rank__isnull=False,
            allocated__isnull=True,
            withdrawn_on__isnull=True,
        )
        .select_related("agent__organisation", "district")
        .prefetch_related("programming")
        .order_by("rank")
    )


def acta_context(*, cycle: BudgetCycle) -> dict:
    """Everything the Acta de Acuerdos y Compromisos shows (a fixed number of queries)."""
    from .services import quorum

    projects = prioritised_projects(cycle=cycle)
    present, voting, reached = quorum(cycle)
    return {
        "cycle": cycle,
        "projects": projects,
        "totals": execution_totals(projects),
        "reserve": reserve_projects(cycle=cycle),
        "agents": agents_for_cycle(cycle=cycle).filter(
            status__in=(ParticipatingAgent.Status.ACCREDITED, ParticipatingAgent.Status.BY_RIGHT)
        ),
        "by_right": list(cycle.agents_by_right.all()),
        "vigilance": list(cycle.vigilance_members.select_related("agent__organisation")),
        "technical_team": list(cycle.technical_team.all()),
        "replacements": list(cycle.replacements.select_related("withdrawn", "replacement")),
        "quorum": {"present": present, "voting": voting, "reached": reached},
    }


def challenges_for_cycle(*, cycle: BudgetCycle):
    from .models import Challenge

    return Challenge.objects.filter(agent__cycle=cycle).select_related("agent__organisation")


def challenge_get_run_by(*, user, challenge_id: int):
    from .models import Challenge

    return get_object_or_404(
        Challenge.objects.select_related("agent__cycle").filter(
            agent__cycle__in=BudgetCycle.objects.editable_by(user)
        ),
        pk=challenge_id,
    )


@dataclass
class AccountabilityCycle:
    cycle: BudgetCycle
    projects: list
    totals: dict
    reports: list
    replacements: list


def accountability_report(
    *, cycle: BudgetCycle, today: datetime.date | None = None
) -> list[AccountabilityCycle]:
    """Rendición de cuentas (Instructivo 001-2010-EF/76.01, accountability workshop): for each earlier cycle
    of the same municipality, newest first, its funded projects with allocation, spending, progress,
    milestones done and flags, the replacements, and the Comité de Vigilancia's reports. Queries do not
    grow with the number of projects (one set per earlier cycle)."""
    today = today or timezone.localdate()
    earlier = list(
        BudgetCycle.objects.filter(municipality=cycle.municipality, fiscal_year__lt=cycle.fiscal_year)
        .select_related("municipality__organisation")
        .order_by("-fiscal_year")[:3]
    )
    found = []
    for old in earlier:
        projects = prioritised_projects(cycle=old, today=today)
        for p in projects:
            p.milestones_done = sum(1 for m in p.milestones.all() if m.done_on)
        found.append(
            AccountabilityCycle(
                cycle=old,
                projects=projects,
                totals=execution_totals(projects),
                reports=list(old.vigilance_reports.order_by("-submitted_on")),
                replacements=list(old.replacements.select_related("withdrawn", "replacement")),
            )
        )
    return found


def business_plans_for_user(*, user):
    """Procompite business plans of the municipalities this person reads, newest call first."""
    from .models import BusinessPlan

    return BusinessPlan.objects.visible_to(user).select_related("association", "municipality__organisation")
