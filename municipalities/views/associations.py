from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from .. import selectors
from ..filters import AssociationFilter
from ..forms import AssociationForm, SupportedActionForm
from ..models import MunicipalAssociation, manages_all
from ..services import (
    association_action_add,
    association_action_remove,
    association_create,
    association_update,
)
from .common import ScopedListView, call_service


class AssociationListView(ScopedListView):
    template_name = "municipalities/municipalassociation_list.html"
    context_object_name = "associations"
    selector = selectors.associations_for_user
    filterset_class = AssociationFilter
    csv_filename = "mancomunidades.csv"

    def csv_header(self):
        return [
            _("Name"),
            _("Legal registration reference"),
            _("Members"),
            _("Purpose"),
            _("Supported actions"),
        ]

    def csv_row(self, a):
        return [
            a.name,
            a.registration_reference,
            "; ".join(m.organisation.name for m in a.members.all()),
            a.purpose,
            a.action_count,
        ]


class AssociationDetailView(LoginRequiredMixin, DetailView):
    template_name = "municipalities/municipalassociation_detail.html"
    context_object_name = "association"

    def get_object(self, queryset=None):
        return selectors.association_get_for_user(user=self.request.user, association_id=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = manages_all(self.request.user)
        if context["can_manage"]:
            context["action_form"] = SupportedActionForm()
        return context


class AssociationFormView(LoginRequiredMixin, View):
    template_name = "municipalities/municipalassociation_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.association = None
        if request.user.is_authenticated:
            if "pk" in kwargs:
                self.association = selectors.association_get_editable(
                    user=request.user, association_id=kwargs["pk"]
                )
            elif not manages_all(request.user):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, **kwargs):
        return self.render(AssociationForm(instance=self.association))

    def post(self, request, **kwargs):
        form = AssociationForm(request.POST, instance=self.association or MunicipalAssociation())
        if form.is_valid():
            data = dict(form.cleaned_data)
            members = data.pop("members")
            if self.association is None:
                saved = call_service(form, association_create, by=request.user, members=members, **data)
            else:
                saved = call_service(
                    form,
                    association_update,
                    by=request.user,
                    association=self.association,
                    members=members,
                    **data,
                )
            if saved:
                return redirect("municipalities:association_detail", saved.pk)
        return self.render(form)

    def render(self, form):
        return render(self.request, self.template_name, {"form": form, "association": self.association})


class ActionAddView(LoginRequiredMixin, View):
    template_name = "municipalities/supportedaction_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.association = selectors.association_get_editable(
                user=request.user, association_id=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self.render(SupportedActionForm())

    def post(self, request, pk):
        form = SupportedActionForm(request.POST)
        if form.is_valid() and call_service(
            form, association_action_add, by=request.user, association=self.association, **form.cleaned_data
        ):
            return redirect("municipalities:association_detail", pk)
        return self.render(form)

    def render(self, form):
        return render(self.request, self.template_name, {"form": form, "association": self.association})


class ActionRemoveView(LoginRequiredMixin, View):
    template_name = "municipalities/confirm_delete.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            association = selectors.association_get_editable(user=request.user, association_id=kwargs["pk"])
            self.action = get_object_or_404(association.actions.all(), pk=kwargs["action"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk, action):
        return render(
            request,
            self.template_name,
            {
                "what": _("the action “%(action)s”") % {"action": self.action.title},
                "back_url": reverse("municipalities:association_detail", args=[pk]),
            },
        )

    def post(self, request, pk, action):
        association_action_remove(by=request.user, action=self.action)
        return redirect("municipalities:association_detail", pk)
