"""What budgets/ puts on a person's home page (kallpanchis/core/pending.py): for those who run a cycle,
today's steps of its calendar, proposals to evaluate, scores missing and the next legal deadline; for an
association's leader, a cycle open for registration in their municipality."""

import datetime

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from kallpanchis.accounts.models import Role
from kallpanchis.core import pending
from kallpanchis.core.pending import NextStep, PendingItem

from . import selectors
from .calendar import council_deadline, phase_state
from .models import RUNNING_ROLES, PhaseKind

# Steps starting within this many days are listed too, so the team sees the next one coming.
STEPS_AHEAD_DAYS = 7


def _short(day) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


@pending.register
def budgets_pending(user, access, today):
    items: list = []
    if access.organisations_with(*RUNNING_ROLES):
        items += _running(user, access, today)
    if access.association_organisations:
        items += _registration(access.association_organisations, today)
    return items


def _concertation_end(cycle) -> datetime.date | None:
    for phase in cycle.phases.all():
        if phase.kind == PhaseKind.CONCERTATION:
            return phase.ends_on
    return None


def _running(user, access, today) -> list:
    cycles = selectors.cycles_running(user=user, today=today)
    if not cycles:
        return []
    items: list = []
    budget_team = access.has(Role.TECHNICAL_TEAM)
    ahead = today + datetime.timedelta(days=STEPS_AHEAD_DAYS)
    for cycle in cycles:
        timeline = reverse("budgets:cycle_timeline", args=[cycle.pk])
        phases = list(cycle.phases.all())
        for phase in phases:
            for step in phase.steps.all():
                if step.ends_on >= today and step.starts_on <= ahead:
                    items.append(
                        PendingItem(
                            title=f"{cycle}: {step.shown_name}",
                            url=timeline,
                            action_label=_("Open the calendar"),
                            due=step.ends_on,
                            kind="budget_step",
                            detail=_("From %(start)s to %(end)s")
                            % {"start": _short(step.starts_on), "end": _short(step.ends_on)},
                        )
                    )
        if budget_team:
            items.append(_phase_note(cycle, phases, today))
    if budget_team:
        items += _proposals(cycles)
    return items


def _phase_note(cycle, phases, today) -> NextStep:
    """The cycle's phase today and the next legal deadline: the end of a phase, or the council's approval
    of the opening budget (31 December of the year before the fiscal year)."""
    state = phase_state(phases, today)
    upcoming = [(p.ends_on, p.get_kind_display()) for p in phases if p.ends_on >= today]
    deadline, what = min(upcoming) if upcoming else (None, "")
    council = council_deadline(cycle.fiscal_year)
    if deadline is None or council < deadline:
        deadline, what = council, _("approval of the opening budget by the council")
    else:
        what = _("end of the phase “%(phase)s”") % {"phase": what}
    return NextStep(
        text=_("%(cycle)s — phase: %(phase)s. Next legal deadline: %(what)s, %(date)s")
        % {"cycle": cycle, "phase": state.label, "what": what, "date": _short(deadline)},
        url=reverse("budgets:cycle_detail", args=[cycle.pk]),
        link_label=_("Open the cycle"),
    )


def _proposals(cycles) -> list:
    items: list = []
    by_pk = {cycle.pk: cycle for cycle in cycles}
    proposals, total = selectors.proposals_to_evaluate(cycles=cycles)
    for proposal in proposals:
        cycle = by_pk[proposal.cycle_id]
        items.append(
            PendingItem(
                title=proposal.title,
                # The evaluation form sits on the proposal's page (its URL only takes the POST).
                url=reverse("budgets:proposal_detail", args=[proposal.pk]) + "#evaluation",
                action_label=_("Evaluate"),
                due=_concertation_end(cycle),
                kind="proposal",
                detail=_("%(cycle)s · proposed by %(agent)s")
                % {"cycle": cycle, "agent": proposal.agent.organisation},
            )
        )
    if total > len(proposals):
        items.append(
            NextStep(
                text=_("%(count)s more proposals wait for their technical evaluation")
                % {"count": total - len(proposals)},
                url=reverse("budgets:proposal_list", args=[proposals[0].cycle_id]),
                link_label=_("Proposals"),
            )
        )
    for cycle_id, missing in selectors.proposals_missing_scores(cycles=cycles).items():
        cycle = by_pk[cycle_id]
        items.append(
            PendingItem(
                title=ngettext(
                    "%(cycle)s: %(count)s admissible proposal without all its scores",
                    "%(cycle)s: %(count)s admissible proposals without all their scores",
                    len(missing),
                )
                % {"cycle": cycle, "count": len(missing)},
                url=reverse("budgets:proposal_scores", args=[missing[0]]),
                action_label=_("Enter the scores"),
                due=_concertation_end(cycle),
                kind="scores",
                links=((_("Ranking"), reverse("budgets:ranking", args=[cycle_id])),),
            )
        )
    return items


def _registration(organisation_ids, today) -> list:
    items: list = []
    for cycle, _organisation_id, agent in selectors.cycles_open_to_associations(
        organisation_ids=organisation_ids, today=today
    ):
        preparation = next((p for p in cycle.phases.all() if p.kind == PhaseKind.PREPARATION), None)
        if agent is None:
            items.append(
                PendingItem(
                    title=_("Participatory budget %(year)s of %(municipality)s: registration is open")
                    % {"year": cycle.fiscal_year, "municipality": cycle.municipality},
                    url=reverse("budgets:agent_join", args=[cycle.pk]),
                    action_label=pgettext("budget agent", "Register"),
                    due=preparation.ends_on if preparation else None,
                    kind="budget_registration",
                    detail=_("Registration closes on %(date)s") % {"date": _short(preparation.ends_on)}
                    if preparation
                    else "",
                )
            )
        else:
            items.append(
                NextStep(
                    text=_("Participatory budget %(year)s of %(municipality)s: %(status)s")
                    % {
                        "year": cycle.fiscal_year,
                        "municipality": cycle.municipality,
                        "status": agent.get_status_display(),
                    },
                    url=reverse("budgets:cycle_detail", args=[cycle.pk]),
                    link_label=_("Open the cycle"),
                )
            )
    return items
