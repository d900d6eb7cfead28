"""Pages of spaces, their members and thematic groups."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kallpanchis.core.exports import table_response
from kallpanchis.core.forms import errors_to_form

from .. import exports, selectors, services
from ..forms import (
    SpaceForm,
    SpaceMemberForm,
    ThematicGroupForm,
)
from ..models import ThematicGroup


@login_required
def space_list(request):
    spaces = selectors.spaces_for_user(user=request.user)
    can_create = selectors.managed_municipalities(request.user).exists()
    return render(request, "spaces/space_list.html", {"spaces": spaces, "can_create": can_create})


@login_required
def space_export(request, fmt: str):
    header, rows = exports.space_table(selectors.spaces_for_user(user=request.user))
    return table_response(fmt, header=header, rows=rows, filename="espacios")


@login_required
def space_detail(request, pk: int):
    space = selectors.space_get_for_user(user=request.user, space_id=pk)
    today = timezone.localdate()
    year_start = today.replace(month=1, day=1)
    context = {
        "space": space,
        "can_manage": selectors.space_can_manage(user=request.user, space=space),
        "members": selectors.space_members(space=space),
        "subspaces": space.subspaces.select_related("thematic_group"),
        "meetings": selectors.meetings_for_user(user=request.user, space=space)[:10],
        "open_agreements": selectors.agreements_for_user(user=request.user, space=space).open()[:10],
        "figures": selectors.space_participation(space=space, start=year_start, end=today),
        "figures_since": year_start,
        "today": today,
    }
    return render(request, "spaces/space_detail.html", context)


@login_required
def space_create(request):
    if not selectors.managed_municipalities(request.user).exists():
        raise Http404
    form = SpaceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            space = services.space_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The space was created."))
            return redirect("spaces:space_detail", space.pk)
    return render(request, "spaces/space_form.html", {"form": form})


@login_required
def space_edit(request, pk: int):
    space = selectors.space_get_editable(user=request.user, space_id=pk)
    form = SpaceForm(request.POST or None, instance=space, user=request.user, editing=True)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in form.fields}
        space.refresh_from_db()
        try:
            services.space_update(space=space, by=request.user, **fields)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The space was saved."))
            return redirect("spaces:space_detail", space.pk)
    return render(request, "spaces/space_form.html", {"form": form, "space": space})


@login_required
def space_member_add(request, pk: int):
    space = selectors.space_get_editable(user=request.user, space_id=pk)
    form = SpaceMemberForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.space_member_add(space=space, by=request.user, **form.cleaned_data)
        messages.success(request, _("The organisation is now a member of the space."))
        return redirect("spaces:space_detail", space.pk)
    return render(request, "spaces/spacemember_form.html", {"form": form, "space": space})


@login_required
def space_member_remove(request, pk: int):
    member = selectors.space_member_get_editable(user=request.user, member_id=pk)
    if request.method == "POST":
        services.space_member_remove(member=member, by=request.user)
        messages.success(request, _("The organisation was taken out of the space."))
        return redirect("spaces:space_detail", member.space_id)
    return render(
        request, "spaces/spacemember_confirm_remove.html", {"member": member, "space": member.space}
    )


@login_required
def thematic_group_list(request):
    """Coordinators add themes; everyone who may create spaces sees the list."""
    access = selectors.access_for(request.user)
    can_add = access.is_coordinator
    if not (can_add or selectors.managed_municipalities(request.user).exists()):
        raise Http404
    form = ThematicGroupForm(request.POST or None)
    if request.method == "POST":
        if not can_add:
            raise Http404
        if form.is_valid():
            try:
                services.thematic_group_create(by=request.user, name=form.cleaned_data["name"])
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The thematic group was added."))
                return redirect("spaces:thematic_group_list")
    groups = ThematicGroup.objects.order_by("name")
    return render(
        request, "spaces/thematicgroup_list.html", {"groups": groups, "form": form, "can_add": can_add}
    )
