"""Execution of prioritised projects, the Comité de Vigilancia's reports, the cycle's history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kallpanchis.core.exports import table_response
from kallpanchis.core.forms import errors_to_form
from kallpanchis.core.uploads import document_response

from .. import exports, selectors, services
from ..forms import (
    ExecutionUpdateForm,
    MilestoneDoneForm,
    MilestoneForm,
    VigilanceReportForm,
)
from .common import form_page, reads_all_or_404


@login_required
def execution(request, pk):
    cycle = selectors.cycle_get_for_user(user=request.user, cycle_id=pk)
    runs = reads_all_or_404(request.user, cycle)
    projects = selectors.prioritised_projects(cycle=cycle)
    return render(
        request,
        "budgets/execution.html",
        {
            "cycle": cycle,
            "runs": runs,
            "projects": projects,
            "totals": selectors.execution_totals(projects),
            "report_due": selectors.vigilance_report_due(cycle=cycle),
            "replacements": cycle.replacements.select_related("withdrawn", "replacement"),
        },
    )


@login_required
def allocation_export(request, pk, fmt: str):
    """The execution page's projects: the same readers, the same rows."""
    cycle = selectors.cycle_get_for_user(user=request.user, cycle_id=pk)
    reads_all_or_404(request.user, cycle)
    header, rows = exports.allocation_table(selectors.prioritised_projects(cycle=cycle))
    return table_response(fmt, header=header, rows=rows, filename=f"asignaciones-{cycle.pk}")


@login_required
def execution_update(request, pk):
    proposal = selectors.proposal_get_run_by(user=request.user, proposal_id=pk)
    if not proposal.prioritised:
        raise Http404
    form = ExecutionUpdateForm(
        request.POST or None,
        initial={
            "on": timezone.localdate(),
            "progress_pct": proposal.progress_pct,
            "spent": proposal.spent,
            "expected_end": proposal.expected_end,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.execution_update(by=request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The figures are updated."))
            return redirect("budgets:proposal_detail", proposal.pk)
    return form_page(
        request,
        form=form,
        title=_("Execution: %(title)s") % {"title": proposal.title},
        cycle=proposal.cycle,
        parent_url=reverse("budgets:proposal_detail", args=[proposal.pk]),
        parent_label=proposal.number,
    )


@login_required
def milestone_add(request, pk):
    proposal = selectors.proposal_get_run_by(user=request.user, proposal_id=pk)
    if not proposal.prioritised:
        raise Http404
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.milestone_add(by=request.user, proposal=proposal, **form.cleaned_data)
        messages.success(request, _("The milestone is added."))
        return redirect("budgets:proposal_detail", proposal.pk)
    return form_page(
        request,
        form=form,
        title=_("New milestone"),
        cycle=proposal.cycle,
        parent_url=reverse("budgets:proposal_detail", args=[proposal.pk]),
        parent_label=proposal.number,
    )


@login_required
def milestone_done(request, pk):
    milestone = selectors.milestone_get_run_by(user=request.user, milestone_id=pk)
    form = MilestoneDoneForm(request.POST or None, initial={"done_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.milestone_done(by=request.user, milestone=milestone, **form.cleaned_data)
        messages.success(request, _("The milestone is marked done."))
        return redirect("budgets:proposal_detail", milestone.proposal_id)
    return form_page(
        request,
        form=form,
        title=_("Milestone done: %(name)s") % {"name": milestone.name},
        cycle=milestone.proposal.cycle,
        parent_url=reverse("budgets:proposal_detail", args=[milestone.proposal_id]),
        parent_label=milestone.proposal.number,
    )


@login_required
def vigilance_reports(request, pk):
    cycle = selectors.cycle_get_for_user(user=request.user, cycle_id=pk)
    runs = reads_all_or_404(request.user, cycle)
    is_member = cycle.vigilance_members.filter(user=request.user).exists()
    form = (
        VigilanceReportForm(request.POST or None, request.FILES or None, cycle=cycle)
        if (runs or is_member)
        else None
    )
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.vigilance_report_submit(by=request.user, cycle=cycle, **form.cleaned_data)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The report is recorded."))
                return redirect("budgets:vigilance_reports", cycle.pk)
    return render(
        request,
        "budgets/vigilancereport_list.html",
        {
            "cycle": cycle,
            "form": form,
            "reports": cycle.vigilance_reports.select_related("proposal", "by"),
            "members": cycle.vigilance_members.select_related("agent__organisation"),
            "report_due": selectors.vigilance_report_due(cycle=cycle),
        },
    )


@login_required
def vigilance_report_document(request, pk):
    report = selectors.vigilance_report_get_for_user(user=request.user, report_id=pk)
    reads_all_or_404(request.user, report.cycle)
    if not report.document:
        raise Http404
    return document_response(report.document, f"informe-comite-vigilancia-{report.submitted_on}")


@login_required
def history(request, pk):
    cycle = selectors.cycle_get_for_user(user=request.user, cycle_id=pk)
    reads_all_or_404(request.user, cycle)
    return render(
        request,
        "budgets/history_list.html",
        {"cycle": cycle, "entries": selectors.history_for_cycle(cycle=cycle)},
    )
