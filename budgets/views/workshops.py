"""Concertation workshops and their actas."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kallpanchis.core.forms import errors_to_form
from kallpanchis.core.uploads import document_response

from .. import selectors, services
from ..forms import (
    WorkshopForm,
)


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
                errors_to_form(form, error)
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
