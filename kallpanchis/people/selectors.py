"""Everything the register's pages and exports read, always within the reader's scope."""

from dataclasses import dataclass

from django.db import models
from django.shortcuts import get_object_or_404

from kallpanchis.core.caching import ALL, cached_for

from . import scope
from .links import person_links
from .models import Consent, Family, ImportMatch, MergeRecord, Person
from .search import search


def person_list(*, user, q: str = "") -> models.QuerySet:
    """The people one may see, not erased, matching q (name, DNI or phone) when given. The ids a name
    search finds are kept until anything a reader sees is written (the register included), for this
    person's access: in the cache (Redis), never in a log."""

    def keep(compute, key):
        return cached_for("people:search", user=user, groups=(ALL,), compute=compute, key=key)

    return search(Person.objects.visible_to(user).active(), q, keep=keep)


def person_search(*, user, q: str, limit: int = 20) -> list[Person]:
    """For pickers (the attendance list, the family form): at most `limit` people matching q in scope."""
    if not (q or "").strip():
        return []
    return list(person_list(user=user, q=q)[: max(1, min(limit, 50))])


def person_get_for_user(*, user, person_id: int) -> Person:
    return get_object_or_404(Person.objects.visible_to(user).select_related("family"), pk=person_id)


def person_get_editable(*, user, person_id: int) -> Person:
    return get_object_or_404(Person.objects.editable_by(user).select_related("family"), pk=person_id)


def person_get_managed(*, user, person_id: int) -> Person:
    return get_object_or_404(Person.objects.managed_by(user).select_related("family"), pk=person_id)


def person_consents(*, person: Person) -> list[Consent]:
    return list(person.consents.select_related("recorded_by", "withdrawn_by"))


def person_merges(*, person: Person) -> list[MergeRecord]:
    return list(MergeRecord.objects.filter(kept=person).select_related("by", "undone_by"))


def merge_get_for_user(*, user, merge_id: int) -> MergeRecord:
    return get_object_or_404(
        MergeRecord.objects.filter(kept__in=Person.objects.managed_by(user)).select_related("kept"),
        pk=merge_id,
    )


def match_list(*, user) -> models.QuerySet:
    """Rows of the past waiting for a decision whose candidates one sees, the candidates prefetched (only
    those one sees: a technician never reads who else, elsewhere, bears the name)."""
    seen = Person.objects.visible_to(user).active()
    return (
        ImportMatch.objects.visible_to(user)
        .filter(status=ImportMatch.Status.PENDING)
        .prefetch_related(models.Prefetch("candidates", queryset=seen, to_attr="candidates_seen"))
        .order_by("source", "row_id")
    )


def match_get_for_user(*, user, match_id: int) -> ImportMatch:
    return get_object_or_404(ImportMatch.objects.visible_to(user), pk=match_id)


def family_list(*, user) -> models.QuerySet:
    return (
        Family.objects.visible_to(user)
        .select_related("reference_person")
        .annotate(member_count=models.Count("members"))
        .order_by("district_ubigeo", "community", "pk")
    )


def family_get_for_user(*, user, family_id: int) -> Family:
    return get_object_or_404(Family.objects.visible_to(user).select_related("reference_person"), pk=family_id)


def family_members(*, family: Family) -> list[Person]:
    return list(family.members.all())


def district_names(codes) -> dict[str, str]:
    return scope.district_names(codes)


@dataclass
class LinkedRows:
    """Rows of one model of another app that point at a person: for the access export."""

    model_name: str
    field: str
    rows: list[list[tuple[str, str]]]  # per row: (field label, value)


def _row_values(obj, skip: str) -> list[tuple[str, str]]:
    values = []
    for field in obj._meta.concrete_fields:
        if field.name == skip or field.primary_key:
            continue
        value = getattr(obj, field.attname)
        if field.is_relation and value is not None:
            value = str(getattr(obj, field.name))
        elif field.choices:
            value = dict(field.flatchoices).get(value, value)
        values.append((str(field.verbose_name), "" if value in (None, "") else str(value)))
    return values


def person_linked_rows(*, person: Person) -> list[LinkedRows]:
    """Every row that points at the person, from any app (walked, not listed): what the register holds about
    them beyond their own record. Consents and merges are shown on their own."""
    found = []
    for link in person_links():
        if link.owner in (Consent, MergeRecord):
            continue
        if link.through_of is not None:
            rows = link.owner._base_manager.filter(**{link.m2m_name: person})
            skip = ""
        else:
            rows = link.rows(person)
            skip = link.field
        items = [_row_values(obj, skip) for obj in rows.order_by("pk")[:1000]]
        if items:
            found.append(LinkedRows(str(link.owner._meta.verbose_name_plural), link.field, items))
    return found
