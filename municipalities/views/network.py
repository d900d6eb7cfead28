from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from kallpanchis.people.picker import NEW, PICK, PersonPicker
from kallpanchis.people.services import ProbableDuplicate

from .. import selectors
from ..filters import TechnicianFilter, TrainingFilter
from ..forms import AttendanceForm, TechnicianForm, TrainingForm
from ..models import Municipality, Training, manages_all
from ..services import (
    technician_create,
    technician_update,
    training_attendance_add,
    training_attendance_remove,
    training_create,
    training_update,
)
from .common import ScopedListView, call_service


class TechnicianListView(ScopedListView):
    template_name = "municipalities/technician_list.html"
    context_object_name = "technicians"
    selector = selectors.technicians_for_user
    filterset_class = TechnicianFilter
    csv_filename = "red-de-tecnicos.csv"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = Municipality.objects.profile_editable_by(self.request.user).exists()
        return context

    def csv_header(self):
        return [
            _("Full name"),
            _("Gender"),
            _("Municipality"),
            _("Position"),
            _("Member since"),
            _("Left on"),
            _("E-mail"),
            _("Phone"),
            _("Trainings completed"),
        ]

    def csv_row(self, t):
        return [
            t.person_name,
            t.get_gender_display(),
            t.municipality.organisation.name,
            t.position,
            t.since,
            t.until,
            t.email,
            t.phone,
            t.trainings_completed,
        ]


class TechnicianDetailView(LoginRequiredMixin, DetailView):
    template_name = "municipalities/technician_detail.html"
    context_object_name = "technician"

    def get_object(self, queryset=None):
        return selectors.technician_get_for_user(user=self.request.user, technician_id=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["attendance"] = selectors.technician_trainings(technician=self.object)
        context["can_edit"] = selectors.municipality_can_edit(
            user=self.request.user, municipality=self.object.municipality
        )
        return context


class TechnicianFormView(LoginRequiredMixin, View):
    template_name = "municipalities/technician_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.technician = None
        if request.user.is_authenticated:
            if "pk" in kwargs:
                self.technician = selectors.technician_get_editable(
                    user=request.user, technician_id=kwargs["pk"]
                )
            elif not Municipality.objects.profile_editable_by(request.user).exists():
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, **kwargs):
        initial = {}
        if request.GET.get("municipality", "").isdigit():
            initial["municipality"] = int(request.GET["municipality"])
        form = TechnicianForm(instance=self.technician, initial=initial, user=request.user)
        return self.render(form, self.picker())

    def picker(self) -> PersonPicker:
        request = self.request
        posted = request.method == "POST"
        return PersonPicker(
            request.POST if posted else None,
            request.FILES if posted else None,
            user=request.user,
            current=self.technician.person if self.technician else None,
        )

    def post(self, request, **kwargs):
        form = TechnicianForm(request.POST, instance=self.technician, user=request.user)
        picker = self.picker()
        if not picker.searching and form.is_valid() and picker.is_valid():
            data = dict(form.cleaned_data)
            kind, value = picker.choice()
            data["person"] = value if kind == PICK else None
            if kind == NEW:
                data["new_person"] = value
            saved = None
            try:
                if self.technician is None:
                    saved = call_service(form, technician_create, by=request.user, **data)
                else:
                    saved = call_service(
                        form, technician_update, by=request.user, technician=self.technician, **data
                    )
            except ProbableDuplicate as found:
                picker.offer_duplicates(found)
            if saved:
                return redirect("municipalities:technician_detail", saved.pk)
        return self.render(form, picker)

    def render(self, form, picker):
        context = {"form": form, "technician": self.technician, "picker": picker}
        return render(self.request, self.template_name, context)


class TrainingListView(ScopedListView):
    template_name = "municipalities/training_list.html"
    context_object_name = "trainings"
    selector = selectors.trainings_for_user
    filterset_class = TrainingFilter
    csv_filename = "capacitaciones.csv"

    def csv_header(self):
        return [
            _("Title"),
            _("Topic"),
            _("Date"),
            _("Place"),
            _("Trainer organisation"),
            _("Women"),
            _("Men"),
            _("Attendees"),
        ]

    def csv_row(self, t):
        return [
            t.title,
            t.get_topic_display(),
            t.held_on,
            t.place,
            t.trainer_organisation or "",
            t.women,
            t.men,
            t.attendees,
        ]


class TrainingDetailView(LoginRequiredMixin, DetailView):
    template_name = "municipalities/training_detail.html"
    context_object_name = "training"

    def get_object(self, queryset=None):
        return selectors.training_get_for_user(user=self.request.user, training_id=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = manages_all(self.request.user)
        if context["can_manage"]:
            context["attendance_form"] = AttendanceForm()
        return context


class TrainingFormView(LoginRequiredMixin, View):
    template_name = "municipalities/training_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.training = None
        if request.user.is_authenticated:
            if "pk" in kwargs:
                self.training = selectors.training_get_editable(user=request.user, training_id=kwargs["pk"])
            elif not manages_all(request.user):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, **kwargs):
        return self.render(TrainingForm(instance=self.training))

    def post(self, request, **kwargs):
        form = TrainingForm(request.POST, instance=self.training or Training())
        if form.is_valid():
            if self.training is None:
                saved = call_service(form, training_create, by=request.user, **form.cleaned_data)
            else:
                saved = call_service(
                    form, training_update, by=request.user, training=self.training, **form.cleaned_data
                )
            if saved:
                return redirect("municipalities:training_detail", saved.pk)
        return self.render(form)

    def render(self, form):
        return render(self.request, self.template_name, {"form": form, "training": self.training})


class AttendanceAddView(LoginRequiredMixin, View):
    """Add one person to a training's attendance (coordinators and partner staff)."""

    template_name = "municipalities/attendance_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.training = selectors.training_get_editable(user=request.user, training_id=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self.render(AttendanceForm(), PersonPicker(user=request.user))

    def post(self, request, pk):
        picker = PersonPicker(request.POST, request.FILES, user=request.user)
        form = AttendanceForm(request.POST, person_given=picker.gives_person)
        if not picker.searching and form.is_valid() and picker.is_valid():
            kind, value = picker.choice()
            try:
                saved = call_service(
                    form,
                    training_attendance_add,
                    by=request.user,
                    training=self.training,
                    person=value if kind == PICK else None,
                    new_person=value if kind == NEW else None,
                    **form.cleaned_data,
                )
            except ProbableDuplicate as found:
                picker.offer_duplicates(found)
                saved = None
            if saved:
                return redirect("municipalities:training_detail", pk)
        return self.render(form, picker)

    def render(self, form, picker):
        context = {"form": form, "training": self.training, "picker": picker}
        return render(self.request, self.template_name, context)


class AttendanceRemoveView(LoginRequiredMixin, View):
    """Confirm, then remove one attendance row."""

    template_name = "municipalities/confirm_delete.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            training = selectors.training_get_editable(user=request.user, training_id=kwargs["pk"])
            self.row = get_object_or_404(training.attendance.all(), pk=kwargs["row"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk, row):
        return render(
            request,
            self.template_name,
            {
                "what": _("%(person)s from the attendance of “%(training)s”")
                % {"person": self.row.person_name, "training": self.row.training.title},
                "back_url": reverse("municipalities:training_detail", args=[pk]),
            },
        )

    def post(self, request, pk, row):
        training_attendance_remove(by=request.user, attendance=self.row)
        return redirect("municipalities:training_detail", pk)
