from django.db.models import Prefetch, QuerySet

from .access import access_for
from .models import Role, RoleAssignment, User


def people_visible_to(user) -> QuerySet[User]:
    """Coordinators see everyone; a municipal administrator sees the people of their municipality;
    anyone else sees only themselves."""
    access = access_for(user)
    people = User.objects.prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("organisation"))
    )
    if access.is_coordinator:
        return people
    own = access.organisations_with(Role.MUNICIPAL_ADMIN)
    if own:
        return people.filter(role_assignments__organisation_id__in=own).distinct()
    return people.filter(pk=user.pk)
