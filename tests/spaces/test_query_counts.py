"""List pages and the meeting page: the number of queries with 25 rows equals the number with 1 row."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from spaces.models import Agreement, Attendance
from spaces.services import agreement_status_change

from .factories import anta_space, held, lima, producer_org, scheduled

pytestmark = pytest.mark.django_db


def count(client, url, *, afresh: bool = True) -> int:
    """The queries of a page (`afresh`: made again, not from what an earlier request kept — a value whose
    tables did not change would hide a query that grows — after one request has read what each process
    reads once)."""
    if afresh:
        client.get(url)
        cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def space(municipalities):
    return anta_space(municipalities["anta"])


def test_meeting_list(client, space, technician_anta):
    client.force_login(technician_anta)
    held(space, when=lima(2026, 1, 1), agreements=["A"])
    one = count(client, reverse("spaces:meeting_list"))
    for day in range(2, 26):
        held(space, when=lima(2026, 1, day), agreements=["A"])
    assert count(client, reverse("spaces:meeting_list")) == one


def test_agreements_register(client, space, technician_anta):
    client.force_login(technician_anta)
    org = producer_org()
    meeting = held(space, when=lima(2026, 1, 1), agreements=["A"])
    Agreement.objects.update(responsible_organisation=org)
    url = reverse("spaces:agreement_list")
    one = count(client, url)
    held(space, when=lima(2026, 1, 2), agreements=[f"A{i}" for i in range(24)])
    Agreement.objects.update(responsible_organisation=org)
    assert Agreement.objects.count() == 25
    assert count(client, url) == one
    assert meeting.pk


def test_meeting_page_and_acta(client, space, technician_anta):
    client.force_login(technician_anta)
    old = held(space, when=lima(2026, 1, 1), agreements=["Viejo"])
    meeting = held(space, when=lima(2026, 2, 1), women=1, men=0, agreements=["A"])
    agreement_status_change(agreement=meeting.agreements.get(), by=technician_anta, to_status="in_progress")
    url = reverse("spaces:meeting_detail", args=[meeting.pk])
    one = count(client, url)
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, name=f"P{i}", gender="male", position=i + 2) for i in range(24)]
    )
    Agreement.objects.bulk_create(
        [Agreement(meeting=meeting, what=f"A{i}", due_date=datetime.date(2026, 3, 1)) for i in range(24)]
    )
    Agreement.objects.bulk_create(
        [Agreement(meeting=old, what=f"V{i}", due_date=datetime.date(2026, 3, 1)) for i in range(24)]
    )
    assert count(client, url) == one


def test_space_list_and_detail(client, municipalities, technician_anta):
    client.force_login(technician_anta)
    first = anta_space(municipalities["anta"], name="Espacio 0")
    scheduled(first)
    one = count(client, reverse("spaces:space_list"))
    detail = count(client, reverse("spaces:space_detail", args=[first.pk]))
    for i in range(1, 25):
        scheduled(anta_space(municipalities["anta"], name=f"Espacio {i}"))
    for _ in range(24):
        held(first, agreements=["A"])
    assert count(client, reverse("spaces:space_list")) == one
    assert count(client, reverse("spaces:space_detail", args=[first.pk])) == detail


def test_log_page_does_not_grow_with_member_organisations_or_rows(client, space, technician_anta):
    from kallpanchis.organisations.models import Organisation
    from spaces.services import space_member_add

    client.force_login(technician_anta)
    meeting = scheduled(space)
    url = reverse("spaces:meeting_log", args=[meeting.pk])
    one = count(client, url)
    for i in range(24):
        organisation = Organisation.objects.create(name=f"Asociación {i}", kind="producer")
        space_member_add(space=space, by=None, organisation=organisation)
    assert count(client, url) == one


def ticks(client, url) -> int:
    """The names the attendance step offers to tick (the page may come whole from the cache)."""
    return client.get(url).content.decode().count('name="present"')


def test_attendance_step_does_not_grow_with_the_spaces_people(client, space, technician_anta):
    """The log page lists the space's registered people as checkboxes: 1 or 25 of them, the same queries."""
    from spaces.models import SpaceMember
    from spaces.services import AttendanceRow, meeting_log
    from tests.people.factories import register

    client.force_login(technician_anta)
    member = SpaceMember.objects.get(space=space, role="member")
    earlier = held(space, when=lima(2026, 1, 10), women=0, men=1)
    member.representative_people.add(register(given_names="Justina", first_surname="Huillca"))
    meeting = scheduled(space, when=lima(2026, 3, 10))
    url = reverse("spaces:meeting_log", args=[meeting.pk])
    one = count(client, url)  # computed: the page as it opens is kept until the next write
    assert ticks(client, url) == 1
    assert count(client, url, afresh=False) < one
    people = [register(given_names=f"Persona {i}", first_surname=f"Apellido{i}") for i in range(24)]
    member.representative_people.add(*people[:12])
    meeting_log(
        meeting=earlier,
        by=None,
        minutes="Acta.",
        attendance=[AttendanceRow(name="", gender="", person=p) for p in people[12:]],
    )
    assert count(client, url) == one  # computed again after the writes
    assert ticks(client, url) == 25
