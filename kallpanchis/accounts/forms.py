from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.totp.internal import auth as totp_auth
from django import forms
from django.utils.translation import gettext_lazy as _

from kallpanchis.core.models import Gender
from kallpanchis.organisations.models import Organisation

from .access import access_for
from .models import Role
from .services import ROLES_A_MUNICIPAL_ADMIN_GIVES


class PersonInviteForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), help_text=_("The invitation to choose a password goes here."))
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=Gender.choices,
        initial=Gender.UNSTATED,
        required=False,
        help_text=_("Optional: the platform then names the role as they would (Técnica, Técnico)."),
    )
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


class StableTOTPForm(ActivateTOTPForm):
    """allauth's TOTP activation with one difference: the secret stays the same while the page is open
    (it is kept in the session until the authenticator is activated, when allauth clears it). allauth draws
    a new one on every GET, so a reload, or a phone that reloads the page while the person switches to the
    authenticator app, would make the QR code she just scanned useless."""

    def __init__(self, *args, user, **kwargs) -> None:
        self.user = user
        forms.Form.__init__(self, *args, **kwargs)  # not ActivateTOTPForm's, which draws a new secret
        self.secret = totp_auth.get_totp_secret(regenerate=False)
