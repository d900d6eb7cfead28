from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule


def demo_modules() -> list:
    """Each installed app's `demo` module (with its `seed(stdout)`, safe to run again), found through the
    app registry: in INSTALLED_APPS order, except that an app comes after the apps named (by label) in its
    AppConfig.demo_after, whose demo data its own uses."""
    pending = [config for config in apps.get_app_configs() if module_has_submodule(config.module, "demo")]
    labels = {config.label for config in pending}
    ordered = []
    while pending:
        done = {config.label for config in ordered}
        config = next(
            (c for c in pending if set(getattr(c, "demo_after", ())) & labels <= done),
            None,
        )
        if config is None:
            raise CommandError("demo_after goes round in a circle: " + ", ".join(c.label for c in pending))
        pending.remove(config)
        ordered.append(config)
    modules = [import_module(f"{config.name}.demo") for config in ordered]
    return [module for module in modules if hasattr(module, "seed")]


class Command(BaseCommand):
    help = (
        "Create the Kallpanchis demo: consortium, partner municipalities, one person per role, and app data."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            for module in demo_modules():
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo ready."))
