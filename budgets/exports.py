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


def mef_sheets(cycle) -> list[tuple[str, list, list]]:
    """The cycle in the shape of the MEF's participatory-budget application (aplicativo del presupuesto
    participativo): general data, Equipo Técnico, agents, prioritised results, projects, Comité de
    Vigilancia, acta. Each part is (sheet name, header, rows); no names of delegates beyond what the
    application itself asks (the committee and the Equipo Técnico are public office)."""
    context = selectors.acta_context(cycle=cycle)
    municipality = cycle.municipality
    q = context["quorum"]
    general = [
        [_("Municipality"), municipality.organisation.name],
        [_("Level"), municipality.get_level_display()],
        [_("UBIGEO"), municipality.ubigeo],
        [_("Fiscal year"), cycle.fiscal_year],
        [_("Envelope (S/)"), cycle.envelope],
        [_("Ordinance"), cycle.ordinance_reference],
        [_("Opinion of the CCL on the ordinance"), cycle.ccl_opinion_on],
        [_("Preliminary list published on"), cycle.preliminary_list_on],
        [_("Final list published on"), cycle.final_list_on],
        [_("Results presented to the CCL on"), cycle.results_to_ccl_on],
        [_("Results presented to the municipal council on"), cycle.results_to_council_on],
    ]
    team = [
        [m.full_name, m.position, m.resolution, _("Yes") if m.from_civil_society else _("No")]
        for m in context["technical_team"]
    ]
    agents = [
        [a.organisation.name, a.get_kind_display(), a.get_status_display(), a.delegate_count]
        for a in context["agents"]
    ] + [
        [m.full_name, m.get_seat_display(), _("Agent by right (no accreditation)"), ""]
        for m in context["by_right"]
    ]
    results = [[i, r] for i, r in enumerate(cycle.results_list, start=1)]
    projects = [
        [
            p.rank,
            p.cui,
            p.title,
            p.get_investment_status_display(),
            p.get_funding_display(),
            p.district.name,
            p.cost,
            p.allocated,
            p.cofinancing,
            p.cofinancing_source,
            "; ".join(f"{y.year}: {y.amount}" for y in p.programming.all()),
            _("Funded"),
        ]
        for p in context["projects"]
    ] + [
        [
            p.rank,
            p.cui,
            p.title,
            p.get_investment_status_display(),
            p.get_funding_display(),
            p.district.name,
            p.cost,
            p.requested,
            p.cofinancing,
            p.cofinancing_source,
            "; ".join(f"{y.year}: {y.amount}" for y in p.programming.all()),
            _("Reserve list"),
        ]
        for p in context["reserve"]
    ]
    vigilance = [
        [m.full_name, m.agent.organisation.name, _("president") if m.is_president else "", m.elected_on]
        for m in context["vigilance"]
    ]
    acta = [
        [_("Acta signed on"), cycle.acta_signed_on],
        [_("Agents with a vote"), q["voting"]],
        [_("Agents present at the signing"), q["present"]],
        [_("Quorum"), _("reached") if q["reached"] else _("not reached")],
        [_("Total allocated (S/)"), context["totals"]["allocated"]],
        [_("Commitments of the participating agents"), cycle.agents_commitments],
    ]
    return [
        (_("General data"), [_("Item"), _("Value")], general),
        (_("Equipo Técnico"), [_("Full name"), _("Position"), _("Designated by"), _("Civil society")], team),
        (
            _("Participating agents"),
            [_("Agent"), _("Kind of agent"), _("Accreditation"), _("Delegates")],
            agents,
        ),
        (_("Prioritised results"), [_("No."), _("Result")], results),
        (
            _("Projects"),
            [
                _("Rank"),
                _("CUI"),
                _("Project"),
                _("Status in Invierte.pe"),
                _("The participatory budget funds"),
                _("District"),
                _("Total cost (S/)"),
                _("Amount this year (S/)"),
                _("Co-financing (S/)"),
                _("Who co-finances"),
                _("Multi-year programming"),
                _("Situation"),
            ],
            projects,
        ),
        (_("Comité de Vigilancia"), [_("Full name"), _("Agent"), _("Position"), _("Elected on")], vigilance),
        (_("Acta"), [_("Item"), _("Value")], acta),
    ]


def mef_xlsx(sheets) -> bytes:
    """One worksheet per part, bold header, no formulas (values go through core.exports.cell)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from kallpanchis.core.exports import cell

    book = Workbook()
    book.remove(book.active)
    for name, header, rows in sheets:
        ws = book.create_sheet(str(name)[:31])
        ws.append([cell(str(h)) for h in header])
        for c in ws[1]:
            c.font = Font(bold=True)
        for row in rows:
            ws.append([cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def mef_csv(sheets) -> str:
    """The same parts one after the other in one CSV: a line with the part's name, its header, its rows."""
    import csv
    import io

    from kallpanchis.core.exports import cell

    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    for name, header, rows in sheets:
        writer.writerow([f"# {name}"])
        writer.writerow([str(h) for h in header])
        for row in rows:
            writer.writerow(["" if v is None else str(cell(v)) for v in row])
        writer.writerow([])
    return out.getvalue()
