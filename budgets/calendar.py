"""The default calendar of a cycle and the phase a cycle is in on a given day.

The participatory budget for fiscal year Y is run during year Y-1 (Ley 28056, Ley 29298, DS 142-2009-EF,
Instructivo 001-2010-EF/76.01): preparation (ordinance, communication, call, registration and training of
the agents), concertation (workshops), coordination between levels of government, and formalisation — the
prioritised projects enter the opening budget (PIA), which the council approves by 31 December of Y-1.
The budget team edits these dates afterwards; the defaults follow common municipal practice.
"""

import datetime
import functools
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import PhaseKind


@dataclass(frozen=True)
class StepPlan:
    name: str
    start: tuple[int, int]  # (month, day) in the year before the fiscal year
    end: tuple[int, int]


@dataclass(frozen=True)
class PhasePlan:
    kind: str
    start: tuple[int, int]
    end: tuple[int, int]
    steps: tuple[StepPlan, ...]


DEFAULT_CALENDAR: tuple[PhasePlan, ...] = (
    PhasePlan(
        PhaseKind.PREPARATION,
        (1, 15),
        (3, 31),
        (
            StepPlan(_("Ordinance and calendar approved by the council"), (1, 15), (1, 31)),
            StepPlan(_("Communication and awareness"), (2, 1), (2, 28)),
            StepPlan(_("Public call"), (2, 1), (2, 15)),
            StepPlan(_("Registration and accreditation of participating agents"), (2, 15), (3, 15)),
            StepPlan(_("Training of participating agents"), (3, 16), (3, 31)),
        ),
    ),
    PhasePlan(
        PhaseKind.CONCERTATION,
        (4, 1),
        (6, 30),
        (
            StepPlan(_("Workshop: accountability of last year's agreements"), (4, 1), (4, 15)),
            StepPlan(_("Workshop: diagnosis and prioritisation of results"), (4, 16), (4, 30)),
            StepPlan(_("Technical evaluation of candidate projects (Equipo Técnico)"), (5, 1), (5, 31)),
            StepPlan(_("Workshop: prioritisation of projects"), (6, 1), (6, 15)),
            StepPlan(_("Formalisation of agreements and commitments (Acta)"), (6, 16), (6, 30)),
        ),
    ),
    PhasePlan(
        PhaseKind.COORDINATION,
        (7, 1),
        (7, 31),
        (
            StepPlan(
                _("Coordination with the province and the region: co-financing, projects escalated"),
                (7, 1),
                (7, 31),
            ),
        ),
    ),
    PhasePlan(
        PhaseKind.FORMALISATION,
        (8, 1),
        (12, 31),
        (
            StepPlan(_("Prioritised projects entered in the opening budget (PIA)"), (8, 1), (10, 31)),
            StepPlan(_("Opening budget approved by the council"), (11, 1), (12, 31)),
        ),
    ),
)


def process_year(fiscal_year: int) -> int:
    return fiscal_year - 1


def council_deadline(fiscal_year: int) -> datetime.date:
    """The council approves the opening budget by 31 December of the year before the fiscal year."""
    return datetime.date(process_year(fiscal_year), 12, 31)


def on(fiscal_year: int, month_day: tuple[int, int]) -> datetime.date:
    month, day = month_day
    year = process_year(fiscal_year)
    if month == 2 and day == 29:
        day = 28
    return datetime.date(year, month, day)


@dataclass(frozen=True)
class PhaseState:
    """Where a cycle stands on a day: before it starts, in a phase, or closed after formalisation."""

    code: str  # "not_started", a PhaseKind value, or "closed"
    label: str


def phase_state(phases, today: datetime.date) -> PhaseState:
    """Derived from dates every time (never stored, so never stale). Between two phases the cycle is
    still in the phase that ended last."""
    phases = sorted(phases, key=lambda p: p.position)
    if not phases or today < phases[0].starts_on:
        return PhaseState("not_started", str(_("Not started")))
    if today > phases[-1].ends_on:
        return PhaseState("closed", str(_("Closed")))
    current = phases[0]
    for phase in phases:
        if phase.starts_on <= today:
            current = phase
    return PhaseState(current.kind, str(current.get_kind_display()))


def step_name_shown(name: str) -> str:
    """A default step's name in the reader's language: the names are stored in the language of whoever
    opened the cycle. A name the budget team changed is shown as written."""
    step = _default_steps_by_name().get(name)
    return str(step.name) if step else name


@functools.cache
def _default_steps_by_name() -> dict[str, StepPlan]:
    found = {}
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            found.update({str(step.name): step for phase in DEFAULT_CALENDAR for step in phase.steps})
    return found
