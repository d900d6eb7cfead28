import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kallpanchis.accounts.access import access_for
from kallpanchis.accounts.models import Role
from kallpanchis.organisations.models import Organisation

from ..calendar import phase_state
from ..models import (
    BudgetCycle,
    Delegate,
    ParticipatingAgent,
    PhaseKind,
    TechnicalTeamMember,
    VigilanceMember,
)
from .common import cycle_check_runs
from .reminders import cycle_reminders_schedule

__all__ = [
    "VIGILANCE_MINIMUM",
    "VigilanceCandidate",
    "agent_decide",
    "agent_register",
    "delegate_add",
    "delegate_remove",
    "technical_member_add",
    "technical_member_remove",
    "vigilance_committee_elect",
]

VIGILANCE_MINIMUM = 4  # DS 142-2009-EF: the Comité de Vigilancia has at least four members


def _registration_open(cycle: BudgetCycle, today: datetime.date) -> bool:
    return phase_state(cycle.phases.all(), today).code in ("not_started", PhaseKind.PREPARATION)


@transaction.atomic
def agent_register(
    *, by, cycle: BudgetCycle, organisation: Organisation, kind: str = ParticipatingAgent.Kind.CIVIL_SOCIETY
) -> ParticipatingAgent:
    """Register an organisation as a participating agent, waiting for the budget team's accreditation.
    The budget team registers any organisation except the municipality itself; an association's leader
    registers their own organisation, while registration is open (until the preparation phase ends)."""
    access = access_for(by) if by is not None else None
    runs = by is None or BudgetCycle.objects.editable_by(by).filter(pk=cycle.pk).exists()
    if not runs:
        if organisation.pk not in access.organisations_with(Role.LEADER):
            raise PermissionDenied(_("You may only register your own organisation."))
        if not _registration_open(cycle, timezone.localdate()):
            raise ValidationError(_("Registration of agents is closed for this cycle. Ask the budget team."))
    if organisation.pk == cycle.municipality.organisation_id:
        raise ValidationError(_("The municipality runs the cycle; it is not a participating agent."))
    if ParticipatingAgent.objects.filter(cycle=cycle, organisation=organisation).exists():
        raise ValidationError(
            _("%(name)s is already registered in this cycle.") % {"name": organisation.name}
        )
    agent = ParticipatingAgent.objects.create(
        cycle=cycle, organisation=organisation, kind=kind, registered_by=by
    )
    cycle_reminders_schedule(cycle=cycle)  # its people now hear of the phase deadlines
    return agent


@transaction.atomic
def agent_decide(*, by, agent: ParticipatingAgent, accredited: bool, note: str = "") -> ParticipatingAgent:
    """The budget team accredits an agent or refuses it (with a reason)."""
    cycle_check_runs(cycle=agent.cycle, by=by)
    if not accredited and not note.strip():
        raise ValidationError({"decision_note": _("Say why the organisation is not accredited.")})
    agent.status = ParticipatingAgent.Status.ACCREDITED if accredited else ParticipatingAgent.Status.REFUSED
    agent.decision_note = note
    agent.decided_by = by
    agent.decided_at = timezone.now()
    agent.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    cycle_reminders_schedule(cycle=agent.cycle)  # a refused agent stops hearing of the deadlines
    return agent


def _check_agent_side(*, by, agent: ParticipatingAgent) -> None:
    if by is None or BudgetCycle.objects.editable_by(by).filter(pk=agent.cycle_id).exists():
        return
    if agent.organisation_id not in access_for(by).by_organisation:
        raise PermissionDenied


@transaction.atomic
def delegate_add(
    *, by, agent: ParticipatingAgent, full_name: str, gender: str, dni: str = "", alternate=False
):
    """An agent names its delegates (the organisation's people or the budget team)."""
    _check_agent_side(by=by, agent=agent)
    delegate = Delegate(agent=agent, full_name=full_name, gender=gender, dni=dni, alternate=alternate)
    delegate.full_clean()
    delegate.save()
    return delegate


@transaction.atomic
def delegate_remove(*, by, delegate: Delegate) -> None:
    _check_agent_side(by=by, agent=delegate.agent)
    delegate.delete()


@transaction.atomic
def technical_member_add(
    *, by, cycle: BudgetCycle, full_name: str, position: str, from_civil_society: bool = False
) -> TechnicalTeamMember:
    """The municipality names the Equipo Técnico (voice in the workshops, no vote)."""
    cycle_check_runs(cycle=cycle, by=by)
    member = TechnicalTeamMember(
        cycle=cycle, full_name=full_name, position=position, from_civil_society=from_civil_society
    )
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def technical_member_remove(*, by, member: TechnicalTeamMember) -> None:
    cycle_check_runs(cycle=member.cycle, by=by)
    member.delete()


@dataclass(frozen=True)
class VigilanceCandidate:
    agent: ParticipatingAgent
    full_name: str
    gender: str
    is_president: bool = False
    user: object | None = None


@transaction.atomic
def vigilance_committee_elect(
    *, by, cycle: BudgetCycle, elected_on: datetime.date, members: list[VigilanceCandidate]
) -> list[VigilanceMember]:
    """Record the election of the Comité de Vigilancia by the agents: at least four members, each from an
    accredited agent of this cycle, one president. A new election replaces the previous committee."""
    cycle_check_runs(cycle=cycle, by=by)
    if len(members) < VIGILANCE_MINIMUM:
        raise ValidationError(
            _("The Comité de Vigilancia needs at least %(n)s members; you entered %(count)s.")
            % {"n": VIGILANCE_MINIMUM, "count": len(members)}
        )
    if sum(1 for m in members if m.is_president) != 1:
        raise ValidationError(_("Mark exactly one member as president."))
    for m in members:
        if m.agent.cycle_id != cycle.pk or m.agent.status != ParticipatingAgent.Status.ACCREDITED:
            raise ValidationError(
                _("%(name)s: members come from accredited agents of this cycle.") % {"name": m.full_name}
            )
    VigilanceMember.objects.filter(cycle=cycle).delete()
    created = []
    for m in members:
        member = VigilanceMember(
            cycle=cycle,
            agent=m.agent,
            full_name=m.full_name,
            gender=m.gender,
            is_president=m.is_president,
            user=m.user,
            elected_on=elected_on,
        )
        member.full_clean()
        member.save()
        created.append(member)
    return created
