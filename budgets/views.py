"""Thin views: parse, call a service or a selector, answer. Outside the person's scope is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kallpanchis.accounts.access import access_for
from kallpanchis.accounts.models import User
from kallpanchis.core.pdf import pdf_response, render_pdf
from kallpanchis.core.uploads import document_response
from kallpanchis.organisations.models import Organisation
from kallpanchis.organisations.services import organisation_ensure

from . import selectors, services
from .forms import (
    AgentDecisionForm,
    AgentJoinForm,
    AgentRegisterForm,
    CycleCreateForm,
    CycleEditForm,
    DatesForm,
    DelegateForm,
    EvaluationForm,
    ExecutionUpdateForm,
    MatrixFormSet,
    MilestoneDoneForm,
    MilestoneForm,
    ProposalForm,
    ScoresForm,
    StepForm,
    TechnicalMemberForm,
    VigilanceElectionForm,
    VigilanceFormSet,
    VigilanceReportForm,
    WorkshopForm,
)
from .models import Delegate, Milestone, ParticipatingAgent, Proposal, TechnicalTeamMember, VigilanceReport

# allocation.py is pure Python; its stated tie-break rule is translated here (a test keeps the two equal).
TIE_BREAK_RULE = gettext_lazy(
    "Equal totals are ordered by more beneficiary families, then by the lower amount requested from the "
    "municipality, then by the earlier proposal number."
)


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _form_page(request, *, form, title, cycle, parent_url=None, parent_label=None, submit=None, extra=None):
    return render(
        request,
        "budgets/form.html",
        {
            "form": form,
            "title": title,
            "cycle": cycle,
            "parent_url": parent_url or reverse("budgets:cycle_detail", args=[cycle.pk]),
            "parent_label": parent_label or str(cycle),
            "submit": submit or _("Save"),
            "multipart": True,
            **(extra or {}),
        },
    )


# Cycles ------------------------------------------------------------------------------------------------


@login_required
def cycle_list(request):
    user = request.user
    cycles = list(selectors.cycles_for_user(user=user))
    today = timezone.localdate()
    for cycle in cycles:
        cycle.state = selectors.cycle_state(cycle, today)
    open_cycles = []
    if selectors.leader_organisations(user=user).exists():
        seen = {c.pk for c in cycles}
        open_cycles = [c for c in selectors.cycles_open_for_registration(today=today) if c.pk not in seen]
    return render(
        request,
        "budgets/cycle_list.html",
        {
            "cycles": cycles,
            "open_cycles": open_cycles,
            "can_create": selectors.municipalities_run_by(user=user).exists(),
        },
    )


@login_required
def cycle_create(request):
    municipalities = selectors.municipalities_run_by(user=request.user)
    if not municipalities.exists():
        raise Http404
    form = CycleCreateForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The cycle is open, with the default calendar and criteria matrix."))
            return redirect("budgets:cycle_detail", cycle.pk)
    return render(
        request,
        "budgets/form.html",
        {
            "form": form,
            "title": _("New participatory-budget cycle"),
            "parent_url": reverse("budgets:cycle_list"),
            "parent_label": _("Participatory budget"),
            "submit": _("Open the cycle"),
        },
    )


@login_required
def cycle_detail(request, pk):
    cycle = selectors.cycle_get_for_user(user=request.user, cycle_id=pk)
    runs = selectors.cycle_runs(user=request.user, cycle=cycle)
    return render(
        request,
        "budgets/cycle_detail.html",
        {
            "cycle": cycle,
            "runs": runs,
            "state": selectors.cycle_state(cycle),
            "summary": selectors.cycle_summary(cycle=cycle),
            "my_agents": selectors.agents_of_user(user=request.user, cycle=cycle),
            "is_vigilance": cycle.vigilance_members.filter(user=request.user).exists(),
            "reads_all": runs
            or access_for(request.user).consortium_wide
            or _municipal_reader(request.user, cycle),
        },
    )


def _municipal_reader(user, cycle) -> bool:
    from municipalities.models import Municipality

    return Municipality.objects.visible_to(user).filter(pk=cycle.municipality_id).exists()


def _reads_all_or_404(user, cycle) -> bool:
    """Whole-cycle pages: its runners, municipal readers, the consortium, the Comité de Vigilancia."""
    runs = selectors.cycle_runs(user=user, cycle=cycle)
    if not (
        runs
        or access_for(user).consortium_wide
        or _municipal_reader(user, cycle)
        or cycle.vigilance_members.filter(user=user).exists()
    ):
        raise Http404
    return runs


@login_required
def cycle_edit(request, pk):
    cycle = selectors.cycle_get_run_by(user=request.user, cycle_id=pk)
    form = CycleEditForm(request.POST or None, instance=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_update(by=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("budgets:cycle_detail", cycle.pk)
    return _form_page(request, form=form, title=_("Envelope, ordinance and results"), cycle=cycle)


@login_required
def cycle_timeline(request, pk):
    cycle = selectors.cycle_get_for_user(user=request.user, cycle_id=pk)
    return render(
        request,
        "budgets/cycle_timeline.html",
        {
            "cycle": cycle,
            "phases": selectors.phases_with_steps(cycle=cycle),
            "state": selectors.cycle_state(cycle),
            "runs": selectors.cycle_runs(user=request.user, cycle=cycle),
            "today": timezone.localdate(),
        },
    )


@login_required
def phase_edit(request, pk):
    phase = selectors.phase_get_run_by(user=request.user, phase_id=pk)
    form = DatesForm(request.POST or None, initial={"starts_on": phase.starts_on, "ends_on": phase.ends_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_dates_set(by=request.user, phase=phase, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The calendar is updated."))
            return redirect("budgets:cycle_timeline", phase.cycle_id)
    return _form_page(
        request,
        form=form,
        title=_("Dates of the phase: %(phase)s") % {"phase": phase.get_kind_display()},
        cycle=phase.cycle,
        parent_url=reverse("budgets:cycle_timeline", args=[phase.cycle_id]),
        parent_label=_("Calendar"),
    )


@login_required
def step_edit(request, pk):
    step = selectors.step_get_run_by(user=request.user, step_id=pk)
    form = StepForm(
        request.POST or None,
        initial={"name": step.name, "starts_on": step.starts_on, "ends_on": step.ends_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.step_dates_set(by=request.user, step=step, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The calendar is updated."))
            return redirect("budgets:cycle_timeline", step.phase.cycle_id)
    return _form_page(
        request,
        form=form,
        title=_("Step of the calendar"),
        cycle=step.phase.cycle,
        parent_url=reverse("budgets:cycle_timeline", args=[step.phase.cycle_id]),
        parent_label=_("Calendar"),
    )


# Agents, Equipo Técnico, Comité de Vigilancia ---------------------------------------------------------


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
            name = data["new_organisation"].strip()
            # An organisation typed by name that already exists is reused as it is (never overwritten).
            organisation = (
                data["organisation"]
                or Organisation.objects.filter(name__iexact=name).first()
                or organisation_ensure(
                    name=name, kind=data["new_organisation_kind"] or Organisation.Kind.PRODUCER
                )
            )
            try:
                agent = services.agent_register(
                    by=request.user, cycle=cycle, organisation=organisation, kind=data["kind"]
                )
                if data["accredit_now"]:
                    services.agent_decide(by=request.user, agent=agent, accredited=True)
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("%(name)s is registered.") % {"name": organisation.name})
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
            _errors_to_form(
                form, error if isinstance(error, ValidationError) else ValidationError(str(error))
            )
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
                    _errors_to_form(decision_form, error)
                else:
                    messages.success(request, _("The decision is recorded."))
                    return redirect("budgets:agent_detail", agent.pk)
        elif delegate_form is not None:
            delegate_form = DelegateForm(request.POST, prefix="delegate")
            if delegate_form.is_valid():
                try:
                    services.delegate_add(by=request.user, agent=agent, **delegate_form.cleaned_data)
                except ValidationError as error:
                    _errors_to_form(delegate_form, error)
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
        },
    )


def _confirm_page(request, *, title, question, back_url, submit):
    return render(
        request,
        "budgets/confirm.html",
        {"title": title, "question": question, "back_url": back_url, "submit": submit},
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
        return _confirm_page(
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
    member = get_object_or_404(
        TechnicalTeamMember.objects.filter(cycle__in=selectors.BudgetCycle.objects.editable_by(request.user)),
        pk=pk,
    )
    if request.method != "POST":
        return _confirm_page(
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
    agents = ParticipatingAgent.objects.filter(
        cycle=cycle, status=ParticipatingAgent.Status.ACCREDITED
    ).select_related("organisation")
    form = VigilanceElectionForm(request.POST or None)
    formset = VigilanceFormSet(request.POST or None, form_kwargs={"agents": agents}, prefix="member")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [f.cleaned_data for f in formset if f.cleaned_data.get("full_name")]
        emails = {r["email"].lower() for r in rows if r.get("email")}
        users = {u.email: u for u in User.objects.filter(email__in=emails)}
        missing = emails - users.keys()
        if missing:
            form.add_error(
                None, _("No account with this e-mail: %(emails)s") % {"emails": ", ".join(sorted(missing))}
            )
        else:
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
                            user=users.get((r.get("email") or "").lower()),
                        )
                        for r in rows
                    ],
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("The Comité de Vigilancia is recorded."))
                return redirect("budgets:agent_list", cycle.pk)
    return render(
        request,
        "budgets/vigilance_form.html",
        {"cycle": cycle, "form": form, "formset": formset, "minimum": services.VIGILANCE_MINIMUM},
    )


# Workshops ------------------------------------------------------------------------------------------


@login_required
def workshop_list(request, pk):
    cycle = selectors.cycle_get_for_user(user=request.user, cycle_id=pk)
    runs = selectors.cycle_runs(user=request.user, cycle=cycle)
    form = WorkshopForm(request.POST or None, request.FILES or None, cycle=cycle) if runs else None
    if request.method == "POST":
        if not runs:
            raise Http404
        if form.is_valid():
            try:
                services.workshop_record(by=request.user, cycle=cycle, **form.cleaned_data)
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("The workshop is recorded."))
                return redirect("budgets:workshop_list", cycle.pk)
    return render(
        request,
        "budgets/workshop_list.html",
        {"cycle": cycle, "runs": runs, "form": form, "workshops": cycle.workshops.select_related("meeting")},
    )


@login_required
def workshop_acta(request, pk):
    workshop = selectors.workshop_get_for_user(user=request.user, workshop_id=pk)
    if not workshop.acta:
        raise Http404
    return document_response(workshop.acta, f"acta-{workshop.kind}-{workshop.held_on}")


# Proposals, evaluation, scores ----------------------------------------------------------------------


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
def proposal_create(request, pk):
    cycle = selectors.cycle_get_for_user(user=request.user, cycle_id=pk)
    runs = selectors.cycle_runs(user=request.user, cycle=cycle)
    agents = ParticipatingAgent.objects.filter(
        cycle=cycle, status=ParticipatingAgent.Status.ACCREDITED
    ).select_related("organisation")
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
            _errors_to_form(form, error)
        else:
            messages.success(
                request, _("The proposal %(number)s is registered.") % {"number": proposal.number}
            )
            return redirect("budgets:proposal_detail", proposal.pk)
    return _form_page(
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
        messages.error(request, _("Choose viable or not viable, and write the reasons."))
    return redirect("budgets:proposal_detail", proposal.pk)


@login_required
def proposal_scores(request, pk):
    proposal = selectors.proposal_get_run_by(user=request.user, proposal_id=pk)
    criteria = list(proposal.cycle.criteria.all())
    current = {s.criterion_id: s.value for s in proposal.scores.all()}
    form = ScoresForm(request.POST or None, criteria=criteria, current=current)
    if proposal.status != Proposal.Status.VIABLE:
        messages.error(request, _("Only projects found viable by the Equipo Técnico are scored."))
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
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Scores saved for %(number)s.") % {"number": proposal.number})
            return redirect("budgets:ranking", proposal.cycle_id)
    return _form_page(
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
    runs = _reads_all_or_404(request.user, cycle)
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
    _reads_all_or_404(request.user, cycle)
    projects = selectors.prioritised_projects(cycle=cycle)
    context = {
        "cycle": cycle,
        "projects": projects,
        "totals": selectors.execution_totals(projects),
        "agents": selectors.agents_for_cycle(cycle=cycle).filter(status=ParticipatingAgent.Status.ACCREDITED),
        "vigilance": cycle.vigilance_members.select_related("agent__organisation"),
        "technical_team": cycle.technical_team.all(),
        "today": timezone.localdate(),
        "tie_break": TIE_BREAK_RULE,
    }
    pdf = render_pdf("budgets/acta_pdf.html", context)
    return pdf_response(pdf, f"acta-acuerdos-compromisos-{cycle.municipality}-{cycle.fiscal_year}")


# Execution, Comité de Vigilancia reports, history ---------------------------------------------------


@login_required
def execution(request, pk):
    cycle = selectors.cycle_get_for_user(user=request.user, cycle_id=pk)
    runs = _reads_all_or_404(request.user, cycle)
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
        },
    )


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
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The figures are updated."))
            return redirect("budgets:proposal_detail", proposal.pk)
    return _form_page(
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
    return _form_page(
        request,
        form=form,
        title=_("New milestone"),
        cycle=proposal.cycle,
        parent_url=reverse("budgets:proposal_detail", args=[proposal.pk]),
        parent_label=proposal.number,
    )


@login_required
def milestone_done(request, pk):
    milestone = get_object_or_404(
        Milestone.objects.select_related("proposal__cycle").filter(
            proposal__cycle__in=selectors.BudgetCycle.objects.editable_by(request.user)
        ),
        pk=pk,
    )
    form = MilestoneDoneForm(request.POST or None, initial={"done_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.milestone_done(by=request.user, milestone=milestone, **form.cleaned_data)
        messages.success(request, _("The milestone is marked done."))
        return redirect("budgets:proposal_detail", milestone.proposal_id)
    return _form_page(
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
    runs = _reads_all_or_404(request.user, cycle)
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
                _errors_to_form(form, error)
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
    report = get_object_or_404(
        VigilanceReport.objects.filter(cycle__in=selectors.BudgetCycle.objects.visible_to(request.user)),
        pk=pk,
    )
    _reads_all_or_404(request.user, report.cycle)
    if not report.document:
        raise Http404
    return document_response(report.document, f"informe-comite-vigilancia-{report.submitted_on}")


@login_required
def history(request, pk):
    cycle = selectors.cycle_get_for_user(user=request.user, cycle_id=pk)
    _reads_all_or_404(request.user, cycle)
    return render(
        request,
        "budgets/history_list.html",
        {"cycle": cycle, "entries": selectors.history_for_cycle(cycle=cycle)},
    )


# Public pages ---------------------------------------------------------------------------------------


def public_list(request):
    cycles = list(selectors.cycles_public())
    today = timezone.localdate()
    for cycle in cycles:
        cycle.state = selectors.cycle_state(cycle, today)
    return render(request, "budgets/public_list.html", {"cycles": cycles})


def public_detail(request, pk):
    """Transparency: phase, calendar, registered agents (organisations only), ranking, allocation and
    execution progress. No names of people, no documents."""
    cycle = get_object_or_404(selectors.cycles_public(), pk=pk)
    projects = selectors.prioritised_projects(cycle=cycle)
    return render(
        request,
        "budgets/public_detail.html",
        {
            "cycle": cycle,
            "state": selectors.cycle_state(cycle),
            "phases": selectors.phases_with_steps(cycle=cycle),
            "agents": selectors.agents_for_cycle(cycle=cycle).filter(
                status=ParticipatingAgent.Status.ACCREDITED
            ),
            "ranked": Proposal.objects.filter(cycle=cycle, rank__isnull=False)
            .select_related("agent__organisation", "district")
            .order_by("rank"),
            "projects": projects,
            "totals": selectors.execution_totals(projects),
            "organisation_kinds": Organisation.Kind,
        },
    )
