import io
import time

import pytest
from django.utils import timezone

from kallpanchis.core.models import Gender
from producers.models import Member, OperatingPlan, ProducerAssociation, ProductionRecord

pytestmark = pytest.mark.django_db


def test_demo_is_quick_complete_and_idempotent(territory):
    from kallpanchis.accounts import demo as accounts_demo
    from kallpanchis.organisations import demo as organisations_demo
    from municipalities import demo as municipalities_demo
    from producers import demo

    out = io.StringIO()
    for module in (organisations_demo, municipalities_demo, accounts_demo):
        module.seed(out)
    started = time.monotonic()
    demo.seed(out)
    elapsed = time.monotonic() - started
    assert elapsed < 30
    assert ProducerAssociation.objects.count() == 40
    natividad = ProducerAssociation.objects.get(organisation__name=demo.DEMO_LEADER_ASSOCIATION)
    assert natividad.district.ubigeo == "080308"
    assert all(15 <= a.families <= 120 for a in ProducerAssociation.objects.all())
    assert set(Member.objects.values_list("gender", flat=True)) == {Gender.FEMALE, Gender.MALE}
    today = timezone.localdate()
    for year in (today.year - 1, today.year):  # dated from the day the demo is made
        states = set(OperatingPlan.objects.filter(year=year).values_list("status", flat=True))
        assert states == {"draft", "submitted", "returned", "resubmitted", "validated"}, year
    assert OperatingPlan.objects.filter(version=2, is_current=True).exists()
    assert ProductionRecord.objects.count() == 40 * 36
    for record in ProductionRecord.objects.filter(cows_milked__isnull=False)[:200]:
        days = 28 if record.month.month == 2 else 31
        assert 4 * 28 <= record.milk_produced_l / record.cows_milked <= 8 * days
        assert 1 <= record.milk_price <= 2

    demo.seed(out)
    assert ProducerAssociation.objects.count() == 40
    assert ProductionRecord.objects.count() == 40 * 36
