"""The people of a space, for taking attendance by ticking names (read-only, like selectors.py).

Who is listed: the registered representatives of the space's member organisations, and the registered
people who attended one of its last RECENT_MEETINGS held meetings (or are already on this meeting's list).
Everyone else is found with the register's search box. A fixed number of queries whatever the number of
people (tests/spaces/test_query_counts.py), and no person's DNI or phone.
"""

from dataclasses import dataclass

from kallpanchis.people.models import Person
from kallpanchis.people.text import normalise

from .models import Attendance, ConcertationSpace, Meeting, SpaceMember

RECENT_MEETINGS = 10


@dataclass
class RosterEntry:
    person_id: int
    name: str
    gender: str
    community: str
    organisation_id: int | None = None
    organisation_name: str = ""
    is_representative: bool = False
    is_producer: bool = False
    times: int = 0  # how many of the space's recent meetings they attended
    on_list: bool = False  # already on this meeting's attendance

    @property
    def search_key(self) -> str:
        return normalise(f"{self.name} {self.organisation_name} {self.community}")


def space_roster(*, space: ConcertationSpace, meeting: Meeting | None = None) -> list[RosterEntry]:
    """Everyone to offer as a checkbox at a meeting of the space, by name. The organisation shown (and
    copied to the attendance row) is the one a representative sits for, else the one written at their
    latest attendance."""
    return spaces_rosters(spaces=[space], meeting=meeting)[space.pk]


def spaces_rosters(*, spaces, meeting: Meeting | None = None) -> dict[int, list[RosterEntry]]:
    """space_roster for several spaces at once (the phone keeps the people of every space it may log), in
    the same four queries."""
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
    reps = SpaceMember.representative_people.through.objects.filter(spacemember__space_id__in=space_ids)
    rep_of: dict[tuple[int, int], tuple] = {}
    for space_id, person_id, org_id, org_name in reps.values_list(
        "spacemember__space_id",
        "person_id",
        "spacemember__organisation_id",
        "spacemember__organisation__name",
    ):
        rep_of[(space_id, person_id)] = (org_id, org_name)
    rows = (
        Attendance.objects.filter(meeting_id__in=list(meeting_space), person__isnull=False)
        .order_by("-meeting__starts_at", "pk")
        .values_list("person_id", "meeting_id", "organisation_id", "organisation_name", "is_producer")
    )
    attended: dict[tuple[int, int], list[tuple]] = {}
    for person_id, meeting_id, org_id, org_name, producer in rows:
        key = (meeting_space[meeting_id], person_id)
        attended.setdefault(key, []).append((meeting_id, org_id, org_name, producer))
    wanted = {person_id for _space, person_id in (*rep_of, *attended)}
    people = {
        pk: (" ".join(f"{given} {first} {second}".split()), gender, community)
        for pk, given, first, second, gender, community in Person.objects.active()
        .filter(pk__in=wanted)
        .values_list("pk", "given_names", "first_surname", "second_surname", "gender", "community")
    }
    found: dict[int, list[RosterEntry]] = {pk: [] for pk in space_ids}
    for key in dict.fromkeys((*rep_of, *attended)):
        space_id, pk = key
        if pk not in people:
            continue  # erased
        name, gender, community = people[pk]
        entry = RosterEntry(person_id=pk, name=name, gender=gender, community=community)
        seen = attended.get(key, [])
        if key in rep_of:
            entry.is_representative = True
            entry.organisation_id, entry.organisation_name = rep_of[key]
        elif seen:
            _meeting, entry.organisation_id, entry.organisation_name, _producer = seen[0]
        entry.is_producer = any(producer for *_rest, producer in seen)
        entry.times = sum(1 for meeting_id, *_rest in seen if meeting_id != this)
        entry.on_list = this is not None and any(m == this for m, *_rest in seen)
        found[space_id].append(entry)
    for entries in found.values():
        entries.sort(key=lambda e: (normalise(e.name), e.person_id))
    return found


def default_district(space: ConcertationSpace) -> str:
    """Where a new person of this space probably lives: the convening municipality's district (a provincial
    municipality's is its capital's); empty for a space of an association of municipalities."""
    municipality = space.municipality
    if municipality is None or municipality.district_id is None:
        return ""
    return municipality.district.ubigeo
