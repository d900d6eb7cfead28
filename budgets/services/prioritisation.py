from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kallpanchis.accounts.access import access_for

from .. import allocation
from ..models import (
    BudgetCycle,
    Criterion,
    HistoryEntry,
    ParticipatingAgent,
    ProgrammedAmount,
    Proposal,
    Score,
)
from .common import cycle_check_runs, history_record
from .projects import amount_this_year, territorial_scope_error

__all__ = [
    "CriterionRow",
    "allocation_run",
    "matrix_set",
    "matrix_error_message",
    "proposal_evaluate",
    "proposal_submit",
    "scores_enter",
]


def _percent(value: Decimal) -> str:
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}".rstrip("0")


def matrix_error_message(rows) -> str | None:
    """The clear, translated reason a matrix is refused, or None if it can be used."""
    total = sum((Decimal(r.weight) for r in rows), Decimal(0))
    if not rows:
        return _("The matrix needs at least one criterion.")
    if total != allocation.HUNDRED:
        return _("The weights add up to %(total)s %%; they must add up to exactly 100 %%.") % {
            "total": _percent(total)
        }
    try:
        allocation.matrix_check(
            [
                allocation.Criterion(key=i, weight=Decimal(r.weight), scale_max=r.scale_max)
                for i, r in enumerate(rows)
            ]
        )
    except allocation.MatrixError:
        return _("Every weight must be more than 0 % and every scale at least 1.")
    return None


class CriterionRow:
    def __init__(self, *, name: str, weight: Decimal, scale_max: int = 5, guidance: str = "", pk=None):
        self.pk, self.name, self.weight, self.scale_max, self.guidance = pk, name, weight, scale_max, guidance


@transaction.atomic
def matrix_set(*, by, cycle: BudgetCycle, rows: list[CriterionRow]) -> list[Criterion]:
    """Replace the cycle's criteria matrix. Weights must add up to exactly 100 %, or nothing changes.
    Weight changes are kept in the history; a removed criterion takes its scores with it."""
    cycle_check_runs(cycle=cycle, by=by)
    message = matrix_error_message(rows)
    if message:
        raise ValidationError(message, code="weights")
    existing = {c.pk: c for c in Criterion.objects.select_for_update().filter(cycle=cycle)}
    kept = []
    for position, row in enumerate(rows, start=1):
        criterion = existing.pop(row.pk, None) if row.pk else None
        if criterion is None:
            criterion = Criterion(cycle=cycle)
            before = None
        else:
            before = f"{criterion.name} · {criterion.weight} % · 0–{criterion.scale_max}"
        criterion.name, criterion.weight, criterion.scale_max = row.name, Decimal(row.weight), row.scale_max
        criterion.guidance, criterion.position = row.guidance, position
        criterion.full_clean()
        criterion.save()
        history_record(
            cycle=cycle,
            subject=HistoryEntry.Subject.MATRIX,
            obj=criterion,
            label=criterion.name,
            field="criterion",
            before=before,
            after=f"{criterion.name} · {criterion.weight} % · 0–{criterion.scale_max}",
            by=by,
        )
        kept.append(criterion)
    for criterion in existing.values():
        history_record(
            cycle=cycle,
            subject=HistoryEntry.Subject.MATRIX,
            obj=criterion,
            label=criterion.name,
            field="criterion",
            before=f"{criterion.name} · {criterion.weight} % · 0–{criterion.scale_max}",
            after=_("removed"),
            by=by,
        )
        criterion.delete()
    return kept


