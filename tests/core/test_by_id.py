"""Rows read by id with their query compiled once per shape (kallpanchis/core/by_id.py): the same objects,
fields, related objects and converted values as the queryset gives, whatever ids are asked."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kallpanchis.core import by_id
from kallpanchis.core.by_id import read_by_id
from results import services
from results.models import Report
from spaces.models import Meeting
from tests.results.factories import assign, indicator
from tests.spaces.factories import anta_space, held, lima

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def fields(obj) -> dict:
    return {k: v for k, v in obj.__dict__.items() if k != "_state"}


def test_meetings_with_their_space_and_deferred_fields_as_the_queryset_builds_them(municipalities):
    space = anta_space(municipalities["anta"])
    meetings = [held(space, when=lima(2026, 1, day)) for day in (1, 2, 3)]
    queryset = Meeting._base_manager.order_by().select_related("space").only("space__name", "title", "status")
    wanted = [meetings[2].pk, meetings[0].pk]

    for _ in range(2):  # compiled the first time, reused the second
        found = read_by_id(queryset, wanted)
        expected = {m.pk: m for m in queryset.filter(pk__in=wanted)}
        assert sorted(found) == sorted(expected)
        for pk, meeting in found.items():
            assert fields(meeting) == fields(expected[pk])
            assert meeting.get_deferred_fields() == expected[pk].get_deferred_fields()
            assert fields(meeting.space) == fields(expected[pk].space)
            assert meeting.space.name == space.name

    assert read_by_id(queryset, []) == {}
    assert read_by_id(queryset, [-5]) == {}  # an id no row has
    assert set(read_by_id(queryset, [meetings[1].pk, meetings[1].pk])) == {meetings[1].pk}


def test_decimals_and_json_converted_as_the_orm_converts_them(coordinator, technician_anta, municipalities):
    ind = indicator(coordinator)
    s1, _s2 = assign(coordinator, ind, municipalities["anta"])
    report = services.report_submit(
        by=technician_anta,
        indicator=ind,
        municipality=municipalities["anta"],
        period=s1,
        value=Decimal("120.5"),
        disaggregation={"gender": {"female": "70.5", "male": "50"}},
    )
    queryset = Report._base_manager.order_by().select_related("indicator", "municipality__organisation")
    found = read_by_id(queryset, [report.pk])[report.pk]
    assert found.value == Decimal("120.5") and isinstance(found.value, Decimal)
    assert found.disaggregation == {"gender": {"female": "70.5", "male": "50"}}
    assert found.municipality.organisation.name == municipalities["anta"].organisation.name
    assert fields(found) == fields(queryset.get(pk=report.pk))


def test_one_query_per_read_and_a_queryset_with_its_own_filter_read_through_the_orm(municipalities):
    space = anta_space(municipalities["anta"])
    meeting = held(space, when=lima(2026, 1, 1))
    queryset = Meeting._base_manager.order_by().select_related("space")
    read_by_id(queryset, [meeting.pk])
    with CaptureQueriesContext(connection) as queries:
        assert read_by_id(queryset, [meeting.pk])[meeting.pk].title == meeting.title
    assert len(queries) == 1

    # a filter of its own: read through the ORM, and the shape of the same query without it is not changed
    for narrower in (queryset.filter(title="no such title"), queryset.filter(title__isnull=True)):
        assert read_by_id(narrower, [meeting.pk]) == {}
        assert set(read_by_id(queryset, [meeting.pk])) == {meeting.pk}
    assert set(read_by_id(queryset.filter(title=meeting.title), [meeting.pk])) == {meeting.pk}


def test_lists_of_any_length_share_a_few_shapes_and_read_exactly_their_rows(municipalities):
    space = anta_space(municipalities["anta"])
    meetings = [held(space, when=lima(2026, 2, day)) for day in range(1, 21)]
    queryset = Meeting._base_manager.order_by().select_related("space").only("title", "space__name")
    by_id._shapes.clear()
    for length in range(1, 21):
        wanted = [m.pk for m in meetings[-length:]]
        found = read_by_id(queryset, wanted)
        assert sorted(found) == sorted(wanted)
        assert all(found[m.pk].title == m.title for m in meetings[-length:])
    # 1, 2, 4, 8, 16 and 32 ids (the last one repeated up to the next power of two), not 20 shapes.
    assert sorted(key[-1] for key in by_id._shapes) == [1, 2, 4, 8, 16, 32]
