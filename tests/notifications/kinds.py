"""A test-only reminder kind, so the machinery is proven before meetings exist.

Its target is an Organisation standing in for a meeting: `short_name` holds the meeting's start as an
ISO date-time (so "moving the meeting" is changing it), `website` its place. Imported by the test process
(conftest) and, through KALLPANCHIS_REMINDER_KIND_MODULES, by the worker subprocesses."""

import time
from datetime import datetime

from kallpanchis.notifications.registry import ReminderKind, TargetContext, checksum_of, register


class OrganisationMeetingKind(ReminderKind):
    def context(self, target) -> TargetContext:
        return TargetContext(
            title=target.name,
            when=datetime.fromisoformat(target.short_name) if target.short_name else None,
            place=target.website,
            path="/reminders/",
        )

    def checksum(self, target) -> str:
        return checksum_of(target.short_name, target.website)


TEST_MEETING = register(
    OrganisationMeetingKind(name="test_meeting", label="Test meeting", intro="A test meeting is coming up.")
)


class SlowMeetingKind(OrganisationMeetingKind):
    """Describing the target takes 3 seconds: keeps a task running (and unacknowledged) long enough for a
    test to break the broker under it."""

    def context(self, target) -> TargetContext:
        time.sleep(3)
        return super().context(target)


SLOW_MEETING = register(
    SlowMeetingKind(name="test_slow_meeting", label="Slow test meeting", intro="A test meeting is coming up.")
)
