from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ..models import Person


def ensure_editable(*, by, person: Person) -> None:
    """Services refuse a person outside the caller's scope (`by=None`: a command or the demo)."""
    if by is not None and not Person.objects.editable_by(by).filter(pk=person.pk).exists():
        raise PermissionDenied(_("This person is outside your territory."))


def ensure_managed(*, by, person: Person) -> None:
    """Merging and erasing: registrars only (Person.objects.managed_by)."""
    if by is not None and not Person.objects.managed_by(by).filter(pk=person.pk).exists():
        raise PermissionDenied(_("Ask the technician of your municipality to merge or erase a person."))


def ensure_not_erased(person: Person) -> None:
    from django.core.exceptions import ValidationError

    if person.erased_at is not None:
        raise ValidationError(_("This person's data was erased at their request; it cannot be changed."))
