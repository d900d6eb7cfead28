"""Execution reports on a validated plan: the leader sends what was done and spent in a period, a technician
of the territory (or a coordinator) validates it or returns it with a comment; the leader corrects it while
it is not validated. Every step is stamped (ExecutionEvent), as a plan's are (PlanEvent)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kallpanchis.accounts.access import access_for
from kallpanchis.accounts.models import User

from ..models import (
    BudgetSource,
    ExecutionEvent,
    ExecutionLine,
    ExecutionPhoto,
    ExecutionReport,
    ExecutionSpending,
    OperatingPlan,
    Periodicity,
    ReportingCalendar,
    period_count,
)
from .associations import association_check_manager
from .photos import PhotoData, photo_clean

Status = ExecutionReport.Status
MAX_PHOTOS = 6


@dataclass
class ActivityExecution:
    activity_id: int
    quantity_done: Decimal = Decimal(0)
    spent: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class ReportContent:
    period: int
    note: str = ""
    activities: list[ActivityExecution] = field(default_factory=list)
    photos: list[PhotoData] = field(default_factory=list)


def calendar_for(year: int) -> ReportingCalendar:
    """The year's reporting calendar; quarterly with 15 days to report when none was set."""
    return ReportingCalendar.objects.filter(year=year).first() or ReportingCalendar(year=year)


@transaction.atomic
def calendar_set(*, by: User | None, year: int, periodicity: str, due_days: int) -> ReportingCalendar:
    """A coordinator decides whether the plans of a year report per quarter or per month. Refused once a
    report of that year exists: its periods would no longer mean the same."""
    if by is not None and not access_for(by).is_coordinator:
        raise PermissionDenied(_("Only a coordinator sets the reporting calendar."))
    if periodicity not in Periodicity.values:
        raise ValidationError({"periodicity": _("Choose quarterly or monthly.")})
    if not 0 <= due_days <= 90:
        raise ValidationError({"due_days": _("Give between 0 and 90 days.")})
    current = calendar_for(year)
    if current.periodicity != periodicity and ExecutionReport.objects.filter(plan__year=year).exists():
        raise ValidationError(
            {
                "periodicity": _("Reports of %(year)s already exist: the period can no longer change.")
                % {"year": year}
            }
        )
    calendar, _created = ReportingCalendar.objects.update_or_create(
        year=year, defaults={"periodicity": periodicity, "due_days": due_days, "set_by": by}
    )
    for plan in OperatingPlan.objects.filter(
        year=year, status=OperatingPlan.Status.VALIDATED, is_current=True
    ):
        execution_reminders_update(plan=plan)
    return calendar


def _stamp(
    *, report: ExecutionReport, by, action: str, from_status: str, comment: str = ""
) -> ExecutionEvent:
    return ExecutionEvent.objects.create(
        report=report,
        action=action,
        from_status=from_status,
        to_status=report.status,
        by=by,
        at=timezone.now(),
        comment=comment,
    )


def _check_content(plan: OperatingPlan, content: ReportContent) -> None:
    errors = []
    activity_ids = set(plan.activities.values_list("pk", flat=True))
    seen = set()
    for row in content.activities:
        if row.activity_id not in activity_ids or row.activity_id in seen:
            raise ValidationError(_("This activity is not in the plan."))
        seen.add(row.activity_id)
        if row.quantity_done is None or row.quantity_done < 0:
            errors.append(_("Quantities cannot be negative."))
        for source, amount in row.spent.items():
            if source not in BudgetSource.values:
                raise ValidationError(_("Unknown budget source."))
            if amount is not None and amount < 0:
                errors.append(_("Amounts cannot be negative."))
    if len(content.note) > 2000:
        errors.append(_("The note is too long (2,000 characters at most)."))
    if len(content.photos) > MAX_PHOTOS:
        errors.append(_("Up to %(n)s photos per report.") % {"n": MAX_PHOTOS})
    if not any(r.quantity_done or any(r.spent.values()) for r in content.activities) and not content.note:
        errors.append(_("Say what was done or spent, or write a note."))
    if errors:
        raise ValidationError(sorted(set(errors)))


