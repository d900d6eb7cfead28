"""Who takes part and how it is recorded, as the law names it: agents by right (CCL members, regidores),
accreditation with its published lists and challenges (tachas), the CCL's opinion and the presentation of
results to the CCL and the council, and the signing of the acta with its quorum."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import AgentByRight, BudgetCycle, Challenge, ParticipatingAgent, Proposal
from .common import cycle_check_runs

__all__ = [
    "acta_record",
    "agent_by_right_add",
    "challenge_decide",
    "challenge_file",
    "cycle_governance_set",
    "final_list_publish",
    "preliminary_list_publish",
    "quorum",
]


@transaction.atomic
def agent_by_right_add(
    *, by, cycle: BudgetCycle, seat: str, full_name: str, gender: str, represents: str = "", user=None
) -> AgentByRight:
    """CCL members and regidores are participating agents by right (Ley 28056 art. 1 and 5; D.S.
    142-2009-EF art. 2): they are listed, never accredited, and count for the quorum."""
    cycle_check_runs(cycle=cycle, by=by)
    member = AgentByRight(
        cycle=cycle, seat=seat, full_name=full_name, gender=gender, represents=represents, user=user
    )
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def cycle_governance_set(
    *,
    by,
    cycle: BudgetCycle,
    mayor_name: str,
    mayor_gender: str,
    accreditation_requirements: str,
    ccl_opinion: str = "",
    ccl_opinion_on: datetime.date | None = None,
    results_to_ccl_on: datetime.date | None = None,
    results_to_council_on: datetime.date | None = None,
) -> BudgetCycle:
    """The mayor who signs, the accreditation requirements, the CCL's opinion on the ordinance (Ley 28056
    art. 5) and the presentation of the results to the CCL and then to the municipal council (D.S.
    142-2009-EF art. 6 and 9). The opinion has a date and a text; results are presented once the
    allocation is saved, to the CCL first."""
    cycle_check_runs(cycle=cycle, by=by)
    cycle = BudgetCycle.objects.select_for_update().get(pk=cycle.pk)
    if bool(ccl_opinion.strip()) != bool(ccl_opinion_on):
        raise ValidationError({"ccl_opinion_on": _("The CCL's opinion has a date and a text.")})
    if (results_to_ccl_on or results_to_council_on) and not Proposal.objects.filter(
        cycle=cycle, allocated__isnull=False
    ).exists():
        raise ValidationError(_("Save the ranking and allocation before presenting the results."))
    if results_to_council_on and (not results_to_ccl_on or results_to_council_on < results_to_ccl_on):
        raise ValidationError(
            {"results_to_council_on": _("The results go to the CCL first, then to the municipal council.")}
        )
    cycle.mayor_name, cycle.mayor_gender = mayor_name, mayor_gender
    cycle.accreditation_requirements = accreditation_requirements
    cycle.ccl_opinion, cycle.ccl_opinion_on = ccl_opinion, ccl_opinion_on
    cycle.results_to_ccl_on, cycle.results_to_council_on = results_to_ccl_on, results_to_council_on
    cycle.full_clean()
    cycle.save()
    return cycle


@transaction.atomic
def preliminary_list_publish(
    *, by, cycle: BudgetCycle, on: datetime.date, challenges_until: datetime.date
) -> BudgetCycle:
    """The preliminary list of accredited agents is published once every registered organisation has its
    decision, with the last day to challenge it (Instructivo 001-2010-EF/76.01, registration and
    accreditation)."""
    cycle_check_runs(cycle=cycle, by=by)
    cycle = BudgetCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.final_list_on:
        raise ValidationError(_("The final list is already published."))
    if cycle.agents.filter(status=ParticipatingAgent.Status.PENDING).exists():
        raise ValidationError(_("Decide on every registered organisation before publishing the list."))
    if challenges_until < on:
        raise ValidationError(
            {"challenges_until": _("The challenge period ends on or after the publication.")}
        )
    cycle.preliminary_list_on, cycle.challenges_until = on, challenges_until
    cycle.save(update_fields=["preliminary_list_on", "challenges_until", "updated_at"])
    return cycle


@transaction.atomic
def challenge_file(
    *, by, agent: ParticipatingAgent, filed_by: str, grounds: str, filed_on: datetime.date
) -> Challenge:
    """A challenge (tacha) against an agent of the preliminary list, filed within the challenge period."""
    cycle = BudgetCycle.objects.get(pk=agent.cycle_id)
    cycle_check_runs(cycle=cycle, by=by)
    agent = ParticipatingAgent.objects.select_for_update().get(pk=agent.pk)
    if not cycle.preliminary_list_on:
        raise ValidationError(_("Publish the preliminary list first: challenges are against it."))
    if not (cycle.preliminary_list_on <= filed_on <= cycle.challenges_until):
        raise ValidationError(
            {
                "filed_on": _("Challenges are filed from %(start)s to %(end)s.")
                % {
                    "start": cycle.preliminary_list_on.strftime("%d/%m/%Y"),
                    "end": cycle.challenges_until.strftime("%d/%m/%Y"),
                }
            }
        )
    if agent.status != ParticipatingAgent.Status.ACCREDITED:
        raise ValidationError(_("Only an agent on the preliminary list can be challenged."))
    challenge = Challenge(agent=agent, filed_by=filed_by, grounds=grounds, filed_on=filed_on)
    challenge.full_clean()
    challenge.save()
    return challenge


@transaction.atomic
def challenge_decide(
    *, by, challenge: Challenge, upheld: bool, resolution: str, on: datetime.date
) -> Challenge:
    """The Equipo Técnico decides a challenge, with reasons, before the final list: upheld, the agent is not
    accredited."""
    agent = challenge.agent
    cycle = BudgetCycle.objects.get(pk=agent.cycle_id)
    cycle_check_runs(cycle=cycle, by=by)
    if cycle.final_list_on:
        raise ValidationError(_("The final list is already published."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Write the reasons of the decision.")})
    challenge.status = Challenge.Status.UPHELD if upheld else Challenge.Status.DISMISSED
    challenge.resolution, challenge.resolved_on = resolution, on
    challenge.save(update_fields=["status", "resolution", "resolved_on"])
    if upheld:
        ParticipatingAgent.objects.filter(pk=agent.pk).update(
            status=ParticipatingAgent.Status.REFUSED,
            decision_note=_("Challenge upheld: %(reasons)s") % {"reasons": resolution},
            decided_by=by,
        )
    return challenge


@transaction.atomic
def final_list_publish(*, by, cycle: BudgetCycle, on: datetime.date) -> BudgetCycle:
    """The final list is published after the challenge period, once every challenge is decided; from then
    on accreditation does not change."""
    cycle_check_runs(cycle=cycle, by=by)
    cycle = BudgetCycle.objects.select_for_update().get(pk=cycle.pk)
    if not cycle.preliminary_list_on:
        raise ValidationError(_("Publish the preliminary list first."))
    if on <= cycle.challenges_until:
        raise ValidationError(
            {
                "on": _("The challenge period runs until %(date)s.")
                % {"date": cycle.challenges_until.strftime("%d/%m/%Y")}
            }
        )
    if Challenge.objects.filter(agent__cycle=cycle, status=Challenge.Status.PENDING).exists():
        raise ValidationError(_("Decide every challenge before publishing the final list."))
    cycle.final_list_on = on
    cycle.save(update_fields=["final_list_on", "updated_at"])
    return cycle


def quorum(cycle: BudgetCycle, present: int | None = None) -> tuple[int, int, bool]:
    """(present, agents with a vote, reached): the agents with a vote are the accredited ones and the agents
    by right; the quorum is more than half of them (the usual rule of the ordinances that regulate the
    process under D.S. 142-2009-EF)."""
    voting = (
        cycle.agents.filter(
            status__in=(ParticipatingAgent.Status.ACCREDITED, ParticipatingAgent.Status.BY_RIGHT)
        ).count()
        + cycle.agents_by_right.count()
    )
    present = cycle.acta_agents_present if present is None else present
    present = present or 0
    return present, voting, voting > 0 and present * 2 > voting


@transaction.atomic
def acta_record(*, by, cycle: BudgetCycle, signed_on: datetime.date, agents_present: int) -> BudgetCycle:
    """The formalisation workshop signs the Acta de Acuerdos y Compromisos with quorum (more than half of
    the agents with a vote present), once the allocation is saved."""
    cycle_check_runs(cycle=cycle, by=by)
    cycle = BudgetCycle.objects.select_for_update().get(pk=cycle.pk)
    if not Proposal.objects.filter(cycle=cycle, allocated__isnull=False).exists():
        raise ValidationError(_("Save the ranking and allocation before signing the acta."))
    present, voting, reached = quorum(cycle, agents_present)
    if present > voting:
        raise ValidationError({"agents_present": _("More agents present than agents with a vote.")})
    if not reached:
        raise ValidationError(
            {
                "agents_present": _(
                    "No quorum: %(present)s of %(voting)s agents with a vote; more than half must be present."
                )
                % {"present": present, "voting": voting}
            }
        )
    cycle.acta_signed_on, cycle.acta_agents_present = signed_on, agents_present
    cycle.save(update_fields=["acta_signed_on", "acta_agents_present", "updated_at"])
    return cycle
