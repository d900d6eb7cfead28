from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .access import access_for

# Pages a person without MFA may still reach: signing in and out, setting up MFA, switching language.
EXEMPT_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz", "/favicon")


class RequireMFAMiddleware:
    """Coordinators and staff hold the keys to every municipality's data: they must turn on two-factor
    authentication before anything else. Everyone else may, and is offered it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and (user.is_staff or access_for(user).is_coordinator)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            messages.warning(
                request, _("Coordinators and staff must turn on two-factor authentication before continuing.")
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
