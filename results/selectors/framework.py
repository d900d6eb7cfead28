"""The framework and the reports, scoped to the person: the consortium's pages, reporters' assignments."""

from collections import defaultdict

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from kallpanchis.accounts.access import access_for
from kallpanchis.accounts.models import Role
from municipalities.models import Municipality

from ..models import Assignment, Indicator, Period, Report, Target
from .common import framework_reader_or_404

# --- the framework ---


def indicators_for_user(*, user):
    framework_reader_or_404(user)
    return Indicator.objects.select_related("result").order_by("result__number", "position", "code")


def indicator_get_for_user(*, user, indicator_id: int) -> Indicator:
    framework_reader_or_404(user)
    return get_object_or_404(Indicator.objects.select_related("result"), pk=indicator_id)


def indicator_targets(*, indicator: Indicator):
    return (
        Target.objects.filter(indicator=indicator)
        .select_related("municipality__organisation", "period")
        .order_by("-year", "municipality__organisation__name", "period__number")
    )


def indicator_assignments(*, indicator: Indicator):
    return (
        Assignment.objects.filter(indicator=indicator)
        .select_related("municipality__organisation", "association")
        .order_by("municipality__organisation__name")
    )


# --- reports ---


def _reporter_q(user) -> Q:
    access = access_for(user)
    staff = access.organisations_with(Role.MUNICIPAL_ADMIN, Role.TECHNICIAN)
    leads = access.organisations_with(Role.LEADER)
    return Q(association__isnull=True, municipality__organisation_id__in=staff) | Q(association_id__in=leads)


def assignments_for_reporter(*, user):
    """What this person reports: their municipality's indicators, or their association's."""
    return (
        Assignment.objects.filter(_reporter_q(user), indicator__active=True)
        .select_related("indicator", "municipality__organisation", "association")
        .order_by("municipality__organisation__name", "indicator__position", "indicator__code")
    )


def reporting_rows(*, user, year: int) -> list[dict]:
    """For each assignment, each period of the year: the latest version reported (or none). Three queries."""
    assignments = list(assignments_for_reporter(user=user))
    if not assignments:
        return []
    periods = defaultdict(list)
    for period in Period.objects.filter(year=year).order_by("number"):
        periods[period.frequency].append(period)
    latest: dict[tuple, Report] = {}
    reports = Report.objects.filter(
        period__year=year,
        indicator_id__in={a.indicator_id for a in assignments},
        municipality_id__in={a.municipality_id for a in assignments},
    ).order_by("version")
    for report in reports:
        latest[(report.indicator_id, report.municipality_id, report.period_id)] = report
    rows = []
    for assignment in assignments:
        for period in periods.get(assignment.indicator.frequency, []):
            rows.append(
                {
                    "assignment": assignment,
                    "period": period,
                    "report": latest.get((assignment.indicator_id, assignment.municipality_id, period.pk)),
                }
            )
    return rows


def reports_to_review(*, user):
    """Values waiting for a coordinator's review, oldest first."""
    if not access_for(user).is_coordinator:
        return Report.objects.none()
    return (
        Report.objects.filter(state=Report.State.SUBMITTED)
        .select_related("indicator", "municipality__organisation", "period", "submitted_by")
        .order_by("submitted_at")
    )


def report_visible_q(user) -> Q | None:
    """None: every report (the consortium). Otherwise the reports of the municipalities in the person's
    scope, and those their association is assigned to report."""
    access = access_for(user)
    if access.consortium_wide:
        return None
    visible = Municipality.objects.visible_to(user).values("pk")
    assigned = Assignment.objects.filter(
        association_id__in=access.organisations_with(Role.LEADER),
        indicator_id=OuterRef("indicator_id"),
        municipality_id=OuterRef("municipality_id"),
    )
    return Q(municipality_id__in=visible) | Q(Exists(assigned))


def report_get_for_user(*, user, report_id: int) -> Report:
    qs = Report.objects.select_related(
        "indicator__result",
        "municipality__organisation",
        "period",
        "submitted_by",
        "reviewed_by",
        "supersedes",
    )
    condition = report_visible_q(user)
    if condition is not None:
        qs = qs.filter(condition)
    return get_object_or_404(qs, pk=report_id)


def report_versions(*, report: Report):
    return (
        Report.objects.filter(
            indicator=report.indicator_id, municipality=report.municipality_id, period=report.period_id
        )
        .select_related("submitted_by", "reviewed_by")
        .order_by("-version")
    )
