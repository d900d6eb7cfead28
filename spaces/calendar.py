"""iCalendar feeds (RFC 5545) of meetings, for phones' and desktops' calendar apps.

Times are written with their America/Lima time zone so that every client shows the hour the meeting
was convened at; cancelled meetings stay in the feed as CANCELLED so that clients remove them.
"""

from collections.abc import Iterable

import icalendar
from django.utils import timezone

from .models import Meeting

STATUS = {
    Meeting.Status.PLANNED: "CONFIRMED",
    Meeting.Status.POSTPONED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.CANCELLED: "CANCELLED",
}


def ical_for_meetings(
    meetings: Iterable[Meeting], *, name: str, base_url: str, public: bool = False
) -> bytes:
    lima = timezone.get_default_timezone()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Kallpanchis//Concertation spaces//ES")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(lima))
    host = base_url.split("//", 1)[-1].strip("/") or "kallpanchis"
    for meeting in meetings:
        event = icalendar.Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("summary", f"{meeting.title} · {meeting.space.name}")
        event.add("dtstart", timezone.localtime(meeting.starts_at, lima))
        event.add("dtend", timezone.localtime(meeting.ends_at, lima))
        event.add("dtstamp", meeting.updated_at)
        event.add("location", meeting.place)
        event.add("status", STATUS[meeting.status])
        # The sequence grows with each change so that clients replace the old copy.
        event.add("sequence", int(meeting.updated_at.timestamp()) // 60 % 2_000_000_000)
        if not public:
            event.add("url", base_url.rstrip("/") + f"/spaces/meetings/{meeting.pk}/")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
