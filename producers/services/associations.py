from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kallpanchis.accounts.access import access_for
from kallpanchis.accounts.models import User
from kallpanchis.organisations.models import Organisation
from kallpanchis.people.models import Person
from kallpanchis.people.services import NewPerson, person_check_linkable, person_register_and_link

from ..models import Member, ProducerAssociation


def association_check_manager(*, by: User | None, association: ProducerAssociation) -> None:
    """Only the association's leaders and coordinators change it (by=None: management commands)."""
    if by is None:
        return
    if not ProducerAssociation.objects.editable_by(by).filter(pk=association.pk).exists():
        raise PermissionDenied(_("Only the association's leaders and the coordinators may change it."))


@transaction.atomic
def association_create(
    *,
    by: User | None,
    name: str,
    district,
    families: int,
    ruc: str = "",
    communities: str = "",
    founded_on: date | None = None,
    productive_lines: list[str] | None = None,
    organisation: Organisation | None = None,
) -> ProducerAssociation:
    """Coordinators register associations. The association hangs off a producer organisation (an existing
    one, or one made with this name) so that its leaders are 'leader in that organisation'."""
    if by is not None and not access_for(by).is_coordinator:
        raise PermissionDenied(_("Only coordinators register associations."))
    if organisation is None:
        organisation, _created = Organisation.objects.get_or_create(
            name=name.strip(), defaults={"kind": Organisation.Kind.PRODUCER}
        )
    if organisation.kind != Organisation.Kind.PRODUCER:
        raise ValidationError({"name": _("This organisation is not a producer organisation.")})
    if ProducerAssociation.objects.filter(organisation=organisation).exists():
        raise ValidationError({"name": _("This association is already registered.")})
    association = ProducerAssociation(
        organisation=organisation,
        district=district,
        families=families,
        ruc=ruc,
        communities=communities,
        founded_on=founded_on,
        productive_lines=list(productive_lines or []),
    )
    association.full_clean()
    association.save()
    return association


@transaction.atomic
def association_update(*, by: User | None, association: ProducerAssociation, **fields) -> ProducerAssociation:
    """Leaders keep their association's profile; the district may only be moved by a coordinator."""
    association_check_manager(by=by, association=association)
    if "district" in fields and fields["district"] != association.district and by is not None:
        if not access_for(by).is_coordinator:
            raise PermissionDenied(_("Only a coordinator may move an association to another district."))
    name = fields.pop("name", None)
    for key, value in fields.items():
        setattr(association, key, value)
    association.full_clean()
    association.save(update_fields=[*fields.keys(), "updated_at"])
    if name and name.strip() != association.organisation.name:
        organisation = association.organisation
        organisation.name = name.strip()
        organisation.full_clean()
        organisation.save(update_fields=["name", "updated_at"])
    return association


@transaction.atomic
def member_add(
    *,
    by: User | None,
    association: ProducerAssociation,
    name: str = "",
    gender: str = "",
    dni: str = "",
    board_role="",
    person: Person | None = None,
    new_person: NewPerson | None = None,
) -> Member:
    """Members are added by whoever manages the association; a DNI and a person appear once per association.
    The member may be a person of the register the caller sees (`person`), or be registered there now with
    their consent (`new_person`, through the register's rules: duplicates, DNI, consent); the name, gender
    and DNI then default to the person's. Without either the member stays a name on the association's list."""
    association_check_manager(by=by, association=association)
    member = Member(association=association, name=name.strip(), gender=gender, dni=dni, board_role=board_role)
    if new_person is not None:
        person_register_and_link(by=by, new=new_person, link=lambda p: _member_link(member, p))
        return member
    if person is not None:
        person_check_linkable(by=by, person=person)
        _member_link(member, person)
        return member
    member.full_clean()
    member.save()
    return member


def _member_link(member: Member, person: Person) -> None:
    member.person = person
    member.name = member.name or person.display_name
    member.gender = member.gender or person.gender
    member.dni = member.dni or person.dni
    member.full_clean()
    member.save()


@transaction.atomic
def member_update(
    *, by: User | None, member: Member, new_person: NewPerson | None = None, **fields
) -> Member:
    """The same rules as member_add: `person` may be set (someone the caller sees), cleared (None), or a
    new person registered with consent (`new_person`); empty name, gender and DNI take the person's."""
    association_check_manager(by=by, association=member.association)
    person = fields.get("person")
    if person is not None and person.pk != member.person_id:
        person_check_linkable(by=by, person=person)
    for key, value in fields.items():
        setattr(member, key, value)
    if new_person is not None:
        person_register_and_link(by=by, new=new_person, link=lambda p: _member_link(member, p))
        return member
    if member.person_id:
        _member_link(member, member.person)
        return member
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_remove(*, by: User | None, member: Member) -> None:
    association_check_manager(by=by, association=member.association)
    member.delete()
