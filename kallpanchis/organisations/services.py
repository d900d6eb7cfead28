from django.db import transaction

from .models import Organisation


@transaction.atomic
def organisation_ensure(
    *, name: str, kind: str, short_name: str = "", consortium_role: str = ""
) -> Organisation:
    """Create the organisation or bring an existing one (same name) up to date; safe to run twice."""
    organisation, _created = Organisation.objects.update_or_create(
        name=name, defaults={"kind": kind, "short_name": short_name, "consortium_role": consortium_role}
    )
    return organisation
