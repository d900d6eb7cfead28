"""Spaces, their members and thematic groups."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kallpanchis.accounts.access import access_for
from kallpanchis.organisations.models import Organisation
from municipalities.models import MunicipalAssociation, Municipality

from ..models import (
    ConcertationSpace,
    Meeting,
    SpaceMember,
    ThematicGroup,
    managed_municipalities,
)
from .attendance import linkable_ids
from .common import require_space_manager
from .reminders import meeting_reminders_schedule


@transaction.atomic
def space_create(
    *,
    by,
    name: str,
    level: str,
    kind: str,
    municipality: Municipality | None = None,
    association: MunicipalAssociation | None = None,
    parent: ConcertationSpace | None = None,
    thematic_group: ThematicGroup | None = None,
    purpose: str = "",
    is_public: bool = False,
    reminder_days: str = "3,1",
) -> ConcertationSpace:
    """Create a space convened by a municipality or association the person manages (by=None: seed/admin).
    A sub-space has the convener of its parent. The convening municipality joins as a member."""
    if parent is not None:
        municipality, association = parent.municipality, parent.association
    if by is not None:
        managed = managed_municipalities(by)
        if municipality is not None and not managed.filter(pk=municipality.pk).exists():
            raise PermissionDenied(_("You may only convene spaces for your own municipality."))
        if association is not None and not association.members.filter(pk__in=managed.values("pk")).exists():
            raise PermissionDenied(_("You may only convene spaces for your own municipality."))
    space = ConcertationSpace(
        name=name,
        level=level,
        kind=kind,
        municipality=municipality,
        association=association,
        parent=parent,
        thematic_group=thematic_group,
        purpose=purpose,
        is_public=is_public,
        reminder_days=reminder_days,
    )
    space.full_clean()
    space.save()
    if municipality is not None:
        SpaceMember.objects.create(
            space=space, organisation_id=municipality.organisation_id, role=SpaceMember.Role.CONVENER
        )
    return space


@transaction.atomic
def space_update(*, space: ConcertationSpace, by, **fields) -> ConcertationSpace:
    """Change a space's name, kind, level, theme, purpose, public flag or reminder days; its convener stays.
    New reminder days apply at once to the upcoming meetings."""
    require_space_manager(user=by, space=space)
    allowed = {"name", "level", "kind", "thematic_group", "purpose", "is_public", "reminder_days"}
    for key, value in fields.items():
        if key not in allowed:
            raise ValueError(key)
        setattr(space, key, value)
    space.full_clean()
    space.save(update_fields=[*fields, "updated_at"])
    if "reminder_days" in fields:
        for meeting in space.meetings.filter(status__in=Meeting.UPCOMING):
            meeting_reminders_schedule(meeting=meeting)
    return space


@transaction.atomic
def space_member_add(
    *,
    space: ConcertationSpace,
    by,
    organisation: Organisation,
    role: str = "member",
    representatives: str = "",
    representative_people=None,
) -> SpaceMember:
    """Add an organisation to a space, or update its role and representatives if it is already there.
    `representative_people` (people of the register the technician sees) are added to those already linked;
    the space's meeting log lists them to tick."""
    require_space_manager(user=by, space=space)
    member, _created = SpaceMember.objects.update_or_create(
        space=space, organisation=organisation, defaults={"role": role, "representatives": representatives}
    )
    if representative_people:
        wanted = {p.pk for p in representative_people}
        if wanted - linkable_ids(by=by, space=space, ids=wanted):
            raise PermissionDenied(_("Someone picked is not in the register you may see."))
        member.representative_people.add(*representative_people)
    return member


@transaction.atomic
def space_member_remove(*, member: SpaceMember, by) -> None:
    """Take an organisation out of a space; its past attendance and agreements stay."""
    require_space_manager(user=by, space=member.space)
    member.delete()


@transaction.atomic
def thematic_group_create(*, by, name: str) -> ThematicGroup:
    """Coordinators add themes (milk, guinea pigs, gastronomy …) that spaces may then work on."""
    if by is not None and not access_for(by).is_coordinator:
        raise PermissionDenied(_("Only coordinators add thematic groups."))
    group = ThematicGroup(name=name.strip())
    group.full_clean()
    group.save()
    return group
