import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kallpanchis.accounts.access import access_for
from municipalities.models import Municipality

from ..calendar import DEFAULT_CALENDAR, council_deadline, on
from ..models import (
    PHASE_ORDER,
    RUNNING_ROLES,
    BudgetCycle,
    Criterion,
    HistoryEntry,
    Phase,
    PhaseKind,
    Step,
    Workshop,
)
from .common import cycle_check_runs, history_record
from .reminders import cycle_reminders_schedule

__all__ = [
    "DEFAULT_MATRIX",
    "cycle_create",
    "cycle_update",
    "phase_dates_set",
    "step_dates_set",
    "workshop_record",
]

# Common municipal practice (Instructivo 001-2010-EF/76.01, annex on prioritisation criteria): weights in
# percent, scores 0 to 5.
DEFAULT_MATRIX = (
    (
        gettext_noop("Fit with a prioritised result"),
        Decimal("30"),
        gettext_noop("0: none · 5: directly produces the result"),
    ),
    (
        gettext_noop("Poverty and gap of the population served"),
        Decimal("25"),
        gettext_noop("5: the poorest, widest gap"),
    ),
    (
        gettext_noop("Beneficiaries (families, women)"),
        Decimal("20"),
        gettext_noop("5: many families, many women"),
    ),
    (
        gettext_noop("Co-financing offered"),
        Decimal("15"),
        gettext_noop("0: none · 5: half of the cost or more"),
    ),
    (
        gettext_noop("Sustainability (operation and maintenance)"),
        Decimal("10"),
        gettext_noop("5: who runs and maintains it is agreed"),
    ),
)


@transaction.atomic
def cycle_create(
    *,
    by,
    municipality: Municipality,
    fiscal_year: int,
    envelope: Decimal,
    ordinance_reference: str = "",
    prioritised_results: str = "",
) -> BudgetCycle:
    """Open a municipality's cycle for a fiscal year (one per year) with the default calendar that follows
    the law and the default criteria matrix; both are editable afterwards."""
    if (
        by is not None
        and not by.is_superuser
        and municipality.organisation_id not in access_for(by).organisations_with(*RUNNING_ROLES)
    ):
        raise PermissionDenied(_("Only the municipality's budget team opens its cycles."))
    if BudgetCycle.objects.filter(municipality=municipality, fiscal_year=fiscal_year).exists():
        raise ValidationError(
            {"fiscal_year": _("This municipality already has a cycle for %(year)s.") % {"year": fiscal_year}}
        )
    cycle = BudgetCycle(
        municipality=municipality,
        fiscal_year=fiscal_year,
        envelope=envelope,
        ordinance_reference=ordinance_reference,
        prioritised_results=prioritised_results,
        created_by=by,
    )
    cycle.full_clean()
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError as error:  # two people opening the same year at once
        raise ValidationError(
            {"fiscal_year": _("This municipality already has a cycle for this year.")}
        ) from error
    for plan in DEFAULT_CALENDAR:
        phase = Phase.objects.create(
            cycle=cycle,
            kind=plan.kind,
            position=PHASE_ORDER[plan.kind],
            starts_on=on(fiscal_year, plan.start),
            ends_on=on(fiscal_year, plan.end),
        )
        Step.objects.bulk_create(
            Step(
                phase=phase,
                name=str(step.name),
                position=i,
                starts_on=on(fiscal_year, step.start),
                ends_on=on(fiscal_year, step.end),
            )
            for i, step in enumerate(plan.steps, start=1)
        )
    Criterion.objects.bulk_create(
        Criterion(cycle=cycle, name=_(name), weight=weight, scale_max=5, guidance=_(guide), position=i)
        for i, (name, weight, guide) in enumerate(DEFAULT_MATRIX, start=1)
    )
    cycle_reminders_schedule(cycle=cycle)
    return cycle


@transaction.atomic
def cycle_update(
    *,
    by,
    cycle: BudgetCycle,
    envelope: Decimal,
    ordinance_reference: str,
    prioritised_results: str,
    agents_commitments: str,
) -> BudgetCycle:
    """The budget team keeps the envelope, ordinance, results and commitments; an envelope change is kept
    in the history (it changes what the allocation can fund)."""
    cycle_check_runs(cycle=cycle, by=by)
    cycle = BudgetCycle.objects.select_for_update().get(pk=cycle.pk)
    history_record(
        cycle=cycle,
        subject=HistoryEntry.Subject.ALLOCATION,
        obj=cycle,
        label=str(cycle),
        field="envelope",
        before=cycle.envelope,
        after=envelope,
        by=by,
    )
    cycle.envelope = envelope
    cycle.ordinance_reference = ordinance_reference
    cycle.prioritised_results = prioritised_results
    cycle.agents_commitments = agents_commitments
    cycle.full_clean()
    cycle.save(
        update_fields=[
            "envelope",
            "ordinance_reference",
            "prioritised_results",
            "agents_commitments",
            "updated_at",
        ]
    )
    return cycle


