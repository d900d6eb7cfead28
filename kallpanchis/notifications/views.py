from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from .forms import ReminderPreferencesForm
from .models import Reminder
from .registry import all_kinds, get_kind
from .rendering import unsubscribe_read
from .selectors import (
    reminder_channels_for_user,
    reminder_get_failed_for_coordinator,
    reminder_preferences_for_user,
    reminder_targets,
    reminders_for_coordinator,
    reminders_upcoming_for_user,
)
from .services import reminder_preferences_save, reminder_retry, reminder_unsubscribe


class MyRemindersView(LoginRequiredMixin, ListView):
    template_name = "notifications/my_reminder_list.html"
    context_object_name = "reminders"
    paginate_by = 25

    def get_queryset(self):
        return reminders_upcoming_for_user(user=self.request.user)

    def get_context_data(self, **kwargs):
        """Each line names what it reminds of (its title and page, as its message will) and when it goes."""
        context = super().get_context_data(**kwargs)
        kinds = {kind.name: kind for kind in all_kinds()}
        reminders = list(context["reminders"])
        targets = reminder_targets(reminders)
        for reminder in reminders:
            kind = kinds.get(reminder.kind)
            reminder.kind_label = kind.label if kind else reminder.kind
            target = targets.get(reminder.pk)
            reminder.about = kind.context(target) if kind and target is not None else None
        context["reminders"] = reminders
        return context


class ReminderListView(LoginRequiredMixin, ListView):
    """Coordinators: every reminder with its state, attempts and last error."""

    template_name = "notifications/reminder_list.html"
    context_object_name = "reminders"
    paginate_by = 50

    def get_queryset(self):
        status = self.request.GET.get("status", "")
        self.status = status if status in Reminder.Status.values else ""
        return reminders_for_coordinator(user=self.request.user, status=self.status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statuses"] = Reminder.Status.choices
        context["status"] = self.status
        labels = {kind.name: kind.label for kind in all_kinds()}
        for reminder in context["reminders"]:
            reminder.kind_label = labels.get(reminder.kind, reminder.kind)
        return context


class ReminderRetryView(LoginRequiredMixin, View):
    """GET asks for confirmation; POST sends the failed reminder again."""

    def get(self, request, pk):
        reminder = reminder_get_failed_for_coordinator(user=request.user, reminder_id=pk)
        return render(request, "notifications/reminder_retry_confirm.html", {"reminder": reminder})

    def post(self, request, pk):
        reminder = reminder_get_failed_for_coordinator(user=request.user, reminder_id=pk)
        reminder_retry(reminder=reminder, by=request.user)
        messages.success(request, _("The reminder will be sent again in a moment."))
        return redirect(reverse("notifications:reminder_list") + "?status=failed")


class ReminderPreferencesView(LoginRequiredMixin, View):
    template_name = "notifications/reminder_preferences_form.html"

    def _form(self, data=None):
        language, rows = reminder_preferences_for_user(user=self.request.user)
        initial = {"language": language, "channels": reminder_channels_for_user(user=self.request.user)}
        for row in rows:
            initial[f"enabled_{row['kind'].name}"] = row["enabled"]
            initial[f"digest_{row['kind'].name}"] = row["digest"]
        return ReminderPreferencesForm(data, initial=initial, kinds=all_kinds())

    def get(self, request):
        return render(request, self.template_name, {"form": self._form()})

    def post(self, request):
        form = self._form(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        reminder_preferences_save(
            user=request.user,
            language=form.cleaned_data["language"],
            choices=form.choices(),
            channels=form.cleaned_data["channels"],
        )
        messages.success(request, _("Your reminder preferences are saved."))
        return redirect("notifications:preferences")


class UnsubscribeView(View):
    """From the link in a message, without signing in. GET only asks (mail scanners open links); POST
    turns the kind off."""

    template_name = "notifications/unsubscribe_confirm.html"

    def _read(self, token):
        try:
            user_id, kind_name = unsubscribe_read(token)
            return user_id, get_kind(kind_name)
        except (signing.BadSignature, LookupError, KeyError, ValueError):
            raise Http404 from None

    def get(self, request, token):
        _user_id, kind = self._read(token)
        return render(request, self.template_name, {"kind": kind, "done": False})

    def post(self, request, token):
        user_id, kind = self._read(token)
        reminder_unsubscribe(user_id=user_id, kind=kind.name)
        return render(request, self.template_name, {"kind": kind, "done": True})
