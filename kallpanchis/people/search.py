"""Finding people by name, DNI or phone; fuzzy on PostgreSQL (pg_trgm), plain on SQLite.

Names are compared on `Person.search_name` (see text.normalise). On PostgreSQL a GIN trigram index on that
column serves both `search_name LIKE '%word%'` (the spelling as typed, tried first) and `search_name %>
'word'` (word similarity ≥ pg_trgm.word_similarity_threshold, 0.6 by default, for spelling variants when
the spelling as typed finds few people), so "Mamany" finds "Mamani"; on the SQLite demo a word must appear
as typed (accents and case still ignored).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, FloatField, Func, Lookup, Q, QuerySet, Value
from django.db.models.functions import Reverse
from django.db.models.lookups import StartsWith

from .models import Person
from .text import normalise, phone_or_none, similarity

SIMILAR_NAME = 0.5  # pg_trgm similarity() of two whole names that probably are one person


class WordSimilar(Lookup):
    """`column %> 'text'`: some extent of the column is similar to the text (pg_trgm, index-served)."""

    lookup_name = "word_similar"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} %%> {rhs}", [*lhs_params, *rhs_params]


class Similarity(Func):
    function = "similarity"
    output_field = FloatField()


class WordSimilarity(Func):
    function = "word_similarity"
    output_field = FloatField()


def fuzzy() -> bool:
    return connection.vendor == "postgresql"


def _digits(q: str) -> str:
    return re.sub(r"[\s.\-()/]", "", q)


# Below this many people with the exact spelling, spelling variants are searched too ("Mamany" → Mamani).
FUZZY_BELOW = 10


def search_condition(q: str, *, variants=()) -> tuple[Q | None, list[str]]:
    """The condition for what someone typed, and the name words (for ranking). None: nothing to find.
    Each word must appear in the name; for the words in `variants` (PostgreSQL), a similar word will do."""
    q = (q or "").strip()
    if not q:
        return None, []
    compact = _digits(q)
    if re.fullmatch(r"\+?[0-9]{4,15}", compact):
        condition = Q(pk__in=[])
        if re.fullmatch(r"[0-9]{8}", compact):
            condition |= Q(dni=compact)
        phone = phone_or_none(q)
        if phone:
            condition |= Q(phone=phone)
        if len(compact.lstrip("+")) >= 6:
            # ends with these digits: the reversed phone begins with them (an index, migration 0005)
            condition |= Q(StartsWith(Reverse("phone"), compact.lstrip("+")[::-1]))
        return condition, []
    words = normalise(q).split()
    if not words:
        return None, []
    condition = Q()
    for word in words:
        if word in variants and fuzzy() and len(word) >= 3:
            condition &= Q(WordSimilar(F("search_name"), Value(word))) | Q(search_name__contains=word)
        else:
            condition &= Q(search_name__contains=word)
    return condition, words


# A name search lists at most this many people, the closest first (type more of the name to narrow it).
MOST = 200


def search(queryset: QuerySet, q: str, *, keep=None) -> "QuerySet | Ranked":
    """People of `queryset` matching q, the closest names first on PostgreSQL. The exact spelling first (each
    word contained in the name: the trigram index answers it in milliseconds at 100,000 people); when that
    finds fewer than FUZZY_BELOW people, spelling variants too (word similarity, slower: it is computed for
    every candidate the index gives), for the words no name contains as typed, or else for all of them.

    On PostgreSQL a name search reads the index once: the ids of the MOST closest people, ranked; what is
    returned is those people in that order (`Ranked`), so that counting them costs nothing more and paging
    them reads only the page.
    `keep(compute, key)`, when given, keeps those ids (selectors.person_list keeps them in the cache until
    any write, for the reader's access): the same name searched again, by the picker as the name is typed,
    on the next page of the list, reads no index."""
    condition, words = search_condition(q)
    if condition is None:
        return queryset
    found = queryset.filter(condition)
    if not (words and fuzzy()):
        return found
    ranks = [WordSimilarity(Value(word), F("search_name")) for word in words]
    rank = ranks[0]
    for other in ranks[1:]:
        rank = rank + other

    def ranked(matches):
        ordered = matches.annotate(rank=rank).order_by("-rank", *Person._meta.ordering)
        return list(ordered.values_list("pk", flat=True)[:MOST])

    def closest():
        ids = ranked(found)
        if len(ids) < FUZZY_BELOW:
            # A word nobody's name contains is a spelling to vary; if every word is somewhere, any may be.
            unknown = {w for w in words if not Person.objects.filter(search_name__contains=w).exists()}
            ids = ranked(queryset.filter(search_condition(q, variants=unknown or set(words))[0]))
        return ids

    ids = closest() if keep is None else keep(closest, (" ".join(words), str(queryset.query)))
    return Ranked(queryset, ids)


class Ranked(Sequence):
    """The people a name search found, closest first: counted from their ids, and a page (a slice) read with
    a query of that page's ids only, within the queryset searched (its scope holds)."""

    def __init__(self, queryset: QuerySet, ids: list[int]):
        self.queryset, self.ids = queryset, ids

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            position = range(len(self))[index]  # an IndexError as a list's
            return self[position : position + 1][0]
        wanted = self.ids[index]
        found = self.queryset.filter(pk__in=wanted).in_bulk() if wanted else {}
        return [found[pk] for pk in wanted if pk in found]


@dataclass
class DuplicateMatch:
    person: Person
    reasons: list[str] = field(default_factory=list)  # "dni", "phone", "name"

    @property
    def same_dni(self) -> bool:
        return "dni" in self.reasons


def probable_duplicates(
    *, name: str, dni: str = "", phone: str = "", district_ubigeo: str = "", community: str = "", exclude=None
) -> list[DuplicateMatch]:
    """People who are probably the one about to be registered: the same DNI; the same phone; a similar
    name (trigram similarity ≥ 0.5) in the same district, those of the same community first. Unscoped:
    the caller decides what it may show."""
    matches: dict[int, DuplicateMatch] = {}
    base = Person.objects.active()
    if exclude is not None:
        base = base.exclude(pk=exclude)

    def add(person, reason):
        matches.setdefault(person.pk, DuplicateMatch(person)).reasons.append(reason)

    if dni:
        for person in base.filter(dni=dni):
            add(person, "dni")
    if phone:
        for person in base.filter(phone=phone):
            add(person, "phone")
    key = normalise(name)
    if key and district_ubigeo:
        nearby = base.filter(district_ubigeo=district_ubigeo)
        if fuzzy():
            similar = (
                nearby.annotate(score=Similarity(F("search_name"), Value(key)))
                .filter(score__gte=SIMILAR_NAME)
                .order_by("-score")[:20]
            )
        else:
            # SQLite has no pg_trgm: the same measure in Python, over the district's people with a word
            # in common (a demo's district holds a few hundred people at most).
            words = Q()
            for word in key.split():
                words |= Q(search_name__contains=word)
            similar = [
                p for p in nearby.filter(words)[:500] if similarity(p.search_name, key) >= SIMILAR_NAME
            ]
        for person in similar:
            add(person, "name")
    wanted = normalise(community)
    return sorted(
        matches.values(),
        key=lambda m: (not m.same_dni, "phone" not in m.reasons, normalise(m.person.community) != wanted),
    )
