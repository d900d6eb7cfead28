"""Every read for a page or an export, scoped to the person asking."""

import difflib
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from kallpanchis.accounts.access import access_for
from kallpanchis.core.caching import by_what_it_reads
from kallpanchis.core.models import Gender
from kallpanchis.core.templatetags.wording import month_name, plain_number

from ..models import (
    Activity,
    BudgetLine,
    BudgetSource,
    Member,
    OperatingPlan,
    PlanDeadline,
    PlanEvent,
    ProducerAssociation,
    ProductionRecord,
    plans_waiting_first,
)

ZERO = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))


def associations_for_user(*, user):
    current_plans = OperatingPlan.objects.filter(is_current=True).order_by("-year")
    return (
        ProducerAssociation.objects.visible_to(user)
        .select_related("organisation", "district__province")
        .annotate(
            member_count=Count("members", distinct=True),
            women_count=Count("members", filter=Q(members__gender=Gender.FEMALE), distinct=True),
        )
        .prefetch_related(Prefetch("plans", queryset=current_plans, to_attr="current_plans"))
        .order_by("organisation__name")
    )


def association_get_for_user(*, user, association_id: int) -> ProducerAssociation:
    return get_object_or_404(
        ProducerAssociation.objects.visible_to(user).select_related("organisation", "district__province"),
        pk=association_id,
    )


def association_kept_for_user(*, user, association_id: int) -> ProducerAssociation:
    """`association_get_for_user`, kept until a table it reads changes (`by_what_it_reads`): the production
    table reads it on every request, and a month's figures written leave it as it was. Not kept: a 404.
    Callers must not change the instance: each process hands the same one to every request."""
    return by_what_it_reads(
        "producers:association",
        user,
        association_id,
        ("producers",),
        lambda: association_get_for_user(user=user, association_id=association_id),
        frozen=True,  # the page only reads it: kept in the process, not unpickled on every request
    )


def association_get_for_manager(*, user, association_id: int) -> ProducerAssociation:
    """For pages that change an association: outside who manages it, a 404."""
    return get_object_or_404(
        ProducerAssociation.objects.editable_by(user).select_related("organisation", "district__province"),
        pk=association_id,
    )


def association_is_managed_by(*, user, association: ProducerAssociation) -> bool:
    return ProducerAssociation.objects.editable_by(user).filter(pk=association.pk).exists()


def member_counts(*, association: ProducerAssociation) -> dict:
    """Members by gender (the brief asks participation to be counted by gender), those linked to the
    register of people, and the families they belong to, counted once: beside the families the association
    declares."""
    return Member.objects.filter(association=association).aggregate(
        total=Count("pk"),
        women=Count("pk", filter=Q(gender=Gender.FEMALE)),
        men=Count("pk", filter=Q(gender=Gender.MALE)),
        in_register=Count("person_id", distinct=True),
        families=Count("person__family_id", distinct=True),
    )


def members_of(*, association: ProducerAssociation):
    off_board_last = Case(When(board_role="", then=Value(1)), default=Value(0))
    return Member.objects.filter(association=association).order_by(off_board_last, "name")


def member_get_for_manager(*, user, member_id: int) -> Member:
    return get_object_or_404(Member.objects.editable_by(user).select_related("association"), pk=member_id)


def _deadline_for_year():
    return Subquery(PlanDeadline.objects.filter(year=OuterRef("year")).values("due_on")[:1])


