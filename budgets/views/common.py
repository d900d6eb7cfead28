"""What the budget views share: the form and confirmation pages, and who reads a whole cycle."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kallpanchis.accounts.access import access_for

from .. import selectors


def form_page(request, *, form, title, cycle, parent_url=None, parent_label=None, submit=None, extra=None):
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


def municipal_reader(user, cycle) -> bool:
    from municipalities.models import Municipality

    return Municipality.objects.visible_to(user).filter(pk=cycle.municipality_id).exists()


def reads_all_or_404(user, cycle) -> bool:
    """Whole-cycle pages: its runners, municipal readers, the consortium, the Comité de Vigilancia."""
    runs = selectors.cycle_runs(user=user, cycle=cycle)
    if not (
        runs
        or access_for(user).consortium_wide
        or municipal_reader(user, cycle)
        or cycle.vigilance_members.filter(user=user).exists()
    ):
        raise Http404
    return runs


def confirm_page(request, *, title, question, back_url, submit):
    return render(
        request,
        "budgets/confirm.html",
        {"title": title, "question": question, "back_url": back_url, "submit": submit},
    )
