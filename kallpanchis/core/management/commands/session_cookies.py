import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.test import Client


class Command(BaseCommand):
    help = (
        "Print a JSON object {email: session cookie value} for the given people, for tools that measure "
        "signed-in pages (make lighthouse, make loadtest). Gives each a TOTP so the MFA gate lets them in. "
        "Whoever can run manage.py already holds the database; this grants nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("emails", nargs="+")

    def handle(self, *args, emails, **options):
        from allauth.mfa.models import Authenticator

        out = {}
        for email in emails:
            user = get_user_model().objects.get(email=email)
            if user.is_staff or user.role_assignments.filter(role="coordinator").exists():
                Authenticator.objects.get_or_create(
                    user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "tooling"}}
                )
            client = Client()
            client.force_login(user)
            out[email] = client.cookies["sessionid"].value
        self.stdout.write(json.dumps(out))
