from datetime import datetime

from kallpanchis.accounts.models import User
from kallpanchis.organisations.models import Organisation


def meeting_target(*, starts_at: datetime, place: str = "https://casa-comunal.example.pe", name=None):
    """An Organisation playing a meeting for the test kind (see kinds.py)."""
    return Organisation.objects.create(
        name=name or f"Reunión de la mesa de leche {Organisation.objects.count() + 1}",
        kind=Organisation.Kind.OTHER,
        short_name=starts_at.isoformat(),
        website=place,
    )


def people(n: int, prefix: str = "socio") -> list[User]:
    """n people, made in one statement (the big tests need hundreds)."""
    return User.objects.bulk_create(
        [User(email=f"{prefix}{i}@example.pe", first_name=f"Socio {i}") for i in range(n)]
    )
