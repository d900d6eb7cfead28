"""Reported values and their review: submit (or resubmit once returned), return with a comment, approve,
and correct an approved value through a new version. One service per transition; every transition leaves a
ReportEvent."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kallpanchis.accounts.access import access_for
from kallpanchis.accounts.models import MUNICIPAL_ROLES, Role

from ..aggregation import disaggregation_gaps
from ..categories import categories_for
from ..models import Assignment, Indicator, Period, Report, ReportEvent
from .framework import framework_check_coordinator
from .reminders import assignment_reminders_update

__all__ = ["reporter_can", "report_submit", "report_return", "report_approve", "report_correct"]


def reporter_can(user, *, indicator: Indicator, municipality, assignment: Assignment | None = None) -> bool:
    """Who is assigned: the municipality's staff (administrator, technician) or, when the assignment names
    a producer association, that association's leaders. A coordinator may type in a value sent on paper."""
    if access_for(user).is_coordinator:
        return True
    if assignment is None:
        assignment = Assignment.objects.filter(indicator=indicator, municipality=municipality).first()
    if assignment is None:
        return False
    access = access_for(user)
    if assignment.association_id:
        return assignment.association_id in access.organisations_with(Role.LEADER)
    return municipality.organisation_id in access.organisations_with(
        *(MUNICIPAL_ROLES - {Role.TECHNICAL_TEAM})
    )


def _latest(indicator, municipality, period) -> Report | None:
    return (
        Report.objects.select_for_update()
        .filter(indicator=indicator, municipality=municipality, period=period)
        .order_by("-version")
        .first()
    )


def _clean_figures(indicator: Indicator, municipality, value, disaggregation, mismatch_reason) -> dict:
    """Only the indicator's dimensions and their categories; numbers as strings; the parts add up to the
    total or the reporter says why not."""
    allowed = categories_for(indicator, municipality)
    clean: dict[str, dict[str, str]] = {}
    for dimension, parts in (disaggregation or {}).items():
        if dimension not in allowed:
            raise ValidationError(_("This indicator is not disaggregated by %(d)s.") % {"d": dimension})
        known = {code for code, _label in allowed[dimension]}
        row = {}
        for category, figure in (parts or {}).items():
            if figure in ("", None):
                continue
            if category not in known:
                raise ValidationError(_("Unknown category: %(c)s.") % {"c": category})
            try:
                number = Decimal(str(figure))
            except InvalidOperation:
                raise ValidationError(_("Disaggregated figures must be numbers.")) from None
            if number < 0:
                raise ValidationError(_("Disaggregated figures cannot be negative."))
            row[category] = str(number)
        if row:
            clean[dimension] = row
    gaps = disaggregation_gaps(value, clean)
    if gaps and not (mismatch_reason or "").strip():
        raise ValidationError(
            {
                "mismatch_reason": _(
                    "The disaggregated figures (%(parts)s) do not add up to the total %(total)s: "
                    "correct them or say why."
                )
                % {"parts": ", ".join(f"{d}: {v}" for d, v in gaps.items()), "total": value}
            }
        )
    return clean


def _clean_value(indicator: Indicator, value, level) -> tuple[Decimal | None, int | None]:
    if indicator.is_quantitative:
        if value is None:
            raise ValidationError({"value": _("Type the value reached in this period.")})
        value = Decimal(value)
        if indicator.decimals is not None and value != round(value, indicator.decimals):
            raise ValidationError(
                {"value": _("This indicator takes %(n)s decimals at most.") % {"n": indicator.decimals}}
            )
        return value, None
    if level is None or not (0 <= int(level) < len(indicator.scale)):
        raise ValidationError({"level": _("Choose a level of the scale.")})
    return None, int(level)


def _fill(
    report, *, indicator, municipality, value, level, disaggregation, mismatch_reason, narrative, evidence
):
    report.value, report.level = _clean_value(indicator, value, level)
    report.disaggregation = _clean_figures(
        indicator, municipality, report.value, disaggregation, mismatch_reason
    )
    report.mismatch_reason = (mismatch_reason or "").strip() if report.disaggregation else ""
    report.narrative = narrative or ""
    if evidence:
        report.evidence = evidence


