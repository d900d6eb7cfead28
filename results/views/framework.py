"""The framework's pages: expected results and indicators, their targets per municipality and who reports.
Read by the consortium, changed by coordinators; a 404 for anyone else."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kallpanchis.accounts.access import access_for
from kallpanchis.core.forms import errors_to_form

from .. import selectors, services
from ..forms import IndicatorForm, ResultForm, TargetForm
from ..models import ExpectedResult


def _coordinator_or_404(user) -> None:
    selectors.framework_reader_or_404(user)
    if not access_for(user).is_coordinator:
        raise Http404


def _form_page(request, *, form, title, parent_url, parent_label, submit):
    return render(
        request,
        "results/form.html",
        {
            "form": form,
            "title": title,
            "parent_url": parent_url,
            "parent_label": parent_label,
            "submit": submit,
        },
    )


@login_required
def indicator_list(request):
    indicators = list(selectors.indicators_for_user(user=request.user))
    results = list(ExpectedResult.objects.order_by("number"))
    return render(
        request,
        "results/indicator_list.html",
        {
            "indicators": indicators,
            "results": results,
            "can_edit": access_for(request.user).is_coordinator,
        },
    )


@login_required
def result_create(request):
    _coordinator_or_404(request.user)
    form = ResultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.result_create(by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The expected result is saved."))
            return redirect("results:indicator_list")
    return _form_page(
        request,
        form=form,
        title=_("New expected result"),
        parent_url=reverse("results:indicator_list"),
        parent_label=_("Results and indicators"),
        submit=_("Save"),
    )


@login_required
def indicator_create(request):
    _coordinator_or_404(request.user)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(by=request.user, **form.service_fields())
        except (ValidationError, PermissionDenied) as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The indicator %(name)s is saved.") % {"name": indicator.name})
            return redirect("results:indicator_detail", indicator.pk)
    return _form_page(
        request,
        form=form,
        title=_("New indicator"),
        parent_url=reverse("results:indicator_list"),
        parent_label=_("Results and indicators"),
        submit=_("Save the indicator"),
    )


@login_required
def indicator_edit(request, pk: int):
    _coordinator_or_404(request.user)
    indicator = selectors.indicator_get_for_user(user=request.user, indicator_id=pk)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(by=request.user, indicator=indicator, **form.service_fields())
        except (ValidationError, PermissionDenied) as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The indicator %(name)s is saved.") % {"name": indicator.name})
            return redirect("results:indicator_detail", indicator.pk)
    return _form_page(
        request,
        form=form,
        title=_("Edit the indicator"),
        parent_url=reverse("results:indicator_detail", args=[indicator.pk]),
        parent_label=indicator.name,
        submit=_("Save the indicator"),
    )


@login_required
def indicator_detail(request, pk: int):
    indicator = selectors.indicator_get_for_user(user=request.user, indicator_id=pk)
    can_edit = access_for(request.user).is_coordinator
    form = None
    if can_edit:
        form = TargetForm(
            request.POST or None, initial={"year": timezone.localdate().year}, frequency=indicator.frequency
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.indicator_municipality_set(
                    by=request.user,
                    indicator=indicator,
                    municipality=data["municipality"],
                    year=data["year"],
                    value=data["value"],
                    association=data["association"],
                    period_number=data.get("period"),
                )
            except (ValidationError, PermissionDenied) as error:
                errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("Target and reporter saved for %(m)s.") % {"m": data["municipality"].organisation.name},
                )
                return redirect("results:indicator_detail", indicator.pk)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "results/indicator_detail.html",
        {
            "indicator": indicator,
            "targets": selectors.indicator_targets(indicator=indicator),
            "assignments": selectors.indicator_assignments(indicator=indicator),
            "can_edit": can_edit,
            "form": form,
        },
    )