def _write(report: ExecutionReport, content: ReportContent) -> None:
    report.lines.all().delete()
    report.spending.all().delete()
    ExecutionLine.objects.bulk_create(
        [
            ExecutionLine(report=report, activity_id=row.activity_id, quantity_done=row.quantity_done or 0)
            for row in content.activities
        ]
    )
    ExecutionSpending.objects.bulk_create(
        [
            ExecutionSpending(report=report, activity_id=row.activity_id, source=source, amount=amount)
            for row in content.activities
            for source, amount in row.spent.items()
            if amount
        ]
    )
    for photo in content.photos:
        clean = photo_clean(photo)
        ExecutionPhoto.objects.create(
            report=report, image=clean.file, width=clean.width, height=clean.height, gps_kept=clean.gps_kept
        )


@transaction.atomic
def report_submit(*, by: User | None, plan: OperatingPlan, content: ReportContent) -> ExecutionReport:
    """The association's leader (or a coordinator) reports a period of a validated plan: quantities done,
    money spent per source, a note, photos. One report per period; it is sent at once."""
    plan = OperatingPlan.objects.select_for_update().select_related("association").get(pk=plan.pk)
    association_check_manager(by=by, association=plan.association)
    if plan.status != OperatingPlan.Status.VALIDATED:
        raise ValidationError(_("Only a validated plan is reported on."))
    calendar = calendar_for(plan.year)
    if not 1 <= content.period <= period_count(calendar.periodicity):
        raise ValidationError({"period": _("Choose a period of the year.")})
    if ExecutionReport.objects.filter(
        plan=plan, periodicity=calendar.periodicity, period=content.period
    ).exists():
        raise ValidationError({"period": _("This period has already been reported: correct that report.")})
    _check_content(plan, content)
    report = ExecutionReport.objects.create(
        plan=plan,
        periodicity=calendar.periodicity,
        period=content.period,
        note=content.note.strip(),
        submitted_at=timezone.now(),
        submitted_by=by,
    )
    _write(report, content)
    _stamp(report=report, by=by, action=ExecutionEvent.Action.SUBMITTED, from_status="")
    execution_reminders_update(plan=plan)
    return report


def _locked(report: ExecutionReport) -> ExecutionReport:
    return ExecutionReport.objects.select_for_update().select_related("plan__association").get(pk=report.pk)


@transaction.atomic
def report_correct(
    *, by: User | None, report: ExecutionReport, revision: int, content: ReportContent
) -> ExecutionReport:
    """The leader corrects a report that is not validated (sent, returned or corrected); photos sent with
    the correction are added to those already there. A validated report is never changed; a correction
    started from an older revision is refused."""
    report = _locked(report)
    association_check_manager(by=by, association=report.plan.association)
    if report.status == Status.VALIDATED:
        raise ValidationError(_("This report is validated: it can no longer be changed."))
    if report.revision != revision:
        raise ValidationError(_("Someone else changed this report since you opened it. Open it again."))
    content.period = report.period
    _check_content(report.plan, content)
    if report.photos.count() + len(content.photos) > MAX_PHOTOS:
        raise ValidationError(_("Up to %(n)s photos per report.") % {"n": MAX_PHOTOS})
    before = report.status
    report.status = Status.CORRECTED
    report.note = content.note.strip()
    report.revision = F("revision") + 1
    report.save(update_fields=["status", "note", "revision", "updated_at"])
    report.refresh_from_db()
    _write(report, content)
    _stamp(report=report, by=by, action=ExecutionEvent.Action.CORRECTED, from_status=before)
    return report


