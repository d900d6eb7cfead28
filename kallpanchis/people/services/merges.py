"""Merging two rows that are one person, and undoing it.

The merged row is deleted, not kept as a tombstone: every count of people (the reach indicators, the lists)
then stays right without remembering to exclude tombstones, and its DNI is free for the kept person. What
it held is kept in the MergeRecord (its fields, and the exact rows that pointed at it), so an undo
recreates it with the same id and moves back exactly those rows.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..links import person_links
from ..models import Family, MergeRecord, Person
from .common import ensure_managed
from .persons import search_name_of

# Empty fields of the kept person that take the merged person's value.
FILLABLE = ("second_surname", "birth_year", "dni", "phone", "community", "family", "user")


def _snapshot(person: Person) -> dict:
    data = {}
    for field in Person._meta.concrete_fields:
        value = getattr(person, field.attname)
        data[field.attname] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def _is_empty(value) -> bool:
    return value in (None, "", [])


@transaction.atomic
def person_merge(*, by, kept: Person, merged: Person) -> MergeRecord:
    """Make two rows one person: every row of every app that pointed at `merged` points at `kept`, empty
    fields of `kept` take `merged`'s values, languages are joined, and `merged` is deleted. Both must be
    in the caller's scope and neither erased. Refused (nothing changed) when both have an account, or a
    row would break one of its app's rules (e.g. both on the same attendance list)."""
    if kept.pk == merged.pk:
        raise ValidationError(_("Choose another person: a person cannot be merged with themselves."))
    ensure_managed(by=by, person=kept)
    ensure_managed(by=by, person=merged)
    kept, merged = (
        Person.objects.select_for_update().get(pk=kept.pk),
        Person.objects.select_for_update().get(pk=merged.pk),
    )
    if kept.erased_at or merged.erased_at:
        raise ValidationError(_("An erased person cannot be merged."))
    if kept.user_id and merged.user_id:
        raise ValidationError(_("Both people have an account on the platform: they cannot be merged here."))

    record = MergeRecord(kept=kept, merged_id=merged.pk, merged_snapshot=_snapshot(merged), by=by)
    references = []
    for link in person_links():
        if link.model is MergeRecord:
            continue  # the merge history moves below, after this record exists
        rows = link.rows(merged)
        if link.through_of is not None:
            other = next(
                f.attname for f in link.model._meta.concrete_fields if f.is_relation and f.name != link.field
            )
            already = set(link.rows(kept).values_list(other, flat=True))
            for pk, other_id in rows.values_list("pk", other):
                if other_id in already:
                    link.model._base_manager.filter(pk=pk).delete()
                    references.append(
                        {"model": link.label, "field": link.field, "removed": {other: other_id}}
                    )
                else:
                    references.append({"model": link.label, "pk": pk, "field": link.field})
            rows.update(**{link.field: kept})
            continue
        pks = list(rows.values_list("pk", flat=True))
        if not pks:
            continue
        if link.unique and link.rows(kept).exists():
            raise ValidationError(
                _("Both people have a %(what)s: they cannot be merged here.")
                % {"what": link.model._meta.verbose_name}
            )
        try:
            with transaction.atomic():
                link.model._base_manager.filter(pk__in=pks).update(**{link.field: kept})
        except IntegrityError as error:
            raise ValidationError(
                _("Both people appear in the same %(what)s; remove one of the two rows first, then merge.")
                % {"what": link.model._meta.verbose_name}
            ) from error
        references += [{"model": link.label, "pk": pk, "field": link.field} for pk in pks]

    filled = {}
    for name in FILLABLE:
        attname = Person._meta.get_field(name).attname
        if _is_empty(getattr(kept, attname)) and not _is_empty(getattr(merged, attname)):
            filled[attname] = getattr(kept, attname)
    added_languages = [code for code in merged.languages if code not in kept.languages]
    record.kept_filled = {**filled, **({"languages": list(kept.languages)} if added_languages else {})}
    history = list(MergeRecord.objects.filter(kept=merged).values_list("pk", flat=True))
    references += [{"model": MergeRecord._meta.label, "pk": pk, "field": "kept"} for pk in history]
    record.references = references

    new_values = {attname: getattr(merged, attname) for attname in filled}
    MergeRecord.objects.filter(pk__in=history).update(kept=kept)
    merged.delete()  # first: its DNI and account are then free for the kept person
    for attname, value in new_values.items():
        setattr(kept, attname, value)
    if added_languages:
        kept.languages = [*kept.languages, *added_languages]
    kept.search_name = search_name_of(kept)
    kept.save()
    record.save()
    return record


@transaction.atomic
def merge_undo(*, by, record: MergeRecord) -> Person:
    """Undo a merge: the merged person comes back with their id and fields, exactly the rows that moved
    move back (rows added to the kept person since stay), and the kept person's filled fields are emptied
    again where they still hold what the merge put there. Once only; not after the kept person's erasure."""
    record = MergeRecord.objects.select_for_update().get(pk=record.pk)
    if record.undone_at is not None:
        raise ValidationError(_("This merge was already undone."))
    kept = Person.objects.select_for_update().get(pk=record.kept_id)
    ensure_managed(by=by, person=kept)
    if kept.erased_at is not None:
        raise ValidationError(
            _("The person was erased at their request: this merge can no longer be undone.")
        )
    if Person.objects.filter(pk=record.merged_id).exists():
        raise ValidationError(_("The merged person exists again: nothing to undo."))

    snapshot = dict(record.merged_snapshot)
    changed = []
    for attname, before in record.kept_filled.items():
        if attname == "languages":
            merged_languages = snapshot.get("languages") or []
            kept.languages = [c for c in kept.languages if c in before or c not in merged_languages]
        elif getattr(kept, attname) == snapshot.get(attname):
            setattr(kept, attname, before)
        changed.append(attname)
    if changed:
        kept.search_name = search_name_of(kept)
        kept.save()

    field_names = {f.attname for f in Person._meta.concrete_fields}
    merged = Person(**{k: v for k, v in snapshot.items() if k in field_names})
    if merged.family_id and not Family.objects.filter(pk=merged.family_id).exists():
        merged.family_id = None
    if merged.user_id and Person.objects.filter(user_id=merged.user_id).exists():
        merged.user_id = None
    merged.save(force_insert=True)
    # auto_now fields took today's date on insert: put back what the snapshot says.
    Person.objects.filter(pk=merged.pk).update(
        created_at=snapshot.get("created_at") or timezone.now(), updated_at=timezone.now()
    )

    for ref in record.references:
        model = apps.get_model(ref["model"])
        if "removed" in ref:
            model._base_manager.create(**{f"{ref['field']}_id": merged.pk, **ref["removed"]})
            continue
        model._base_manager.filter(pk=ref["pk"], **{ref["field"]: kept}).update(**{ref["field"]: merged})
    record.undone_at = timezone.now()
    record.undone_by = by
    record.save(update_fields=["undone_at", "undone_by"])
    return merged
