from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from .. import selectors
from ..filters import EventFilter
from ..forms import EventForm, ParticipationForm
from ..models import Event, manages_all
from ..services import event_create, event_participation_remove, event_participation_set, event_update
from .common import ScopedListView, call_service


class EventListView(ScopedListView):
    template_name = "municipalities/event_list.html"
    context_object_name = "events"
    selector = selectors.events_for_user
    filterset_class = EventFilter
    csv_filename = "eventos.csv"

    def csv_header(self):
        return [
            _("Name"),
            _("Scope"),
            _("Starts on"),
            _("Ends on"),
            _("Place"),
            _("Organisers"),
            _("Women"),
            _("Men"),
        ]

    def csv_row(self, e):
        return [
            e.name,
            e.get_scope_display(),
            e.starts_on,
            e.ends_on,
            e.place,
            "; ".join(str(o) for o in e.organisers.all()),
            e.women_total or 0,
            e.men_total or 0,
        ]


class EventDetailView(LoginRequiredMixin, DetailView):
    template_name = "municipalities/event_detail.html"
    context_object_name = "event"

    def get_object(self, queryset=None):
        return selectors.event_get_for_user(user=self.request.user, event_id=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(self.object.participations.all())
        context.update(
            participations=rows,
            women=sum(p.women for p in rows),
            men=sum(p.men for p in rows),
            can_manage=manages_all(self.request.user),
        )
        return context


class EventFormView(LoginRequiredMixin, View):
    template_name = "municipalities/event_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.event = None
        if request.user.is_authenticated:
            if "pk" in kwargs:
                self.event = selectors.event_get_editable(user=request.user, event_id=kwargs["pk"])
            elif not manages_all(request.user):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, **kwargs):
        return self.render(EventForm(instance=self.event))

    def post(self, request, **kwargs):
        form = EventForm(request.POST, instance=self.event or Event())
        if form.is_valid():
            data = dict(form.cleaned_data)
            organisers = data.pop("organisers")
            if self.event is None:
                saved = call_service(form, event_create, by=request.user, organisers=organisers, **data)
            else:
                saved = call_service(
                    form, event_update, by=request.user, event=self.event, organisers=organisers, **data
                )
            if saved:
                return redirect("municipalities:event_detail", saved.pk)
        return self.render(form)

    def render(self, form):
        return render(self.request, self.template_name, {"form": form, "event": self.event})


class ParticipationSetView(LoginRequiredMixin, View):
    """Record how many women and men a municipality sent (again: replaces the figures)."""

    template_name = "municipalities/eventparticipation_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.event = selectors.event_get_editable(user=request.user, event_id=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self.render(ParticipationForm())

    def post(self, request, pk):
        form = ParticipationForm(request.POST)
        if form.is_valid() and call_service(
            form, event_participation_set, by=request.user, event=self.event, **form.cleaned_data
        ):
            return redirect("municipalities:event_detail", pk)
        return self.render(form)

    def render(self, form):
        return render(self.request, self.template_name, {"form": form, "event": self.event})


class ParticipationRemoveView(LoginRequiredMixin, View):
    template_name = "municipalities/confirm_delete.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            event = selectors.event_get_editable(user=request.user, event_id=kwargs["pk"])
            self.row = get_object_or_404(
                event.participations.select_related("municipality__organisation"), pk=kwargs["row"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk, row):
        return render(
            request,
            self.template_name,
            {
                "what": _("the participation of %(municipality)s") % {"municipality": self.row.municipality},
                "back_url": reverse("municipalities:event_detail", args=[pk]),
            },
        )

    def post(self, request, pk, row):
        event_participation_remove(by=request.user, participation=self.row)
        return redirect("municipalities:event_detail", pk)
