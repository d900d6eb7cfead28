"""Candidate projects: proposals, technical evaluation, scores, the matrix, ranking, allocation, the Acta."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kallpanchis.accounts.access import access_for
from kallpanchis.core.exports import table_response
from kallpanchis.core.forms import errors_to_form
from kallpanchis.core.pdf import pdf_response, render_pdf
from kallpanchis.core.uploads import document_response

from .. import exports, selectors, services
from ..forms import (
    EvaluationForm,
    IdentityForm,
    MatrixFormSet,
    ProposalForm,
    ScoresForm,
)
from ..models import ParticipatingAgent, Proposal
from .common import form_page, reads_all_or_404

# allocation.py is pure Python; its stated tie-break rule is translated here (a test keeps the two equal).
TIE_BREAK_RULE = gettext_lazy(
    "Equal totals are ordered by more beneficiary families, then by the lower amount requested from the "
    "municipality, then by the earlier proposal number."
)


@login_required
def proposal_list(request, pk):
    cycle = selectors.cycle_get_for_user(user=request.user, cycle_id=pk)
    runs = selectors.cycle_runs(user=request.user, cycle=cycle)
    my_agents = [a for a in selectors.agents_of_user(user=request.user, cycle=cycle)]
    return render(
        request,
        "budgets/proposal_list.html",
        {
            "cycle": cycle,
            "runs": runs,
            "proposals": selectors.proposals_for_user(user=request.user, cycle=cycle),
            "can_submit": runs or any(a.status == ParticipatingAgent.Status.ACCREDITED for a in my_agents),
        },
    )


@login_required
def proposal_export(request, pk, fmt: str):
    cycle = selectors.cycle_get_for_user(user=request.user, cycle_id=pk)
    header, rows = exports.proposal_table(selectors.proposals_for_user(user=request.user, cycle=cycle))
    return table_response(fmt, header=header, rows=rows, filename=f"propuestas-{cycle.pk}")


@login_required
def proposal_create(request, pk):
    cycle = selectors.cycle_get_for_user(user=request.user, cycle_id=pk)
    runs = selectors.cycle_runs(user=request.user, cycle=cycle)
    agents = selectors.agents_accredited(cycle=cycle)
    if not runs:
        agents = agents.filter(organisation_id__in=access_for(request.user).by_organisation.keys())
    if not agents.exists():
        if runs:
            messages.info(request, _("Register and accredit an agent first."))
            return redirect("budgets:agent_list", cycle.pk)
        raise Http404
    form = ProposalForm(request.POST or None, request.FILES or None, cycle=cycle, agents=agents)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_submit(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request, _("The proposal %(number)s is registered.") % {"number": proposal.number}
            )
            return redirect("budgets:proposal_detail", proposal.pk)
    return form_page(
        request,
        form=form,
        title=_("New project proposal"),
        cycle=cycle,
        parent_url=reverse("budgets:proposal_list", args=[cycle.pk]),
        parent_label=_("Proposals"),
        submit=_("Submit the proposal"),
    )


@login_required
def proposal_detail(request, pk):
    proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=pk)
    runs = selectors.cycle_runs(user=request.user, cycle=proposal.cycle)
    return render(
        request,
        "budgets/proposal_detail.html",
        {
            "proposal": proposal,
            "cycle": proposal.cycle,
            "runs": runs,
            "scores": proposal.scores.select_related("criterion").order_by("criterion__position"),
            "evaluation_form": EvaluationForm() if runs else None,
            "identity_form": IdentityForm(
                initial={"cui": proposal.cui, "investment_status": proposal.investment_status}
            )
            if runs
            else None,
            "milestones": proposal.milestones.all(),
            "updates": proposal.execution_updates.select_related("by")[:20],
            "reports": proposal.vigilance_reports.all(),
        },
    )


@login_required
def proposal_document(request, pk):
    proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=pk)
    if not proposal.document:
        raise Http404
    return document_response(proposal.document, f"proyecto-{proposal.number}")


@login_required
@require_POST
def proposal_evaluate(request, pk):
    proposal = selectors.proposal_get_run_by(user=request.user, proposal_id=pk)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        services.proposal_evaluate(by=request.user, proposal=proposal, **form.cleaned_data)
        messages.success(request, _("The technical evaluation is recorded."))
    else:
        messages.error(request, _("Choose admissible or not admissible, and write the reasons."))
    return redirect("budgets:proposal_detail", proposal.pk)


@login_required
def proposal_scores(request, pk):
    proposal = selectors.proposal_get_run_by(user=request.user, proposal_id=pk)
    criteria = list(proposal.cycle.criteria.all())
    current = {s.criterion_id: s.value for s in proposal.scores.all()}
    form = ScoresForm(request.POST or None, criteria=criteria, current=current)
    if proposal.status != Proposal.Status.ADMISSIBLE:
        messages.error(request, _("Only projects found admissible by the Equipo Técnico are scored."))
        return redirect("budgets:proposal_detail", proposal.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.scores_enter(
                by=request.user,
                proposal=proposal,
                values=form.values(),
                from_paper_sheet=form.cleaned_data["from_paper_sheet"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Scores saved for %(number)s.") % {"number": proposal.number})
            return redirect("budgets:ranking", proposal.cycle_id)
    return form_page(
        request,
        form=form,
        title=_("Scores: %(number)s %(title)s") % {"number": proposal.number, "title": proposal.title},
        cycle=proposal.cycle,
        parent_url=reverse("budgets:ranking", args=[proposal.cycle_id]),
        parent_label=_("Ranking"),
        submit=_("Save the scores"),
    )


@login_required
def matrix_edit(request, pk):
    cycle = selectors.cycle_get_for_user(user=request.user, cycle_id=pk)
    runs = selectors.cycle_runs(user=request.user, cycle=cycle)
    if request.method == "POST" and not runs:
        raise Http404
    initial = [
        {"pk": c.pk, "name": c.name, "weight": c.weight, "scale_max": c.scale_max, "guidance": c.guidance}
        for c in cycle.criteria.all()
    ]
    formset = MatrixFormSet(request.POST or None, initial=initial, prefix="criterion")
    error = None
    if request.method == "POST" and formset.is_valid():
        rows = [
            services.CriterionRow(
                pk=f.cleaned_data.get("pk"),
                name=f.cleaned_data["name"],
                weight=f.cleaned_data.get("weight") or 0,
                scale_max=f.cleaned_data.get("scale_max") or 5,
                guidance=f.cleaned_data.get("guidance", ""),
            )
            for f in formset
            if f.cleaned_data.get("name")
        ]
        try:
            services.matrix_set(by=request.user, cycle=cycle, rows=rows)
        except ValidationError as e:
            error = e.messages[0]
        else:
            messages.success(request, _("The criteria matrix is saved."))
            return redirect("budgets:ranking", cycle.pk)
    return render(
        request,
        "budgets/criterion_form.html",
        {"cycle": cycle, "formset": formset, "runs": runs, "error": error, "criteria": cycle.criteria.all()},
    )


@login_required
def ranking(request, pk):
    cycle = selectors.cycle_get_for_user(user=request.user, cycle_id=pk)
    runs = reads_all_or_404(request.user, cycle)
    return render(
        request,
        "budgets/ranking.html",
        {
            "cycle": cycle,
            "runs": runs,
            "ranking": selectors.ranking_for_cycle(cycle=cycle),
            "tie_break": TIE_BREAK_RULE,
        },
    )


@login_required
@require_POST
def allocation_run(request, pk):
    cycle = selectors.cycle_get_run_by(user=request.user, cycle_id=pk)
    try:
        result = services.allocation_run(by=request.user, cycle=cycle)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        funded = sum(1 for r in result if r.amount is not None)
        messages.success(
            request,
            _("Allocation saved: %(funded)s of %(total)s projects funded.")
            % {"funded": funded, "total": len(result)},
        )
    return redirect("budgets:ranking", cycle.pk)


@login_required
def acta_pdf(request, pk):
    cycle = selectors.cycle_get_for_user(user=request.user, cycle_id=pk)
    reads_all_or_404(request.user, cycle)
    context = {
        **selectors.acta_context(cycle=cycle),
        "today": timezone.localdate(),
        "tie_break": TIE_BREAK_RULE,
    }
    pdf = render_pdf("budgets/acta_pdf.html", context)
    return pdf_response(pdf, f"acta-acuerdos-compromisos-{cycle.municipality}-{cycle.fiscal_year}")
