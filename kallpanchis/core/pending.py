"""The home page's to-do list ("Pendientes"): each app says what is due for a person, the home groups it.

A plug-in point below the apps: an app registers, in its own `pending.py` (found at start-up by
`autodiscover`, as the admin finds `admin.py`), a function

    @pending.register
    def spaces_pending(user, access, today) -> list[PendingItem | NextStep]: ...

that answers from its selectors in a fixed number of queries, whatever the number of items (the home's
query count is tested flat in the number of items). A function returns [] at once, without a query, for a
person its app has nothing to ask of. This module imports no app: it knows items, dates and groups only.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

# Within this many days from today (today included) an item is "this week"; later ones are "later".
WEEK_DAYS = 7


class Group:
    OVERDUE = "overdue"
    THIS_WEEK = "this_week"
    LATER = "later"

    ORDER = (OVERDUE, THIS_WEEK, LATER)
    LABELS = {
        OVERDUE: pgettext_lazy("home page group", "Overdue"),
        THIS_WEEK: pgettext_lazy("home page group", "This week"),
        LATER: pgettext_lazy("home page group", "Later"),
    }


@dataclass(frozen=True)
class PendingItem:
    """One thing to do: a link with one primary action.

    title: what it is about (a meeting, an agreement, a plan…), as the person knows it;
    url: where the action is done; action_label: the verb on the button ("Log it", "Review");
    due: the date (or moment) by which it should be done, or None; kind: a short word for styling and tests
    ("meeting", "agreement", "plan"…); detail: one more line (place, state, who answers for it);
    links: other useful links as (label, url), e.g. the attendance sheet of a meeting;
    group: set only to override the one the due date gives.
    """

    title: str | Promise
    url: str
    action_label: str | Promise
    due: datetime.date | datetime.datetime | None = None
    kind: str = ""
    detail: str | Promise = ""
    links: tuple[tuple[str | Promise, str], ...] = ()
    group: str = ""

    @property
    def due_date(self) -> datetime.date | None:
        if isinstance(self.due, datetime.datetime):
            return timezone.localdate(self.due)
        return self.due

    @property
    def has_time(self) -> bool:
        return isinstance(self.due, datetime.datetime)

    def group_on(self, today: datetime.date) -> str:
        if self.group:
            return self.group
        due = self.due_date
        if due is None:
            return Group.LATER
        if due < today:
            return Group.OVERDUE
        if due < today + datetime.timedelta(days=WEEK_DAYS):
            return Group.THIS_WEEK
        return Group.LATER


@dataclass(frozen=True)
class NextStep:
    """What comes next, with nothing to do yet (the next meeting beyond the list, the figures' last
    refresh, a plan waiting for review): shown under the list, and in the empty state."""

    text: str | Promise
    url: str = ""
    link_label: str | Promise = ""


Provider = Callable[..., Iterable[PendingItem | NextStep]]
_PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    """Register an app's function; registering the same function again replaces it (reloads, tests)."""
    _PROVIDERS[f"{provider.__module__}.{provider.__qualname__}"] = provider
    return provider


def providers() -> list[Provider]:
    return [_PROVIDERS[name] for name in sorted(_PROVIDERS)]


def autodiscover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("pending")


@dataclass
class Home:
    """What the home page shows: items by group, in due order, and what comes next."""

    groups: list[dict] = field(default_factory=list)  # {"code", "label", "items"} for non-empty groups
    next_steps: list[NextStep] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups

    @property
    def count(self) -> int:
        return sum(len(g["items"]) for g in self.groups)


def _order(item: PendingItem):
    due = item.due
    if isinstance(due, datetime.datetime):
        key = due
    elif isinstance(due, datetime.date):
        key = timezone.make_aware(datetime.datetime.combine(due, datetime.time.max))
    else:
        key = timezone.make_aware(datetime.datetime.max - datetime.timedelta(days=2))
    return (key, str(item.title))


def pending_for(*, user, access, today: datetime.date | None = None) -> Home:
    """Everything due for this person, from every app that registered."""
    today = today or timezone.localdate()
    items: list[PendingItem] = []
    next_steps: list[NextStep] = []
    for provider in providers():
        for entry in provider(user, access, today) or ():
            (items if isinstance(entry, PendingItem) else next_steps).append(entry)
    by_group: dict[str, list[PendingItem]] = {code: [] for code in Group.ORDER}
    for item in items:
        by_group[item.group_on(today)].append(item)
    groups = [
        {"code": code, "label": Group.LABELS[code], "items": sorted(by_group[code], key=_order)}
        for code in Group.ORDER
        if by_group[code]
    ]
    return Home(groups=groups, next_steps=next_steps)
