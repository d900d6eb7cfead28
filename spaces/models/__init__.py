"""Concertation spaces, their meetings, attendance, agreements and the follow-up of agreements.

Scope (who sees what) lives in the QuerySets of these modules and nowhere else; workflows live in
services. One module per part (spaces, meetings, agreements, calendar addresses); everything is
importable from spaces.models.
"""

from .agreements import (
    EVIDENCE_MAX_BYTES,
    Agreement,
    AgreementQuerySet,
    AgreementStatusChange,
    open_first,
)
from .calendar import CalendarToken, _new_token
from .meetings import SIGNED_RECORD_MAX_BYTES, AgendaItem, Attendance, Meeting, MeetingEvent, MeetingQuerySet
from .spaces import (
    ConcertationSpace,
    ConcertationSpaceQuerySet,
    SpaceMember,
    ThematicGroup,
    managed_municipalities,
)

__all__ = [
    "AgendaItem",
    "Agreement",
    "AgreementQuerySet",
    "AgreementStatusChange",
    "Attendance",
    "CalendarToken",
    "ConcertationSpace",
    "ConcertationSpaceQuerySet",
    "EVIDENCE_MAX_BYTES",
    "Meeting",
    "MeetingEvent",
    "MeetingQuerySet",
    "SIGNED_RECORD_MAX_BYTES",
    "SpaceMember",
    "ThematicGroup",
    "_new_token",  # the calendar token's default, named by migration 0001
    "managed_municipalities",
    "open_first",
]
