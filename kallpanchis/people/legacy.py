"""Bringing the past in: rows the domain apps wrote before the register existed (attendance lists, association
members, training lists) are matched to people, people are registered where the row carries consent, and
ambiguous rows wait for a technician's decision (ImportMatch, /people/matches/).

The register knows no domain app: each app describes its rows in its own `people.py` with
`legacy.register(Source(...))` (found at start-up with the scope hooks). A source says how to read its rows
not yet linked to a person (`rows()`), which organisation its linked rows belong to and what they are
unique with (`linked()`: the evidence that two rows are one person, and the rows a new link must not
duplicate) and how to link rows (`model` and `field`: the foreign key to Person). See docs/people.md,
"Bringing the past in", for the rule of consent for legacy rows.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connection, models

if TYPE_CHECKING:  # services import this module: the class is imported where it is made
    from .services import ConsentData


@dataclass
class LegacyRow:
    """One row of a domain app as the import sees it."""

    pk: int
    name: str
    gender: str = "unstated"
    dni: str = ""
    organisation_id: int | None = None
    district_ubigeo: str = ""  # 6 digits, or a province's 4 when the row belongs to a whole province
    community: str = ""
    # The row carries the person's consent to be registered (see the source's rule): register them.
    consent: "ConsentData | None" = None
    # The row already names its person through a parent row (a network member's training row).
    person_id: int | None = None
    context: str = ""  # shown to whoever decides an ambiguous row: "Asociación X", "Reunión … 02/03/2026"
    # The value that, with the person, is unique in the source (the meeting of an attendance row, the
    # association of a member): one person is linked once per meeting, association, training.
    together: object = None


@dataclass
class Source:
    """How one domain model's rows are brought in. `order`: sources whose rows carry consent go first, so
    the people they register are there when the other rows are matched."""

    label: str  # "producers.Member"
    model: type[models.Model]
    # rows() gives the rows with no person yet, in a stable order; rows(pk=N) that one row again, for a
    # decision taken later
    rows: Callable[..., Iterable[LegacyRow]]
    # (person_id, organisation_id, together) of the rows already linked
    linked: Callable[[], Iterable[tuple[int, int | None, object]]]
    verbose_name: str = ""
    field: str = "person"
    order: int = 100

    def get_row(self, pk: int) -> LegacyRow | None:
        return next(iter(self.rows(pk=pk)), None)


SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    SOURCES[source.label] = source
    return source


def sources() -> list[Source]:
    return sorted(SOURCES.values(), key=lambda s: (s.order, s.label))


def link_rows(source: Source, pairs: list[tuple[int, int]]) -> int:
    """Set the person of many rows at once ((row pk, person pk) pairs), only where it is still empty, so a
    row linked meanwhile by someone is left as it is."""
    if not pairs:
        return 0
    model = source.model
    column = model._meta.get_field(source.field).column
    table = model._meta.db_table
    pk_column = model._meta.pk.column
    done = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for start in range(0, len(pairs), 5000):
                chunk = pairs[start : start + 5000]
                values = ", ".join(["(%s, %s)"] * len(chunk))
                params = [v for pair in chunk for v in pair]
                # Table and column names come from the model's own metadata; the values are parameters.
                sql = f'UPDATE "{table}" AS t SET "{column}" = v.person '  # noqa: S608  # nosec B608
                sql += f"FROM (VALUES {values}) AS v(row, person) "
                sql += f'WHERE t."{pk_column}" = v.row AND t."{column}" IS NULL'
                cursor.execute(sql, params)
                done += cursor.rowcount
        return done
    for pk, person_id in pairs:
        done += model._base_manager.filter(pk=pk, **{f"{source.field}__isnull": True}).update(
            **{source.field: person_id}
        )
    return done


def split_name(name: str) -> tuple[str, str, str] | None:
    """Given names and surnames from a name as written (Peru: given names, then two surnames): "Hilaria
    Quispe Mamani" → ("Hilaria", "Quispe", "Mamani"); two words → no second surname; one word → None (not
    enough to register someone)."""
    words = name.split()
    if len(words) < 2:
        return None
    if len(words) == 2:
        return words[0], words[1], ""
    return " ".join(words[:-2]), words[-2], words[-1]


def legacy_consent(*, purpose: str, given_on: datetime.date | None) -> "ConsentData":
    """The consent a legacy row carries: given on the association's signed register (paper)."""
    from .services import ConsentData

    return ConsentData(purpose=purpose, given_on=given_on or datetime.date.today(), method="paper")


@dataclass
class Report:
    already_linked: int = 0
    matched: int = 0
    created: int = 0
    ambiguous: int = 0
    anonymous: int = 0
    decided: int = 0  # rows a technician decided to leave anonymous ("none of them")
    by_source: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, label: str, what: str, n: int = 1) -> None:
        setattr(self, what, getattr(self, what) + n)
        counts = self.by_source.setdefault(label, {})
        counts[what] = counts.get(what, 0) + n

    def lines(self) -> list[str]:
        out = [
            f"matched: {self.matched}",
            f"created: {self.created}",
            f"ambiguous: {self.ambiguous}",
            f"anonymous: {self.anonymous}",
            f"decided anonymous: {self.decided}",
            f"already linked: {self.already_linked}",
        ]
        for label, counts in sorted(self.by_source.items()):
            out.append(f"  {label}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        return out
