from allauth.mfa.models import Authenticator
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from .access import access_for

# Pages a person without MFA may still reach: signing in and out, setting up MFA, switching language.
EXEMPT_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz", "/favicon")
# Where a coordinator was going when she was sent to set up two-factor authentication: the set-up pages
# offer to continue there (templates/mfa/), and it is forgotten once she is past them.
NEXT_SESSION_KEY = "kallpanchis_mfa_next"


def _is_page_visit(request) -> bool:
    """A person opening a page, not the browser fetching a script, a manifest or data in the background."""
    if request.method != "GET":
        return False
    destination = request.headers.get("Sec-Fetch-Dest")
    if destination:
        return destination == "document"
    return "text/html" in request.headers.get("Accept", "")


class RequireMFAMiddleware:
    """Coordinators and staff hold the keys to every municipality's data: they must turn on two-factor
    authentication before anything else. Everyone else may, and is offered it. The set-up page says why
    (no flash message: a background request would leave one behind for after the set-up)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(EXEMPT_PREFIXES):
            required = user.is_staff or access_for(user).is_coordinator
            if (
                required
                and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
            ):
                path = request.get_full_path()
                if _is_page_visit(request) and url_has_allowed_host_and_scheme(path, allowed_hosts=None):
                    request.session[NEXT_SESSION_KEY] = path
                return redirect("mfa_activate_totp")
            if NEXT_SESSION_KEY in request.session and _is_page_visit(request):
                del request.session[NEXT_SESSION_KEY]
        return self.get_response(request)
