"""The annual operating plan's life: draft → (approved by the asamblea general) → submitted → returned →
resubmitted → validated (locked), and new versions started from a validated plan. Every rule about who may
do what lives here."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kallpanchis.accounts.access import access_for
from kallpanchis.accounts.models import User

from ..models import (
    Activity,
    BudgetLine,
    BudgetSource,
    Contribution,
    OperatingPlan,
    PlanComment,
    PlanDeadline,
    PlanEvent,
    PlanSection,
    ProducerAssociation,
)
from .associations import association_check_manager
from .reminders import deadline_reminders_schedule, plan_review_reminders_update

Status = OperatingPlan.Status


class PlanConflict(Exception):
    """Someone else saved the plan since this person opened it; `current` is what is stored now."""

    def __init__(self, current: OperatingPlan):
        super().__init__("stale plan revision")
        self.current = current


@dataclass
class BudgetLineData:
    """One line of an activity's budget: quantity × unit cost, from a source, in cash or in kind."""

    source: str
    unit_cost: Decimal
    units: Decimal = Decimal(1)
    contribution: str = Contribution.CASH

    @property
    def amount(self) -> Decimal:
        return (self.units * self.unit_cost).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class ActivityData:
    title: str
    indicator: str = ""
    unit: str = ""
    quantity: Decimal | None = None
    responsible: str = ""
    months: int = 0
    # Lines; {source: amount} is read as cash lines of one unit (what the plan form sent before lines had
    # a quantity and a unit cost).
    budget: list[BudgetLineData] | dict[str, Decimal] = field(default_factory=list)

    def budget_lines(self) -> list[BudgetLineData]:
        if isinstance(self.budget, dict):
            return [
                BudgetLineData(source=s, unit_cost=a)
                for s, a in self.budget.items()
                if a is not None and a != 0
            ]
        return list(self.budget)


@dataclass
class PlanContent:
    diagnosis: str = ""
    general_objective: str = ""
    specific_objectives: str = ""
    lines_of_action: str = ""
    activities: list[ActivityData] = field(default_factory=list)

    TEXT_FIELDS = ("diagnosis", "general_objective", "specific_objectives", "lines_of_action")

    @classmethod
    def of(cls, plan: OperatingPlan) -> "PlanContent":
        activities = [
            ActivityData(
                title=a.title,
                indicator=a.indicator,
                unit=a.unit,
                quantity=a.quantity,
                responsible=a.responsible,
                months=a.months,
                budget=[
                    BudgetLineData(
                        source=line.source,
                        unit_cost=line.unit_cost,
                        units=line.units,
                        contribution=line.contribution,
                    )
                    for line in a.budget_lines.all()
                ],
            )
            for a in plan.activities.prefetch_related("budget_lines")
        ]
        return cls(**{f: getattr(plan, f) for f in cls.TEXT_FIELDS}, activities=activities)


def _stamp(
    *, plan: OperatingPlan, by: User | None, action: str, from_status: str, comment: str = ""
) -> PlanEvent:
    return PlanEvent.objects.create(
        plan=plan,
        action=action,
        from_status=from_status,
        to_status=plan.status,
        by=by,
        at=timezone.now(),
        comment=comment,
    )


def _write_activities(plan: OperatingPlan, activities: list[ActivityData]) -> None:
    plan.activities.all().delete()
    created = Activity.objects.bulk_create(
        [
            Activity(
                plan=plan,
                position=i,
                title=a.title.strip(),
                indicator=a.indicator.strip(),
                unit=a.unit.strip(),
                quantity=a.quantity,
                responsible=a.responsible.strip(),
                months=a.months,
            )
            for i, a in enumerate(activities)
        ]
    )
    lines = []
    for activity, data in zip(created, activities, strict=True):
        seen = set()
        for line in data.budget_lines():
            if line.source not in BudgetSource.values or line.contribution not in Contribution.values:
                raise ValidationError(_("Unknown budget source."))
            if line.unit_cost is None or line.units is None:
                continue
            if line.unit_cost < 0 or line.units < 0:
                raise ValidationError(_("Amounts cannot be negative."))
            if line.amount == 0:
                continue
            if (line.source, line.contribution) in seen:
                raise ValidationError(
                    _("Activity “%(title)s”: one line per source and kind of contribution.")
                    % {"title": activity.title}
                )
            seen.add((line.source, line.contribution))
            lines.append(
                BudgetLine(
                    activity=activity,
                    source=line.source,
                    contribution=line.contribution,
                    units=line.units,
                    unit_cost=line.unit_cost,
                    amount=line.amount,
                )
            )
    BudgetLine.objects.bulk_create(lines)


