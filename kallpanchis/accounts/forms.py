from django import forms
from django.utils.translation import gettext_lazy as _

from kallpanchis.organisations.models import Organisation

from .access import access_for
from .models import Role
from .services import ROLES_A_MUNICIPAL_ADMIN_GIVES


class PersonInviteForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), help_text=_("The invitation to choose a password goes here."))
    role = forms.ChoiceField(label=_("Role"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("The municipality, association or partner the person works for."),
    )

    def __init__(self, *args, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        access = access_for(inviter)
        if access.is_coordinator:
            self.fields["role"].choices = Role.choices
            self.fields["organisation"].queryset = Organisation.objects.all()
        else:
            self.fields["role"].choices = [c for c in Role.choices if c[0] in ROLES_A_MUNICIPAL_ADMIN_GIVES]
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=access.organisations_with(Role.MUNICIPAL_ADMIN)
            )
            self.fields["organisation"].required = True
