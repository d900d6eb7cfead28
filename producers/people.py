"""Which people of the register an association's leaders see: their association's members (rows of
Member linked to a Person). Found at start-up by kallpanchis.people.scope.autodiscover()."""

from django.db.models import Q

from kallpanchis.people import scope


@scope.register("producers")
def members_of_my_association(access) -> Q | None:
    """A subquery, not a join through `memberships`: a person who is a member of two of one's associations
    is still one row of a list."""
    from .models import Member

    own = access.association_organisations
    if not own:
        return None
    members = Member.objects.filter(association__organisation_id__in=own, person__isnull=False)
    return Q(pk__in=members.values("person_id"))
