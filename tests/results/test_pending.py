"""What results/ puts on the home page: a reporter's ended periods to report (or fix once returned), a
coordinator's count of values waiting for review."""

import datetime
from decimal import Decimal

import pytest

from kallpanchis.accounts.access import access_for
from results import services
from results.pending import results_pending

from .factories import YEAR, assign, indicator

pytestmark = pytest.mark.django_db


def test_reporter_and_coordinator_items(coordinator, technician_anta, municipalities):
    ind = indicator(coordinator, disaggregations=[])
    s1, s2 = assign(coordinator, ind, municipalities["anta"], target="300")
    today = datetime.date(YEAR, 7, 20)  # the first semester has ended, the second has not

    items = results_pending(technician_anta, access_for(technician_anta), today)
    assert [(i.url.split("/")[-2], i.due, str(i.action_label)) for i in items] == [
        (str(s1.pk), s1.due_on, "Reportar")
    ]
    report = services.report_submit(
        by=technician_anta, indicator=ind, municipality=municipalities["anta"], period=s1, value=Decimal(120)
    )
    assert results_pending(technician_anta, access_for(technician_anta), today) == []
    (waiting,) = results_pending(coordinator, access_for(coordinator), today)
    assert str(waiting.text) == "1 valor reportado espera revisión."

    services.report_return(by=coordinator, report=report, comment="Falta la foto")
    (item,) = results_pending(technician_anta, access_for(technician_anta), today)
    assert (str(item.action_label), item.detail) == ("Corregir y enviar de nuevo", "Falta la foto")
    assert results_pending(coordinator, access_for(coordinator), today) == []
