"""Participatory-budget cycles as Ley 28056 (amended by Ley 29298), DS 142-2009-EF and Instructivo
001-2010-EF/76.01 run them: phases and steps, participating agents, Equipo Técnico, Comité de Vigilancia,
workshops, proposals, the criteria matrix, scores, allocation, execution follow-up and its history.

One module per part of the cycle; everything is importable from budgets.models."""

from .agents import (
    AgentByRight,
    Challenge,
    Delegate,
    ParticipatingAgent,
    ParticipatingAgentQuerySet,
    TechnicalTeamMember,
)
from .cycles import (
    MONEY,
    PHASE_ORDER,
    RUNNING_ROLES,
    BudgetCycle,
    BudgetCycleQuerySet,
    Phase,
    PhaseKind,
    Step,
)
from .execution import ExecutionUpdate, Milestone
from .history import HistoryEntry
from .procompite import BusinessPlan
from .proposals import (
    STALLED_AFTER_DAYS,
    Criterion,
    ProgrammedAmount,
    Proposal,
    ProposalQuerySet,
    Replacement,
    Score,
)
from .vigilance import VigilanceMember, VigilanceReport
from .workshops import Workshop, WorkshopParticipant

__all__ = [
    "AgentByRight",
    "BusinessPlan",
    "Challenge",
    "ProgrammedAmount",
    "Replacement",
    "BudgetCycle",
    "BudgetCycleQuerySet",
    "Criterion",
    "Delegate",
    "ExecutionUpdate",
    "HistoryEntry",
    "MONEY",
    "Milestone",
    "PHASE_ORDER",
    "ParticipatingAgent",
    "ParticipatingAgentQuerySet",
    "Phase",
    "PhaseKind",
    "Proposal",
    "ProposalQuerySet",
    "RUNNING_ROLES",
    "STALLED_AFTER_DAYS",
    "Score",
    "Step",
    "TechnicalTeamMember",
    "VigilanceMember",
    "VigilanceReport",
    "Workshop",
    "WorkshopParticipant",
]
