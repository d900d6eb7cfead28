"""Budget-cycle phase deadlines become reminders for the budget team and the registered agents."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from budgets import services
from budgets.models import BudgetCycle, Phase, PhaseKind
from kallpanchis.accounts.models import Role
from kallpanchis.notifications.models import Reminder
from tests.accounts.factories import person_with_role
from tests.budgets.factories import agent_for, cycle_for

pytestmark = pytest.mark.django_db
FUTURE_YEAR = timezone.localdate().year + 2  # every phase of this cycle is still ahead


def pending(**filters):
    return Reminder.objects.filter(kind="budget_phase_deadline", status=Reminder.Status.SCHEDULED, **filters)


def lima(day: datetime.date, days_before: int) -> datetime.datetime:
    closes = timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))
    return closes - datetime.timedelta(days=days_before)


def test_opening_a_cycle_reminds_the_budget_team_of_each_phase(municipalities):
    team = person_with_role(Role.TECHNICAL_TEAM, municipalities["anta"].organisation)
    person_with_role(Role.TECHNICAL_TEAM, municipalities["chumbivilcas"].organisation)
    cycle = cycle_for(municipalities["anta"], fiscal_year=FUTURE_YEAR)
    phases = list(cycle.phases.order_by("position"))
    assert len(phases) == 4
    assert pending().count() == 4 * 2  # one person × four phases × (7 days, 1 day)
    assert set(pending().values_list("recipient_id", flat=True)) == {team.pk}
    formalisation = next(p for p in phases if p.kind == PhaseKind.FORMALISATION)
    due = set(pending(object_id=formalisation.pk).values_list("due_at", flat=True))
    assert due == {lima(formalisation.ends_on, 7), lima(formalisation.ends_on, 1)}


def test_moving_a_phase_moves_its_reminders(municipalities):
    team = person_with_role(Role.TECHNICAL_TEAM, municipalities["anta"].organisation)
    cycle = cycle_for(municipalities["anta"], fiscal_year=FUTURE_YEAR)
    phase = cycle.phases.get(kind=PhaseKind.PREPARATION)
    old_end = phase.ends_on
    services.phase_dates_set(
        by=team, phase=phase, starts_on=phase.starts_on, ends_on=old_end - datetime.timedelta(days=5)
    )
    due = set(pending(object_id=phase.pk).values_list("due_at", flat=True))
    assert due == {
        lima(old_end - datetime.timedelta(days=5), 7),
        lima(old_end - datetime.timedelta(days=5), 1),
    }
    assert Reminder.objects.filter(object_id=phase.pk, status=Reminder.Status.CANCELLED).count() == 2


def test_registered_agents_hear_of_deadlines_until_refused(municipalities):
    cycle = cycle_for(municipalities["anta"], fiscal_year=FUTURE_YEAR)
    agent = agent_for(cycle, "Asociación Sumaq Lichi", accredited=False)
    leader = person_with_role(Role.LEADER, agent.organisation)
    services.agent_decide(by=None, agent=agent, accredited=True)
    assert pending(recipient=leader).count() == 8
    services.agent_decide(by=None, agent=agent, accredited=False, note="No presentó su acta de constitución")
    assert pending(recipient=leader).count() == 0


def test_a_cycle_opened_in_a_rolled_back_transaction_leaves_no_reminder(municipalities):
    person_with_role(Role.TECHNICAL_TEAM, municipalities["anta"].organisation)
    with pytest.raises(RuntimeError), transaction.atomic():
        cycle_for(municipalities["anta"], fiscal_year=FUTURE_YEAR)
        raise RuntimeError("the office lost power")
    assert not BudgetCycle.objects.exists() and not Phase.objects.exists()
    assert not Reminder.objects.exists()


def test_budgets_declares_its_kind_under_the_name_stored_in_reminders():
    from budgets import reminders
    from kallpanchis.notifications.registry import get_kind

    assert reminders.BUDGET_PHASE_DEADLINE == "budget_phase_deadline"
    assert get_kind(reminders.BUDGET_PHASE_DEADLINE).digestible
