from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from kallpanchis.core.mail import mail_queue


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people are created by a coordinator or a municipal administrator
    (accounts.services.person_invite) and set their own password from the link they receive."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails (password reset, e-mail verification, notices) are rendered here, in the
        person's language, and sent by a worker: an unreachable mail server never breaks the page."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        mail_queue(self.render_mail(template_prefix, email, ctx))

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """No password again right after signing in with it: setting up two-factor authentication asks
        for the password only when the sign-in is older than FRESH_SIGN_IN_SECONDS. (allauth counts only a
        re-authentication, so a coordinator sent to set it up at her first sign-in was asked at once.)"""
        request = allauth_context.request
        if app == "allauth.mfa" and request is not None and _signed_in_recently(request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)


# Long enough to install an authenticator app on the phone and scan the code after signing in.
FRESH_SIGN_IN_SECONDS = 15 * 60


def _signed_in_recently(request) -> bool:
    import time

    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, request.user)
    return any(
        record.get("method") == "password" and time.time() - record.get("at", 0) < FRESH_SIGN_IN_SECONDS
        for record in records
    )
