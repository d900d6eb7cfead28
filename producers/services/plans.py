"""The annual operating plan's life: draft → submitted → returned → resubmitted → approved (locked), and new
versions started from an approved plan. Every rule about who may do what lives here."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

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
class ActivityData:
    title: str
    indicator: str = ""
    unit: str = ""
    quantity: Decimal | None = None
    responsible: str = ""
    months: int = 0
    budget: dict[str, Decimal] = field(default_factory=dict)


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
                budget={line.source: line.amount for line in a.budget_lines.all()},
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
        for source, amount in data.budget.items():
            if source not in BudgetSource.values:
                raise ValidationError(_("Unknown budget source."))
            if amount is None or amount == 0:
                continue
            if amount < 0:
                raise ValidationError(_("Amounts cannot be negative."))
            lines.append(BudgetLine(activity=activity, source=source, amount=amount))
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
def plan_approve(*, by: User | None, plan: OperatingPlan, comment: str = "") -> OperatingPlan:
    """Only a coordinator approves a plan under review; an approved plan is locked."""
    plan = _locked(plan)
    if by is not None and not access_for(by).is_coordinator:
        raise PermissionDenied(_("Only a coordinator approves plans."))
    if plan.status not in OperatingPlan.IN_REVIEW:
        raise ValidationError(_("Only a plan under review can be approved."))
    before = plan.status
    plan.status = Status.APPROVED
    _bump(plan)
    _stamp(plan=plan, by=by, action=PlanEvent.Action.APPROVED, from_status=before, comment=comment)
    plan_review_reminders_update(plan=plan)
    return plan


@transaction.atomic
def plan_version_new(*, by: User | None, plan: OperatingPlan) -> OperatingPlan:
    """Start a new draft version from the approved current one (which stays approved, no longer current)."""
    plan = _locked(plan)
    association_check_manager(by=by, association=plan.association)
    if plan.status != Status.APPROVED or not plan.is_current:
        raise ValidationError(_("A new version starts only from the approved, current plan."))
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
