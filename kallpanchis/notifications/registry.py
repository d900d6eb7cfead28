"""The kinds of reminder. A source app registers a kind once (in its `reminders.py`, imported at start-up
by this app) and then only calls the services; the kind knows how to describe its target in a message
and how to tell whether the target is still the same thing the reminder was scheduled for.

A target model implements the small protocol below (`reminder_context` and, optionally,
`reminder_checksum`); see docs/notifications.md.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import import_module
from typing import Any, Protocol

from django.utils.functional import Promise


@dataclass(frozen=True)
class TargetContext:
    """What a message says about its target."""

    title: str
    when: datetime | None = None  # shown in America/Lima
    place: str = ""
    path: str = ""  # a path on this site, e.g. reverse("<app>:<model>_detail", args=[pk])
    details: str = ""


class RemindableTarget(Protocol):
    def reminder_context(self, kind: str) -> TargetContext: ...

    # Optional: defaults to a checksum of the context's time and place.
    def reminder_checksum(self) -> str: ...


def checksum_of(*values) -> str:
    """A stable fingerprint of a target's state: pass what, if it changed, makes old reminders wrong.

    An aware date-time counts by its instant (in UTC): a form hands a service 10:00 in America/Lima and the
    database gives back 15:00 UTC, the same moment, which must not read as "the meeting moved"."""
    text = "\x1f".join("" if v is None else _canonical(v) for v in values)
    return hashlib.sha256(text.encode()).hexdigest()


def _canonical(value) -> str:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


@dataclass
class ReminderKind:
    """`intro` opens the message (what is coming up or has changed); `label` names the kind in preferences."""

    name: str
    label: str | Promise
    intro: str | Promise
    help_text: str | Promise = ""
    immediate: bool = False  # a change notice, sent at once (reminder_notify_now)
    digestible: bool = True
    template_prefix: str = "notifications/emails/reminder"
    extra: dict = field(default_factory=dict)
    # SMS (see docs/notifications.md, "SMS"): who of the people register hears of a target by SMS (ids of
    # Person; the outbox keeps only those with a phone and SMS consent), which area pays (a municipality:
    # (key, name), for the monthly budget and the counts), and whether an SI/NO reply answers the target.
    sms_people: Callable[[Any], Iterable[int]] | None = None
    sms_area: Callable[[Any], tuple[str, str]] | None = None
    sms_replies: bool = False

    def context(self, target) -> TargetContext:
        return target.reminder_context(self.name)

    def checksum(self, target) -> str:
        own = getattr(target, "reminder_checksum", None)
        if own is not None:
            return own()
        context = self.context(target)
        return checksum_of(context.when, context.place)


_KINDS: dict[str, ReminderKind] = {}


def register(kind: ReminderKind) -> ReminderKind:
    """Register a kind; registering the same name again replaces it (module reloads, tests)."""
    _KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> ReminderKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"No reminder kind {name!r} is registered") from None


def all_kinds() -> list[ReminderKind]:
    return list(_KINDS.values())


def autodiscover() -> None:
    from django.utils.module_loading import autodiscover_modules

    from . import conf

    autodiscover_modules("reminders")
    for module in conf.extra_kind_modules():
        import_module(module)


def lead_times(when: datetime, *, days=(3, 1), now: datetime | None = None) -> list[datetime]:
    """The due times `days` before `when`, leaving out those already past (an event set for tomorrow
    gets no 'in 3 days' reminder)."""
    from datetime import timedelta

    from django.utils import timezone

    now = now or timezone.now()
    return sorted(when - timedelta(days=d) for d in days if when - timedelta(days=d) > now)
