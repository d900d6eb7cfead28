"""Bringing the past in (kallpanchis.people.legacy): match the domain apps' rows written before the register
to people, register those whose row carries consent, leave the others anonymous, and keep the ambiguous ones
for a technician (ImportMatch). Run again, it changes nothing: linked rows are skipped, decisions are kept,
pending rows are the same rows with the same candidates."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import legacy
from ..models import ImportMatch, Person
from ..text import normalise
from .common import ensure_not_erased
from .persons import ProbableDuplicate, person_create


class _DryRun(Exception):
    pass


@dataclass
class _Index:
    """What the run knows of the register, kept up to date as it links and registers people."""

    by_name: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_dni: dict[str, int] = field(default_factory=dict)
    district: dict[int, str] = field(default_factory=dict)
    community: dict[int, str] = field(default_factory=dict)
    orgs: dict[int, set] = field(default_factory=lambda: defaultdict(set))
    taken: dict[str, set] = field(default_factory=lambda: defaultdict(set))  # source -> {(together, person)}

    def add_person(self, pk, search_name, district, community, dni):
        self.by_name[search_name].append(pk)
        self.district[pk] = district
        self.community[pk] = normalise(community)
        if dni:
            self.by_dni[dni] = pk

    def link(self, source: str, row: legacy.LegacyRow, person_id: int):
        if row.organisation_id:
            self.orgs[person_id].add(row.organisation_id)
        if row.together is not None:
            self.taken[source].add((row.together, person_id))

    def free(self, source: str, row: legacy.LegacyRow, person_id: int) -> bool:
        return row.together is None or (row.together, person_id) not in self.taken[source]


def _index() -> _Index:
    index = _Index()
    people = Person.objects.active().values_list("pk", "search_name", "district_ubigeo", "community", "dni")
    for row in people.iterator(chunk_size=5000):
        index.add_person(*row)
    for source in legacy.sources():
        for person_id, organisation_id, together in source.linked():
            if organisation_id:
                index.orgs[person_id].add(organisation_id)
            if together is not None:
                index.taken[source.label].add((together, person_id))
    return index


def _near(person_district: str, row_district: str) -> bool:
    """The person lives where the row happened: the same district, or the row's province for work at
    province level (a provincial municipality's space)."""
    if not row_district or not person_district:
        return False
    return (
        person_district == row_district
        if len(row_district) == 6
        else person_district.startswith(row_district)
    )


def _match(index: _Index, row: legacy.LegacyRow) -> tuple[str, list[int]]:
    """("match", [person]) | ("ambiguous", candidates) | ("none", []). The rule: the person a parent row
    names; the same DNI; else the same normalised name and the same organisation or community (one such
    person: a match, several: ambiguous); the same name in the same place without that evidence is
    ambiguous too (a technician knows)."""
    if row.person_id:
        return "match", [row.person_id]
    if row.dni and row.dni in index.by_dni:
        return "match", [index.by_dni[row.dni]]
    key = normalise(row.name)
    candidates = index.by_name.get(key, []) if key else []
    if not candidates:
        return "none", []
    community = normalise(row.community)
    evidence = [
        p
        for p in candidates
        if (row.organisation_id and row.organisation_id in index.orgs.get(p, ()))
        or (community and index.community.get(p) == community)
    ]
    if len(evidence) == 1:
        return "match", evidence
    if evidence:
        return "ambiguous", evidence
    near = [p for p in candidates if _near(index.district.get(p, ""), row.district_ubigeo)]
    return ("ambiguous", near) if near else ("none", [])


def _pending(source: legacy.Source, row: legacy.LegacyRow, candidates: list[int], existing) -> None:
    match = existing.get((source.label, row.pk))
    if match is None:
        match = ImportMatch.objects.create(
            source=source.label,
            row_id=row.pk,
            name=row.name[:200],
            gender=row.gender or "unstated",
            context=row.context[:300],
            district_ubigeo=row.district_ubigeo[:6],
        )
        match.candidate_ids = []
        existing[(source.label, row.pk)] = match
    if set(match.candidate_ids) != set(candidates):
        match.candidates.set(candidates)
        match.candidate_ids = list(candidates)


def _register(*, by, source: legacy.Source, row: legacy.LegacyRow) -> Person | None:
    """Register the person a consented row names (person_create's rules: duplicates, DNI) and link the row.
    None when the name or the place is not enough to register anyone."""
    names = legacy.split_name(row.name)
    if names is None or len(row.district_ubigeo) != 6:
        return None
    given, first, second = names

    def link(person):
        source.model._base_manager.filter(pk=row.pk).update(**{source.field: person})

    return person_create(
        by=by,
        consent=row.consent,
        given_names=given,
        first_surname=first,
        second_surname=second,
        gender=row.gender or "unstated",
        dni=row.dni,
        community=row.community,
        district_ubigeo=row.district_ubigeo,
        attach=link,
    )


def import_run(*, by=None, dry_run: bool = False) -> legacy.Report:
    """Match every row not yet linked, source by source (those carrying consent first): link it to its
    person; register the person where the row carries consent and nobody fits; keep an ImportMatch for a
    technician where several people fit (or one without the evidence); leave the rest anonymous (counted
    in totals, not as people). `dry_run`: the same work in a transaction that is rolled back."""
    report = legacy.Report()
    try:
        with transaction.atomic():
            _run(by=by, report=report)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _run(*, by, report: legacy.Report) -> None:
    index = _index()
    existing = {}
    for match in ImportMatch.objects.prefetch_related("candidates"):
        match.candidate_ids = [c.pk for c in match.candidates.all()]
        existing[(match.source, match.row_id)] = match
    seen: set[tuple[str, int]] = set()
    for source in legacy.sources():
        label = source.label
        linked = source.model._base_manager.filter(**{f"{source.field}__isnull": False})
        report.add(label, "already_linked", linked.count())
        pairs: list[tuple[int, int]] = []
        for row in source.rows():
            seen.add((label, row.pk))
            decided = existing.get((label, row.pk))
            if decided is not None and decided.status != ImportMatch.Status.PENDING:
                report.add(label, "decided")
                continue
            kind, people = _match(index, row)
            if kind == "match" and not index.free(label, row, people[0]):
                kind = "ambiguous"  # the same name twice on one list: two people, or a slip of the pen
            if kind != "ambiguous" and decided is not None:
                decided.delete()  # it was waiting; the register now says who it is (or that nobody fits)
            if kind == "match":
                index.link(label, row, people[0])
                pairs.append((row.pk, people[0]))
                report.add(label, "matched")
                continue
            if kind == "none" and row.consent is not None:
                try:
                    person = _register(by=by, source=source, row=row)
                except ProbableDuplicate as found:
                    kind, people = "ambiguous", [m.person.pk for m in found.matches]
                    person = None
                except ValidationError:
                    person = None
                else:
                    if person is not None:
                        index.add_person(
                            person.pk,
                            person.search_name,
                            person.district_ubigeo,
                            person.community,
                            person.dni,
                        )
                        index.link(label, row, person.pk)
                        report.add(label, "created")
                        continue
            if kind == "ambiguous":
                _pending(source, row, people, existing)
                report.add(label, "ambiguous")
                continue
            report.add(label, "anonymous")
        legacy.link_rows(source, pairs)
    # A pending row linked since by someone else (a form, a merge) needs no decision any more.
    stale = [
        m.pk for key, m in existing.items() if m.status == ImportMatch.Status.PENDING and key not in seen
    ]
    ImportMatch.objects.filter(pk__in=stale).delete()


def _check(*, by, match: ImportMatch) -> ImportMatch:
    if by is not None and not ImportMatch.objects.visible_to(by).filter(pk=match.pk).exists():
        raise PermissionDenied(_("This row is outside your territory."))
    match = ImportMatch.objects.select_for_update().get(pk=match.pk)
    if match.status != ImportMatch.Status.PENDING:
        raise ValidationError(_("This row was decided already."))
    if match.source not in legacy.SOURCES:
        raise ValidationError(_("This kind of row is not imported any more."))
    return match


@transaction.atomic
def import_match_pick(*, by, match: ImportMatch, person: Person) -> ImportMatch:
    """A technician says which of the candidates the row is about: the row is linked to them (its own unique
    rules apply: one person per meeting list, per association). Only a candidate the technician sees."""
    match = _check(by=by, match=match)
    if not match.candidates.filter(pk=person.pk).exists():
        raise ValidationError(_("Pick one of the people proposed."))
    if by is not None and not Person.objects.visible_to(by).filter(pk=person.pk).exists():
        raise PermissionDenied(_("This person is outside your territory."))
    ensure_not_erased(person)
    source = legacy.SOURCES[match.source]
    row = source.model._base_manager.select_for_update().filter(pk=match.row_id).first()
    if row is None:
        raise ValidationError(_("This row no longer exists."))
    if getattr(row, f"{source.field}_id") is None:
        setattr(row, source.field, person)
        row.validate_constraints()
        row.save(update_fields=[source.field])
    match.status, match.person = ImportMatch.Status.PICKED, person
    match.decided_by, match.decided_at = by, timezone.now()
    match.save(update_fields=["status", "person", "decided_by", "decided_at"])
    return match


@transaction.atomic
def import_match_skip(*, by, match: ImportMatch) -> ImportMatch:
    """None of the candidates: the row is someone else. If the row carries consent, that someone is
    registered now (in the technician's territory); otherwise the row stays anonymous. The import does not
    ask again."""
    match = _check(by=by, match=match)
    source = legacy.SOURCES[match.source]
    row = source.get_row(match.row_id)
    if row is not None and row.consent is not None:
        names = legacy.split_name(row.name)
        if names and len(row.district_ubigeo) == 6:
            person_create(
                by=by,
                consent=row.consent,
                confirmed_new=True,
                given_names=names[0],
                first_surname=names[1],
                second_surname=names[2],
                gender=row.gender or "unstated",
                dni=row.dni,
                community=row.community,
                district_ubigeo=row.district_ubigeo,
                attach=lambda p: source.model._base_manager.filter(pk=row.pk).update(**{source.field: p}),
            )
    match.status = ImportMatch.Status.SKIPPED
    match.decided_by, match.decided_at = by, timezone.now()
    match.save(update_fields=["status", "decided_by", "decided_at"])
    return match
