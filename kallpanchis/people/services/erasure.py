"""Erasure at the person's request (cancellation, Ley 29733 art. 20): the person stays as an anonymous row,
so every count they were part of stays the same, but nothing that names or reaches them is left."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kallpanchis.history.services import history_anonymise

from ..links import blank_value, person_links, personal_fields
from ..models import Consent, Erasure, MergeRecord, Person
from .common import ensure_managed

logger = logging.getLogger(__name__)

# What identifies a person in the register itself; gender, district, family and languages stay, for counts.
BLANKED = ("second_surname", "birth_year", "dni", "phone", "community", "user")
# What identifies a person in a merge's snapshot of a row that was the same person.
SNAPSHOT_BLANKED = (
    "given_names",
    "first_surname",
    "second_surname",
    "birth_year",
    "dni",
    "phone",
    "community",
    "search_name",
    "user_id",
)


def _blank_linked_rows(person: Person) -> int:
    """Blank the fields that domain apps declare personal (`PERSONAL_DATA_FIELDS`) on every row linked to
    the person; the rows themselves stay (an attendance still counts, anonymously)."""
    count = 0
    for link in person_links():
        fields = personal_fields(link.owner)
        if not fields:
            continue
        values = {name: blank_value(link.owner._meta.get_field(name)) for name in fields}
        if link.through_of is not None:
            rows = link.owner._base_manager.filter(**{link.m2m_name: person})
        else:
            rows = link.rows(person)
        count += rows.update(**values)
    return count


def _anonymise_history(person: Person) -> None:
    """The history of changes keeps every version of a row: what the erasure blanks leaves it too, in the
    person's row and in the rows linked to them (rows since deleted included)."""
    merged = list(MergeRecord.objects.filter(kept=person).values_list("pk", "merged_id"))
    # The rows merged into this person were the same person: their recorded versions too.
    people = [person.pk, *(merged_id for _pk, merged_id in merged)]
    history_anonymise(
        model=Person, ids=people, fields=["given_names", "first_surname", "search_name", *BLANKED]
    )
    for link in person_links():
        fields = personal_fields(link.owner)
        if not fields:
            continue
        if link.through_of is not None:
            ids = link.owner._base_manager.filter(**{link.m2m_name: person}).values_list("pk", flat=True)
            history_anonymise(model=link.owner, ids=list(ids), fields=fields)
        else:
            ids = link.rows(person).values_list("pk", flat=True)
            history_anonymise(
                model=link.model, ids=list(ids), fields=fields, link=link.field, value=person.pk
            )
    history_anonymise(
        model=MergeRecord, ids=[pk for pk, _merged_id in merged], fields=["merged_snapshot", "kept_filled"]
    )


@transaction.atomic
def person_erase(*, by, person: Person) -> Person:
    """Erase a person's data, keeping the counts: names become "Anonymised person <id>", DNI, phone, birth
    year, community and the account link are emptied; personal fields of rows linked from other apps are
    blanked; consents are kept, closed and their scanned sheets deleted; merge snapshots naming them are
    scrubbed, and so are the versions of all these rows kept in the history of changes. Gender, district,
    family and languages stay. Logged by id, never by name. Cannot be undone."""
    ensure_managed(by=by, person=person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.erased_at is not None:
        raise ValidationError(_("This person's data was already erased."))

    rows = _blank_linked_rows(person)
    with translation.override(settings.LANGUAGE_CODE):  # stored text: in the platform's language
        label = str(Person.ERASED_LABEL % {"number": person.pk})
    person.given_names = label
    person.first_surname = ""
    for name in BLANKED:
        setattr(person, name, blank_value(Person._meta.get_field(name)))
    person.search_name = ""
    person.erased_at = timezone.now()
    person.save()

    now = timezone.now()
    for consent in Consent.objects.filter(person=person):
        if consent.scanned_sheet:
            consent.scanned_sheet.delete(save=False)
        consent.closed_by_erasure = True
        consent.withdrawn_at = consent.withdrawn_at or now
        consent.withdrawn_by = consent.withdrawn_by or by
        consent.save(update_fields=["scanned_sheet", "closed_by_erasure", "withdrawn_at", "withdrawn_by"])
    for record in MergeRecord.objects.filter(kept=person):
        snapshot = {**record.merged_snapshot, **dict.fromkeys(SNAPSHOT_BLANKED)}
        snapshot["given_names"] = label
        filled = {k: v for k, v in record.kept_filled.items() if k in ("family_id", "languages")}
        MergeRecord.objects.filter(pk=record.pk).update(merged_snapshot=snapshot, kept_filled=filled)
    Erasure.objects.create(person=person, by=by, rows_blanked=rows)
    _anonymise_history(person)
    logger.info("person %s erased at their request by user %s", person.pk, getattr(by, "pk", None))
    return person
