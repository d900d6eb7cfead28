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
