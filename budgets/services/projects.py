"""Projects as Peru's rules see them: where a municipality may invest (D.S. 097-2009-EF), their Invierte.pe
identity and what the participatory budget funds this year (D.Leg. 1252), and the replacement of a funded
project that cannot be executed (Instructivo 001-2010-EF/76.01)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from ..models import BudgetCycle, HistoryEntry, ParticipatingAgent, Proposal, Replacement
from ..reminders import BUDGET_PROJECT_REPLACED
from .common import cycle_check_runs, history_record

__all__ = [
    "amount_this_year",
    "proposal_identity_set",
    "proposal_replace",
    "replacement_recipients",
    "territorial_scope_error",
]

# Invierte.pe statuses after registration in the bank of investments: they have a CUI.
REGISTERED = (
    Proposal.InvestmentStatus.VIABLE,
    Proposal.InvestmentStatus.TECHNICAL_FILE,
    Proposal.InvestmentStatus.EXECUTING,
)


def territorial_scope_error(*, municipality, district, other_districts=()) -> str | None:
    """Where a municipality may invest (D.S. 097-2009-EF, criteria of scope): a district municipality funds
    projects in its own district only; a provincial municipality funds projects of provincial scope, that
    reach at least two districts of its province. None when the project fits."""
    districts = [district, *other_districts]
    if municipality.level == municipality.Level.DISTRICT:
        if any(d.pk != municipality.district_id for d in districts):
            return _("A district municipality funds projects in its own district only (D.S. 097-2009-EF).")
        return None
    if any(d.province_id != municipality.province_id for d in districts):
        return _("The project must be in the municipality's province.")
    if len({d.pk for d in districts}) < 2:
        return _(
            "A provincial municipality funds projects of provincial scope: name at least one other district "
            "of the province that the project benefits (D.S. 097-2009-EF)."
        )
    return None


def amount_this_year(
    *,
    fiscal_year: int,
    cost: Decimal,
    cofinancing: Decimal,
    funding: str,
    stage_cost: Decimal | None = None,
    programming: dict[int, Decimal] | None = None,
    investment_status: str = Proposal.InvestmentStatus.IDEA,
    cui: str = "",
) -> Decimal:
    """What the municipality is asked for in this fiscal year, or a ValidationError saying which rule fails.

    * A registered investment (declared viable, technical file, executing) has its CUI (D.Leg. 1252).
    * The whole project: its cost less the co-financing.
    * Its technical file only: only for an investment declared viable (the technical file opens the
      execution phase of the Invierte.pe cycle), at its own cost, within what the project needs.
    * A yearly tranche: the multi-year programming names this fiscal year, runs from it onwards over at
      least two years, and adds up to no more than the cost less the co-financing."""
    programming = {int(y): Decimal(a) for y, a in (programming or {}).items() if a}
    needs = cost - cofinancing
    if investment_status in REGISTERED and not cui:
        raise ValidationError({"cui": _("An investment registered in Invierte.pe has its CUI.")})
    if funding == Proposal.Funding.WHOLE:
        return needs
    if funding == Proposal.Funding.TECHNICAL_FILE:
        if investment_status not in (
            Proposal.InvestmentStatus.VIABLE,
            Proposal.InvestmentStatus.TECHNICAL_FILE,
        ):
            raise ValidationError(
                {
                    "funding": _(
                        "Only an investment declared viable in Invierte.pe gets its technical file funded."
                    )
                }
            )
        if stage_cost is None or stage_cost <= 0:
            raise ValidationError({"stage_cost": _("Give the cost of the technical file.")})
        if stage_cost > needs:
            raise ValidationError(
                {
                    "stage_cost": _(
                        "The technical file cannot cost more than the project needs from the municipality."
                    )
                }
            )
        return Decimal(stage_cost)
    if funding == Proposal.Funding.TRANCHE:
        if fiscal_year not in programming:
            raise ValidationError(
                {
                    "programming": _("The multi-year programming must include %(year)s.")
                    % {"year": fiscal_year}
                }
            )
        if min(programming) < fiscal_year or len(programming) < 2:
            raise ValidationError(
                {
                    "programming": _(
                        "A tranche belongs to a programming of at least two years from %(year)s onwards."
                    )
                    % {"year": fiscal_year}
                }
            )
        if sum(programming.values()) > needs:
            raise ValidationError(
                {
                    "programming": _(
                        "The programmed amounts add up to more than the cost less the co-financing."
                    )
                }
            )
        return programming[fiscal_year]
    raise ValidationError({"funding": _("Choose what the participatory budget funds.")})


@transaction.atomic
def proposal_identity_set(*, by, proposal: Proposal, cui: str, investment_status: str) -> Proposal:
    """The Equipo Técnico keeps the project's Invierte.pe identity up to date (a CUI once registered). The
    change is kept in the history."""
    cycle_check_runs(cycle=proposal.cycle, by=by)
    if investment_status in REGISTERED and not cui:
        raise ValidationError({"cui": _("An investment registered in Invierte.pe has its CUI.")})
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    for field, value in (("cui", cui), ("investment_status", investment_status)):
        history_record(
            cycle=proposal.cycle,
            subject=HistoryEntry.Subject.EXECUTION,
            obj=proposal,
            label=f"{proposal.number} {proposal.title}",
            field=field,
            before=getattr(proposal, field),
            after=value,
            by=by,
        )
    proposal.cui, proposal.investment_status = cui, investment_status
    proposal.full_clean()
    proposal.save(update_fields=["cui", "investment_status", "updated_at"])
    return proposal


def replacement_recipients(cycle: BudgetCycle) -> list[int]:
    """Who hears of a replacement: the Comité de Vigilancia and the CCL (its members by right and the people
    of a CCL registered as an agent) who have an account."""
    from kallpanchis.accounts.models import RoleAssignment

    ids = set(cycle.vigilance_members.exclude(user=None).values_list("user_id", flat=True))
    ids |= set(cycle.agents_by_right.filter(seat="ccl").exclude(user=None).values_list("user_id", flat=True))
    ccl = cycle.agents.filter(kind=ParticipatingAgent.Kind.CCL).values("organisation_id")
    ids |= set(RoleAssignment.objects.filter(organisation_id__in=ccl).values_list("user_id", flat=True))
    return sorted(ids)


@transaction.atomic
def proposal_replace(*, by, proposal: Proposal, reason: str, on: datetime.date) -> Replacement:
    """A funded project that cannot be executed leaves the allocation and is replaced following the
    ranking (Instructivo 001-2010-EF/76.01, the reserve projects of the acta): going down the ranking, the
    first admissible project not funded yet whose amount this year fits in what is left of the envelope
    is funded. The Comité de Vigilancia and the CCL are notified at once."""
    cycle = proposal.cycle
    cycle_check_runs(cycle=cycle, by=by)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the project cannot be executed.")})
    rows = {p.pk: p for p in Proposal.objects.select_for_update().filter(cycle=cycle)}
    proposal = rows[proposal.pk]
    if proposal.allocated is None or proposal.withdrawn_on is not None:
        raise ValidationError(_("Only a funded project can be replaced."))
    label = f"{proposal.number} {proposal.title}"
    history_record(
        cycle=cycle,
        subject=HistoryEntry.Subject.ALLOCATION,
        obj=proposal,
        label=label,
        field="allocated",
        before=proposal.allocated,
        after=None,
        by=by,
    )
    proposal.allocated, proposal.withdrawn_on = None, on
    proposal.save(update_fields=["allocated", "withdrawn_on", "updated_at"])
    used = Proposal.objects.filter(cycle=cycle, allocated__isnull=False).aggregate(s=Sum("allocated"))["s"]
    left = cycle.envelope - (used or Decimal(0))
    reserve = sorted(
        (
            p
            for p in rows.values()
            if p.rank is not None
            and p.allocated is None
            and p.withdrawn_on is None
            and p.status == Proposal.Status.ADMISSIBLE
        ),
        key=lambda p: p.rank,
    )
    chosen = next((p for p in reserve if p.requested <= left), None)
    if chosen is not None:
        history_record(
            cycle=cycle,
            subject=HistoryEntry.Subject.ALLOCATION,
            obj=chosen,
            label=f"{chosen.number} {chosen.title}",
            field="allocated",
            before=None,
            after=chosen.requested,
            by=by,
        )
        chosen.allocated = chosen.requested
        chosen.save(update_fields=["allocated", "updated_at"])
    replacement = Replacement.objects.create(
        cycle=cycle, withdrawn=proposal, replacement=chosen, reason=reason, on=on, by=by
    )
    from kallpanchis.notifications.services import reminder_notify_now

    reminder_notify_now(
        kind=BUDGET_PROJECT_REPLACED, target=replacement, recipients=replacement_recipients(cycle)
    )
    return replacement
