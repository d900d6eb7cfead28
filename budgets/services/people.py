import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kallpanchis.accounts.access import access_for
from kallpanchis.accounts.models import Role, User
from kallpanchis.organisations.models import Organisation
from kallpanchis.organisations.services import organisation_ensure
from kallpanchis.people.services import NewPerson, person_check_linkable, person_register_and_link
from kallpanchis.people.text import normalise

from ..calendar import phase_state
from ..models import (
    BudgetCycle,
    Delegate,
    ParticipatingAgent,
    PhaseKind,
    TechnicalTeamMember,
    VigilanceMember,
    Workshop,
    WorkshopParticipant,
)
from .common import cycle_check_runs
from .reminders import cycle_reminders_schedule

__all__ = [
    "VIGILANCE_MINIMUM",
    "VigilanceCandidate",
    "agent_add",
    "agent_decide",
    "agent_register",
    "delegate_add",
    "delegate_remove",
    "technical_member_add",
    "technical_member_remove",
    "vigilance_committee_elect",
    "workshop_participant_add",
    "workshop_participant_remove",
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
    # The CCL takes part by right (Ley 28056 art. 5): it is listed, never accredited.
    status = (
        ParticipatingAgent.Status.BY_RIGHT
        if kind == ParticipatingAgent.Kind.CCL
        else ParticipatingAgent.Status.PENDING
    )
    agent = ParticipatingAgent.objects.create(
        cycle=cycle, organisation=organisation, kind=kind, status=status, registered_by=by
    )
    cycle_reminders_schedule(cycle=cycle)  # its people now hear of the phase deadlines
    return agent


@transaction.atomic
def agent_decide(*, by, agent: ParticipatingAgent, accredited: bool, note: str = "") -> ParticipatingAgent:
    """The Equipo Técnico accredits an agent or refuses it (with a reason). Agents by right (the CCL) are
    not accredited (Ley 28056 art. 5), and once the final list is published it no longer changes."""
    cycle_check_runs(cycle=agent.cycle, by=by)
    if agent.status == ParticipatingAgent.Status.BY_RIGHT:
        raise ValidationError(_("The CCL takes part by right: it is not accredited."))
    if BudgetCycle.objects.filter(pk=agent.cycle_id, final_list_on__isnull=False).exists():
        raise ValidationError(_("The final list of agents is published: accreditation no longer changes."))
    if not accredited and not note.strip():
        raise ValidationError({"decision_note": _("Say why the organisation is not accredited.")})
    agent.status = ParticipatingAgent.Status.ACCREDITED if accredited else ParticipatingAgent.Status.REFUSED
    agent.decision_note = note
    agent.decided_by = by
    agent.decided_at = timezone.now()
    agent.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    cycle_reminders_schedule(cycle=agent.cycle)  # a refused agent stops hearing of the deadlines
    return agent


@transaction.atomic
def agent_add(
    *,
    by,
    cycle: BudgetCycle,
    organisation: Organisation | None = None,
    new_organisation: str = "",
    new_organisation_kind: str = "",
    kind: str = ParticipatingAgent.Kind.CIVIL_SOCIETY,
    accredit: bool = False,
) -> ParticipatingAgent:
    """The budget team registers an agent: an organisation on the platform, or one typed by name (an
    existing organisation of that name is reused as it is, never overwritten; else it is created), and
    accredits it at once if asked. One transaction: a refusal at any step leaves no organisation and no
    agent behind."""
    name = new_organisation.strip()
    organisation = (
        organisation
        or Organisation.objects.filter(name__iexact=name).first()
        or organisation_ensure(name=name, kind=new_organisation_kind or Organisation.Kind.PRODUCER)
    )
    agent = agent_register(by=by, cycle=cycle, organisation=organisation, kind=kind)
    if accredit and agent.status == ParticipatingAgent.Status.PENDING:
        agent = agent_decide(by=by, agent=agent, accredited=True)
    return agent


def _check_agent_side(*, by, agent: ParticipatingAgent) -> None:
    if by is None or BudgetCycle.objects.editable_by(by).filter(pk=agent.cycle_id).exists():
        return
    if agent.organisation_id not in access_for(by).by_organisation:
        raise PermissionDenied


@transaction.atomic
def delegate_add(
    *,
    by,
    agent: ParticipatingAgent,
    full_name: str = "",
    gender: str = "",
    dni: str = "",
    alternate=False,
    person=None,
    new_person: NewPerson | None = None,
):
    """An agent names its delegates (the organisation's people or the budget team). A delegate may be a
    person of the register the caller sees (`person`) or be registered there now with their consent
    (`new_person`); the name, gender and DNI then default to theirs. A person is one delegate per agent."""
    _check_agent_side(by=by, agent=agent)
    delegate = Delegate(agent=agent, full_name=full_name, gender=gender, dni=dni, alternate=alternate)

    def link(p):
        delegate.person = p
        delegate.full_name = delegate.full_name or p.display_name
        delegate.gender = delegate.gender or p.gender
        delegate.dni = delegate.dni or p.dni

    if new_person is not None:
        person_register_and_link(by=by, new=new_person, link=lambda p: (link(p), _save(delegate)))
        return delegate
    if person is not None:
        person_check_linkable(by=by, person=person)
        link(person)
    return _save(delegate)


def _save(row):
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def delegate_remove(*, by, delegate: Delegate) -> None:
    _check_agent_side(by=by, agent=delegate.agent)
    delegate.delete()


@transaction.atomic
def technical_member_add(
    *,
    by,
    cycle: BudgetCycle,
    full_name: str,
    position: str,
    from_civil_society: bool = False,
    resolution: str = "",
) -> TechnicalTeamMember:
    """The mayor designates the Equipo Técnico by Resolución de Alcaldía (D.S. 142-2009-EF art. 7): it runs
    the cycle, with voice in the workshops and no vote."""
    cycle_check_runs(cycle=cycle, by=by)
    member = TechnicalTeamMember(
        cycle=cycle,
        full_name=full_name,
        position=position,
        from_civil_society=from_civil_society,
        resolution=resolution,
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
    """A member to elect; `email` names the member's account (found by the service), `user` gives it."""

    agent: ParticipatingAgent
    full_name: str
    gender: str
    is_president: bool = False
    user: object | None = None
    email: str = ""
    person: object | None = None  # the member in the register of people (someone the caller sees)


def _vigilance_accounts(members: list[VigilanceCandidate]) -> dict[str, User]:
    """The accounts the members' e-mails name; an e-mail without an account refuses the election."""
    emails = {m.email.lower() for m in members if m.email and m.user is None}
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    missing = emails - users.keys()
    if missing:
        raise ValidationError(
            _("No account with this e-mail: %(emails)s") % {"emails": ", ".join(sorted(missing))}
        )
    return users


def _delegate_people(*, cycle: BudgetCycle) -> dict:
    """(agent, normalised name) → the person of a delegate of the cycle linked to the register."""
    rows = Delegate.objects.filter(agent__cycle=cycle, person__isnull=False).select_related("person")
    return {(d.agent_id, normalise(d.full_name)): d.person for d in rows if d.person.erased_at is None}


@transaction.atomic
def vigilance_committee_elect(
    *, by, cycle: BudgetCycle, elected_on: datetime.date, members: list[VigilanceCandidate]
) -> list[VigilanceMember]:
    """Record the election of the Comité de Vigilancia by the agents: at least four members, each from an
    accredited agent of this cycle, one president, and each e-mail given names an account (the member's, who
    then reads the cycle and reports). A new election replaces the previous committee. A member who is one
    of their agent's delegates linked to the register of people (the same name) is linked to that person."""
    cycle_check_runs(cycle=cycle, by=by)
    accounts = _vigilance_accounts(members)
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
    for m in members:
        if m.person is not None:
            person_check_linkable(by=by, person=m.person)
    delegates = _delegate_people(cycle=cycle)
    VigilanceMember.objects.filter(cycle=cycle).delete()
    created = []
    for m in members:
        member = VigilanceMember(
            cycle=cycle,
            agent=m.agent,
            # Members are elected among the delegates: one linked to the register brings their person.
            person=m.person or delegates.get((m.agent.pk, normalise(m.full_name))),
            full_name=m.full_name,
            gender=m.gender,
            is_president=m.is_president,
            user=m.user or accounts.get(m.email.lower()),
            elected_on=elected_on,
        )
        member.full_clean()
        member.save()
        created.append(member)
    return created


@transaction.atomic
def workshop_participant_add(
    *,
    by,
    workshop: Workshop,
    name: str = "",
    gender: str = "",
    organisation: Organisation | None = None,
    person=None,
    new_person: NewPerson | None = None,
) -> WorkshopParticipant:
    """The budget team lists who came to a workshop, beside its head-counts: a person of the register it
    sees (`person`), one registered now with their consent (`new_person`), or a name as written (counted
    in totals only). A person is on a workshop's list once."""
    cycle_check_runs(cycle=workshop.cycle, by=by)
    row = WorkshopParticipant(
        workshop=workshop, name=" ".join(name.split()), gender=gender, organisation=organisation
    )

    def link(p):
        row.person = p
        row.name = row.name or p.display_name
        row.gender = row.gender or p.gender

    if new_person is not None:
        person_register_and_link(by=by, new=new_person, link=lambda p: (link(p), _save(row)))
        return row
    if person is not None:
        person_check_linkable(by=by, person=person)
        link(person)
    if not row.name:
        raise ValidationError({"name": _("Write the participant's name or pick them from the register.")})
    row.gender = row.gender or "unstated"
    return _save(row)


@transaction.atomic
def workshop_participant_remove(*, by, participant: WorkshopParticipant) -> None:
    cycle_check_runs(cycle=participant.workshop.cycle, by=by)
    participant.delete()
