"""Everything results/ pages, exports and the dashboard read, scoped to the person: the framework pages are
the consortium's (a 404 for anyone else), reporters see what they are assigned, municipal staff see their
municipality's figures (a provincial one's: its districts' too). A fixed number of queries per page.

A package of four: common (words, who may read), framework (indicators, assignments, reports), scorecard
(cells of approved values against targets) and dashboard (the reported indicators beside the computed
ones); every name is read from here, as `selectors.name`."""

from .common import (  # noqa: F401
    STATUS_LABELS,
    STATUS_ORDER,
    framework_reader,
    framework_reader_or_404,
    municipalities_for_user,
    scorecard_reader,
)
from .dashboard import (  # noqa: F401
    REPORTED_SOURCE,
    _dashboard_places,
    _described,
    reported_detail,
    reported_figures,
)
from .framework import (  # noqa: F401
    _reporter_q,
    assignments_for_reporter,
    indicator_assignments,
    indicator_get_for_user,
    indicator_targets,
    indicators_for_user,
    report_get_for_user,
    report_versions,
    report_visible_q,
    reporting_rows,
    reports_to_review,
)
from .scorecard import (  # noqa: F401
    BADGES,
    Cell,
    Scorecard,
    _approved_by_key,
    _expected,
    _number_formatter,
    _sort,
    _targets_by_key,
    _yearly_target,
    cell_detail,
    cell_for,
    figure_text,
    scorecard,
    scorecard_axes,
    scorecard_municipalities,
)
