"""Demo: reminders need things to remind of, which the domain apps create and schedule in their own
demo data. Here we only make sure the dispatcher's schedule exists (migrate creates it; a flushed database
loses it) and say how to see reminders go out."""

from importlib import import_module


def seed(stdout) -> None:
    from django.apps import apps

    migration = import_module("kallpanchis.notifications.migrations.0002_dispatch_schedule")
    migration.create_schedule(apps, None)
    stdout.write(
        "Reminders: the dispatcher runs every minute under `celery beat`; e-mails print on the worker's "
        "console. People choose their reminders at /reminders/preferences/; coordinators see all at "
        "/reminders/all/."
    )