@transaction.atomic
def proposal_submit(
    *,
    by,
    agent: ParticipatingAgent,
    title: str,
    result: str,
    district,
    cost: Decimal,
    families: int,
    women: int = 0,
    cofinancing: Decimal = Decimal("0"),
    description: str = "",
    document=None,
    other_districts=(),
    cui: str = "",
    investment_status: str = Proposal.InvestmentStatus.IDEA,
    funding: str = Proposal.Funding.WHOLE,
    stage_cost: Decimal | None = None,
    programming: dict[int, Decimal] | None = None,
    cofinancing_source: str = "",
) -> Proposal:
    """An accredited agent (or one by right) submits a project (its people do, or the Equipo Técnico types
    it in from paper). The co-financing cannot exceed the cost; the project must fit the municipality's
    level (D.S. 097-2009-EF, see projects.territorial_scope_error) and its Invierte.pe identity and funding
    must hold together (see projects.amount_this_year)."""
    cycle = agent.cycle
    runs = by is None or BudgetCycle.objects.editable_by(by).filter(pk=cycle.pk).exists()
    if not runs and agent.organisation_id not in access_for(by).by_organisation:
        raise PermissionDenied(_("You may only submit proposals for your own organisation."))
    if agent.status not in (ParticipatingAgent.Status.ACCREDITED, ParticipatingAgent.Status.BY_RIGHT):
        raise ValidationError(
            _("Only accredited agents submit proposals. Ask the budget team to accredit you.")
        )
    other_districts = [d for d in other_districts if d.pk != district.pk]
    scope_error = territorial_scope_error(
        municipality=cycle.municipality, district=district, other_districts=other_districts
    )
    if scope_error:
        raise ValidationError({"district": scope_error})
    if Decimal(cofinancing) > Decimal(cost):
        raise ValidationError({"cofinancing": _("The co-financing cannot be more than the cost.")})
    this_year = amount_this_year(
        fiscal_year=cycle.fiscal_year,
        cost=Decimal(cost),
        cofinancing=Decimal(cofinancing),
        funding=funding,
        stage_cost=stage_cost,
        programming=programming or {},
        investment_status=investment_status,
        cui=cui,
    )
    proposal = Proposal(
        cycle=cycle,
        agent=agent,
        title=title,
        result=result,
        district=district,
        cost=cost,
        cofinancing=cofinancing,
        families=families,
        women=women,
        description=description,
        submitted_by=by,
        cui=cui,
        investment_status=investment_status,
        funding=funding,
        stage_cost=stage_cost if funding == Proposal.Funding.TECHNICAL_FILE else None,
        amount_this_year=this_year,
        cofinancing_source=cofinancing_source,
    )
    if document:
        proposal.document = document
    proposal.full_clean()
    proposal.save()
    proposal.other_districts.set(other_districts)
    years = programming if funding == Proposal.Funding.TRANCHE else {cycle.fiscal_year: this_year}
    ProgrammedAmount.objects.bulk_create(
        ProgrammedAmount(proposal=proposal, year=year, amount=Decimal(amount))
        for year, amount in sorted(years.items())
    )
    return proposal


@transaction.atomic
def proposal_evaluate(*, by, proposal: Proposal, admissible: bool, reasons: str) -> Proposal:
    """The Equipo Técnico's technical evaluation: admissible or not admissible, always with reasons
    (Instructivo 001-2010-EF/76.01; under Invierte.pe, D.Leg. 1252, "viable" is a formal declaration the
    evaluation does not make). Only admissible projects are scored and ranked."""
    cycle_check_runs(cycle=proposal.cycle, by=by)
    if not reasons.strip():
        raise ValidationError({"evaluation_reasons": _("Write the reasons of the evaluation.")})
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    proposal.status = Proposal.Status.ADMISSIBLE if admissible else Proposal.Status.NOT_ADMISSIBLE
    proposal.evaluation_reasons = reasons
    proposal.evaluated_by = by
    proposal.evaluated_at = timezone.now()
    proposal.save(
        update_fields=["status", "evaluation_reasons", "evaluated_by", "evaluated_at", "updated_at"]
    )
    return proposal


