"""The people of a space, for taking attendance by ticking names (read-only, like selectors.py).

Who is listed: the registered representatives of the space's member organisations, and the registered
people who attended one of its last RECENT_MEETINGS held meetings (or are already on this meeting's list).
Everyone else is found with the register's search box. A fixed number of queries whatever the number of
people (tests/spaces/test_query_counts.py), and no person's DNI or phone.
"""

from dataclasses import dataclass
from functools import lru_cache

from kallpanchis.core.caching import ALL, cached_for
from kallpanchis.people.models import Person
from kallpanchis.people.text import normalise

from .models import Attendance, ConcertationSpace, Meeting, SpaceMember

RECENT_MEETINGS = 10


@lru_cache(maxsize=4096)
def _plain(text: str) -> str:
    # Organisation and community names repeat down a list of hundreds: normalised once each.
    return normalise(text)


@dataclass
class RosterEntry:
    person_id: int
    name: str
    gender: str
    community: str
    search_name: str = ""  # Person.search_name: the name, normalised
    organisation_id: int | None = None
    organisation_name: str = ""
    is_representative: bool = False
    is_producer: bool = False
    times: int = 0  # how many of the space's recent meetings they attended
    on_list: bool = False  # already on this meeting's attendance

    @property
    def search_key(self) -> str:
        return f"{self.search_name} {_plain(self.organisation_name)} {_plain(self.community)}"


def space_roster(*, space: ConcertationSpace, meeting: Meeting | None = None) -> list[RosterEntry]:
    """Everyone to offer as a checkbox at a meeting of the space, by name. The organisation shown (and
    copied to the attendance row) is the one a representative sits for, else the one written at their
    latest attendance."""
    return spaces_rosters(spaces=[space], meeting=meeting)[space.pk]


def space_roster_kept(*, space: ConcertationSpace, meeting: Meeting, user) -> list[RosterEntry]:
    """space_roster from the cache until anything a reader sees changes (the "all" data version: a person
    registered, corrected or erased, an attendance logged, a representative named): reading who came to
    the last ten meetings is most of the attendance step's time (about 20 ms for 300 people at 10×)."""
    return cached_for(
        "spaces:roster",
        user=user,
        groups=(ALL,),
        compute=lambda: space_roster(space=space, meeting=meeting),
        key=(space.pk, meeting.pk),
    )


def spaces_rosters(*, spaces, meeting: Meeting | None = None) -> dict[int, list[RosterEntry]]:
    """space_roster for several spaces at once (the phone keeps the people of every space it may log), in
    the same four queries, each row read once (a space of 300 people: tens of milliseconds)."""
    space_ids = [s.pk for s in spaces]
    this = getattr(meeting, "pk", None)
    held = (
        Meeting.objects.filter(space_id__in=space_ids, status=Meeting.Status.HELD)
        .exclude(pk=this)
        .order_by("space_id", "-starts_at")
        .values_list("space_id", "pk")
    )
    recent: dict[int, list[int]] = {}
    for space_id, pk in held:
        kept = recent.setdefault(space_id, [])
        if len(kept) < RECENT_MEETINGS:
            kept.append(pk)
    meeting_space = {pk: space_id for space_id, pks in recent.items() for pk in pks}
    if this is not None:
        meeting_space[this] = meeting.space_id
    entries: dict[tuple[int, int], RosterEntry] = {}

    def entry(space_id: int, person_id: int) -> RosterEntry:
        found = entries.get((space_id, person_id))
        if found is None:
            found = entries[(space_id, person_id)] = RosterEntry(person_id, "", "", "")
        return found

    representatives = SpaceMember.representative_people.through.objects.filter(
        spacemember__space_id__in=space_ids
    )
    for space_id, person_id, org_id, org_name in representatives.values_list(
        "spacemember__space_id",
        "person_id",
        "spacemember__organisation_id",
        "spacemember__organisation__name",
    ):
        e = entry(space_id, person_id)
        e.is_representative, e.organisation_id, e.organisation_name = True, org_id, org_name
    attended = Attendance.objects.filter(meeting_id__in=list(meeting_space), person__isnull=False)
    seen: set[tuple[int, int]] = set()
    # Newest first: the first row seen of a person gives the organisation written at their latest meeting.
    for person_id, meeting_id, org_id, org_name, producer in attended.order_by(
        "-meeting__starts_at", "pk"
    ).values_list("person_id", "meeting_id", "organisation_id", "organisation_name", "is_producer"):
        key = (meeting_space[meeting_id], person_id)
        e = entry(*key)
        if key not in seen and not e.is_representative:
            e.organisation_id, e.organisation_name = org_id, org_name
        seen.add(key)
        e.is_producer = e.is_producer or producer
        if meeting_id == this:
            e.on_list = True
        else:
            e.times += 1
    # By the ids already read, not by the two subqueries again: "pk IN (…) OR pk IN (…)" made PostgreSQL scan
    # the whole register (100,000 people at 10×) where the primary key finds the 300.
    people = (
        Person.objects.active()
        .filter(pk__in=sorted({person_id for _, person_id in entries}))
        .values_list(
            "pk", "given_names", "first_surname", "second_surname", "gender", "community", "search_name"
        )
    )
    found: dict[int, list[RosterEntry]] = {pk: [] for pk in space_ids}
    details = {row[0]: row[1:] for row in people}
    for (space_id, person_id), e in entries.items():
        if person_id not in details:
            continue  # erased
        given, first, second, e.gender, e.community, e.search_name = details[person_id]
        e.name = " ".join(f"{given} {first} {second}".split())
        found[space_id].append(e)
    for listed in found.values():
        listed.sort(key=lambda e: (e.search_name, e.person_id))
    return found


def default_district(space: ConcertationSpace) -> str:
    """Where a new person of this space probably lives: the convening municipality's district (a provincial
    municipality's is its capital's); empty for a space of an association of municipalities."""
    municipality = space.municipality
    if municipality is None or municipality.district_id is None:
        return ""
    return municipality.district.ubigeo
