"""The coordinators' scorecard: who is behind, per year (municipalities × indicators), its XLSX and the
figures behind each cell."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kallpanchis.core import fragments, shell
from kallpanchis.core.caching import access_of, cached
from kallpanchis.core.exports import xlsx_response

from .. import selectors
from ..scorecard_rows import scorecard_card, scorecard_plan, scorecard_table


def _params(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    sort = request.GET.get("sort", "")
    return year, sort, request.GET.get("dir") == "desc"


def _number(value, decimals=2):
    return None if value is None else float(round(value, decimals))


@login_required
def scorecard(request):
    """The table is rendered once per version of the data under it (kallpanchis.core.caching: triggers of
    migration 0003), scope, day, language, year and sort; the rest of the page per request."""
    if not selectors.scorecard_reader(request.user):
        raise Http404
    year, sort, descending = _params(request)

    def table():
        # The table kept under its rows' keys too: a new data version whose rows did not change (a write
        # elsewhere in results) reads one entry, not 116 rows to sort and join again.
        plan = scorecard_plan(user=request.user, year=year)
        template = "results/partials/scorecard_table.html"
        if plan.digest is None:  # no signatures (SQLite): nothing tells the rows apart, nothing kept
            card = scorecard_table(plan, sort=sort, descending=descending)
            return render_to_string(template, {"card": card}, request=request)
        # The rows, joined, written into the table around them (its header, kept apart): a row changed is
        # computed and joined to the others, and the header is not rendered again.
        rows = fragments.Written(
            plan.digest, lambda: scorecard_table(plan, sort=sort, descending=descending).html_rows
        )

        def around():
            card = scorecard_card(plan, sort=sort, descending=descending)
            card.html_rows = rows
            return render_to_string(template, {"card": card}, request=request)

        # The header shows each indicator as str() gives it: a bulk rename leaves `updated_at` (in the rows'
        # keys) as it was.
        header = [(i.pk, i.code, str(i)) for i in plan.indicators]
        parts = (access_of(request.user), year, sort, descending, header, bool(plan.municipalities))
        return fragments.block("results:scorecard", parts, around, rows=(rows,))

    block = cached(
        "results_scorecard",
        request=request,
        groups=("results",),
        params=["year", "sort", "dir"],
        compute=table,
        by_tables=True,
    )
    this_year = timezone.localdate().year
    # all told by the address and the day
    return shell.page(
        request,
        "results/scorecard.html",
        {"table_block": block},
        {
            "card": {"year": year, "sort": sort or "municipality", "descending": descending},
            "years": range(this_year - 4, this_year + 2),
            "labels": selectors.STATUS_LABELS,
        },
    )


@login_required
def scorecard_export(request):
    year, sort, descending = _params(request)
    card = selectors.scorecard(user=request.user, year=year, sort=sort, descending=descending)
    header = [_("Municipality")]
    for indicator in card.indicators:
        name = f"{indicator.name} ({indicator.unit})" if indicator.unit else indicator.name
        header += [name + " · " + _("Actual"), name + " · " + _("Target"), name + " · " + _("Status")]
    rows = []
    for municipality, cells in card.rows:
        row = [municipality.organisation.name]
        for cell in cells:
            row += [_number(cell.actual, cell.indicator.decimals), _number(cell.target, 4), str(cell.label)]
        rows.append(row)
    title = _("Results scorecard %(year)s") % {"year": year}
    return xlsx_response(header=header, rows=rows, filename=f"kallpanchis-resultados-{year}", title=title)


@login_required
def cell_detail(request, indicator: int, municipality: int):
    year, _sort, _desc = _params(request)
    data = selectors.cell_detail(
        user=request.user, indicator_id=indicator, municipality_id=municipality, year=year
    )
    return render(request, "results/cell_detail.html", {**data, "labels": selectors.STATUS_LABELS})
