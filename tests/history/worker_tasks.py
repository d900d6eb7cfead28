"""A task that writes a tracked model through its service, as a domain task would (run by a real worker)."""

from celery import shared_task


@shared_task(name="tests.history.organisation_rename")
def organisation_rename(name: str, short_name: str) -> int:
    from kallpanchis.organisations.models import Organisation
    from kallpanchis.organisations.services import organisation_ensure

    return organisation_ensure(name=name, kind=Organisation.Kind.NGO, short_name=short_name).pk