@transaction.atomic
def phase_dates_set(*, by, phase: Phase, starts_on: datetime.date, ends_on: datetime.date) -> Phase:
    """Move a phase. Phases keep their legal order without overlapping, and formalisation (council approval
    of the opening budget) ends by 31 December of the year before the fiscal year. Its deadline reminders
    move with it."""
    cycle = phase.cycle
    cycle_check_runs(cycle=cycle, by=by)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end must be on or after the start.")})
    siblings = {p.position: p for p in Phase.objects.select_for_update().filter(cycle=cycle)}
    before = siblings.get(phase.position - 1)
    after = siblings.get(phase.position + 1)
    if before and starts_on <= before.ends_on:
        raise ValidationError(
            {
                "starts_on": _("This phase must start after %(phase)s ends.")
                % {"phase": before.get_kind_display()}
            }
        )
    if after and ends_on >= after.starts_on:
        raise ValidationError(
            {
                "ends_on": _("This phase must end before %(phase)s starts.")
                % {"phase": after.get_kind_display()}
            }
        )
    deadline = council_deadline(cycle.fiscal_year)
    if phase.kind == PhaseKind.FORMALISATION and ends_on > deadline:
        raise ValidationError(
            {
                "ends_on": _("The council approves the budget by %(date)s at the latest.")
                % {"date": deadline.strftime("%d/%m/%Y")}
            }
        )
    for field, value in (("starts_on", starts_on), ("ends_on", ends_on)):
        history_record(
            cycle=cycle,
            subject=HistoryEntry.Subject.CALENDAR,
            obj=phase,
            label=phase.get_kind_display(),
            field=field,
            before=getattr(phase, field),
            after=value,
            by=by,
        )
    phase.starts_on, phase.ends_on = starts_on, ends_on
    phase.save(update_fields=["starts_on", "ends_on"])
    cycle_reminders_schedule(cycle=cycle)
    return phase


@transaction.atomic
def step_dates_set(*, by, step: Step, name: str, starts_on: datetime.date, ends_on: datetime.date) -> Step:
    """Rename or move a step; it stays inside its phase's dates."""
    phase = step.phase
    cycle_check_runs(cycle=phase.cycle, by=by)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end must be on or after the start.")})
    if starts_on < phase.starts_on or ends_on > phase.ends_on:
        raise ValidationError(
            _("A step stays within its phase (%(start)s – %(end)s).")
            % {"start": phase.starts_on.strftime("%d/%m/%Y"), "end": phase.ends_on.strftime("%d/%m/%Y")}
        )
    for field, value in (("starts_on", starts_on), ("ends_on", ends_on)):
        history_record(
            cycle=phase.cycle,
            subject=HistoryEntry.Subject.CALENDAR,
            obj=step,
            label=step.name,
            field=field,
            before=getattr(step, field),
            after=value,
            by=by,
        )
    step.name, step.starts_on, step.ends_on = name, starts_on, ends_on
    step.full_clean()
    step.save(update_fields=["name", "starts_on", "ends_on"])
    return step


@transaction.atomic
def workshop_record(
    *,
    by,
    cycle: BudgetCycle,
    kind: str,
    held_on: datetime.date,
    place: str,
    women: int = 0,
    men: int = 0,
    notes: str = "",
    acta=None,
    workshop: Workshop | None = None,
    meeting=None,
) -> Workshop:
    """Record (or correct) a workshop with its attendance by gender and, optionally, its signed acta.
    Held as a logged meeting of one of the municipality's concertation spaces, it takes that meeting's
    date, place and attendance by gender (its acta is the meeting's)."""
    cycle_check_runs(cycle=cycle, by=by)
    workshop = workshop or Workshop(cycle=cycle)
    if workshop.cycle_id != cycle.pk:
        raise PermissionDenied
    if meeting is not None:
        if meeting.space.municipality_id != cycle.municipality_id:
            raise ValidationError({"meeting": _("Choose a meeting of this municipality's spaces.")})
        if meeting.status != meeting.Status.HELD:
            raise ValidationError({"meeting": _("Log the meeting first: its attendance is used here.")})
        held_on, place = timezone.localdate(meeting.starts_at), meeting.place
        women = meeting.attendance.filter(gender="female").count()
        men = meeting.attendance.filter(gender="male").count()
    workshop.meeting = meeting
    workshop.kind, workshop.held_on, workshop.place = kind, held_on, place
    workshop.women, workshop.men, workshop.notes = women, men, notes
    if acta:
        workshop.acta = acta
    workshop.full_clean()
    workshop.save()
    return workshop