@transaction.atomic
def scores_enter(
    *, by, proposal: Proposal, values: dict[int, Decimal], from_paper_sheet: bool = False
) -> list[Score]:
    """Enter or correct the scores of an admissible project, one per criterion, each within the criterion's
    scale. Every change is kept in the history (who, when, before, after)."""
    cycle = proposal.cycle
    cycle_check_runs(cycle=cycle, by=by)
    if proposal.status != Proposal.Status.ADMISSIBLE:
        raise ValidationError(_("Only projects found admissible by the Equipo Técnico are scored."))
    criteria = {c.pk: c for c in Criterion.objects.filter(cycle=cycle)}
    errors = {}
    for criterion_id, value in values.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise ValidationError(_("This criterion is not in the cycle's matrix."))
        if value is None or value < 0 or value > criterion.scale_max:
            errors[f"criterion_{criterion_id}"] = _("Enter a score from 0 to %(max)s.") % {
                "max": criterion.scale_max
            }
    if errors:
        raise ValidationError(errors)
    current = {s.criterion_id: s for s in Score.objects.select_for_update().filter(proposal=proposal)}
    saved = []
    for criterion_id, value in values.items():
        value = Decimal(value)
        score = current.get(criterion_id)
        before = score.value if score else None
        if score is None:
            score = Score(
                proposal=proposal, criterion_id=criterion_id, value=value, from_paper_sheet=from_paper_sheet
            )
        else:
            score.value, score.from_paper_sheet = value, from_paper_sheet
        score.save()
        history_record(
            cycle=cycle,
            subject=HistoryEntry.Subject.SCORE,
            obj=proposal,
            label=f"{proposal.number} {proposal.title}",
            field=criteria[criterion_id].name,
            before=None if before is None else before.normalize(),
            after=value.normalize(),
            by=by,
        )
        saved.append(score)
    return saved


def _candidates(cycle: BudgetCycle):
    criteria = list(Criterion.objects.filter(cycle=cycle))
    proposals = list(
        Proposal.objects.filter(
            cycle=cycle, status=Proposal.Status.ADMISSIBLE, withdrawn_on__isnull=True
        ).prefetch_related("scores")
    )
    return criteria, proposals


@transaction.atomic
def allocation_run(*, by, cycle: BudgetCycle) -> list[allocation.Allocated]:
    """Compute the ranking from the scores and allocate the envelope down it (allocation.py states the
    rule and the tie-break). The result is written on the proposals; every change of rank, score or amount
    is kept in the history. Refused (nothing changes) if the matrix does not add up to 100 %."""
    cycle_check_runs(cycle=cycle, by=by)
    cycle = BudgetCycle.objects.select_for_update().get(pk=cycle.pk)
    criteria, proposals = _candidates(cycle)
    matrix = [allocation.Criterion(key=c.pk, weight=c.weight, scale_max=c.scale_max) for c in criteria]
    message = matrix_error_message(criteria)
    if message:
        raise ValidationError(message, code="weights")
    by_pk = {p.pk: p for p in proposals}
    candidates = [
        allocation.Candidate(
            key=p.pk,
            requested=p.requested,
            families=p.families,
            scores={s.criterion_id: s.value for s in p.scores.all()},
        )
        for p in proposals
    ]
    result = allocation.prioritise(matrix, candidates, cycle.envelope)
    for row in result:
        proposal = by_pk[row.ranked.candidate.key]
        label = f"{proposal.number} {proposal.title}"
        for field, value in (
            ("rank", row.ranked.position),
            ("total_score", row.ranked.total),
            ("allocated", row.amount),
        ):
            history_record(
                cycle=cycle,
                subject=HistoryEntry.Subject.ALLOCATION,
                obj=proposal,
                label=label,
                field=field,
                before=getattr(proposal, field),
                after=value,
                by=by,
            )
            setattr(proposal, field, value)
        proposal.save(update_fields=["rank", "total_score", "allocated", "updated_at"])
    # Projects no longer admissible leave the ranking.
    for proposal in (
        Proposal.objects.filter(cycle=cycle)
        .exclude(status=Proposal.Status.ADMISSIBLE)
        .exclude(rank=None, allocated=None)
    ):
        for field in ("rank", "total_score", "allocated"):
            history_record(
                cycle=cycle,
                subject=HistoryEntry.Subject.ALLOCATION,
                obj=proposal,
                label=f"{proposal.number} {proposal.title}",
                field=field,
                before=getattr(proposal, field),
                after=None,
                by=by,
            )
        Proposal.objects.filter(pk=proposal.pk).update(rank=None, total_score=None, allocated=None)
    return result
