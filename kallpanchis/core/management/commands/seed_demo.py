from importlib import import_module
from importlib.util import find_spec

from django.core.management.base import BaseCommand
from django.db import transaction

# In dependency order. Each module has seed(stdout) and is safe to run again; an app that has no demo
# data yet is simply skipped.
DEMO_MODULES = [
    "kallpanchis.organisations.demo",
    "municipalities.demo",
    "kallpanchis.accounts.demo",
    "spaces.demo",
    "producers.demo",
    "budgets.demo",
    "kallpanchis.notifications.demo",
    "kallpanchis.dashboard.demo",
]


class Command(BaseCommand):
    help = (
        "Create the Kallpanchis demo: consortium, partner municipalities, one person per role, and app data."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            for name in DEMO_MODULES:
                if find_spec(name.rsplit(".", 1)[0]) is None or find_spec(name) is None:
                    continue
                import_module(name).seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo ready."))
