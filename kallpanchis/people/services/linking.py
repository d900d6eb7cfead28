"""What the domain apps call when a row of theirs (a member, a participant, a delegate) is about a person:
check that the caller may link someone they picked, or register the person with consent and link them in
one step. The rows keep the name as written; the person is who it is about."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ..models import Person
from .consents import ConsentData
from .persons import person_create


@dataclass
class NewPerson:
    """A person to register while adding the row that brings them in: their fields (those of person_create)
    and the consent they gave. `confirmed_new` after a ProbableDuplicate warning, as for person_create."""

    consent: ConsentData
    fields: dict = field(default_factory=dict)
    sms_consent: bool = False
    confirmed_new: bool = False


def person_check_linkable(*, by, person: Person) -> None:
    """A row may point at a person the caller sees (by=None: a command), who was not erased."""
    if person.erased_at is not None:
        raise ValidationError(_("This person's data was erased at their request; pick someone else."))
    if by is not None and not Person.objects.visible_to(by).filter(pk=person.pk).exists():
        raise PermissionDenied(_("This person is outside your scope."))


def person_register_and_link(*, by, new: NewPerson, link: Callable[[Person], object]) -> Person:
    """Register the person (person_create: consent, duplicates, DNI, scope) and run `link(person)` in the
    same transaction, before the scope check, so that the row that brings them in already exists when the
    caller's scope is checked (a leader sees the members of their association). Raises what person_create
    raises (ProbableDuplicate, ValidationError, PermissionDenied); the caller's transaction rolls back."""
    return person_create(
        by=by,
        consent=new.consent,
        sms_consent=new.sms_consent,
        confirmed_new=new.confirmed_new,
        attach=link,
        **new.fields,
    )
