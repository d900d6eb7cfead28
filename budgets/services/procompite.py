"""Procompite business plans (Ley 29337): public co-financing, in kind, of an organised association's
business plan. The participatory budget funds public investment; private assets for an association go
through here."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import BusinessPlan

__all__ = ["business_plan_advance", "business_plan_submit"]

# Stages of the competition, each reached only from the one before it.
NEXT_STAGES = {
    BusinessPlan.Stage.SUBMITTED: {BusinessPlan.Stage.ELIGIBLE, BusinessPlan.Stage.NOT_APPROVED},
    BusinessPlan.Stage.ELIGIBLE: {BusinessPlan.Stage.APPROVED, BusinessPlan.Stage.NOT_APPROVED},
    BusinessPlan.Stage.APPROVED: {BusinessPlan.Stage.DELIVERED},
    BusinessPlan.Stage.NOT_APPROVED: set(),
    BusinessPlan.Stage.DELIVERED: set(),
}


def _check_runs(*, by, municipality) -> None:
    if by is None:
        return
    from kallpanchis.accounts.access import access_for

    from ..models import RUNNING_ROLES

    if not by.is_superuser and municipality.organisation_id not in access_for(by).organisations_with(
        *RUNNING_ROLES
    ):
        raise PermissionDenied(_("Only the municipality's staff keeps its Procompite plans."))


@transaction.atomic
def business_plan_submit(
    *,
    by,
    municipality,
    association,
    year: int,
    title: str,
    legal_registration: str,
    investment_budget: Decimal,
    operating_budget: Decimal,
    association_contribution: Decimal,
    in_kind: str,
    minimum_contribution_pct: Decimal = Decimal("20"),
) -> BusinessPlan:
    """An association's business plan enters the municipality's Procompite call (Ley 29337): the
    association is legally registered, it contributes at least the share the call sets of the plan's
    investment and operating budget, and the municipality's part is listed as goods, works or services
    delivered in kind (never cash)."""
    _check_runs(by=by, municipality=municipality)
    if not legal_registration.strip():
        raise ValidationError(
            {"legal_registration": _("Procompite co-finances legally registered associations only.")}
        )
    if not in_kind.strip():
        raise ValidationError({"in_kind": _("List what the municipality delivers in kind.")})
    plan = BusinessPlan(
        municipality=municipality,
        association=association,
        year=year,
        title=title,
        legal_registration=legal_registration,
        investment_budget=Decimal(investment_budget),
        operating_budget=Decimal(operating_budget),
        association_contribution=Decimal(association_contribution),
        minimum_contribution_pct=Decimal(minimum_contribution_pct),
        in_kind=in_kind,
        created_by=by,
    )
    if plan.association_contribution < plan.minimum_contribution:
        raise ValidationError(
            {
                "association_contribution": _(
                    "The association contributes at least %(pct)s %% of the plan (S/ %(amount)s)."
                )
                % {"pct": f"{plan.minimum_contribution_pct:.0f}", "amount": plan.minimum_contribution}
            }
        )
    if plan.association_contribution > plan.total:
        raise ValidationError(
            {"association_contribution": _("The contribution cannot be more than the plan's budget.")}
        )
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def business_plan_advance(*, by, plan: BusinessPlan, stage: str) -> BusinessPlan:
    """The plan goes through the competition's stages in order: submitted, eligible, approved (or not),
    goods and services delivered."""
    _check_runs(by=by, municipality=plan.municipality)
    plan = BusinessPlan.objects.select_for_update().get(pk=plan.pk)
    if stage not in NEXT_STAGES[plan.stage]:
        raise ValidationError(
            _("A plan that is '%(now)s' cannot become '%(next)s'.")
            % {"now": plan.get_stage_display(), "next": BusinessPlan.Stage(stage).label}
        )
    plan.stage = stage
    plan.save(update_fields=["stage", "updated_at"])
    return plan
