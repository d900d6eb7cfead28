"""Concertation workshops and their actas."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kallpanchis.core.forms import errors_to_form
from kallpanchis.core.uploads import document_response
from kallpanchis.organisations.models import Organisation
from kallpanchis.people.picker import NEW, PICK, PersonPicker
from kallpanchis.people.services import ProbableDuplicate

from .. import selectors, services
from ..forms import (
    WorkshopForm,
    WorkshopParticipantForm,
)
from .common import confirm_page


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


@login_required
def workshop_participants(request, pk):
    """Who came to a workshop, beside its head-counts: people of the register picked or registered with
    their consent (counted once among the people reached), or names as written (counted in totals only).
    Read by whoever reads the cycle's participants' names (the budget team); a 404 for others."""
    workshop = selectors.workshop_get_for_user(user=request.user, workshop_id=pk)
    if not selectors.cycle_runs(user=request.user, cycle=workshop.cycle):
        raise Http404
    organisations = Organisation.objects.filter(budget_participations__cycle=workshop.cycle).order_by("name")
    posted = request.method == "POST"
    picker = PersonPicker(
        request.POST if posted else None, request.FILES if posted else None, user=request.user
    )
    form = WorkshopParticipantForm(request.POST if posted else None, organisations=organisations)
    if posted and not picker.searching and form.is_valid() and picker.is_valid():
        kind, value = picker.choice()
        try:
            services.workshop_participant_add(
                by=request.user,
                workshop=workshop,
                person=value if kind == PICK else None,
                new_person=value if kind == NEW else None,
                **form.cleaned_data,
            )
        except ProbableDuplicate as found:
            picker.offer_duplicates(found)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The participant is added."))
            return redirect("budgets:workshop_participants", workshop.pk)
    return render(
        request,
        "budgets/workshop_participants.html",
        {
            "workshop": workshop,
            "cycle": workshop.cycle,
            "participants": selectors.workshop_participants(workshop=workshop),
            "form": form,
            "picker": picker,
        },
    )


@login_required
def workshop_participant_remove(request, pk):
    """GET asks for confirmation; POST removes the row (the person stays in the register)."""
    participant = get_object_or_404(selectors.workshop_participants_run_by(user=request.user), pk=pk)
    back = reverse("budgets:workshop_participants", args=[participant.workshop_id])
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Remove a participant"),
            question=_("Remove %(name)s from the workshop's list?") % {"name": participant.name},
            back_url=back,
            submit=_("Remove"),
        )
    services.workshop_participant_remove(by=request.user, participant=participant)
    messages.success(request, _("The participant is removed."))
    return redirect(back)
