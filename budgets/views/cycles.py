"""Cycles: list, creation, the cycle's page, its calendar, phases and steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kallpanchis.accounts.access import access_for
from kallpanchis.core.exports import table_response
from kallpanchis.core.forms import errors_to_form

from .. import exports, selectors, services
from ..forms import (
    CycleCreateForm,
    CycleEditForm,
    DatesForm,
    StepForm,
)
from .common import form_page, municipal_reader


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
def cycle_export(request, fmt: str):
    header, rows = exports.cycle_table(selectors.cycles_for_user(user=request.user))
    return table_response(fmt, header=header, rows=rows, filename="ciclos-presupuesto-participativo")


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
            errors_to_form(form, error)
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
            or municipal_reader(request.user, cycle),
        },
    )


@login_required
def cycle_edit(request, pk):
    cycle = selectors.cycle_get_run_by(user=request.user, cycle_id=pk)
    form = CycleEditForm(request.POST or None, instance=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_update(by=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("budgets:cycle_detail", cycle.pk)
    return form_page(request, form=form, title=_("Envelope, ordinance and results"), cycle=cycle)


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
            errors_to_form(form, error)
        else:
            messages.success(request, _("The calendar is updated."))
            return redirect("budgets:cycle_timeline", phase.cycle_id)
    return form_page(
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
            errors_to_form(form, error)
        else:
            messages.success(request, _("The calendar is updated."))
            return redirect("budgets:cycle_timeline", step.phase.cycle_id)
    return form_page(
        request,
        form=form,
        title=_("Step of the calendar"),
        cycle=step.phase.cycle,
        parent_url=reverse("budgets:cycle_timeline", args=[step.phase.cycle_id]),
        parent_label=_("Calendar"),
    )
