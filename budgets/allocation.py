"""Prioritisation and allocation of a participatory-budget cycle, as pure Python (no Django, no database).

The rules, as the budget team states them in the workshop and in the Acta:

* The criteria matrix gives each criterion a weight in percent; the weights must add up to exactly 100 %.
* A project's total score is  Σ weight × score / scale_max  over the criteria: a number from 0 to 100,
  rounded half-up to two decimals.
* Ranking: higher total first. Ties are broken, in this order, by (1) more beneficiary families,
  (2) lower amount requested from the municipality, (3) the earlier proposal (lower proposal number).
  Proposal numbers are unique, so the ranking is a total order and never depends on input order.
* Allocation goes down the ranking: each project receives the amount it requests from the municipality
  (cost minus co-financing offered) if that still fits in what is left of the envelope; a project that does
  not fit is skipped and the next one is considered.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal("100")
CENT = Decimal("0.01")

TIE_BREAK_RULE = (
    "Equal totals are ordered by more beneficiary families, then by the lower amount requested from the "
    "municipality, then by the earlier proposal number."
)


class MatrixError(ValueError):
    """The criteria matrix cannot be used (weights do not add up to 100 %, or a scale is invalid)."""


@dataclass(frozen=True)
class Criterion:
    key: int
    weight: Decimal  # percent
    scale_max: int


@dataclass(frozen=True)
class Candidate:
    key: int  # the proposal number: unique, earlier = lower
    requested: Decimal  # what the municipality is asked to pay (cost minus co-financing)
    families: int
    scores: Mapping[int, Decimal]  # criterion key -> score on that criterion's scale


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    total: Decimal
    position: int


@dataclass(frozen=True)
class Allocated:
    ranked: Ranked
    amount: Decimal | None  # None: skipped, it did not fit in what was left


def matrix_check(criteria: Sequence[Criterion]) -> None:
    """Refuse a matrix whose weights do not add up to 100 % or that has a useless scale."""
    if not criteria:
        raise MatrixError("The matrix needs at least one criterion.")
    total = sum((Decimal(c.weight) for c in criteria), Decimal(0))
    if total != HUNDRED:
        raise MatrixError(f"The weights add up to {total} %; they must add up to exactly 100 %.")
    for c in criteria:
        if Decimal(c.weight) <= 0:
            raise MatrixError("Every weight must be more than 0 %.")
        if c.scale_max < 1:
            raise MatrixError("Every scale must go from 0 to at least 1.")
    if len({c.key for c in criteria}) != len(criteria):
        raise MatrixError("A criterion appears twice.")


def total_score(criteria: Sequence[Criterion], scores: Mapping[int, Decimal]) -> Decimal:
    """Weighted total on 0–100. A missing score counts as 0; criteria are summed in key order."""
    total = Decimal(0)
    for c in sorted(criteria, key=lambda c: c.key):
        score = Decimal(scores.get(c.key, 0))
        total += Decimal(c.weight) * score / Decimal(c.scale_max)
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def rank(criteria: Sequence[Criterion], candidates: Iterable[Candidate]) -> list[Ranked]:
    """The ranking (see TIE_BREAK_RULE). Refuses an invalid matrix."""
    matrix_check(criteria)
    scored = [(total_score(criteria, c.scores), c) for c in candidates]
    scored.sort(key=lambda pair: (-pair[0], -pair[1].families, pair[1].requested, pair[1].key))
    return [Ranked(candidate=c, total=t, position=i) for i, (t, c) in enumerate(scored, start=1)]


def allocate(ranking: Sequence[Ranked], envelope: Decimal) -> list[Allocated]:
    """Walk down the ranking; fund what fits in what is left, skip what does not."""
    left = Decimal(envelope)
    result = []
    for ranked in sorted(ranking, key=lambda r: r.position):
        requested = Decimal(ranked.candidate.requested)
        if requested <= left:
            left -= requested
            result.append(Allocated(ranked=ranked, amount=requested))
        else:
            result.append(Allocated(ranked=ranked, amount=None))
    return result


def prioritise(
    criteria: Sequence[Criterion], candidates: Iterable[Candidate], envelope: Decimal
) -> list[Allocated]:
    """Ranking and allocation in one call."""
    return allocate(rank(criteria, candidates), envelope)
