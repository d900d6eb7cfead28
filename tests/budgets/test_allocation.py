"""Property tests of the pure prioritisation and allocation rules (budgets/allocation.py)."""

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgets import allocation
from budgets.allocation import Candidate, Criterion, MatrixError

MATRIX = [
    Criterion(key=1, weight=Decimal("30"), scale_max=5),
    Criterion(key=2, weight=Decimal("25"), scale_max=5),
    Criterion(key=3, weight=Decimal("20"), scale_max=5),
    Criterion(key=4, weight=Decimal("15"), scale_max=5),
    Criterion(key=5, weight=Decimal("10"), scale_max=5),
]

money = st.decimals(min_value=Decimal("0"), max_value=Decimal("2000000"), places=2, allow_nan=False)
score = st.integers(min_value=0, max_value=5).map(Decimal)


@st.composite
def candidates(draw):
    n = draw(st.integers(min_value=0, max_value=25))
    keys = draw(st.lists(st.integers(min_value=1, max_value=10_000), min_size=n, max_size=n, unique=True))
    return [
        Candidate(
            key=k,
            requested=draw(money),
            families=draw(st.integers(min_value=1, max_value=400)),
            scores={c.key: draw(score) for c in MATRIX},
        )
        for k in keys
    ]


@settings(max_examples=100, deadline=None)
@given(candidates(), money)
def test_allocation_never_exceeds_the_envelope(cands, envelope):
    result = allocation.prioritise(MATRIX, cands, envelope)
    assert sum((r.amount for r in result if r.amount is not None), Decimal(0)) <= envelope
    assert all(r.amount in (None, r.ranked.candidate.requested) for r in result)


@settings(max_examples=100, deadline=None)
@given(candidates(), money)
def test_a_higher_ranked_project_that_fits_is_never_skipped(cands, envelope):
    result = allocation.prioritise(MATRIX, cands, envelope)
    spent = Decimal(0)
    for row in sorted(result, key=lambda r: r.ranked.position):
        fits = row.ranked.candidate.requested <= envelope - spent
        assert (row.amount is not None) == fits
        if row.amount is not None:
            spent += row.amount


@settings(max_examples=80, deadline=None)
@given(candidates(), money, st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_input_order(cands, envelope, rnd):
    shuffled = list(cands)
    rnd.shuffle(shuffled)

    def summary(result):
        return [(r.ranked.candidate.key, r.ranked.position, r.ranked.total, r.amount) for r in result]

    assert summary(allocation.prioritise(MATRIX, cands, envelope)) == summary(
        allocation.prioritise(MATRIX, shuffled, envelope)
    )


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=2), min_size=1, max_size=8
    )
)
def test_weights_must_add_up_to_100(weights):
    matrix = [Criterion(key=i, weight=w, scale_max=5) for i, w in enumerate(weights)]
    if sum(weights) == 100:
        allocation.matrix_check(matrix)
    else:
        with pytest.raises(MatrixError, match="must add up to exactly 100 %"):
            allocation.rank(matrix, [])


@settings(max_examples=80, deadline=None)
@given(candidates())
def test_ranking_is_ordered_by_score_then_the_stated_tie_break(cands):
    ranked = allocation.rank(MATRIX, cands)
    keys = [(-r.total, -r.candidate.families, r.candidate.requested, r.candidate.key) for r in ranked]
    assert keys == sorted(keys)
    assert [r.position for r in ranked] == list(range(1, len(cands) + 1))
    assert all(Decimal(0) <= r.total <= Decimal(100) for r in ranked)


def test_a_project_that_does_not_fit_is_skipped_and_the_next_considered():
    full = {c.key: Decimal(5) for c in MATRIX}
    high = {c.key: Decimal(4) for c in MATRIX}
    low = {c.key: Decimal(2) for c in MATRIX}
    cands = [
        Candidate(key=1, requested=Decimal("300000"), families=80, scores=full),
        Candidate(key=2, requested=Decimal("250000"), families=60, scores=high),
        Candidate(key=3, requested=Decimal("150000"), families=40, scores=low),
    ]
    result = allocation.prioritise(MATRIX, cands, Decimal("500000"))
    assert [(r.ranked.candidate.key, r.ranked.total, r.amount) for r in result] == [
        (1, Decimal("100.00"), Decimal("300000")),
        (2, Decimal("80.00"), None),
        (3, Decimal("40.00"), Decimal("150000")),
    ]


def test_ties_go_to_more_families_then_lower_request_then_earlier_proposal():
    same = {c.key: Decimal(3) for c in MATRIX}
    cands = [
        Candidate(key=9, requested=Decimal("100"), families=50, scores=same),
        Candidate(key=4, requested=Decimal("100"), families=50, scores=same),
        Candidate(key=7, requested=Decimal("90"), families=50, scores=same),
        Candidate(key=8, requested=Decimal("500"), families=70, scores=same),
    ]
    random.Random(3).shuffle(cands)
    assert [r.candidate.key for r in allocation.rank(MATRIX, cands)] == [8, 7, 4, 9]


def test_total_score_weights_each_criterion_on_its_scale():
    matrix = [
        Criterion(key=1, weight=Decimal("60"), scale_max=10),
        Criterion(key=2, weight=Decimal("40"), scale_max=3),
    ]
    assert allocation.total_score(matrix, {1: Decimal(7), 2: Decimal(1)}) == Decimal("55.33")
