"""The one place that decides what a person may see and change.

Every QuerySet's `visible_to(user)` / `editable_by(user)` starts from `access_for(user)`; no view decides
scope on its own. The answer is computed once per request (cached on the user object).
"""

from dataclasses import dataclass, field

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404

from .models import CONSORTIUM_ROLES, MUNICIPAL_ROLES, Role


@dataclass(frozen=True)
class Access:
    authenticated: bool = False
    superuser: bool = False
    roles: frozenset[str] = frozenset()
    # organisation id -> roles held there
    by_organisation: dict[int, frozenset[str]] = field(default_factory=dict)
    unscoped_viewer: bool = False

    @property
    def consortium_wide(self) -> bool:
        """Reads everything: coordinators, partner staff, viewers with no organisation, superusers."""
        return self.superuser or bool(self.roles & CONSORTIUM_ROLES) or self.unscoped_viewer

    @property
    def is_coordinator(self) -> bool:
        return self.superuser or Role.COORDINATOR in self.roles

    def has(self, *roles: str) -> bool:
        return self.superuser or bool(self.roles & set(roles))

    def organisations_with(self, *roles: str) -> frozenset[int]:
        wanted = set(roles)
        return frozenset(org for org, held in self.by_organisation.items() if held & wanted)

    @property
    def municipality_organisations(self) -> frozenset[int]:
        """Municipalities this person works for (technician, budget team, administrator, viewer there)."""
        return self.organisations_with(*MUNICIPAL_ROLES, Role.VIEWER)

    @property
    def association_organisations(self) -> frozenset[int]:
        return self.organisations_with(Role.LEADER)


ANONYMOUS = Access()


def access_for(user) -> Access:
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_kallpanchis_access", None)
    if cached is not None:
        return cached
    by_org: dict[int, set[str]] = {}
    roles: set[str] = set()
    unscoped_viewer = False
    for role, organisation_id in user.role_assignments.values_list("role", "organisation_id"):
        roles.add(role)
        if organisation_id is None:
            unscoped_viewer = unscoped_viewer or role == Role.VIEWER
        else:
            by_org.setdefault(organisation_id, set()).add(role)
    access = Access(
        authenticated=True,
        superuser=user.is_superuser,
        roles=frozenset(roles),
        by_organisation={k: frozenset(v) for k, v in by_org.items()},
        unscoped_viewer=unscoped_viewer,
    )
    user._kallpanchis_access = access
    return access


def forget_access(user) -> None:
    """Drop the cached answer after roles change within the same request."""
    if hasattr(user, "_kallpanchis_access"):
        del user._kallpanchis_access


def access_key(user) -> str:
    """Two people with the same roles in the same organisations see the same rows: the list cache
    (kallpanchis/core/caching.py) keys its blocks on this, registered in AccountsConfig.ready."""
    access = access_for(user)
    held = sorted((org, sorted(roles)) for org, roles in access.by_organisation.items())
    return repr((access.authenticated, access.superuser, access.unscoped_viewer, sorted(access.roles), held))


class CoordinatorRequiredMixin(LoginRequiredMixin):
    """A page for coordinators only: anyone else signed in gets a 404, as for a page out of their scope
    (its existence is not disclosed); signed-out people are sent to sign in."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access_for(request.user).is_coordinator:
            raise Http404
        return super().dispatch(request, *args, **kwargs)