@transaction.atomic
def plan_start(*, by: User | None, association: ProducerAssociation, year: int) -> OperatingPlan:
    """A leader (or coordinator) starts the association's plan for a year: one plan per association and
    year (later versions come from plan_version_new)."""
    association_check_manager(by=by, association=association)
    if OperatingPlan.objects.filter(association=association, year=year).exists():
        raise ValidationError({"year": _("There is already a plan for %(year)s.") % {"year": year}})
    plan = OperatingPlan(association=association, year=year, created_by=by, updated_by=by)
    plan.full_clean()
    plan.save()
    _stamp(plan=plan, by=by, action=PlanEvent.Action.CREATED, from_status="")
    return plan


@transaction.atomic
def plan_save_draft(
    *, by: User | None, plan: OperatingPlan, revision: int, content: PlanContent
) -> OperatingPlan:
    """Save what the leader has typed so far. Only a draft or returned plan, current version, may change;
    the save must start from the revision stored now, otherwise it is refused (PlanConflict) and nothing is
    overwritten."""
    association_check_manager(by=by, association=plan.association)
    for activity in content.activities:
        if not activity.title.strip():
            raise ValidationError(_("Every activity needs a name."))
        if activity.quantity is not None and activity.quantity < 0:
            raise ValidationError(_("Amounts cannot be negative."))
    updated = OperatingPlan.objects.filter(
        pk=plan.pk, revision=revision, status__in=OperatingPlan.EDITABLE, is_current=True
    ).update(
        revision=F("revision") + 1,
        updated_by=by,
        updated_at=timezone.now(),
        **{f: getattr(content, f).strip() for f in PlanContent.TEXT_FIELDS},
    )
    if not updated:
        current = OperatingPlan.objects.get(pk=plan.pk)
        if not current.is_editable:
            raise ValidationError(_("This plan is locked: it can no longer be changed."))
        raise PlanConflict(current)
    _write_activities(plan, content.activities)
    plan.refresh_from_db()
    return plan


def plan_missing(plan: OperatingPlan) -> list[str]:
    """What a plan still lacks before it can be submitted (empty list: complete)."""
    missing = []
    if not plan.assembly_approved:
        missing.append(_("Record the approval of the plan by the asamblea general."))
    if not plan.diagnosis.strip():
        missing.append(_("Write the diagnosis."))
    if not plan.general_objective.strip():
        missing.append(_("Write the general objective."))
    activities = list(plan.activities.all())
    if not activities:
        missing.append(_("Add at least one activity."))
    for activity in activities:
        if not (activity.indicator and activity.unit and activity.quantity):
            missing.append(
                _("Activity “%(title)s”: give its goal (indicator, unit, quantity).")
                % {"title": activity.title}
            )
        if not activity.months:
            missing.append(_("Activity “%(title)s”: choose its months.") % {"title": activity.title})
    return missing


def _locked(plan: OperatingPlan) -> OperatingPlan:
    return OperatingPlan.objects.select_for_update().select_related("association").get(pk=plan.pk)


def _bump(plan: OperatingPlan, *fields: str) -> None:
    plan.revision = F("revision") + 1
    plan.save(update_fields=["status", "revision", "updated_at", *fields])
    plan.refresh_from_db()


@transaction.atomic
def plan_submit(*, by: User | None, plan: OperatingPlan) -> OperatingPlan:
    """The association's leader sends a complete draft for review (a returned plan is 'resubmitted').
    The first submission's time is kept: it decides whether the plan was late."""
    plan = _locked(plan)
    association_check_manager(by=by, association=plan.association)
    if plan.status not in OperatingPlan.EDITABLE or not plan.is_current:
        raise ValidationError(_("Only a draft or a returned plan can be sent."))
    missing = plan_missing(plan)
    if missing:
        raise ValidationError(missing)
    before = plan.status
    plan.status = Status.SUBMITTED if before == Status.DRAFT else Status.RESUBMITTED
    plan.submitted_at = plan.submitted_at or timezone.now()
    _bump(plan, "submitted_at")
    action = PlanEvent.Action.SUBMITTED if before == Status.DRAFT else PlanEvent.Action.RESUBMITTED
    _stamp(plan=plan, by=by, action=action, from_status=before)
    plan_review_reminders_update(plan=plan)
    deadline = PlanDeadline.objects.filter(year=plan.year).first()
    if deadline is not None:
        deadline_reminders_schedule(deadline=deadline)  # this association's leaders are done
    return plan


