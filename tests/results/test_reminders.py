"""Reminders of results reporting periods: the reporters of an assignment hear 7 and 1 days before each
period's due date and 3 and 10 days after it while no value is sent; a value sent stops them, a value
returned starts them again. The last test sends them with real Celery workers, in Spanish and Quechua."""

import datetime

import pytest
from django.utils import timezone

from kallpanchis.notifications.delivery import reminders_dispatch
from kallpanchis.notifications.models import Reminder, ReminderSettings
from results import services
from results.models import Assignment
from results.reminders import RESULTS_REPORT_DUE
from tests.notifications.conftest import make_worker, outbox_dir, sent_messages, wait_until  # noqa: F401

from .factories import assign, indicator

NEXT_YEAR = timezone.localdate().year + 1


def pending(**filters):
    return Reminder.objects.filter(kind=RESULTS_REPORT_DUE, status=Reminder.Status.SCHEDULED, **filters)


def _at(day: datetime.date, days: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0))) + datetime.timedelta(
        days=days
    )


@pytest.mark.django_db
def test_assigned_reporters_hear_before_and_after_each_due_date(coordinator, municipalities, technician_anta):
    ind = indicator(coordinator)
    s1, s2 = assign(coordinator, ind, municipalities["anta"], year=NEXT_YEAR)
    rows = pending(object_id=Assignment.objects.get(indicator=ind).pk)
    assert set(rows.values_list("recipient_id", flat=True)) == {technician_anta.pk}
    assert set(rows.values_list("due_at", flat=True)) == {
        _at(p.due_on, d) for p in (s1, s2) for d in (-7, -1, 3, 10)
    }


@pytest.mark.django_db
def test_they_are_listed_in_my_reminders(client, coordinator, municipalities, technician_anta):
    from django.urls import reverse

    ind = indicator(coordinator, name="Pasto mejorado")
    assign(coordinator, ind, municipalities["anta"], year=NEXT_YEAR)
    client.force_login(technician_anta)
    html = client.get(reverse("notifications:my_reminders")).content.decode()
    assert "Periodos de reporte de resultados" in html
    assert "Pasto mejorado · Municipalidad Provincial de Anta" in html
    assert reverse("results:report_list") in html


@pytest.mark.django_db
def test_a_value_sent_stops_its_period_and_a_value_returned_starts_it_again(
    coordinator, municipalities, technician_anta
):
    ind = indicator(coordinator, disaggregations=[])
    s1, s2 = assign(coordinator, ind, municipalities["anta"], year=NEXT_YEAR)
    report = services.report_submit(
        by=technician_anta, indicator=ind, municipality=municipalities["anta"], period=s1, value=10
    )
    assert set(pending().values_list("due_at", flat=True)) == {_at(s2.due_on, d) for d in (-7, -1, 3, 10)}
    services.report_return(by=coordinator, report=report, comment="Falta la foto")
    assert pending().count() == 8
    report = services.report_submit(
        by=technician_anta, indicator=ind, municipality=municipalities["anta"], period=s1, value=12
    )
    services.report_approve(by=coordinator, report=report)
    assert pending().count() == 4


@pytest.mark.django_db
def test_an_association_reports_for_itself_and_an_inactive_indicator_reminds_nobody(
    coordinator, municipalities, technician_anta
):
    from kallpanchis.organisations.models import Organisation
    from kallpanchis.organisations.services import organisation_ensure
    from tests.accounts.factories import person_with_role

    association = organisation_ensure(name="Asociación Lechera Zurite", kind=Organisation.Kind.PRODUCER)
    leader = person_with_role("leader", association, email="lider.zurite@example.pe")
    ind = indicator(coordinator)
    assign(coordinator, ind, municipalities["anta"], year=NEXT_YEAR, association=association)
    assert set(pending().values_list("recipient_id", flat=True)) == {leader.pk}
    services.indicator_update(by=coordinator, indicator=ind, active=False)
    assert not pending().exists()
    assert Reminder.objects.filter(kind=RESULTS_REPORT_DUE, status=Reminder.Status.CANCELLED).count() == 8


def test_the_kind_is_registered_under_the_name_stored_in_reminders():
    from kallpanchis.notifications.registry import get_kind

    assert RESULTS_REPORT_DUE == "results_report_due"
    assert get_kind(RESULTS_REPORT_DUE).name == "results_report_due"


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_them_once_in_the_reporters_language(
    make_worker,  # noqa: F811
    outbox_dir,  # noqa: F811
    monkeypatch,
    coordinator,
    municipalities,
    technician_anta,
    technician_chumbivilcas,
):
    monkeypatch.setenv("KALLPANCHIS_REMINDER_CHANNEL", "file")
    ReminderSettings.objects.update_or_create(user=technician_chumbivilcas, defaults={"language": "qu"})
    ind = indicator(coordinator, name="Pasto mejorado")
    assign(coordinator, ind, municipalities["anta"], year=NEXT_YEAR)
    assign(coordinator, ind, municipalities["chumbivilcas"], year=NEXT_YEAR)
    # The first reminder of each reporter falls due now (time moved on); the others stay scheduled.
    first = [
        pending(recipient=user).order_by("due_at").first().pk
        for user in (technician_anta, technician_chumbivilcas)
    ]
    Reminder.objects.filter(pk__in=first).update(due_at=timezone.now() - datetime.timedelta(minutes=1))
    make_worker().start(concurrency=1)

    def sent() -> bool:
        reminders_dispatch(budget_seconds=5)
        return Reminder.objects.filter(pk__in=first, status=Reminder.Status.SENT).count() == 2

    assert wait_until(sent, timeout=60, every=0.5)
    messages = sent_messages(outbox_dir)
    assert sorted(m["reminder_ids"] for m in messages) == sorted([[pk] for pk in first])
    by_person = {m["to_email"]: m["text"] for m in messages}
    spanish = by_person[technician_anta.email]
    assert "Pasto mejorado" in spanish and "Municipalidad Provincial de Anta" in spanish
    assert "Vence, o ya venció, el valor de un indicador que usted reporta." in spanish
    quechua = by_person[technician_chumbivilcas.email]
    assert "Willasqayki indicadorpa chaninninta willanaykiña" in quechua
    assert pending().count() == 14  # 2 reporters × 2 periods × 4 moments, but the 2 sent
