"""The register's side of SMS contact (Ley 29733: contact by SMS is its own consent, apart from
registration): who may be sent an SMS, whose number a reply comes from, and withdrawing the SMS consent
when the person asks from their own phone. Used by the reminders' SMS channel (kallpanchis/notifications)."""

from django.db import models, transaction
from django.utils import timezone

from .models import Consent, Person


def people_sms_reachable(*, person_ids) -> dict[int, Person]:
    """Of these people, those who may be sent an SMS: not erased, a phone on record, and an SMS consent
    that is not withdrawn. One query."""
    consent = Consent.objects.filter(
        person=models.OuterRef("pk"), kind=Consent.Kind.SMS, withdrawn_at__isnull=True
    )
    people = (
        Person.objects.filter(pk__in=list(person_ids), erased_at__isnull=True)
        .exclude(phone="")
        .filter(models.Exists(consent))
        .only("id", "phone", "languages", "user_id", "given_names", "first_surname", "second_surname")
    )
    return {person.pk: person for person in people}


def people_by_phone(*, phone: str) -> list[Person]:
    """The people (not erased) whose own number this is, at most two (two means: cannot tell who). A reply
    is matched to a person only this way."""
    if not phone:
        return []
    return list(Person.objects.filter(phone=phone, erased_at__isnull=True).order_by("pk")[:2])


@transaction.atomic
def sms_consent_withdraw_by_person(*, person: Person) -> int:
    """The person asked from their own phone (a "BAJA"/"STOP" reply) to receive no more SMS: every active
    SMS consent is withdrawn at once, by nobody's account (the reply, kept by the reminders app, is the
    record). Returns how many were active: 0 means they had withdrawn already, and the caller answers only
    the first time."""
    return Consent.objects.filter(person=person, kind=Consent.Kind.SMS, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_by=None
    )
