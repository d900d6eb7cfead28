"""The participatory budget's lists as tables (header, rows) for "Download CSV / XLSX": the same rows as
the page, written by kallpanchis.core.exports, in a fixed number of queries."""

from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors

CHUNK = 500


def cycle_table(cycles) -> tuple[list, object]:
    today = timezone.localdate()
    header = [_("No."), _("Municipality"), _("Fiscal year"), _("Phase"), _("Envelope (S/)")]
    rows = (
        [
            c.pk,
            c.municipality.organisation.name,
            c.fiscal_year,
            selectors.cycle_state(c, today).label,
            c.envelope,
        ]
        for c in cycles.iterator(chunk_size=CHUNK)
    )
    return header, rows


def proposal_table(proposals) -> tuple[list, object]:
    header = [
        _("No."),
        _("Project"),
        _("Participating agent"),
        _("District"),
        _("Total cost (S/)"),
        _("Beneficiary families"),
        _("Women among the beneficiaries"),
        _("Status"),
        _("Score"),
        _("Rank"),
        _("Allocated (S/)"),
    ]
    rows = (
        [
            p.number,
            p.title,
            p.agent.organisation.name,
            p.district.name if p.district else "",
            p.cost,
            p.families,
            p.women,
            p.get_status_display(),
            p.total_score,
            p.rank,
            p.allocated,
        ]
        for p in proposals.iterator(chunk_size=CHUNK)
    )
    return header, rows


def allocation_table(projects) -> tuple[list, object]:
    """The prioritised projects with allocation and execution (the execution page's table)."""
    header = [
        _("Rank"),
        _("No."),
        _("Project"),
        _("Participating agent"),
        _("Allocated (S/)"),
        _("Spent (S/)"),
        _("Spent (%)"),
        _("Progress (%)"),
        _("Figures as of"),
        _("Milestones"),
        _("Milestones done"),
        _("Overdue milestones"),
    ]
    rows = [
        [
            p.rank,
            p.number,
            p.title,
            p.agent.organisation.name,
            p.allocated,
            p.spent,
            p.spent_pct,
            p.progress_pct,
            p.figures_on,
            len(p.milestones.all()),
            sum(1 for m in p.milestones.all() if m.done_on),
            p.overdue_milestones,
        ]
        for p in projects
    ]
    return header, rows
