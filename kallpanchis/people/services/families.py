from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Family, Person
from .common import ensure_editable


def _check_members(*, by, members: list[Person], reference_person: Person | None) -> None:
    if not members:
        raise ValidationError({"members": _("A family has at least one member.")})
    for person in members:
        ensure_editable(by=by, person=person)
    if reference_person is not None and reference_person.pk not in {p.pk for p in members}:
        raise ValidationError(
            {"reference_person": _("The reference person must be one of the family's members.")}
        )


@transaction.atomic
def family_create(
    *,
    by,
    members: list[Person],
    reference_person: Person | None = None,
    community: str = "",
    district_ubigeo: str = "",
) -> Family:
    """Make a household of people one may edit (at least one). A person belongs to one family: joining
    this one takes them out of their former family. Community and district default to the reference
    person's (or the first member's)."""
    _check_members(by=by, members=members, reference_person=reference_person)
    anchor = reference_person or members[0]
    family = Family(
        community=" ".join((community or anchor.community).split()),
        district_ubigeo=district_ubigeo or anchor.district_ubigeo,
        reference_person=reference_person,
        created_by=by,
    )
    family.full_clean(exclude=["reference_person", "created_by"])
    family.save()
    Person.objects.filter(pk__in=[p.pk for p in members]).update(family=family)
    return family


@transaction.atomic
def family_set_members(
    *, by, family: Family, members: list[Person], reference_person: Person | None = None
) -> Family:
    """Set who lives in a household: those left out leave it (they keep their own data), those added
    join it; the reference person is one of the members."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    current = list(family.members.all())
    for person in current:
        ensure_editable(by=by, person=person)
    _check_members(by=by, members=members, reference_person=reference_person)
    keep = {p.pk for p in members}
    Person.objects.filter(family=family).exclude(pk__in=keep).update(family=None)
    Person.objects.filter(pk__in=keep).update(family=family)
    family.reference_person = reference_person
    family.save(update_fields=["reference_person", "updated_at"])
    return family
