"""Producer associations, their members, annual operating plans (POA) and monthly production records.

One module per part (associations and members, plans, production); everything is importable from
producers.models.
"""

from .associations import (
    AssociationScope,
    Member,
    MemberQuerySet,
    ProducerAssociation,
    ProducerAssociationQuerySet,
    ProductiveLine,
    _territory_q,
)
from .execution import (
    REPORT_DUE_DAYS,
    ExecutionEvent,
    ExecutionLine,
    ExecutionPhoto,
    ExecutionReport,
    ExecutionReportQuerySet,
    ExecutionSpending,
    Periodicity,
    ReportingCalendar,
    period_bounds,
    period_count,
    period_due,
    period_label,
)
from .plans import (
    MONTHS_ALL,
    Activity,
    BudgetLine,
    BudgetSource,
    Contribution,
    OperatingPlan,
    OperatingPlanQuerySet,
    PlanComment,
    PlanDeadline,
    PlanEvent,
    PlanSection,
    plans_waiting_first,
)
from .production import ProductionRecord, ProductionRecordQuerySet, SalesChannel

__all__ = [
    "REPORT_DUE_DAYS",
    "ExecutionEvent",
    "ExecutionLine",
    "ExecutionPhoto",
    "ExecutionReport",
    "ExecutionReportQuerySet",
    "ExecutionSpending",
    "Periodicity",
    "ReportingCalendar",
    "period_bounds",
    "period_count",
    "period_due",
    "period_label",
    "Activity",
    "Contribution",
    "AssociationScope",
    "BudgetLine",
    "BudgetSource",
    "MONTHS_ALL",
    "Member",
    "MemberQuerySet",
    "OperatingPlan",
    "OperatingPlanQuerySet",
    "PlanComment",
    "PlanDeadline",
    "PlanEvent",
    "PlanSection",
    "ProducerAssociation",
    "ProducerAssociationQuerySet",
    "ProductionRecord",
    "ProductionRecordQuerySet",
    "ProductiveLine",
    "SalesChannel",
    "_territory_q",  # read by apps.py for a municipality's profile
    "plans_waiting_first",
]