def _check_reviewer(by, report: ExecutionReport) -> None:
    if by is None:
        return
    if not ExecutionReport.objects.reviewable_by(by).filter(pk=report.pk).exists():
        raise PermissionDenied(_("Only the technicians of the district and the coordinators review reports."))


@transaction.atomic
def report_return(*, by: User | None, report: ExecutionReport, comment: str) -> ExecutionReport:
    """A technician of the association's territory (or a coordinator) returns a report under review, saying
    what to fix."""
    report = _locked(report)
    _check_reviewer(by, report)
    if report.status not in ExecutionReport.IN_REVIEW:
        raise ValidationError(_("Only a report under review can be returned."))
    if not comment.strip():
        raise ValidationError({"comment": _("Write what the association should fix.")})
    before = report.status
    report.status = Status.RETURNED
    report.revision = F("revision") + 1
    report.save(update_fields=["status", "revision", "updated_at"])
    report.refresh_from_db()
    _stamp(
        report=report,
        by=by,
        action=ExecutionEvent.Action.RETURNED,
        from_status=before,
        comment=comment.strip(),
    )
    return report


@transaction.atomic
def report_validate(*, by: User | None, report: ExecutionReport, comment: str = "") -> ExecutionReport:
    """A technician of the association's territory (or a coordinator) validates a report under review;
    it is locked from then on."""
    report = _locked(report)
    _check_reviewer(by, report)
    if report.status not in ExecutionReport.IN_REVIEW:
        raise ValidationError(_("Only a report under review can be validated."))
    before = report.status
    report.status = Status.VALIDATED
    report.revision = F("revision") + 1
    report.save(update_fields=["status", "revision", "updated_at"])
    report.refresh_from_db()
    _stamp(
        report=report,
        by=by,
        action=ExecutionEvent.Action.VALIDATED,
        from_status=before,
        comment=comment.strip(),
    )
    return report


# --- reminders ------------------------------------------------------------------------------------------

REMIND_BEFORE_DAYS = (7, 1)
REMIND_AFTER_DAYS = (3, 10)


def report_due_times(*, plan: OperatingPlan, now: datetime.datetime | None = None) -> list[datetime.datetime]:
    """When the leaders hear about the periods of a validated plan not yet reported: 7 and 1 days before
    each report's due date and 3 and 10 days after it; only moments still to come."""
    from ..models import period_due

    now = now or timezone.now()
    calendar = calendar_for(plan.year)
    reported = set(
        ExecutionReport.objects.filter(plan=plan, periodicity=calendar.periodicity).values_list(
            "period", flat=True
        )
    )
    times = []
    for period in range(1, period_count(calendar.periodicity) + 1):
        if period in reported:
            continue
        due = period_due(plan.year, calendar.periodicity, period, calendar.due_days)
        at = timezone.make_aware(datetime.datetime.combine(due, datetime.time(9, 0)))
        for days in REMIND_BEFORE_DAYS:
            times.append(at - datetime.timedelta(days=days))
        for days in REMIND_AFTER_DAYS:
            times.append(at + datetime.timedelta(days=days))
    return sorted(t for t in times if t > now)


def execution_reminders_update(*, plan: OperatingPlan) -> None:
    """A validated, current plan reminds its association's leaders of every report still to send; any
    other plan, none."""
    from kallpanchis.accounts.models import Role, RoleAssignment
    from kallpanchis.notifications.services import reminders_cancel, reminders_schedule

    from ..reminders import EXECUTION_REPORT_DUE

    if plan.status != OperatingPlan.Status.VALIDATED or not plan.is_current:
        reminders_cancel(target=plan, kinds=[EXECUTION_REPORT_DUE])
        return
    leaders = RoleAssignment.objects.filter(
        role=Role.LEADER, organisation_id=plan.association.organisation_id
    )
    reminders_schedule(
        kind=EXECUTION_REPORT_DUE,
        target=plan,
        recipients=sorted(set(leaders.values_list("user_id", flat=True))),
        due_times=report_due_times(plan=plan),
    )