def _check_reviewer(by: User | None, plan: OperatingPlan) -> None:
    if by is None:
        return
    if not OperatingPlan.objects.reviewable_by(by).filter(pk=plan.pk).exists():
        raise PermissionDenied(_("Only the technicians of the district and the coordinators review plans."))


@transaction.atomic
def plan_return(
    *, by: User | None, plan: OperatingPlan, comments: list[tuple[str, str]], comment: str = ""
) -> OperatingPlan:
    """A technician of the association's territory or a coordinator returns a plan under review, with at
    least one comment attached to a section, so the leader knows what to fix."""
    plan = _locked(plan)
    _check_reviewer(by, plan)
    if plan.status not in OperatingPlan.IN_REVIEW:
        raise ValidationError(_("Only a plan under review can be returned."))
    comments = [(section, text.strip()) for section, text in comments if text and text.strip()]
    if not comments:
        raise ValidationError(_("Write at least one comment so the association knows what to fix."))
    if any(section not in PlanSection.values for section, _text in comments):
        raise ValidationError(_("Unknown section."))
    before = plan.status
    plan.status = Status.RETURNED
    _bump(plan)
    event = _stamp(plan=plan, by=by, action=PlanEvent.Action.RETURNED, from_status=before, comment=comment)
    PlanComment.objects.bulk_create(
        [PlanComment(plan=plan, event=event, section=s, text=t, by=by, at=event.at) for s, t in comments]
    )
    plan_review_reminders_update(plan=plan)
    return plan


@transaction.atomic
def plan_validate_municipality(*, by: User | None, plan: OperatingPlan, comment: str = "") -> OperatingPlan:
    """A technician of a municipality whose territory holds the association (or a coordinator) records the
    municipality's validation of a plan under review. The plan stays under review: the NGO's validation
    locks it."""
    plan = _locked(plan)
    _check_reviewer(by, plan)
    if plan.status not in OperatingPlan.IN_REVIEW:
        raise ValidationError(_("Only a plan under review can be validated."))
    if plan.municipality_validated_at is not None:
        raise ValidationError(_("The municipality has already validated this plan."))
    plan.municipality_validated_at = timezone.now()
    plan.municipality_validated_by = by
    _bump(plan, "municipality_validated_at", "municipality_validated_by")
    _stamp(
        plan=plan,
        by=by,
        action=PlanEvent.Action.MUNICIPALITY_VALIDATED,
        from_status=plan.status,
        comment=comment,
    )
    return plan


@transaction.atomic
def plan_validate(*, by: User | None, plan: OperatingPlan, comment: str = "") -> OperatingPlan:
    """Only a coordinator (the NGO) validates a plan under review, which its asamblea approved; a validated
    plan is locked, and its execution reports fall due."""
    from .execution import execution_reminders_update

    plan = _locked(plan)
    if by is not None and not access_for(by).is_coordinator:
        raise PermissionDenied(_("Only a coordinator validates plans."))
    if plan.status not in OperatingPlan.IN_REVIEW:
        raise ValidationError(_("Only a plan under review can be validated."))
    before = plan.status
    plan.status = Status.VALIDATED
    _bump(plan)
    _stamp(plan=plan, by=by, action=PlanEvent.Action.VALIDATED, from_status=before, comment=comment)
    plan_review_reminders_update(plan=plan)
    execution_reminders_update(plan=plan)
    return plan


# The asamblea's quorum and majority (Código Civil, art. 87, which associations' statutes follow).
def assembly_problems(*, members_present: int, members_total: int, votes_for: int, call: str) -> list[str]:
    problems = []
    if members_total < 1:
        problems.append(_("Give the number of members in good standing."))
    if members_present > members_total:
        problems.append(_("More members present than members of the association."))
    if call == OperatingPlan.AssemblyCall.FIRST and members_present * 2 <= members_total:
        problems.append(
            _(
                "No quorum: at the first call more than half of the members must be present "
                "(%(present)s of %(total)s)."
            )
            % {"present": members_present, "total": members_total}
        )
    if votes_for > members_present:
        problems.append(_("More votes than members present."))
    elif votes_for * 2 <= members_present:
        problems.append(
            _("The plan was not approved: it needs the votes of more than half of those present.")
        )
    return problems


