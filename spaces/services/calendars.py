"""Private calendar addresses."""

from django.db import transaction

from ..models import (
    CalendarToken,
    _new_token,
)


@transaction.atomic
def calendar_token_regenerate(*, user) -> CalendarToken:
    """Give the person a new private calendar address; the old one stops working at once."""
    token, created = CalendarToken.objects.get_or_create(user=user)
    if not created:
        token.token = _new_token()
        token.save(update_fields=["token"])
    return token


@transaction.atomic
def calendar_token_revoke(*, user) -> None:
    """Switch the private calendar address off."""
    CalendarToken.objects.filter(user=user).delete()