def plans_with_flags(queryset):
    """Adds `deadline` (what `OperatingPlan.is_late` reads with the sending's date) and `total_budget` (summed
    by the database). Not the sending's day: the plan list keeps its order apart from its rows, by the
    columns its query reads (fragments.Rows.of_page), and a plan's dates written would read it again."""
    total = (
        BudgetLine.objects.filter(activity__plan=OuterRef("pk"))
        .order_by()
        .values("activity__plan")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return queryset.annotate(
        deadline=_deadline_for_year(),
        total_budget=Coalesce(Subquery(total), ZERO),
    )


def plans_for_user(*, user, year: int | None = None, status: str = "", current_only: bool = True):
    plans = OperatingPlan.objects.visible_to(user).select_related(
        "association__organisation", "association__district"
    )
    if current_only:
        plans = plans.filter(is_current=True)
    if year:
        plans = plans.filter(year=year)
    if status:
        plans = plans.filter(status=status)
    return plans_with_flags(plans)


def plans_for_review(*, user, year: int | None = None, status: str = "", waiting: bool = False):
    """The plans this person reviews (technician of the territory, coordinator), those waiting first;
    `waiting` keeps only those sent and not yet answered."""
    plans = plans_for_user(user=user, year=year, status=status)
    if waiting:
        plans = plans.filter(status__in=OperatingPlan.IN_REVIEW)
    plans = plans.reviewable_by(user)  # the same rows as `pk in reviewable`, without joining every plan
    return plans.order_by(plans_waiting_first(), "-year", "association__organisation__name")


def plan_years(*, user) -> list[int]:
    """The years of the year filter, newest first: every year from the person's first plan to their last.
    Two ends read from the year index, not DISTINCT over every plan (38,000 at 10×: 7 ms, and growing)."""
    ends = OperatingPlan.objects.visible_to(user).aggregate(first=Min("year"), last=Max("year"))
    if ends["first"] is None:
        return []
    return list(range(ends["last"], ends["first"] - 1, -1))


def plan_get_for_user(*, user, plan_id: int) -> OperatingPlan:
    return get_object_or_404(
        plans_with_flags(
            OperatingPlan.objects.visible_to(user).select_related(
                "association__organisation", "association__district__province", "previous"
            )
        ),
        pk=plan_id,
    )


def plan_get_for_manager(*, user, plan_id: int) -> OperatingPlan:
    return get_object_or_404(
        OperatingPlan.objects.editable_by(user).select_related("association__organisation"), pk=plan_id
    )


def plan_get_for_reviewer(*, user, plan_id: int) -> OperatingPlan:
    return get_object_or_404(
        OperatingPlan.objects.reviewable_by(user).select_related("association__organisation"), pk=plan_id
    )


def plan_activities(*, plan: OperatingPlan):
    """Activities with their budget lines and their total (summed by the database)."""
    return (
        Activity.objects.filter(plan=plan)
        .annotate(total=Coalesce(Sum("budget_lines__amount"), ZERO))
        .prefetch_related("budget_lines")
        .order_by("position", "pk")
    )


def plan_totals(*, plan: OperatingPlan) -> dict:
    """Totals per source and overall, summed by the database; every source listed, zero when absent."""
    by_source = dict(
        BudgetLine.objects.filter(activity__plan=plan)
        .order_by()
        .values("source")
        .annotate(total=Sum("amount"))
        .values_list("source", "total")
    )
    rows = [(value, label, by_source.get(value, 0)) for value, label in BudgetSource.choices]
    grand = BudgetLine.objects.filter(activity__plan=plan).aggregate(total=Coalesce(Sum("amount"), ZERO))
    return {"by_source": rows, "total": grand["total"]}


def plan_history(*, plan: OperatingPlan):
    """All steps of every version of this plan's year, oldest first, with their section comments."""
    return (
        PlanEvent.objects.filter(plan__association=plan.association, plan__year=plan.year)
        .select_related("by", "plan")
        .prefetch_related("section_comments")
    )


def plan_versions(*, plan: OperatingPlan):
    return OperatingPlan.objects.filter(association=plan.association, year=plan.year).order_by("version")


def plan_open_comments(*, plan: OperatingPlan) -> dict:
    """The comments of the last return, by section, for the leader fixing the plan."""
    last = plan.events.filter(action=PlanEvent.Action.RETURNED).order_by("-at", "-pk").first()
    if last is None or plan.status not in (OperatingPlan.Status.RETURNED,):
        return {}
    grouped: dict[str, list] = {}
    for comment in last.section_comments.all():
        grouped.setdefault(comment.section, []).append(comment)
    return grouped


def _plan_lines(plan: OperatingPlan) -> dict[str, list[str]]:
    sources = dict(BudgetSource.choices)
    activities = []
    for a in plan_activities(plan=plan):
        months = ", ".join(month_name(m) for m in a.month_numbers)  # "mar., abr.", not "3, 4"
        budget = "; ".join(f"{sources[b.source]}: S/ {b.amount}" for b in a.budget_lines.all())
        quantity = plain_number(a.quantity) if a.quantity is not None else ""
        activities.append(
            f"{a.title} — {a.indicator}: {quantity} {a.unit}"
            f" — {a.responsible} — {_('months')}: {months} — {budget}"
        )
    return {
        _("Diagnosis"): plan.diagnosis.splitlines(),
        _("General objective"): plan.general_objective.splitlines(),
        _("Specific objectives"): plan.specific_objectives.splitlines(),
        _("Lines of action"): plan.lines_of_action.splitlines(),
        _("Activities"): activities,
    }


def plan_diff(*, old: OperatingPlan, new: OperatingPlan) -> list[dict]:
    """Per section, the lines removed from `old` and added in `new` (unchanged lines kept for context)."""
    before, after = _plan_lines(old), _plan_lines(new)
    sections = []
    for title in before:
        rows = []
        for line in difflib.ndiff(before[title], after[title]):
            code, text = line[:2], line[2:]
            if code == "? ":
                continue
            rows.append({"kind": {"- ": "removed", "+ ": "added"}.get(code, "same"), "text": text})
        changed = any(r["kind"] != "same" for r in rows)
        sections.append({"title": title, "rows": rows, "changed": changed})
    return sections


def deadlines_all():
    return PlanDeadline.objects.select_related("set_by")


def production_for_association(*, association: ProducerAssociation, year: int | None = None):
    records = ProductionRecord.objects.filter(association=association)
    if year:
        records = records.filter(month__year=year)
    return records.order_by("-month")


def production_for_user(*, user, year: int | None = None):
    records = ProductionRecord.objects.visible_to(user).select_related("association__organisation")
    if year:
        records = records.filter(month__year=year)
    return records.order_by("-month", "association__organisation__name")


# The production table's totals after each month written: one query written out, because building and
# compiling the ORM's aggregate of five sums cost three times running it.
_TOTALS = (
    "SELECT COALESCE(SUM(milk_produced_l), 0), COALESCE(SUM(milk_sold_l), 0),"
    " COALESCE(SUM(cheese_produced_kg), 0), COALESCE(SUM(cheese_sold_kg), 0),"
    " COALESCE(SUM(guinea_pigs_sold), 0) FROM producers_productionrecord WHERE association_id = %s"
)


def production_year_totals(*, association: ProducerAssociation, year: int | None = None) -> dict:
    """What `production_for_association(association, year)` adds up to: milk and cheese produced and sold,
    guinea pigs sold."""
    sql, params = _TOTALS, [association.pk]
    if year:
        sql += " AND month >= %s AND month < %s"
        params += [date(year, 1, 1), date(year + 1, 1, 1)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        *quantities, guinea_pigs = cursor.fetchone()
    # SQLite (the demo) sums decimals as numbers of its own
    milk, milk_sold, cheese, cheese_sold = (Decimal(str(q)) for q in quantities)
    return {
        "milk": milk,
        "milk_sold": milk_sold,
        "cheese": cheese,
        "cheese_sold": cheese_sold,
        "guinea_pigs": int(guinea_pigs),
    }


def production_get_for_manager(*, user, record_id: int) -> ProductionRecord:
    return get_object_or_404(
        ProductionRecord.objects.editable_by(user).select_related("association__organisation"), pk=record_id
    )


# --- the home page's to-do list (producers/pending.py) ---------------------------------------------------

HOME_LIMIT = 12


def plans_waiting_for(*, user, reviewer: bool) -> tuple[list[OperatingPlan], int]:
    """Current plans sent and not yet answered, oldest sending first: those this person reviews
    (`reviewer`: technicians of the territory, coordinators), else those they read. With the total."""
    base = OperatingPlan.objects.reviewable_by(user) if reviewer else OperatingPlan.objects.visible_to(user)
    qs = base.filter(is_current=True, status__in=OperatingPlan.IN_REVIEW)
    # The first twelve ids from the plans table alone, then those rows with their association, then the
    # count: sorting every waiting plan with its joins (thousands at 10× the seed) to keep twelve cost 30 ms.
    ids = list(qs.order_by("updated_at", "pk").values_list("pk", flat=True)[:HOME_LIMIT])
    rows = list(
        OperatingPlan.objects.filter(pk__in=ids)
        .select_related("association__organisation", "association__district")
        .order_by("updated_at", "pk")
    )
    return rows, qs.count()


def leader_plan_years(*, organisation_ids, years: list[int]) -> list[dict]:
    """For each association of these organisations and each of `years`: its current plan (or None) and the
    year's deadline: {"association", "year", "plan", "deadline"}. Three queries whatever the number."""
    associations = list(
        ProducerAssociation.objects.filter(organisation_id__in=list(organisation_ids))
        .select_related("organisation")
        .order_by("organisation__name")
    )
    plans = {
        (plan.association_id, plan.year): plan
        for plan in OperatingPlan.objects.filter(
            association__in=associations, year__in=years, is_current=True
        )
    }
    deadlines = dict(PlanDeadline.objects.filter(year__in=years).values_list("year", "due_on"))
    return [
        {
            "association": association,
            "year": year,
            "plan": plans.get((association.pk, year)),
            "deadline": deadlines.get(year),
        }
        for association in associations
        for year in years
    ]


def production_months_missing(*, organisation_ids, months: list[date]) -> list[tuple]:
    """(association, month) for each of `months` (first days) the association has not recorded. Two
    queries whatever the number of associations and months."""
    associations = list(
        ProducerAssociation.objects.filter(organisation_id__in=list(organisation_ids))
        .select_related("organisation")
        .order_by("organisation__name")
    )
    recorded = set(
        ProductionRecord.objects.filter(association__in=associations, month__in=months).values_list(
            "association_id", "month"
        )
    )
    return [(a, month) for a in associations for month in months if (a.pk, month) not in recorded]


def can_review(*, user) -> bool:
    access = access_for(user)
    return access.is_coordinator or bool(access.organisations_with("technician"))


def today() -> date:
    return timezone.localdate()


from .execution import (  # noqa: E402, F401  (the execution reads, in their own module)
    PeriodRow,
    plan_budget_sources,
    plan_calendar,
    plan_periods,
    plan_progress,
    report_detail,
    report_get_for_manager,
    report_get_for_reviewer,
    report_get_for_user,
    reports_for_user,
    reports_waiting_count,
)