@transaction.atomic
def plan_assembly_record(
    *,
    by: User | None,
    plan: OperatingPlan,
    held_on: date,
    call: str,
    minutes_ref: str,
    members_present: int,
    members_total: int,
    votes_for: int,
    minutes_file=None,
) -> OperatingPlan:
    """The leader records that the association's asamblea general approved the plan (date, acta, quorum,
    votes) before sending it: quorum and majority as the Código Civil (art. 87) asks of an association.
    Only a draft or returned plan, current version; the date cannot be in the future."""
    plan = _locked(plan)
    association_check_manager(by=by, association=plan.association)
    if not plan.is_editable:
        raise ValidationError(_("This plan is locked: it can no longer be changed."))
    if call not in OperatingPlan.AssemblyCall.values:
        raise ValidationError({"call": _("Choose the call.")})
    errors = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("The asamblea cannot be in the future.")
    if not minutes_ref.strip() and not minutes_file:
        errors["minutes_ref"] = _("Give the acta's book and page, or attach it.")
    problems = assembly_problems(
        members_present=members_present, members_total=members_total, votes_for=votes_for, call=call
    )
    if problems:
        errors["members_present"] = problems
    if errors:
        raise ValidationError(errors)
    first = not plan.assembly_approved
    plan.assembly_date = held_on
    plan.assembly_call = call
    plan.assembly_minutes_ref = minutes_ref.strip()
    plan.assembly_members_present = members_present
    plan.assembly_members_total = members_total
    plan.assembly_votes_for = votes_for
    fields = [
        "assembly_date",
        "assembly_call",
        "assembly_minutes_ref",
        "assembly_members_present",
        "assembly_members_total",
        "assembly_votes_for",
        "updated_by",
    ]
    if minutes_file:
        plan.assembly_minutes_file = minutes_file
        fields.append("assembly_minutes_file")
    plan.updated_by = by
    _bump(plan, *fields)
    _stamp(
        plan=plan,
        by=by,
        action=PlanEvent.Action.ASSEMBLY_APPROVED,
        from_status=plan.status,
        comment=_(
            "%(date)s · acta %(ref)s · %(present)s of %(total)s members present, %(votes)s votes in favour."
        )
        % {
            "date": held_on.strftime("%d/%m/%Y"),
            "ref": plan.assembly_minutes_ref or "—",
            "present": members_present,
            "total": members_total,
            "votes": votes_for,
        }
        + ("" if first else " " + _("(corrected)")),
    )
    return plan


@transaction.atomic
def plan_version_new(*, by: User | None, plan: OperatingPlan) -> OperatingPlan:
    """Start a new draft version from the approved current one (which stays approved, no longer current)."""
    plan = _locked(plan)
    association_check_manager(by=by, association=plan.association)
    if plan.status != Status.VALIDATED or not plan.is_current:
        raise ValidationError(_("A new version starts only from the validated, current plan."))
    content = PlanContent.of(plan)
    OperatingPlan.objects.filter(pk=plan.pk).update(is_current=False, revision=F("revision") + 1)
    new = OperatingPlan.objects.create(
        association=plan.association,
        year=plan.year,
        version=plan.version + 1,
        previous=plan,
        created_by=by,
        updated_by=by,
        **{f: getattr(content, f) for f in PlanContent.TEXT_FIELDS},
    )
    _write_activities(new, content.activities)
    _stamp(
        plan=new,
        by=by,
        action=PlanEvent.Action.NEW_VERSION,
        from_status="",
        comment=_("From version %(n)s.") % {"n": plan.version},
    )
    return new


@transaction.atomic
def deadline_set(*, by: User | None, year: int, due_on: date) -> PlanDeadline:
    """A coordinator sets (or moves) the plan submission deadline for a year."""
    if by is not None and not access_for(by).is_coordinator:
        raise PermissionDenied(_("Only a coordinator sets deadlines."))
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Give a year between 2000 and 2100.")})
    deadline, _created = PlanDeadline.objects.update_or_create(
        year=year, defaults={"due_on": due_on, "set_by": by}
    )
    deadline_reminders_schedule(deadline=deadline)
    return deadline
