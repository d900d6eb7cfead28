"""The facts brought up to date after writes (services.facts_refresh_changed): only the measures that read a
written table are computed again, and the figures are the same as a full rebuild's, whatever the writes
(hypothesis draws sequences of creations, updates and deletions of the sources, through the ORM and bulk)."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kallpanchis.dashboard.models import Fact, FactChange, MeasureSource
from kallpanchis.dashboard.services import facts_refresh, facts_refresh_changed

from .factories import agreement, at, meeting, production

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

COLUMNS = ("measure", "year", "province", "district", "line", "gender", "value")


def figures() -> list[tuple]:
    return sorted(Fact.objects.values_list(*COLUMNS))


def test_a_write_is_recorded_and_only_its_measures_are_computed_again(world):
    from kallpanchis.core import indicators as registry

    assert not FactChange.objects.exists()  # the fixture's rebuild took every change
    assert facts_refresh_changed() is None  # nothing written since: nothing to do
    production(world["a"], 2011, 5, milk=300, sold=100, channel="direct", price="1.10")
    assert set(FactChange.objects.values_list("table", flat=True)) == {"producers_productionrecord"}
    refresh = facts_refresh_changed()
    assert "milk_l" in refresh.measures
    assert len(refresh.measures) < len(registry.MEASURES)  # not the meetings', budgets', people's…
    whole = Fact.objects.get(measure="milk_l", year=2011, province="*", district="*", line="*", gender="*")
    assert whole.value == 300
    assert not FactChange.objects.exists()
    sources = dict(MeasureSource.objects.values_list("measure", "tables"))
    assert "producers_productionrecord" in sources["milk_l"]


def test_the_queue_of_changes_steps_no_version_of_its_own(world):
    """No reader sees the queue: the row a write leaves there steps no data version (each one did, twice)."""
    from django.db import connection

    production(world["a"], 2011, 6, milk=120, sold=20, channel="direct", price="1.10")
    assert FactChange.objects.filter(table="producers_productionrecord").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT name FROM kallpanchis_data_version WHERE name LIKE %s", ["%:%"])
        stepped = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT tgname FROM pg_trigger "
            "WHERE tgrelid = 'dashboard_factchange'::regclass AND NOT tgisinternal"
        )
        triggers = {row[0] for row in cursor.fetchall()}
    assert "t:producers_productionrecord" in stepped
    assert not {name for name in stepped if "dashboard_factchange" in name}
    assert not triggers


def test_the_refresh_is_scheduled_every_10_seconds():
    from importlib import import_module

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    import_module("kallpanchis.dashboard.migrations.0005_incremental_refresh").schedule(apps, None)
    (task,) = PeriodicTask.objects.filter(task="kallpanchis.dashboard.tasks.facts_refresh_changed")
    assert (task.interval.every, task.interval.period, task.enabled) == (10, "seconds", True)


# One write: what it does, to which row (an index into the rows there are), with which numbers.
WRITES = st.tuples(
    st.sampled_from(
        [
            "add production",
            "change production",
            "delete production",
            "bulk production",
            "add meeting",
            "cancel meeting",
            "delete meeting",
            "add agreement",
            "finish agreement",
            "move association",
        ]
    ),
    st.integers(0, 50),
    st.integers(1, 2000),
)


def apply(world, kind: str, index: int, number: int) -> None:
    from municipalities.models import District
    from producers.models import ProducerAssociation, ProductionRecord
    from spaces.models import Agreement, Meeting

    associations = [world["a"], world["b"]]
    records = list(ProductionRecord.objects.order_by("pk"))
    meetings = list(Meeting.objects.order_by("pk"))
    if kind == "add production":
        month = 1 + index % 12
        year = 2008 + number % 5
        if not ProductionRecord.objects.filter(
            association=associations[index % 2], month__year=year, month__month=month
        ).exists():
            production(associations[index % 2], year, month, milk=number, sold=number // 2, channel="fair")
    elif kind == "change production" and records:
        record = records[index % len(records)]
        ProductionRecord.objects.filter(pk=record.pk).update(milk_produced_l=Decimal(number))
    elif kind == "delete production" and records:
        records[index % len(records)].delete()
    elif kind == "bulk production":
        ProductionRecord.objects.filter(month__year=2009).update(milk_sold_l=Decimal(number % 500))
    elif kind == "add meeting":
        space = world["s1"] if index % 2 else world["s2"]
        genders = ["female", "male", "unstated"]
        meeting(space, at(2008 + number % 4, 1 + index % 12), Meeting.Status.HELD, genders[: 1 + number % 3])
    elif kind == "cancel meeting" and meetings:
        Meeting.objects.filter(pk=meetings[index % len(meetings)].pk).update(status=Meeting.Status.CANCELLED)
    elif kind == "delete meeting" and meetings:
        Agreement.objects.filter(meeting=meetings[index % len(meetings)]).delete()
        meetings[index % len(meetings)].delete()
    elif kind == "add agreement" and meetings:
        agreement(meetings[index % len(meetings)], datetime.date(2009, 1 + index % 12, 1))
    elif kind == "finish agreement":
        Agreement.objects.filter(status="pending").update(status="done", done_on=datetime.date(2009, 12, 1))
    elif kind == "move association":
        district = District.objects.order_by("pk")[index % District.objects.count()]
        ProducerAssociation.objects.filter(pk=associations[index % 2].pk).update(district=district)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(WRITES, min_size=1, max_size=6))
def test_incremental_refresh_and_full_rebuild_give_the_same_figures(world, writes):
    for kind, index, number in writes:
        apply(world, kind, index, number)
    facts_refresh_changed()
    incremental = figures()
    facts_refresh()
    assert figures() == incremental
