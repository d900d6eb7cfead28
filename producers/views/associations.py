from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from kallpanchis.accounts.access import CoordinatorRequiredMixin, access_for
from kallpanchis.core.forms import errors_to_form
from kallpanchis.people.picker import NEW, PICK, PersonPicker
from kallpanchis.people.services import ProbableDuplicate

from .. import selectors, services
from ..forms import AssociationForm, MemberForm


class AssociationListView(LoginRequiredMixin, ListView):
    template_name = "producers/association_list.html"
    context_object_name = "associations"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        access = access_for(request.user)
        # A leader with one association goes straight to it: fewer taps on a phone.
        if not access.consortium_wide and not access.municipality_organisations:
            own = list(selectors.associations_for_user(user=request.user).values_list("pk", flat=True)[:2])
            if len(own) == 1:
                return redirect("producers:association_detail", own[0])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.associations_for_user(user=self.request.user)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "can_create": access_for(self.request.user).is_coordinator,
        }


class AssociationDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        association = selectors.association_get_for_user(user=request.user, association_id=pk)
        manages = selectors.association_is_managed_by(user=request.user, association=association)
        plans = selectors.plans_for_user(user=request.user, current_only=False).filter(
            association=association
        )
        return render(
            request,
            "producers/association_detail.html",
            {
                "association": association,
                "manages": manages,
                "members": selectors.members_of(association=association),
                "counts": selectors.member_counts(association=association),
                "plans": plans,
                "today": selectors.today(),
            },
        )


class AssociationCreateView(CoordinatorRequiredMixin, View):
    def get(self, request):
        return render(request, "producers/association_form.html", {"form": AssociationForm()})

    def post(self, request):
        form = AssociationForm(request.POST)
        if form.is_valid():
            try:
                association = services.association_create(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Association registered."))
                return redirect("producers:association_detail", association.pk)
        return render(request, "producers/association_form.html", {"form": form})


class AssociationUpdateView(LoginRequiredMixin, View):
    def _context(self, association, form):
        return {"association": association, "form": form}

    def get(self, request, pk):
        association = selectors.association_get_for_manager(user=request.user, association_id=pk)
        form = AssociationForm(
            initial=AssociationForm.initial_for(association), can_move=access_for(request.user).is_coordinator
        )
        return render(request, "producers/association_form.html", self._context(association, form))

    def post(self, request, pk):
        association = selectors.association_get_for_manager(user=request.user, association_id=pk)
        form = AssociationForm(
            request.POST,
            initial=AssociationForm.initial_for(association),
            can_move=access_for(request.user).is_coordinator,
        )
        if form.is_valid():
            try:
                services.association_update(by=request.user, association=association, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("producers:association_detail", association.pk)
        return render(request, "producers/association_form.html", self._context(association, form))


def _member_picker(request, association, member=None) -> PersonPicker:
    """Pick the member in the register, or register them (in the association's district by default)."""
    communities = [c.strip() for c in association.communities.split(",") if c.strip()]
    return PersonPicker(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        user=request.user,
        current=member.person if member else None,
        defaults={
            "district_ubigeo": association.district.ubigeo,
            "community": communities[0] if len(communities) == 1 else "",
        },
    )


def _member_save(request, *, form, picker, association, member=None):
    """Add or update the member with the person picked or registered; None when the form shows errors."""
    if picker.searching or not (form.is_valid() and picker.is_valid()):
        return None
    kind, value = picker.choice()
    fields = {k: v for k, v in form.cleaned_data.items()}
    try:
        if member is None:
            return services.member_add(
                by=request.user,
                association=association,
                person=value if kind == PICK else None,
                new_person=value if kind == NEW else None,
                **fields,
            )
        if kind == NEW:
            return services.member_update(by=request.user, member=member, new_person=value, **fields)
        return services.member_update(
            by=request.user, member=member, person=value if kind == PICK else None, **fields
        )
    except ProbableDuplicate as found:
        picker.offer_duplicates(found)
    except (ValidationError, PermissionDenied) as error:
        errors_to_form(picker.new_form if kind == NEW else form, error)
    return None


class MemberCreateView(LoginRequiredMixin, View):
    def get(self, request, pk):
        association = selectors.association_get_for_manager(user=request.user, association_id=pk)
        return self.render(association, MemberForm(), _member_picker(request, association))

    def post(self, request, pk):
        association = selectors.association_get_for_manager(user=request.user, association_id=pk)
        form = MemberForm(request.POST)
        picker = _member_picker(request, association)
        if _member_save(request, form=form, picker=picker, association=association):
            messages.success(request, _("Member added."))
            if "another" in request.POST:
                return redirect("producers:member_create", association.pk)
            return redirect("producers:association_detail", association.pk)
        return self.render(association, form, picker)

    def render(self, association, form, picker):
        context = {"association": association, "form": form, "picker": picker}
        return render(self.request, "producers/member_form.html", context)


class MemberUpdateView(LoginRequiredMixin, View):
    def get(self, request, pk):
        member = selectors.member_get_for_manager(user=request.user, member_id=pk)
        picker = _member_picker(request, member.association, member)
        return self.render(member, MemberForm(instance=member), picker)

    def post(self, request, pk):
        member = selectors.member_get_for_manager(user=request.user, member_id=pk)
        form = MemberForm(request.POST, instance=member)
        picker = _member_picker(request, member.association, member)
        if _member_save(request, form=form, picker=picker, association=member.association, member=member):
            messages.success(request, _("Saved."))
            return redirect("producers:association_detail", member.association_id)
        return self.render(member, form, picker)

    def render(self, member, form, picker):
        context = {"association": member.association, "member": member, "form": form, "picker": picker}
        return render(self.request, "producers/member_form.html", context)


class MemberDeleteView(LoginRequiredMixin, View):
    def get(self, request, pk):
        member = selectors.member_get_for_manager(user=request.user, member_id=pk)
        return render(request, "producers/member_confirm_delete.html", {"member": member})

    def post(self, request, pk):
        member = selectors.member_get_for_manager(user=request.user, member_id=pk)
        association_id = member.association_id
        services.member_remove(by=request.user, member=member)
        messages.success(request, _("Member removed."))
        return redirect("producers:association_detail", association_id)
