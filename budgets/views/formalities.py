"""What the law asks to be recorded around the cycle: the CCL and the council, agents by right, the
accreditation lists and challenges, a project's Invierte.pe identity and its replacement, the acta's
signing, the accountability report and the MEF-shaped export."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kallpanchis.core.forms import errors_to_form

from .. import exports, selectors, services
from ..forms import (
    ActaForm,
    AgentByRightForm,
    ChallengeDecisionForm,
    ChallengeForm,
    GovernanceForm,
    IdentityForm,
    ListPublishForm,
    ReplaceForm,
)
from .common import form_page, reads_all_or_404


@login_required
def cycle_governance(request, pk):
    cycle = selectors.cycle_get_run_by(user=request.user, cycle_id=pk)
    form = GovernanceForm(request.POST or None, instance=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_governance_set(by=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("budgets:cycle_detail", cycle.pk)
    return form_page(
        request,
        form=form,
        title=_("Mayor, accreditation requirements, CCL and council"),
        cycle=cycle,
    )


@login_required
@require_POST
def agent_by_right_add(request, pk):
    cycle = selectors.cycle_get_run_by(user=request.user, cycle_id=pk)
    form = AgentByRightForm(request.POST)
    if form.is_valid():
        services.agent_by_right_add(by=request.user, cycle=cycle, **form.cleaned_data)
        messages.success(
            request, _("%(name)s is listed as an agent by right.") % {"name": form.cleaned_data["full_name"]}
        )
    else:
        messages.error(request, _("Write the name and the seat."))
    return redirect("budgets:agent_list", cycle.pk)


@login_required
def list_publish(request, pk, which: str):
    cycle = selectors.cycle_get_run_by(user=request.user, cycle_id=pk)
    form = ListPublishForm(request.POST or None, initial={"on": timezone.localdate()})
    if which == "final":
        del form.fields["challenges_until"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if which == "preliminary":
                services.preliminary_list_publish(
                    by=request.user,
                    cycle=cycle,
                    on=data["on"],
                    challenges_until=data.get("challenges_until") or data["on"] + datetime.timedelta(days=3),
                )
            else:
                services.final_list_publish(by=request.user, cycle=cycle, on=data["on"])
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The list is published on the cycle's public page."))
            return redirect("budgets:agent_list", cycle.pk)
    title = _("Publish the preliminary list") if which == "preliminary" else _("Publish the final list")
    return form_page(
        request,
        form=form,
        title=title,
        cycle=cycle,
        parent_url=reverse("budgets:agent_list", args=[cycle.pk]),
        parent_label=_("Participating agents"),
        submit=title,
    )


@login_required
def challenge_add(request, pk):
    agent = selectors.agent_get_for_user(user=request.user, agent_id=pk)
    if not selectors.cycle_runs(user=request.user, cycle=agent.cycle):
        raise Http404
    form = ChallengeForm(request.POST or None, initial={"filed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_file(by=request.user, agent=agent, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The challenge is recorded."))
            return redirect("budgets:agent_list", agent.cycle_id)
    return form_page(
        request,
        form=form,
        title=_("Challenge (tacha) against %(name)s") % {"name": agent.organisation.name},
        cycle=agent.cycle,
        parent_url=reverse("budgets:agent_list", args=[agent.cycle_id]),
        parent_label=_("Participating agents"),
        submit=_("Record the challenge"),
    )


@login_required
def challenge_decide(request, pk):
    challenge = selectors.challenge_get_run_by(user=request.user, challenge_id=pk)
    cycle = challenge.agent.cycle
    form = ChallengeDecisionForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_decide(by=request.user, challenge=challenge, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The challenge is decided."))
            return redirect("budgets:agent_list", cycle.pk)
    return form_page(
        request,
        form=form,
        title=_("Decide the challenge against %(name)s") % {"name": challenge.agent.organisation.name},
        cycle=cycle,
        parent_url=reverse("budgets:agent_list", args=[cycle.pk]),
        parent_label=_("Participating agents"),
        submit=_("Record the decision"),
        extra={"intro": challenge.grounds},
    )


@login_required
def acta_sign(request, pk):
    cycle = selectors.cycle_get_run_by(user=request.user, cycle_id=pk)
    form = ActaForm(request.POST or None, initial={"signed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.acta_record(by=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The signing of the acta is recorded."))
            return redirect("budgets:cycle_detail", cycle.pk)
    return form_page(
        request,
        form=form,
        title=_("Signing of the Acta de Acuerdos y Compromisos"),
        cycle=cycle,
        submit=_("Record the signing"),
    )


@login_required
def proposal_replace(request, pk):
    proposal = selectors.proposal_get_run_by(user=request.user, proposal_id=pk)
    form = ReplaceForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            replacement = services.proposal_replace(by=request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            if replacement.replacement:
                messages.success(
                    request,
                    _("%(old)s is replaced by %(new)s; the Comité de Vigilancia and the CCL are notified.")
                    % {"old": proposal.title, "new": replacement.replacement.title},
                )
            else:
                messages.warning(
                    request, _("No project in the ranking fits in what is left of the envelope.")
                )
            return redirect("budgets:execution", proposal.cycle_id)
    return form_page(
        request,
        form=form,
        title=_("Replace %(title)s") % {"title": proposal.title},
        cycle=proposal.cycle,
        parent_url=reverse("budgets:proposal_detail", args=[proposal.pk]),
        parent_label=proposal.number,
        submit=_("Replace it following the ranking"),
    )


@login_required
@require_POST
def proposal_identity(request, pk):
    proposal = selectors.proposal_get_run_by(user=request.user, proposal_id=pk)
    form = IdentityForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_identity_set(by=request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("A CUI has 7 digits."))
    return redirect("budgets:proposal_detail", proposal.pk)


@login_required
def accountability(request, pk):
    cycle = selectors.cycle_get_for_user(user=request.user, cycle_id=pk)
    runs = reads_all_or_404(request.user, cycle)
    return render(
        request,
        "budgets/accountability.html",
        {"cycle": cycle, "runs": runs, "report": selectors.accountability_report(cycle=cycle)},
    )


@login_required
def mef_export(request, pk, fmt: str):
    cycle = selectors.cycle_get_for_user(user=request.user, cycle_id=pk)
    reads_all_or_404(request.user, cycle)
    sheets = exports.mef_sheets(cycle)
    name = f"presupuesto-participativo-{cycle.municipality.ubigeo}-{cycle.fiscal_year}"
    if fmt == "xlsx":
        response = HttpResponse(
            exports.mef_xlsx(sheets),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exports.mef_csv(sheets), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def business_plan_list(request):
    """Procompite: the associations' business plans the municipalities co-finance in kind."""
    return render(
        request,
        "budgets/businessplan_list.html",
        {"plans": selectors.business_plans_for_user(user=request.user)},
    )