@transaction.atomic
def report_submit(
    *,
    by,
    indicator: Indicator,
    municipality,
    period: Period,
    value=None,
    level=None,
    disaggregation: dict | None = None,
    mismatch_reason: str = "",
    narrative: str = "",
    evidence=None,
) -> Report:
    """The assigned reporter sends a period's value (again, once returned, or while it waits for review).
    An approved value is locked: changing it takes `report_correct`."""
    if not reporter_can(by, indicator=indicator, municipality=municipality):
        raise PermissionDenied(_("You are not assigned to report this indicator for this municipality."))
    if period.frequency != indicator.frequency:
        raise ValidationError(
            _("This indicator is reported by %(f)s.") % {"f": indicator.get_frequency_display()}
        )
    report = _latest(indicator, municipality, period)
    if report is not None and report.state == Report.State.APPROVED:
        raise ValidationError(
            _(
                "The value of this period is approved and locked. "
                "To change it, open a correction with its reason."
            )
        )
    report = report or Report(indicator=indicator, municipality=municipality, period=period, version=1)
    _fill(
        report,
        indicator=indicator,
        municipality=municipality,
        value=value,
        level=level,
        disaggregation=disaggregation,
        mismatch_reason=mismatch_reason,
        narrative=narrative,
        evidence=evidence,
    )
    report.state = Report.State.SUBMITTED
    report.submitted_by = by
    report.submitted_at = timezone.now()
    report.full_clean(exclude=["submitted_by"], validate_constraints=False)
    report.save()
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.SUBMITTED, by=by, value=report.figure)
    _reminders_update(report)
    return report


def _reminders_update(report: Report) -> None:
    """A value sent stops its period's reminders; one returned starts them again."""
    assignment = Assignment.objects.filter(
        indicator_id=report.indicator_id, municipality_id=report.municipality_id
    ).first()
    if assignment is not None:
        assignment_reminders_update(assignment=assignment)


def _for_review(report: Report) -> Report:
    report = Report.objects.select_for_update().select_related("indicator").get(pk=report.pk)
    if report.state != Report.State.SUBMITTED:
        raise ValidationError(_("Only a value waiting for review can be approved or returned."))
    return report


@transaction.atomic
def report_return(*, by, report: Report, comment: str) -> Report:
    """A coordinator sends a value back to its reporter, saying what to fix."""
    framework_check_coordinator(by)
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what should be fixed.")})
    report = _for_review(report)
    report.state = Report.State.RETURNED
    report.reviewed_by, report.reviewed_at, report.review_comment = by, timezone.now(), comment.strip()
    report.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_comment", "updated_at"])
    ReportEvent.objects.create(
        report=report, action=ReportEvent.Action.RETURNED, by=by, comment=comment.strip()
    )
    _reminders_update(report)
    return report


@transaction.atomic
def report_approve(*, by, report: Report, comment: str = "") -> Report:
    """A coordinator approves a value: from now on it counts and is locked."""
    framework_check_coordinator(by)
    report = _for_review(report)
    report.state = Report.State.APPROVED
    report.reviewed_by, report.reviewed_at, report.review_comment = (
        by,
        timezone.now(),
        (comment or "").strip(),
    )
    report.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_comment", "updated_at"])
    ReportEvent.objects.create(
        report=report, action=ReportEvent.Action.APPROVED, by=by, comment=report.review_comment
    )
    return report


@transaction.atomic
def report_correct(
    *,
    by,
    report: Report,
    reason: str,
    value=None,
    level=None,
    disaggregation: dict | None = None,
    mismatch_reason: str = "",
    narrative: str = "",
    evidence=None,
) -> Report:
    """Correct an approved value: a new version, with its reason, that waits for review; the approved one
    stays as it was (and keeps counting until the new one is approved)."""
    report = Report.objects.select_related("indicator", "municipality").get(pk=report.pk)
    indicator, municipality = report.indicator, report.municipality
    if not (
        access_for(by).is_coordinator or reporter_can(by, indicator=indicator, municipality=municipality)
    ):
        raise PermissionDenied(_("You are not assigned to report this indicator for this municipality."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the approved value must change.")})
    latest = _latest(indicator, municipality, report.period)
    if latest.pk != report.pk or report.state != Report.State.APPROVED:
        raise ValidationError(_("Only the latest approved version can be corrected."))
    new = Report(
        indicator=indicator,
        municipality=municipality,
        period=report.period,
        version=report.version + 1,
        supersedes=report,
        correction_reason=reason.strip(),
        evidence=report.evidence,
    )
    _fill(
        new,
        indicator=indicator,
        municipality=municipality,
        value=value,
        level=level,
        disaggregation=disaggregation,
        mismatch_reason=mismatch_reason,
        narrative=narrative or report.narrative,
        evidence=evidence,
    )
    new.state = Report.State.SUBMITTED
    new.submitted_by, new.submitted_at = by, timezone.now()
    new.full_clean(exclude=["submitted_by"], validate_constraints=False)
    new.save()
    ReportEvent.objects.create(
        report=new,
        action=ReportEvent.Action.CORRECTED,
        by=by,
        comment=new.correction_reason,
        value=new.figure,
    )
    return new
