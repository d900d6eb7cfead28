"""Participating agents, their delegates, the Equipo Técnico and the Comité de Vigilancia's election."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kallpanchis.accounts.access import access_for
from kallpanchis.core.forms import errors_to_form
from kallpanchis.people.picker import NEW, PICK, PersonPicker
from kallpanchis.people.services import ProbableDuplicate

from .. import selectors, services
from ..forms import (
    AgentByRightForm,
    AgentDecisionForm,
    AgentJoinForm,
    AgentRegisterForm,
    DelegateForm,
    TechnicalMemberForm,
    VigilanceElectionForm,
    VigilanceFormSet,
)
from ..models import Delegate
from .common import confirm_page


@login_required
def agent_list(request, pk):
    cycle = selectors.cycle_get_for_user(user=request.user, cycle_id=pk)
    runs = selectors.cycle_runs(user=request.user, cycle=cycle)
    form = AgentRegisterForm(request.POST or None, cycle=cycle) if runs else None
    if request.method == "POST":
        if not runs:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                agent = services.agent_add(
                    by=request.user,
                    cycle=cycle,
                    organisation=data["organisation"],
                    new_organisation=data["new_organisation"],
                    new_organisation_kind=data["new_organisation_kind"],
                    kind=data["kind"],
                    accredit=data["accredit_now"],
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("%(name)s is registered.") % {"name": agent.organisation.name})
                return redirect("budgets:agent_list", cycle.pk)
    return render(
        request,
        "budgets/agent_list.html",
        {
            "cycle": cycle,
            "runs": runs,
            "form": form,
            "agents": selectors.agents_for_cycle(cycle=cycle),
            "technical_team": cycle.technical_team.all(),
            "vigilance": cycle.vigilance_members.select_related("agent__organisation"),
            "team_form": TechnicalMemberForm() if runs else None,
            "by_right": cycle.agents_by_right.all(),
            "by_right_form": AgentByRightForm() if runs else None,
            "challenges": selectors.challenges_for_cycle(cycle=cycle),
        },
    )


@login_required
def agent_join(request, pk):
    """An association's leader registers their organisation while registration is open."""
    organisations = selectors.leader_organisations(user=request.user)
    cycle = get_object_or_404(selectors.cycles_open_for_registration(), pk=pk)
    if not organisations.exists():
        raise Http404
    form = AgentJoinForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.agent_register(
                by=request.user, cycle=cycle, organisation=form.cleaned_data["organisation"]
            )
        except (ValidationError, PermissionDenied) as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Your organisation is registered. The budget team will accredit it."))
            return redirect("budgets:cycle_detail", cycle.pk)
    return render(
        request,
        "budgets/form.html",
        {
            "form": form,
            "title": _("Register in the participatory budget %(cycle)s") % {"cycle": cycle},
            "parent_url": reverse("budgets:cycle_list"),
            "parent_label": _("Participatory budget"),
            "submit": _("Register my organisation"),
        },
    )


@login_required
def agent_detail(request, pk):
    agent = selectors.agent_get_for_user(user=request.user, agent_id=pk)
    cycle = agent.cycle
    runs = selectors.cycle_runs(user=request.user, cycle=cycle)
    own = agent.organisation_id in access_for(request.user).by_organisation
    decision_form = AgentDecisionForm(prefix="decision") if runs else None
    delegate_form = DelegateForm(prefix="delegate") if runs or own else None
    # The budget team registers new people of its territory; an agent's own people pick those they see.
    picker = PersonPicker(user=request.user, prefix="delegate-person", allow_register=runs)
    if request.method == "POST":
        if "decision-decision" in request.POST and runs:
            decision_form = AgentDecisionForm(request.POST, prefix="decision")
            if decision_form.is_valid():
                try:
                    services.agent_decide(
                        by=request.user,
                        agent=agent,
                        accredited=decision_form.cleaned_data["decision"] == "accredit",
                        note=decision_form.cleaned_data["decision_note"],
                    )
                except ValidationError as error:
                    errors_to_form(decision_form, error)
                else:
                    messages.success(request, _("The decision is recorded."))
                    return redirect("budgets:agent_detail", agent.pk)
        elif delegate_form is not None:
            delegate_form = DelegateForm(request.POST, prefix="delegate")
            picker = PersonPicker(
                request.POST, request.FILES, user=request.user, prefix="delegate-person", allow_register=runs
            )
            if not picker.searching and delegate_form.is_valid() and picker.is_valid():
                kind, value = picker.choice()
                try:
                    services.delegate_add(
                        by=request.user,
                        agent=agent,
                        person=value if kind == PICK else None,
                        new_person=value if kind == NEW else None,
                        **delegate_form.cleaned_data,
                    )
                except ProbableDuplicate as found:
                    picker.offer_duplicates(found)
                except ValidationError as error:
                    errors_to_form(delegate_form, error)
                else:
                    messages.success(request, _("The delegate is added."))
                    return redirect("budgets:agent_detail", agent.pk)
        else:
            raise Http404
    return render(
        request,
        "budgets/agent_detail.html",
        {
            "agent": agent,
            "cycle": cycle,
            "runs": runs,
            "own": own,
            "delegates": agent.delegates.all(),
            "decision_form": decision_form,
            "delegate_form": delegate_form,
            "picker": picker,
        },
    )


