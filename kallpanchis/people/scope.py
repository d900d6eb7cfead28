"""Which people a person may see: the register's plug-in point for the domain apps.

The register knows no domain app, yet who sees whom is a domain question (a technician: the people of their
municipality's territory; an association leader: their association's members). Each domain app answers it
in a `people.py` module of its own, found at start-up like the admin's `admin.py`:

    from kallpanchis.people import scope

    @scope.register("municipalities")
    def people_of_my_territory(access) -> Q | None:
        ...  # a Q over Person, or None when this app gives the role nobody

and may also register the places people live in (`scope.register_places`), so that forms offer the
districts of one's territory and pages show their names. See docs/people.md.
"""

from collections.abc import Callable, Iterable
from typing import Protocol

from django.db.models import Q
from django.utils.module_loading import autodiscover_modules

from kallpanchis.accounts.access import Access, access_for
from kallpanchis.accounts.models import MUNICIPAL_ROLES, Role

ScopeHook = Callable[[Access], Q | None]

_HOOKS: dict[str, ScopeHook] = {}

# Returned instead of a Q when the role sees everyone (no WHERE clause at all).
EVERYONE = Q()


class Places(Protocol):
    def choices(self, access: Access) -> list[tuple[str, str]]:
        """(UBIGEO, label) of the districts this person may register people in."""

    def names(self, codes: Iterable[str]) -> dict[str, str]:
        """UBIGEO -> district name, for showing."""


_PLACES: list[Places] = []


def register(name: str) -> Callable[[ScopeHook], ScopeHook]:
    """Register a scope hook under a name (registering the same name again replaces it)."""

    def decorator(hook: ScopeHook) -> ScopeHook:
        _HOOKS[name] = hook
        return hook

    return decorator


def register_places(places: Places) -> Places:
    _PLACES[:] = [places]
    return places


def autodiscover() -> None:
    autodiscover_modules("people")


def may_read_people(access: Access) -> bool:
    """The roles that keep registers of people. Partner staff and viewers see counts only, elsewhere."""
    return access.superuser or access.has(Role.COORDINATOR, Role.LEADER, *MUNICIPAL_ROLES)


def may_register_people(access: Access) -> bool:
    """Who may add people to the register (a leader will, once association members are people)."""
    return access.superuser or access.has(Role.COORDINATOR, *MUNICIPAL_ROLES)


def person_condition_for(access: Access) -> Q | None:
    """EVERYONE, a Q over Person, or None (nobody)."""
    if not access.authenticated or not may_read_people(access):
        return None
    if access.is_coordinator:
        return EVERYONE
    found = None
    for hook in _HOOKS.values():
        condition = hook(access)
        if condition is not None:
            found = condition if found is None else found | condition
    return found


def person_condition(user) -> Q | None:
    return person_condition_for(access_for(user))


def district_choices(user) -> list[tuple[str, str]] | None:
    """The districts a person may register people in, or None when no app says (a free 6-digit field)."""
    if not _PLACES:
        return None
    return _PLACES[0].choices(access_for(user))


def district_names(codes: Iterable[str]) -> dict[str, str]:
    codes = {c for c in codes if c}
    if not _PLACES or not codes:
        return {}
    return _PLACES[0].names(codes)
