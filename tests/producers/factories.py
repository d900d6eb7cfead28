"""Producers test data. Needs the territory (fixture `territory` or `municipalities`)."""

import datetime
from decimal import Decimal
from itertools import count

from municipalities.models import District
from producers.models import BudgetSource, OperatingPlan
from producers.services import (
    ActivityData,
    PlanContent,
    association_create,
    plan_assembly_record,
    plan_save_draft,
    plan_start,
)
from tests.accounts.factories import person_with_role

_n = count(1)


def association_in(ubigeo: str = "080308", name: str | None = None, families: int = 40, **extra):
    return association_create(
        by=None,
        name=name or f"Asociación de Productores Sumaq Waka {next(_n)}",
        district=District.objects.get(ubigeo=ubigeo),
        families=families,
        **extra,
    )


def leader_of(association, **kwargs):
    return person_with_role("leader", association.organisation, **kwargs)


def activity(title="Instalar pastos cultivados", months=(3, 4), **budget) -> ActivityData:
    return ActivityData(
        title=title,
        indicator="Hectáreas instaladas",
        unit="ha",
        quantity=Decimal("5"),
        responsible="Justina Huillca",
        months=sum(1 << (m - 1) for m in months),
        budget={k: Decimal(str(v)) for k, v in budget.items()},
    )


def full_content(**overrides) -> PlanContent:
    content = PlanContent(
        diagnosis="Poca leche en época seca; pastos naturales degradados.",
        general_objective="Mejorar la producción de leche de las familias socias.",
        specific_objectives="Instalar pastos; mejorar la sanidad del ganado.",
        lines_of_action="Pastos y agua; sanidad animal; venta directa.",
        activities=[
            activity("Instalar pastos cultivados", (3, 4), own="1200", agroideas="3000"),
            activity("Campaña de sanidad animal", (6,), own="300.50", ngo="800"),
            activity("Feria de quesos", (9, 10), procompite="2500", other="100"),
        ],
    )
    for key, value in overrides.items():
        setattr(content, key, value)
    return content


def assembly_approved(plan, by=None) -> OperatingPlan:
    """The asamblea general approved the plan: 30 of 45 members present (first call), 28 votes for."""
    return plan_assembly_record(
        by=by,
        plan=plan,
        held_on=datetime.date(2010, 1, 16),
        call="first",
        minutes_ref="Libro de actas 2, folio 35",
        members_present=30,
        members_total=45,
        votes_for=28,
    )


def filled_plan(association, year=2010, by=None) -> OperatingPlan:
    """A complete draft its asamblea approved: ready to be sent."""
    plan = plan_start(by=by, association=association, year=year)
    plan = plan_save_draft(by=by, plan=plan, revision=plan.revision, content=full_content())
    return assembly_approved(plan, by=by)


SOURCES = BudgetSource.values


def validated_plan(association, *, leader, coordinator, year=2010) -> OperatingPlan:
    """A validated plan with one activity, 10 ha of cultivated pasture: own funds S/ 2,000 (cash) and the
    municipality's Procompite S/ 3,000 (20 units of S/ 150)."""
    from producers.services import BudgetLineData, plan_submit, plan_validate

    content = full_content(
        activities=[
            ActivityData(
                title="Instalar pastos cultivados",
                indicator="Hectáreas instaladas",
                unit="ha",
                quantity=Decimal(10),
                responsible="Justina Huillca",
                months=0b111111111111,
                budget=[
                    BudgetLineData(source="own", unit_cost=Decimal(2000)),
                    BudgetLineData(source="procompite", units=Decimal(20), unit_cost=Decimal(150)),
                ],
            )
        ]
    )
    plan = plan_start(by=leader, association=association, year=year)
    plan = plan_save_draft(by=leader, plan=plan, revision=plan.revision, content=content)
    plan = plan_submit(by=leader, plan=assembly_approved(plan, by=leader))
    return plan_validate(by=coordinator, plan=plan)
