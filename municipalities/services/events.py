from django.db import transaction

from ..models import Event, EventParticipation, Municipality, manages_all
from .common import refuse_unless, save_checked


@transaction.atomic
def event_create(*, by, organisers=(), **fields) -> Event:
    """Events of the network are recorded by coordinators and partner staff."""
    refuse_unless(manages_all(by))
    return save_checked(Event(), fields, {"organisers": organisers})


@transaction.atomic
def event_update(*, by, event: Event, organisers=None, **fields) -> Event:
    refuse_unless(manages_all(by))
    event = Event.objects.select_for_update().get(pk=event.pk)
    return save_checked(event, fields, {} if organisers is None else {"organisers": organisers})


@transaction.atomic
def event_participation_set(
    *, by, event: Event, municipality: Municipality, women: int, men: int, who: str = ""
) -> EventParticipation:
    """How many women and men a municipality sent; setting it again replaces the figures (one row per
    event and municipality)."""
    refuse_unless(manages_all(by))
    row = (
        EventParticipation.objects.select_for_update().filter(event=event, municipality=municipality).first()
    )
    row = row or EventParticipation(event=event, municipality=municipality)
    row.women, row.men, row.who = women, men, who
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def event_participation_remove(*, by, participation: EventParticipation) -> None:
    refuse_unless(manages_all(by))
    participation.delete()
