"""The attendance step of the meeting log for a space of 300 registered people, on gunicorn like bench/run.py.

    make bench-attendance                     # its own database kallpanchis_bench_attendance
    DATABASE_URL=... python -m bench.attendance [--requests 50] [--people 300]

Adds once (found again on later runs) a space of the Anta provincial municipality whose member organisations'
representatives and the people at its last ten meetings make `--people` registered people, then measures GET
/spaces/meetings/<id>/log/ (the page opens on the attendance step: every one of them a checkbox) signed in as
a technician of Anta: warm-up, then N sequential requests; prints median and p95 and one JSON line. Target:
median ≤ 50 ms (the issue's "attendance step ≤ 50 ms for a space of 300 people").
"""

import argparse
import datetime
import json
import os
import secrets
import statistics
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.run import gunicorn, interleaved  # noqa: E402

SPACE = "Bench: espacio de {n} personas"
TARGET_MEDIAN_MS = 50
MEMBER_ORGANISATIONS = 30  # two representatives each
MEETINGS = 10
GIVEN = "Hilaria Justina Rosa Nélida Yolanda Julián Fortunato Teodoro Justo Mariano Eulogia Santos".split()
SURNAMES = "Quispe Mamani Huamán Ccori Ccahua Puma Ttito Huillca Condori Choque Apaza Layme Yupanqui".split()


@transaction.atomic
def space_of(people: int):
    """The bench's space, its representatives, its last ten meetings and who attended them (bulk, once)."""
    from kallpanchis.organisations.models import Organisation
    from kallpanchis.organisations.services import organisation_ensure
    from kallpanchis.people.models import Person
    from kallpanchis.people.text import normalise
    from municipalities.models import Province
    from municipalities.services import municipality_ensure, territory_load
    from spaces.models import Attendance, ConcertationSpace, Meeting
    from spaces.services import space_create, space_member_add

    if not Province.objects.filter(code="0803").exists():
        territory_load()
    anta = municipality_ensure(ubigeo="0803", consortium_partner=True)
    space = ConcertationSpace.objects.filter(name=SPACE.format(n=people)).first()
    if space is None:
        space = space_create(
            by=None,
            name=SPACE.format(n=people),
            level=ConcertationSpace.Level.PROVINCIAL,
            kind=ConcertationSpace.Kind.TECHNICAL,
            municipality=anta,
        )
        rows = []
        for i in range(people):
            given, first, second = GIVEN[i % len(GIVEN)], SURNAMES[i % 13], SURNAMES[(i // 13) % 13]
            rows.append(
                Person(
                    given_names=f"{given} {i}",
                    first_surname=first,
                    second_surname=second,
                    gender="female" if i % 2 else "male",
                    community=f"Comunidad {i % 25}",
                    district_ubigeo="080301",
                    search_name=normalise(f"{given} {i} {first} {second}"),
                )
            )
        persons = Person.objects.bulk_create(rows)
        reps = MEMBER_ORGANISATIONS * 2
        for n in range(MEMBER_ORGANISATIONS):
            org = organisation_ensure(name=f"Bench: asociación {n + 1}", kind=Organisation.Kind.PRODUCER)
            member = space_member_add(space=space, by=None, organisation=org)
            member.representative_people.add(*persons[2 * n : 2 * n + 2])
        start = timezone.now() - datetime.timedelta(days=7 * (MEETINGS + 1))
        attendees = persons[reps:]
        for m in range(MEETINGS):
            when = start + datetime.timedelta(days=7 * m)
            meeting = Meeting.objects.create(
                space=space,
                title=f"Reunión {m + 1}",
                starts_at=when,
                ends_at=when + datetime.timedelta(hours=3),
                place="Izcuchaca",
                status=Meeting.Status.HELD,
            )
            # Each meeting: most of the regulars, so that all of them appear in the last ten meetings.
            came = [p for i, p in enumerate(attendees) if (i + m) % 4 != 0]
            Attendance.objects.bulk_create(
                Attendance(
                    meeting=meeting,
                    person=p,
                    position=i + 1,
                    name=f"{p.given_names} {p.first_surname}",
                    gender=p.gender,
                    organisation_name=p.community,
                )
                for i, p in enumerate(came)
            )
    meeting = space.meetings.filter(status=Meeting.Status.PLANNED).first()
    if meeting is None:
        when = timezone.now() - datetime.timedelta(hours=2)
        meeting = Meeting.objects.create(
            space=space,
            title="Reunión a registrar",
            starts_at=when,
            ends_at=when + datetime.timedelta(hours=3),
            place="Izcuchaca",
        )
    return space, meeting


def technician_session() -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from kallpanchis.accounts.models import RoleAssignment, User
    from municipalities.models import Municipality

    anta = Municipality.objects.get(province__code="0803", level=Municipality.Level.PROVINCIAL)
    user, _ = User.objects.get_or_create(email="bench.tecnica@example.pe", defaults={"first_name": "Bench"})
    RoleAssignment.objects.get_or_create(user=user, role="technician", organisation=anta.organisation)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def pages(people: int = 300) -> list[tuple[str, str]]:
    """For bench/run.py: the attendance step as the technician of Anta (a session of her own, under the
    name `technician_anta`), the space made first if missing."""
    from django.conf import settings

    from bench.run import AS, COOKIES

    _space, meeting = space_of(people)
    COOKIES["technician_anta"] = f"{settings.SESSION_COOKIE_NAME}={technician_session()}"
    path = reverse("spaces:meeting_log", args=[meeting.pk])
    return [(f"meeting log, attendance step ({people} people)", f"{path}{AS}technician_anta")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    from django.conf import settings

    from spaces.roster import space_roster

    space, meeting = space_of(args.people)
    listed = len(space_roster(space=space, meeting=meeting))
    cookie = f"{settings.SESSION_COOKIE_NAME}={technician_session()}"
    path = reverse("spaces:meeting_log", args=[meeting.pk])
    with gunicorn(args.workers, path, cookie) as (port, (status, _ms, body)):
        boxes = body.count(b'name="present"')
        if status != 200 or boxes < listed:
            raise SystemExit(f"bench: {path} answered {status} with {boxes} checkboxes for {listed} people")
        times, floor = interleaved(port, path, cookie, warmup=args.warmup, requests=args.requests)
    median, p95 = statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]
    result = {
        "page": "meeting log, attendance step",
        "people_listed": listed,
        "requests": len(times),
        "median_ms": round(median, 1),
        "p95_ms": round(p95, 1),
        "bytes": len(body),
        "floor_median_ms": round(statistics.median(floor), 1),
        "meets_target": median <= TARGET_MEDIAN_MS,
        "cpus": os.cpu_count(),
        "load": round(os.getloadavg()[0], 1),
    }
    print(
        f"attendance step, {listed} people listed: median {result['median_ms']} ms, "
        f"p95 {result['p95_ms']} ms "
        f"over {len(times)} requests; minimal Django view {result['floor_median_ms']} ms "
        f"({'ok' if result['meets_target'] else 'MISSES TARGET'}: median ≤ "
        f"{TARGET_MEDIAN_MS} ms; {args.workers} gunicorn workers, load average {result['load']})",
        file=sys.stderr,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
