"""Whatever sequence of submissions, returns, approvals and corrections people make, an approved value never
changes: changing it takes a new version with a reason, and the figure that counts is the latest approved."""

import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from results import selectors, services
from results.models import Report

from .factories import YEAR, assign, indicator

EXAMPLES = itertools.count()
ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["submit", "return", "approve", "correct"]),
        st.integers(min_value=0, max_value=500),
        st.sampled_from(["", "Acta de campo"]),
    ),
    min_size=1,
    max_size=12,
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_approved_values_never_change_without_a_new_version(
    coordinator, technician_anta, municipalities, actions
):
    # Examples share the test's database: each gets its own indicator.
    ind = indicator(coordinator, code=f"h{next(EXAMPLES)}", disaggregations=[])
    s1, _s2 = assign(coordinator, ind, municipalities["anta"], target="300")
    approved_rows: dict[int, tuple] = {}
    for action, value, reason in actions:
        latest = Report.objects.filter(indicator=ind).order_by("-version").first()
        try:
            if action == "submit":
                services.report_submit(
                    by=technician_anta,
                    indicator=ind,
                    municipality=municipalities["anta"],
                    period=s1,
                    value=value,
                )
            elif action == "return" and latest:
                services.report_return(by=coordinator, report=latest, comment="Revisar")
            elif action == "approve" and latest:
                services.report_approve(by=coordinator, report=latest)
            elif action == "correct" and latest:
                services.report_correct(
                    by=technician_anta, report=latest, reason=reason, value=Decimal(value)
                )
        except (ValidationError, PermissionDenied):
            pass
        for pk, before in approved_rows.items():
            row = Report.objects.get(pk=pk)
            assert (row.state, row.value, row.version, row.narrative) == before
        for row in Report.objects.filter(indicator=ind, state=Report.State.APPROVED):
            approved_rows.setdefault(row.pk, (row.state, row.value, row.version, row.narrative))
    versions = list(Report.objects.filter(indicator=ind).order_by("version"))
    assert [r.version for r in versions] == list(range(1, len(versions) + 1))
    for earlier, later in zip(versions, versions[1:], strict=False):
        assert earlier.state == Report.State.APPROVED  # only an approved value is ever superseded
        assert later.supersedes_id == earlier.pk and later.correction_reason
    approved_versions = [r for r in versions if r.state == Report.State.APPROVED]
    card = selectors.scorecard(user=coordinator, year=YEAR)
    cell = next(c for c in card.rows[0][1] if c.indicator.pk == ind.pk)
    assert cell.actual == (approved_versions[-1].value if approved_versions else None)
