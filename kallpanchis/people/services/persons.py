from collections.abc import Callable
from dataclasses import replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Consent, Person
from ..search import DuplicateMatch, probable_duplicates
from ..text import dni_clean, normalise, phone_e164
from .common import ensure_editable, ensure_not_erased
from .consents import ConsentData, _consent_add

# The fields a form may set on a person (rectification goes through person_update with the same names).
PERSON_FIELDS = (
    "given_names",
    "first_surname",
    "second_surname",
    "gender",
    "birth_year",
    "dni",
    "phone",
    "languages",
    "community",
    "district_ubigeo",
)


class ProbableDuplicate(Exception):
    """The person about to be registered is probably already there: `matches` says who and why. Call
    again with confirmed_new=True when it is someone else (a DNI match can never be confirmed away)."""

    def __init__(self, matches: list[DuplicateMatch]):
        super().__init__("probable duplicate")
        self.matches = matches

    @property
    def confirmable(self) -> bool:
        return not any(m.same_dni for m in self.matches)


def search_name_of(person: Person) -> str:
    return normalise(f"{person.given_names} {person.first_surname} {person.second_surname}")


def _clean_fields(values: dict) -> dict:
    values = {k: v for k, v in values.items() if k in PERSON_FIELDS}
    for name in ("given_names", "first_surname", "second_surname", "community"):
        if name in values:
            values[name] = " ".join((values[name] or "").split())
    errors = {}
    if "dni" in values:
        try:
            values["dni"] = dni_clean(values["dni"])
        except ValidationError as error:
            errors["dni"] = error.messages
    if "phone" in values:
        try:
            values["phone"] = phone_e164(values["phone"])
        except ValidationError as error:
            errors["phone"] = error.messages
    if "languages" in values:
        values["languages"] = list(dict.fromkeys(values["languages"] or []))
    if errors:
        raise ValidationError(errors)
    return values


def _check_dni_free(*, dni: str, by, exclude=None) -> None:
    """A DNI is one person's. Its holder, if outside the caller's scope, is not named."""
    if not dni:
        return
    holders = Person.objects.filter(dni=dni)
    if exclude is not None:
        holders = holders.exclude(pk=exclude)
    holder = holders.first()
    if holder is None:
        return
    if by is None or Person.objects.visible_to(by).filter(pk=holder.pk).exists():
        raise ValidationError(
            {"dni": _("This DNI is already registered, for %(name)s.") % {"name": holder.display_name}}
        )
    raise ValidationError(
        {"dni": _("This DNI is already registered outside your territory. Ask a coordinator to check it.")}
    )


@transaction.atomic
def person_create(
    *,
    by,
    consent: ConsentData,
    sms_consent: bool = False,
    confirmed_new: bool = False,
    attach: Callable[[Person], object] | None = None,
    **fields,
) -> Person:
    """Register a person. Rules: the registration consent is recorded in the same transaction (no consent,
    no person); a probable duplicate (same DNI, same phone, similar name in the same district) stops the
    registration with ProbableDuplicate unless the caller confirms it is someone else; a DNI is never
    registered twice; the new person must lie in the caller's territory. `sms_consent` records the
    separate consent to be contacted by SMS, given the same way.

    `attach(person)` links the new person to the row that brings them in (a domain app's membership or
    attendance row) inside the same transaction, before the scope check: an association's leader may so
    register a new member, whom they then see through the association's scope hook."""
    values = _clean_fields(fields)
    if not consent or not (consent.purpose or "").strip() or not consent.given_on:
        raise ValidationError(_("A person enters the register only with their consent: record it."))
    if sms_consent and not values.get("phone"):
        raise ValidationError({"phone": _("Consent to SMS needs a phone number.")})
    person = Person(**values, created_by=by)
    person.search_name = search_name_of(person)
    person.full_clean(
        exclude=["family", "user", "created_by"], validate_unique=False, validate_constraints=False
    )
    matches = probable_duplicates(
        name=person.search_name,
        dni=person.dni,
        phone=person.phone,
        district_ubigeo=person.district_ubigeo,
        community=person.community,
    )
    if by is not None:
        shown = Person.objects.visible_to(by).filter(pk__in=[m.person.pk for m in matches])
        visible = set(shown.values_list("pk", flat=True))
        matches = [m for m in matches if m.person.pk in visible]
    if matches and not confirmed_new:
        raise ProbableDuplicate(matches)
    _check_dni_free(dni=person.dni, by=by)
    person.validate_constraints()

    person.save()
    if attach is not None:
        attach(person)
    if by is not None and not Person.objects.editable_by(by).filter(pk=person.pk).exists():
        raise PermissionDenied(_("You may register people of your own territory only."))
    _consent_add(person=person, data=replace(consent, kind=Consent.Kind.REGISTRATION), by=by)
    if sms_consent:
        purpose = _("Contact by SMS about the activities of the projects.")
        sms = replace(consent, kind=Consent.Kind.SMS, scanned_sheet=None, purpose=purpose)
        _consent_add(person=person, data=sms, by=by)
    return person


@transaction.atomic
def person_update(*, by, person: Person, **fields) -> Person:
    """Correct a person's data (rectification, Ley 29733): any field of the form; the DNI stays unique;
    the person stays in the caller's territory; an erased person cannot be filled in again."""
    ensure_editable(by=by, person=person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    ensure_not_erased(person)
    values = _clean_fields(fields)
    for name, value in values.items():
        setattr(person, name, value)
    person.search_name = search_name_of(person)
    person.full_clean(
        exclude=["family", "user", "created_by"], validate_unique=False, validate_constraints=False
    )
    _check_dni_free(dni=person.dni, by=by, exclude=person.pk)
    person.validate_constraints()
    person.save(update_fields=[*values, "search_name", "updated_at"])
    if by is not None and not Person.objects.editable_by(by).filter(pk=person.pk).exists():
        raise PermissionDenied(_("The district chosen is outside your territory."))
    return person
