from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView

from kallpanchis.core.forms import errors_to_form

from .access import access_for
from .forms import PersonInviteForm
from .models import Role
from .selectors import people_visible_to
from .services import person_invite


class PeopleManagerMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access_for(request.user).has(
            Role.COORDINATOR, Role.MUNICIPAL_ADMIN
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PersonListView(PeopleManagerMixin, ListView):
    template_name = "accounts/person_list.html"
    context_object_name = "people"
    paginate_by = 50

    def get_queryset(self):
        return people_visible_to(self.request.user)


class PersonCreateView(PeopleManagerMixin, FormView):
    template_name = "accounts/person_form.html"
    form_class = PersonInviteForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "inviter": self.request.user}

    def form_valid(self, form):
        try:
            person = person_invite(
                by=self.request.user,
                base_url=self.request.build_absolute_uri("/"),
                language=get_language(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            errors_to_form(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(email)s was invited: they will receive an e-mail to choose a password.")
            % {"email": person.email},
        )
        return redirect("accounts:person_list")
