"""What the API reads, for the person asking: each domain app's `visible_to(user)` scope, widened by what
is published to anyone (publication.py), so that a token never reads less than an anonymous reader and
never more than its owner's pages. Every list is a fixed number of queries whatever its length."""

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from budgets.models import BudgetCycle, ExecutionUpdate, Milestone, ParticipatingAgent, Proposal, Score
from kallpanchis.accounts.access import access_for
from kallpanchis.core.models import Gender
from municipalities.models import District, Municipality, Province
from producers.models import Activity, BudgetLine, BudgetSource, Member, OperatingPlan, ProducerAssociation
from results.models import Report
from results.selectors import report_visible_q
from spaces.models import AgendaItem, Agreement, Attendance, ConcertationSpace, Meeting, SpaceMember

from . import publication

MONEY = DecimalField(max_digits=14, decimal_places=2)


def _scoped(model, visible, published, user):
    """Anonymous: what is published. Signed in: their scope, plus what is published."""
    if not user.is_authenticated:
        return published
    if access_for(user).consortium_wide:
        return visible
    return model.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=published.values("pk")))


def _count(queryset, outer: str = "pk"):
    """A correlated COUNT subquery: counts that do not multiply each other's joins."""
    return Coalesce(
        Subquery(queryset.order_by().values(outer).annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def _sum(queryset, field: str, outer: str):
    return Coalesce(
        Subquery(queryset.order_by().values(outer).annotate(s=Sum(field)).values("s")[:1]),
        Value(0),
        output_field=MONEY,
    )


# --- territory ------------------------------------------------------------------------------------------


def provinces():
    return Province.objects.all()


def districts():
    return District.objects.select_related("province")


def municipalities_for(*, user):
    """Every signed-in person reads municipalities' public profiles; anonymous readers the publishing ones."""
    base = Municipality.objects.public() if user.is_authenticated else publication.municipalities_published()
    return base.select_related("organisation", "province", "district")


# --- spaces ---------------------------------------------------------------------------------------------


def spaces_for(*, user):
    qs = _scoped(
        ConcertationSpace, ConcertationSpace.objects.visible_to(user), publication.spaces_published(), user
    )
    return (
        qs.select_related(
            "municipality__organisation",
            "municipality__province",
            "municipality__district",
            "association",
            "thematic_group",
        )
        .prefetch_related(
            Prefetch("members", queryset=SpaceMember.objects.select_related("organisation").order_by("pk"))
        )
        .annotate(meeting_count=_count(Meeting.objects.filter(space=OuterRef("pk")), "space"))
    )


def meetings_for(*, user):
    qs = _scoped(Meeting, Meeting.objects.visible_to(user), publication.meetings_published(), user)
    # Correlated counts, not a join: the page's 50 meetings are counted, not every meeting before the LIMIT.
    attendance = Attendance.objects.filter(meeting=OuterRef("pk"))
    return (
        qs.select_related("space")
        .annotate(
            attendance_total=_count(attendance, "meeting"),
            attendance_female=_count(attendance.filter(gender=Gender.FEMALE), "meeting"),
            attendance_male=_count(attendance.filter(gender=Gender.MALE), "meeting"),
        )
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position")),
            Prefetch("agreements", queryset=Agreement.objects.only("pk", "meeting_id").order_by("pk")),
        )
    )


def agreements_for(*, user):
    qs = _scoped(Agreement, Agreement.objects.visible_to(user), publication.agreements_published(), user)
    return qs.select_related("meeting", "responsible_organisation")


# --- producers (signed-in only: nothing of theirs is public) ---------------------------------------------


def associations_for(*, user):
    members = Member.objects.filter(association=OuterRef("pk"))
    return (
        ProducerAssociation.objects.visible_to(user)
        .select_related("organisation", "district__province")
        .annotate(
            member_count=_count(members, "association"),
            member_female=_count(members.filter(gender=Gender.FEMALE), "association"),
            member_male=_count(members.filter(gender=Gender.MALE), "association"),
        )
    )


def plans_for(*, user):
    lines = BudgetLine.objects.filter(activity__plan=OuterRef("pk"))
    by_source = {
        f"budget_{source}": _sum(lines.filter(source=source), "amount", "activity__plan")
        for source in BudgetSource.values
    }
    return (
        OperatingPlan.objects.visible_to(user)
        .select_related("association__organisation")
        .annotate(
            activity_count=_count(Activity.objects.filter(plan=OuterRef("pk")), "plan"),
            budget_total=_sum(lines, "amount", "activity__plan"),
            **by_source,
        )
    )


# --- budgets --------------------------------------------------------------------------------------------


def cycles_for(*, user):
    qs = _scoped(BudgetCycle, BudgetCycle.objects.visible_to(user), publication.cycles_published(), user)
    agents = ParticipatingAgent.objects.filter(cycle=OuterRef("pk"))
    proposals = Proposal.objects.filter(cycle=OuterRef("pk"))
    return (
        qs.select_related("municipality__organisation", "municipality__province", "municipality__district")
        .prefetch_related("phases")
        .annotate(
            agent_count=_count(agents, "cycle"),
            accredited_count=_count(agents.filter(status=ParticipatingAgent.Status.ACCREDITED), "cycle"),
            proposal_count=_count(proposals, "cycle"),
            prioritised_count=_count(proposals.filter(allocated__isnull=False), "cycle"),
            allocated_total=_sum(proposals.filter(allocated__isnull=False), "allocated", "cycle"),
            spent_total=_sum(proposals.filter(allocated__isnull=False), "spent", "cycle"),
        )
    )


def agents_for(*, user):
    qs = _scoped(
        ParticipatingAgent, ParticipatingAgent.objects.visible_to(user), publication.agents_published(), user
    )
    return qs.select_related("organisation")


def proposals_for(*, user):
    qs = _scoped(Proposal, Proposal.objects.visible_to(user), publication.proposals_published(), user)
    return qs.select_related("agent__organisation", "district")


def allocations_for(*, user):
    """Prioritised projects (an allocation) with their execution figures and milestones."""
    milestones = Milestone.objects.filter(proposal=OuterRef("pk"))
    return (
        proposals_for(user=user)
        .filter(allocated__isnull=False)
        .annotate(
            milestone_count=_count(milestones, "proposal"),
            milestone_done=_count(milestones.filter(done_on__isnull=False), "proposal"),
        )
    )


def scores_for(*, user):
    return Score.objects.filter(proposal__in=Proposal.objects.visible_to(user).values("pk")).select_related(
        "criterion", "proposal"
    )


def execution_updates_for(*, user):
    return ExecutionUpdate.objects.filter(
        proposal__in=Proposal.objects.visible_to(user).values("pk")
    ).select_related("proposal")


def reported_values_for(*, user):
    """The results framework's approved values (the version that counts) that the person may read on the
    results pages, plus what publishing municipalities publish."""
    current = publication.reported_values_current()
    condition = report_visible_q(user) if user.is_authenticated else None
    visible = current if condition is None else current.filter(condition)
    return _scoped(Report, visible, publication.reported_values_published(), user).select_related(
        "indicator", "municipality__province", "municipality__district", "period"
    )
