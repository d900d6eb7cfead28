"""The agreements register and the follow-up of one agreement."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kallpanchis.core import shell
from kallpanchis.core.caching import access_of, cached, paginator_counted
from kallpanchis.core.exports import table_response
from kallpanchis.core.forms import errors_to_form
from kallpanchis.core.fragments import Rows, block
from kallpanchis.core.uploads import document_response

from .. import exports, selectors, services
from ..forms import (
    AgreementFilterForm,
    AgreementStatusForm,
)
from .common import PAGE_SIZE

AGREEMENT_ROW = (
    "what",
    "status",
    "due_date",
    "responsible_person",
    "meeting__space__name",
    "responsible_organisation__name",
    "responsible_organisation__short_name",
)
FILTERS = ["q", "municipality", "space", "status", "organisation", "overdue", "mine"]


@login_required
def agreement_list(request):
    """The filter and list block is kept until one of the tables it reads changes (a version stepped by the
    database on every write: kallpanchis/core/caching.py)."""
    block = cached(
        "spaces:agreements",
        request=request,
        groups=("spaces",),
        params=[*FILTERS, "page"],
        compute=lambda: _agreement_list_block(request),
        by_tables=True,
    )
    return shell.page(request, "spaces/agreement_list.html", {"list_block": block})


def _agreements_filtered(request, form):
    filters = form.cleaned_data if form.is_valid() else {}
    return selectors.agreements_for_user(
        user=request.user,
        space=filters.get("space"),
        status=filters.get("status", ""),
        organisation_id=filters["organisation"].pk if filters.get("organisation") else None,
        overdue=filters.get("overdue", False),
        mine=filters.get("mine", False),
        q=filters.get("q", "").strip(),
        municipality_id=filters.get("municipality"),
    )


def _filter_form(request):
    spaces = selectors.space_choices(user=request.user)
    organisations = selectors.agreement_responsible_organisations(user=request.user)
    form = AgreementFilterForm(request.GET or None, spaces=spaces, organisations=organisations)
    return form, spaces, organisations


@login_required
def agreement_export(request, fmt: str):
    """The register with the list's filters, every page of it."""
    form, _spaces, _organisations = _filter_form(request)
    header, rows = exports.agreement_table(_agreements_filtered(request, form))
    return table_response(
        fmt, header=header, rows=rows, filename=f"acuerdos-{timezone.localdate().isoformat()}"
    )


def _agreement_list_block(request) -> str:
    # The form and its choices' querysets are built only when used: most requests ask no filter, and find
    # the choices and the filter block kept.
    made = functools.cache(lambda: _filter_form(request))
    # The filter's choices and the count are the same on every page: computed once, not per page, each
    # kept until a table it reads changes (the organisations answering for an agreement are found by a pass
    # over every agreement; the spaces are not).
    space_choices = cached(
        "spaces:agreement-space-choices",
        request=request,
        groups=("spaces",),
        params=[],
        compute=lambda: [(str(pk), name) for pk, name in made()[1].values_list("pk", "name")],
        by_tables=True,
    )
    organisation_choices = cached(
        "spaces:agreement-organisation-choices",
        request=request,
        groups=("spaces",),
        params=[],
        compute=lambda: [(str(o.pk), str(o)) for o in made()[2]],
        by_tables=True,
    )
    if any(name in request.GET for name in FILTERS):
        agreements = _agreements_filtered(request, made()[0])
    else:  # what an unbound form gives: no filter
        agreements = selectors.agreements_for_user(user=request.user)
    count = cached(
        "spaces:agreements-count",
        request=request,
        groups=("spaces",),
        params=FILTERS,
        compute=agreements.count,
        by_tables=True,
    )
    # Only what a row shows is read (and hashed into its key).
    paginator = paginator_counted(agreements.only(*AGREEMENT_ROW), PAGE_SIZE, count)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    today = timezone.localdate()
    # Each row's HTML kept under its version, each block under what it shows: a write re-renders only what
    # it changed.
    rows = Rows.of_page(
        "spaces:agreement",
        page,
        template="spaces/partials/agreement_list_row.html",
        as_name="agreement",
        context={"today": today},
    )
    # The filters and the rows kept apart: a row written renders the list again, not the filter form.
    asked = sorted((name, values) for name, values in request.GET.lists() if name != "page")
    filters = block(
        "spaces:agreement-filters",
        (access_of(request.user), asked, space_choices, organisation_choices),
        lambda: render_to_string(
            "spaces/partials/agreement_list_filters.html",
            {
                "form": made()[0],
                "space_choices": space_choices,
                "organisation_choices": organisation_choices,
                "query": query.urlencode(),
            },
            request=request,
        ),
    )
    listed = block(
        "spaces:agreement-rows",
        (access_of(request.user), sorted(request.GET.lists()), count),
        lambda: render_to_string(
            "spaces/partials/agreement_list_rows.html",
            {
                "page_obj": page,
                "agreement_rows": rows,
                "agreements": rows.lazily(),  # the row objects, read only if someone reads them (tests)
                "query": query.urlencode(),
            },
            request=request,
        ),
        rows=(rows,),
    )
    return filters + listed


@login_required
def agreement_detail(request, pk: int):
    agreement = selectors.agreement_get_for_user(user=request.user, agreement_id=pk)
    # The space's managers, and the leaders of the organisation that answers for it, follow it up.
    can_manage = services.agreement_may_follow_up(user=request.user, agreement=agreement)
    form = AgreementStatusForm(request.POST or None, request.FILES or None, agreement=agreement)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.agreement_status_change(
                    agreement=agreement,
                    by=request.user,
                    to_status=d["to_status"],
                    note=d["note"],
                    evidence=d["evidence"] or None,
                    on=d["done_on"],
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The agreement's status was changed."))
                return redirect("spaces:agreement_detail", agreement.pk)
    return render(
        request,
        "spaces/agreement_detail.html",
        {"agreement": agreement, "form": form, "can_manage": can_manage, "today": timezone.localdate()},
    )


@login_required
def agreement_evidence(request, pk: int):
    change = selectors.status_change_get_for_user(user=request.user, change_id=pk)
    if not change.evidence:
        raise Http404
    return document_response(change.evidence, f"evidencia-{change.agreement_id}-{change.pk}")
