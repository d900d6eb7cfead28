import datetime
import uuid

from django.utils import timezone

from tests.spaces.factories import anta_space, scheduled


def upcoming_meeting(municipality, *, days: int = 2, title: str = "Mesa técnica de leche"):
    """A planned meeting close to now, so it is in the technician's list for offline use."""
    from spaces.models import ConcertationSpace

    space = ConcertationSpace.objects.filter(municipality=municipality).first() or anta_space(municipality)
    when = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=days)
    return scheduled(space, when=when, title=title)


def meeting_to_log(municipality, *, hours_ago: int = 2, title: str = "Mesa técnica de leche"):
    """A planned meeting that started a little while ago: in the technician's list, and loggable (a meeting
    is logged as held only once it has started)."""
    from spaces.models import ConcertationSpace

    space = ConcertationSpace.objects.filter(municipality=municipality).first() or anta_space(municipality)
    when = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(hours=hours_ago)
    return scheduled(space, when=when, title=title)


def draft_payload(meeting, *, people: int = 10, agreements: int = 2, client_id=None) -> dict:
    day = timezone.localdate(meeting.starts_at)
    return {
        "client_id": str(client_id or uuid.uuid4()),
        "version": meeting.updated_at.isoformat(),
        "minutes": "Se acordó mejorar los pastos.",
        "decisions": "Comprar semillas de avena.",
        "attendance": [
            {
                "name": f"Persona {i}",
                "gender": "female" if i % 2 else "male",
                "organisation_name": "Comunidad Ccollana",
                "role": "socia",
                "is_producer": i % 3 == 0,
            }
            for i in range(1, people + 1)
        ],
        "agreements": [
            {
                "what": f"Acuerdo {i}",
                "responsible_person": "Luis Mamani",
                "due_date": (day + datetime.timedelta(days=30 * i)).isoformat(),
            }
            for i in range(1, agreements + 1)
        ],
    }
