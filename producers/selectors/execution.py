"""Reads of plan execution: a plan's progress (physical %, spending per source against the budget, per
period), its periods with their reports and lateness, the reports of a person's scope."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ..models import (
    Activity,
    BudgetLine,
    BudgetSource,
    ExecutionLine,
    ExecutionReport,
    ExecutionSpending,
    OperatingPlan,
    ReportingCalendar,
    period_bounds,
    period_count,
    period_due,
    period_label,
)

HUNDRED = Decimal(100)


def _pct(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("1"))


@dataclass
class PeriodRow:
    period: int
    label: str
    starts: object
    ends: object
    due: object
    report: ExecutionReport | None
    late: bool
    spent: dict = field(default_factory=dict)
    spent_total: Decimal = Decimal(0)


def plan_calendar(plan: OperatingPlan) -> ReportingCalendar:
    return ReportingCalendar.objects.filter(year=plan.year).first() or ReportingCalendar(year=plan.year)


def plan_periods(*, plan: OperatingPlan, calendar: ReportingCalendar | None = None) -> list[PeriodRow]:
    """Every period of the plan's year with its report (or None) and whether it is late: not sent once
    its due date has passed, or sent after it. One query."""
    calendar = calendar or plan_calendar(plan)
    today = timezone.localdate()
    reports = {
        r.period: r for r in ExecutionReport.objects.filter(plan=plan, periodicity=calendar.periodicity)
    }
    rows = []
    for period in range(1, period_count(calendar.periodicity) + 1):
        starts, ends = period_bounds(plan.year, calendar.periodicity, period)
        due = period_due(plan.year, calendar.periodicity, period, calendar.due_days)
        report = reports.get(period)
        if report is None:
            late = due < today
        else:
            late = timezone.localdate(report.submitted_at) > due
        rows.append(
            PeriodRow(
                period=period,
                label=period_label(calendar.periodicity, period),
                starts=starts,
                ends=ends,
                due=due,
                report=report,
                late=late,
            )
        )
    return rows


def plan_progress(*, plan: OperatingPlan) -> dict:
    """Progress of a plan from its reports (sent, corrected or validated; a returned report counts until it
    is corrected, and is shown as such): per activity the quantity done against the goal (%) and the money
    spent per source against its budget; for the plan the mean of the activities' physical % (each capped at
    100), and spending per source and per period. Five queries whatever the number of activities and
    reports."""
    calendar = plan_calendar(plan)
    periods = plan_periods(plan=plan, calendar=calendar)
    activities = list(Activity.objects.filter(plan=plan).order_by("position", "pk"))
    counted = ExecutionReport.objects.filter(plan=plan, periodicity=calendar.periodicity)
    done = dict(
        ExecutionLine.objects.filter(report__in=counted)
        .order_by()
        .values("activity")
        .annotate(total=Sum("quantity_done"))
        .values_list("activity", "total")
    )
    budget: dict[tuple[int, str], Decimal] = {}
    for activity_id, source, total in (
        BudgetLine.objects.filter(activity__plan=plan)
        .order_by()
        .values("activity", "source")
        .annotate(total=Sum("amount"))
        .values_list("activity", "source", "total")
    ):
        budget[(activity_id, source)] = total
    spent: dict[tuple[int, str], Decimal] = {}
    by_period: dict[tuple[int, str], Decimal] = {}
    for activity_id, period, source, total in (
        ExecutionSpending.objects.filter(report__in=counted)
        .order_by()
        .values("activity", "report__period", "source")
        .annotate(total=Sum("amount"))
        .values_list("activity", "report__period", "source", "total")
    ):
        spent[(activity_id, source)] = spent.get((activity_id, source), 0) + total
        by_period[(period, source)] = by_period.get((period, source), 0) + total

    sources = [
        (value, label)
        for value, label in BudgetSource.choices
        if any(s == value for (_a, s) in budget) or any(s == value for (_a, s) in spent)
    ]
    rows, percents = [], []
    for activity in activities:
        quantity_done = done.get(activity.pk, Decimal(0))
        pct = _pct(quantity_done, activity.quantity)
        if pct is not None:
            percents.append(min(pct, HUNDRED))
        rows.append(
            {
                "activity": activity,
                "done": quantity_done,
                "pct": pct,
                "sources": [
                    {
                        "source": value,
                        "label": label,
                        "budget": budget.get((activity.pk, value), Decimal(0)),
                        "spent": spent.get((activity.pk, value), Decimal(0)),
                        "pct": _pct(spent.get((activity.pk, value), 0), budget.get((activity.pk, value))),
                    }
                    for value, label in sources
                    if (activity.pk, value) in budget or (activity.pk, value) in spent
                ],
            }
        )
    by_source = []
    for value, label in sources:
        b = sum((t for (_a, s), t in budget.items() if s == value), Decimal(0))
        sp = sum((t for (_a, s), t in spent.items() if s == value), Decimal(0))
        by_source.append({"source": value, "label": label, "budget": b, "spent": sp, "pct": _pct(sp, b)})
    for row in periods:
        row.spent = {value: by_period.get((row.period, value), Decimal(0)) for value, _label in sources}
        row.spent_total = sum(row.spent.values(), Decimal(0))
    budget_total = sum(budget.values(), Decimal(0))
    spent_total = sum(spent.values(), Decimal(0))
    physical = (sum(percents, Decimal(0)) / len(percents)).quantize(Decimal("1")) if percents else None
    return {
        "calendar": calendar,
        "periods": periods,
        "activities": rows,
        "sources": sources,
        "by_source": by_source,
        "budget_total": budget_total,
        "spent_total": spent_total,
        "spent_pct": _pct(spent_total, budget_total),
        "physical_pct": physical,
        "late_count": sum(1 for p in periods if p.late),
    }


def reports_for_user(*, user, waiting: bool = False):
    """Reports in the person's scope; a reviewer's list shows those waiting for review first."""
    reports = ExecutionReport.objects.visible_to(user)
    if waiting:
        reports = reports.reviewable_by(user).filter(status__in=ExecutionReport.IN_REVIEW)
    waiting_first = Case(
        When(status__in=ExecutionReport.IN_REVIEW, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        reports.select_related(
            "plan__association__organisation", "plan__association__district", "submitted_by"
        )
        .annotate(photo_count=Count("photos", distinct=True))
        .order_by(waiting_first, "-plan__year", "plan__association__organisation__name", "period")
    )


def report_get_for_user(*, user, report_id: int) -> ExecutionReport:
    return get_object_or_404(
        ExecutionReport.objects.visible_to(user).select_related(
            "plan__association__organisation", "plan__association__district", "submitted_by"
        ),
        pk=report_id,
    )


def report_get_for_manager(*, user, report_id: int) -> ExecutionReport:
    return get_object_or_404(
        ExecutionReport.objects.editable_by(user).select_related("plan__association__organisation"),
        pk=report_id,
    )


def report_get_for_reviewer(*, user, report_id: int) -> ExecutionReport:
    return get_object_or_404(
        ExecutionReport.objects.reviewable_by(user).select_related("plan__association__organisation"),
        pk=report_id,
    )


def report_detail(*, report: ExecutionReport) -> dict:
    """The report's lines beside each activity's goal and budget, its photos and its history."""
    lines = {line.activity_id: line.quantity_done for line in ExecutionLine.objects.filter(report=report)}
    spending: dict[int, list] = {}
    for row in ExecutionSpending.objects.filter(report=report).order_by("source"):
        spending.setdefault(row.activity_id, []).append(row)
    activities = [
        {"activity": a, "done": lines.get(a.pk, Decimal(0)), "spending": spending.get(a.pk, [])}
        for a in Activity.objects.filter(plan_id=report.plan_id).order_by("position", "pk")
    ]
    return {
        "activities": activities,
        "photos": list(report.photos.all()),
        "events": list(report.events.select_related("by")),
        "total_spent": sum((r.amount for rows in spending.values() for r in rows), Decimal(0)),
    }


def plan_budget_sources(*, plan: OperatingPlan) -> dict[int, list[str]]:
    """For each activity, the sources it is budgeted from (in the order of BudgetSource)."""
    order = {value: i for i, value in enumerate(BudgetSource.values)}
    found: dict[int, set] = {}
    for activity_id, source in BudgetLine.objects.filter(activity__plan=plan).values_list(
        "activity", "source"
    ):
        found.setdefault(activity_id, set()).add(source)
    return {a: sorted(s, key=order.__getitem__) for a, s in found.items()}


def reports_waiting_count(*, user) -> int:
    return ExecutionReport.objects.reviewable_by(user).filter(Q(status__in=ExecutionReport.IN_REVIEW)).count()
