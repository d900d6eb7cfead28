import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Consent, Person
from .common import ensure_editable, ensure_not_erased


@dataclass
class ConsentData:
    """A consent as given: what for, when, and how (a signed sheet, or verbally before a witness)."""

    purpose: str
    given_on: datetime.date
    method: str = Consent.Method.PAPER
    witness_name: str = ""
    scanned_sheet: object = None
    kind: str = Consent.Kind.REGISTRATION


def _consent_add(*, person: Person, data: ConsentData, by) -> Consent:
    consent = Consent(
        person=person,
        kind=data.kind,
        purpose=(data.purpose or "").strip(),
        given_on=data.given_on,
        method=data.method,
        witness_name=(data.witness_name or "").strip(),
        recorded_by=by,
    )
    if data.scanned_sheet:
        consent.scanned_sheet = data.scanned_sheet
    if consent.method == Consent.Method.VERBAL and not consent.witness_name:
        raise ValidationError({"witness_name": _("A verbal consent needs the name of its witness.")})
    if consent.given_on and consent.given_on > timezone.localdate():
        raise ValidationError({"given_on": _("A consent cannot be given in the future.")})
    consent.full_clean(exclude=["person", "recorded_by"])
    consent.save()
    return consent


@transaction.atomic
def consent_record(*, by, person: Person, data: ConsentData) -> Consent:
    """Record a consent. SMS contact is its own consent, recorded apart from registration; a verbal
    consent names its witness; a person whose data was erased gives no new consent."""
    ensure_editable(by=by, person=person)
    ensure_not_erased(person)
    return _consent_add(person=person, data=data, by=by)


@transaction.atomic
def consent_withdraw(*, by, consent: Consent) -> Consent:
    """Withdraw a consent (the row is kept, dated). Withdrawing the registration consent does not erase
    the person: that is the separate erasure, which the person asks for."""
    ensure_editable(by=by, person=consent.person)
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at is None:
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = by
        locked.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return locked
