import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import BudgetCycle, ExecutionUpdate, HistoryEntry, Milestone, Proposal, VigilanceReport
from .common import cycle_check_runs, history_record

__all__ = ["execution_update", "milestone_add", "milestone_done", "vigilance_report_submit"]


@transaction.atomic
def execution_update(
    *,
    by,
    proposal: Proposal,
    on: datetime.date,
    progress_pct: int,
    spent: Decimal,
    note: str = "",
    expected_end: datetime.date | None = None,
) -> ExecutionUpdate:
    """Figures of a prioritised project on a date (the latest become the project's current figures).
    Progress cannot go back and figures cannot be older than the latest ones; every change is kept in
    the history."""
    cycle_check_runs(cycle=proposal.cycle, by=by)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not proposal.prioritised:
        raise ValidationError(_("Only prioritised projects are followed up."))
    if not 0 <= progress_pct <= 100:
        raise ValidationError({"progress_pct": _("Progress goes from 0 to 100 %.")})
    if spent < 0:
        raise ValidationError({"spent": _("The amount spent cannot be negative.")})
    if proposal.figures_on and on < proposal.figures_on:
        raise ValidationError(
            {"on": _("Newer figures exist (%(date)s).") % {"date": proposal.figures_on.strftime("%d/%m/%Y")}}
        )
    if progress_pct < proposal.progress_pct:
        raise ValidationError(
            {
                "progress_pct": _("Progress cannot go back (it was %(pct)s %%).")
                % {"pct": proposal.progress_pct}
            }
        )
    update = ExecutionUpdate.objects.create(
        proposal=proposal, on=on, progress_pct=progress_pct, spent=spent, note=note, by=by
    )
    label = f"{proposal.number} {proposal.title}"
    changes = {"progress_pct": progress_pct, "spent": Decimal(spent), "figures_on": on}
    if expected_end is not None:
        changes["expected_end"] = expected_end
    for field, value in changes.items():
        history_record(
            cycle=proposal.cycle,
            subject=HistoryEntry.Subject.EXECUTION,
            obj=proposal,
            label=label,
            field=field,
            before=getattr(proposal, field),
            after=value,
            by=by,
        )
        setattr(proposal, field, value)
    proposal.save(update_fields=[*changes.keys(), "updated_at"])
    return update


@transaction.atomic
def milestone_add(*, by, proposal: Proposal, name: str, due_on: datetime.date) -> Milestone:
    """A milestone of a prioritised project (technical file, tender, works, handover...)."""
    cycle_check_runs(cycle=proposal.cycle, by=by)
    if not proposal.prioritised:
        raise ValidationError(_("Only prioritised projects are followed up."))
    milestone = Milestone(proposal=proposal, name=name, due_on=due_on)
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_done(*, by, milestone: Milestone, done_on: datetime.date) -> Milestone:
    cycle_check_runs(cycle=milestone.proposal.cycle, by=by)
    history_record(
        cycle=milestone.proposal.cycle,
        subject=HistoryEntry.Subject.EXECUTION,
        obj=milestone.proposal,
        label=f"{milestone.proposal.number} {milestone.name}",
        field="done_on",
        before=milestone.done_on,
        after=done_on,
        by=by,
    )
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    return milestone


@transaction.atomic
def vigilance_report_submit(
    *,
    by,
    cycle: BudgetCycle,
    period: str,
    submitted_on: datetime.date,
    findings: str,
    proposal: Proposal | None = None,
    document=None,
) -> VigilanceReport:
    """The Comité de Vigilancia reports (every six months). Its members send it; the budget team may type
    in a paper report."""
    is_member = by is not None and cycle.vigilance_members.filter(user=by).exists()
    if not is_member:
        try:
            cycle_check_runs(cycle=cycle, by=by)
        except PermissionDenied:
            raise PermissionDenied(_("Only the Comité de Vigilancia sends reports.")) from None
    if proposal is not None and proposal.cycle_id != cycle.pk:
        raise ValidationError({"proposal": _("This project is not in this cycle.")})
    report = VigilanceReport(
        cycle=cycle, period=period, submitted_on=submitted_on, findings=findings, proposal=proposal, by=by
    )
    if document:
        report.document = document
    report.full_clean()
    report.save()
    return report