@login_required
def delegate_remove(request, pk):
    """GET asks for confirmation; POST removes."""
    delegate = get_object_or_404(Delegate.objects.select_related("agent__cycle"), pk=pk)
    agent = selectors.agent_get_for_user(user=request.user, agent_id=delegate.agent_id)
    runs = selectors.cycle_runs(user=request.user, cycle=agent.cycle)
    if not runs and agent.organisation_id not in access_for(request.user).by_organisation:
        raise Http404
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Remove a delegate"),
            question=_("Remove %(name)s from the delegates of %(agent)s?")
            % {"name": delegate.full_name, "agent": agent.organisation.name},
            back_url=reverse("budgets:agent_detail", args=[agent.pk]),
            submit=_("Remove the delegate"),
        )
    try:
        services.delegate_remove(by=request.user, delegate=delegate)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The delegate is removed."))
    return redirect("budgets:agent_detail", agent.pk)


@login_required
@require_POST
def technical_member_add(request, pk):
    cycle = selectors.cycle_get_run_by(user=request.user, cycle_id=pk)
    form = TechnicalMemberForm(request.POST)
    if form.is_valid():
        services.technical_member_add(by=request.user, cycle=cycle, **form.cleaned_data)
        messages.success(request, _("Added to the Equipo Técnico."))
    else:
        messages.error(request, _("Give the member's full name and position."))
    return redirect("budgets:agent_list", cycle.pk)


@login_required
def technical_member_remove(request, pk):
    """GET asks for confirmation; POST removes."""
    member = selectors.technical_member_get_run_by(user=request.user, member_id=pk)
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Remove from the Equipo Técnico"),
            question=_("Remove %(name)s from the Equipo Técnico?") % {"name": member.full_name},
            back_url=reverse("budgets:agent_list", args=[member.cycle_id]),
            submit=_("Remove"),
        )
    services.technical_member_remove(by=request.user, member=member)
    messages.success(request, _("Removed from the Equipo Técnico."))
    return redirect("budgets:agent_list", member.cycle_id)


@login_required
def vigilance_elect(request, pk):
    cycle = selectors.cycle_get_run_by(user=request.user, cycle_id=pk)
    agents = selectors.agents_accredited(cycle=cycle)
    form = VigilanceElectionForm(request.POST or None)
    formset = VigilanceFormSet(request.POST or None, form_kwargs={"agents": agents}, prefix="member")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [f.cleaned_data for f in formset if f.cleaned_data.get("full_name")]
        try:
            services.vigilance_committee_elect(
                by=request.user,
                cycle=cycle,
                elected_on=form.cleaned_data["elected_on"],
                members=[
                    services.VigilanceCandidate(
                        agent=r["agent"],
                        full_name=r["full_name"],
                        gender=r["gender"],
                        is_president=r["is_president"],
                        email=r.get("email") or "",
                    )
                    for r in rows
                ],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The Comité de Vigilancia is recorded."))
            return redirect("budgets:agent_list", cycle.pk)
    return render(
        request,
        "budgets/vigilance_form.html",
        {"cycle": cycle, "form": form, "formset": formset, "minimum": services.VIGILANCE_MINIMUM},
    )
