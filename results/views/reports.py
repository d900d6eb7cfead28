"""Reporting: what a person reports this year, the form of one period's value, and the coordinators'
review (approve, return with a comment, correct an approved value through a new version)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kallpanchis.accounts.access import access_for
from kallpanchis.core.forms import errors_to_form
from kallpanchis.core.uploads import document_response

from .. import selectors, services
from ..forms import ReportForm, ReturnForm
from ..models import Assignment, Period, Report


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


@login_required
def report_list(request):
    """A reporter's periods of the year, and for coordinators the values waiting for review."""
    access = access_for(request.user)
    year = _year(request)
    rows = selectors.reporting_rows(user=request.user, year=year)
    to_review = list(selectors.reports_to_review(user=request.user))
    if not (rows or access.is_coordinator or selectors.assignments_for_reporter(user=request.user).exists()):
        raise Http404
    return render(
        request,
        "results/report_list.html",
        {"rows": rows, "to_review": to_review, "year": year, "is_coordinator": access.is_coordinator},
    )


def _assignment_or_404(user, indicator_id, municipality_id) -> Assignment:
    """The reporter's own assignment; a coordinator may type in any (a value sent on paper)."""
    if access_for(user).is_coordinator:
        assignments = Assignment.objects.select_related("indicator", "municipality__organisation")
    else:
        assignments = selectors.assignments_for_reporter(user=user)
    return get_object_or_404(assignments, indicator_id=indicator_id, municipality_id=municipality_id)


@login_required
def report_form(request, indicator: int, municipality: int, period: int):
    """Send (or send again, once returned) the value of one period."""
    assignment = _assignment_or_404(request.user, indicator, municipality)
    period = get_object_or_404(Period, pk=period, frequency=assignment.indicator.frequency)
    latest = (
        Report.objects.filter(
            indicator=assignment.indicator, municipality=assignment.municipality, period=period
        )
        .order_by("-version")
        .first()
    )
    if latest is not None and latest.state == Report.State.APPROVED:
        return redirect("results:report_detail", latest.pk)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        indicator=assignment.indicator,
        municipality=assignment.municipality,
        initial=ReportForm.initial_from(latest),
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_submit(
                by=request.user,
                indicator=assignment.indicator,
                municipality=assignment.municipality,
                period=period,
                **form.service_fields(),
            )
        except (ValidationError, PermissionDenied) as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The value is sent for review."))
            return redirect("results:report_detail", report.pk)
    return render(
        request,
        "results/report_form.html",
        {
            "form": form,
            "indicator": assignment.indicator,
            "municipality": assignment.municipality,
            "period": period,
            "latest": latest,
            "correction": False,
        },
    )


@login_required
def report_detail(request, pk: int):
    report = selectors.report_get_for_user(user=request.user, report_id=pk)
    access = access_for(request.user)
    versions = list(selectors.report_versions(report=report))
    latest = versions[0]
    reporter = services.reporter_can(
        request.user, indicator=report.indicator, municipality=report.municipality
    )
    return render(
        request,
        "results/report_detail.html",
        {
            "report": report,
            "versions": versions,
            "events": report.events.select_related("by"),
            "can_review": access.is_coordinator and report.state == Report.State.SUBMITTED,
            "can_resubmit": reporter and report.pk == latest.pk and report.state != Report.State.APPROVED,
            "can_correct": (access.is_coordinator or reporter)
            and report.pk == latest.pk
            and report.state == Report.State.APPROVED,
            "return_form": ReturnForm(),
        },
    )


def _review_target(request, pk):
    if not access_for(request.user).is_coordinator:
        raise Http404
    return selectors.report_get_for_user(user=request.user, report_id=pk)


@login_required
@require_POST
def report_approve(request, pk: int):
    report = _review_target(request, pk)
    try:
        services.report_approve(by=request.user, report=report)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The value is approved."))
    return redirect("results:report_detail", report.pk)


@login_required
@require_POST
def report_return(request, pk: int):
    report = _review_target(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.report_return(by=request.user, report=report, comment=form.cleaned_data["comment"])
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("The value is returned to its reporter."))
    else:
        messages.error(request, _("Say what should be fixed."))
    return redirect("results:report_detail", report.pk)


@login_required
def report_correct(request, pk: int):
    """A new version of an approved value, with the reason; it waits for review."""
    report = selectors.report_get_for_user(user=request.user, report_id=pk)
    if not (
        access_for(request.user).is_coordinator
        or services.reporter_can(request.user, indicator=report.indicator, municipality=report.municipality)
    ):
        raise Http404
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        indicator=report.indicator,
        municipality=report.municipality,
        correction=True,
        initial=ReportForm.initial_from(report),
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = services.report_correct(
                by=request.user, report=report, reason=form.cleaned_data["reason"], **form.service_fields()
            )
        except (ValidationError, PermissionDenied) as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The correction is sent for review."))
            return redirect("results:report_detail", new.pk)
    return render(
        request,
        "results/report_form.html",
        {
            "form": form,
            "indicator": report.indicator,
            "municipality": report.municipality,
            "period": report.period,
            "latest": report,
            "correction": True,
        },
    )


@login_required
def report_evidence(request, pk: int):
    report = selectors.report_get_for_user(user=request.user, report_id=pk)
    if not report.evidence:
        raise Http404
    return document_response(report.evidence, f"evidencia-{report.indicator.code}-{report.pk}")
