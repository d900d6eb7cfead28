"""The producers' side of the register of people, found at start-up by the register's autodiscover():
which people an association's leaders see (their association's members: rows of Member linked to a Person),
and how members written before the register are brought in (kallpanchis.people.legacy)."""

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kallpanchis.people import legacy, scope

from .models import Member


@scope.register("producers")
def members_of_my_association(access) -> Q | None:
    """A subquery, not a join through `memberships`: a person who is a member of two of one's associations
    is still one row of a list."""
    own = access.association_organisations
    if not own:
        return None
    members = Member.objects.filter(association__organisation_id__in=own, person__isnull=False)
    return Q(pk__in=members.values("person_id"))


def _member_consent(association_name: str, created_at):
    """The rule for members written before the register (docs/people.md): a member whose DNI the association
    recorded in its register of members counts as consented under that register (a signed paper list)."""
    with translation.override(settings.LANGUAGE_CODE):  # stored text: in the platform's language
        purpose = gettext(
            "Register of members of %(association)s, kept by the association before the platform "
            "(member with their DNI recorded)."
        ) % {"association": association_name}
    return legacy.legacy_consent(purpose=purpose, given_on=timezone.localdate(created_at))


def _member_rows(**filters):
    rows = (
        Member.objects.filter(person__isnull=True, **filters)
        .order_by("pk")
        .values_list(
            "pk",
            "name",
            "gender",
            "dni",
            "created_at",
            "association_id",
            "association__organisation_id",
            "association__organisation__name",
            "association__district__ubigeo",
            "association__communities",
        )
    )
    for (
        pk,
        name,
        gender,
        dni,
        created,
        association,
        organisation,
        org_name,
        ubigeo,
        communities,
    ) in rows.iterator(chunk_size=2000):
        places = [c.strip() for c in communities.split(",") if c.strip()]
        yield legacy.LegacyRow(
            pk=pk,
            name=name,
            gender=gender,
            dni=dni,
            organisation_id=organisation,
            district_ubigeo=ubigeo,
            community=places[0] if len(places) == 1 else "",
            consent=_member_consent(org_name, created) if dni else None,
            context=org_name,
            together=association,
        )


def _member_linked():
    return Member.objects.filter(person__isnull=False).values_list(
        "person_id", "association__organisation_id", "association_id"
    )


legacy.register(
    legacy.Source(
        label="producers.Member",
        model=Member,
        rows=_member_rows,
        linked=_member_linked,
        verbose_name=_("association member"),
        order=10,
    )
)
