import pytest

pytestmark = pytest.mark.django_db


def test_the_rebuild_is_scheduled_every_15_minutes():
    """Created by the data migration (run here again, twice: transactional tests empty the tables)."""
    from importlib import import_module

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    migration = import_module("kallpanchis.dashboard.migrations.0002_refresh_schedule")
    migration.schedule(apps, None)
    migration.schedule(apps, None)
    (task,) = PeriodicTask.objects.filter(task="kallpanchis.dashboard.tasks.facts_refresh")
    assert (task.interval.every, task.interval.period, task.enabled) == (15, "minutes", True)


def test_the_task_rebuilds_and_running_twice_changes_nothing(world):
    from kallpanchis.dashboard.models import Fact, Refresh
    from kallpanchis.dashboard.tasks import facts_refresh

    facts_refresh.apply()
    first = sorted(
        Fact.objects.values_list("measure", "year", "province", "district", "line", "gender", "value")
    )
    facts_refresh.apply()
    assert (
        sorted(Fact.objects.values_list("measure", "year", "province", "district", "line", "gender", "value"))
        == first
    )
    assert Refresh.objects.count() == 4  # the demo's, the fixture's and these two
    whole = Fact.objects.get(measure="milk_l", year=2009, province="*", district="*", line="*", gender="*")
    assert whole.value == 2700
    chumbivilcas = Fact.objects.get(measure="milk_l", year=2009, province="0807", district="*", line="*")
    assert chumbivilcas.value == 2200


def test_indicator_ensure_is_idempotent(indicators):
    from decimal import Decimal

    from kallpanchis.dashboard.models import Indicator, Target
    from kallpanchis.dashboard.services import indicator_ensure

    before = (Indicator.objects.count(), Target.objects.count())
    indicator_ensure(
        code="milk_litres",
        result=1,
        position=0,
        name="Milk produced",
        unit="litres",
        computation="x",
        disaggregations=["province"],
        targets={2009: Decimal("5")},
    )
    assert (Indicator.objects.count(), Target.objects.count()) == before
    assert Target.objects.get(indicator__code="milk_litres", year=2009).value == 5
