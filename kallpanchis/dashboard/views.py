"""The coordinators' dashboard: figures with filters, the district map, drill-down, exports and the donor
report. Views only parse, call selectors and answer."""

import datetime
import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kallpanchis.accounts.access import access_for
from kallpanchis.core import fragments, shell
from kallpanchis.core import indicators as registry
from kallpanchis.core.caching import ALL, cached_for
from kallpanchis.core.exports import table_response
from kallpanchis.core.pdf import pdf_response, render_pdf

from . import exports, selectors
from .cards import reach_headline, reported_table
from .charts import map_legend, map_svg, trend_rows, trend_svg
from .forms import controls, filter_choices, filters_form
from .models import ExpectedResult

logger = logging.getLogger(__name__)

CACHE_SECONDS = 60 * 15  # also how late an edited target may show


# The figures are rebuilt every quarter of an hour by the worker (refresh schedule, dashboard 0002); twice
# that without a rebuild means the worker does not answer and the page says so.
REFRESH_MINUTES = 15
FILTER_KEYS = ("province", "district", "line", "year_from", "year_to")


def _filters(request):
    """(the filters' choices, the filters of the query string). With no period asked for, the current year:
    the dashboard opens on what is being reported on now ("all years" is a choice of the period)."""
    if not selectors.dashboard_allowed(request.user):
        raise Http404
    data = request.GET
    if "year_from" not in data and "year_to" not in data:
        data = data.copy()
        data["year_from"] = data["year_to"] = str(timezone.localdate().year)
    choices = filter_choices()
    return choices, choices.filters(data)


def _is_stale(refreshed) -> bool:
    if refreshed is None:
        return True
    return timezone.now() - refreshed.finished_at > datetime.timedelta(minutes=2 * REFRESH_MINUTES)


def _with_charts(data):
    for figure in data["figures"]:
        figure.chart = trend_svg(
            figure.trend, data["years"], _("%(indicator)s by year") % {"indicator": _(figure.indicator.name)}
        )
        figure.table_rows = trend_rows(figure.trend, data["years"], figure.indicator.unit)
    return data


@login_required
def dashboard(request):
    """The figures block is rendered once per set of facts, filters, scope and language, then served from the
    cache until the next rebuild (the facts only change then; the key holds the rebuild's id)."""
    choices, filters = _filters(request)
    refreshed = selectors.refresh_latest()
    key = selectors.figures_cache_key(user=request.user, filters=filters, refresh=refreshed)
    block = cache.get(key)
    if block is None:
        data = _with_charts(selectors.dashboard_figures(user=request.user, filters=filters))
        # Nothing of the request but its filters, scope and language (in the key): no context processors.
        block = reach_headline(data["reach"]) + render_to_string(
            "dashboard/partials/figures.html", {**data, "filters": filters, "query": filters.query()}
        )
        cache.set(key, block, CACHE_SECONDS)
    can_refresh = access_for(request.user).is_coordinator
    controls_block = controls(
        filters,
        filters_form(filters, choices, reverse("dashboard:dashboard")),
        refreshed=refreshed,
        stale=_is_stale(refreshed),
        csrf_token=get_token(request) if can_refresh else None,
    )
    # Reported indicators (the results app, through the registry's `reported` hook), beside the computed
    # ones, rendered; kept in the cache until the results' data changes (its data version).
    reported = _reported(request, filters)
    blocks = {"controls_block": controls_block, "figures_block": block, "reported_block": reported}
    # What the filters change is in the blocks: the page around them is the same at every query.
    return shell.page(request, "dashboard/dashboard.html", blocks, address=request.path)


# Where the reported indicators' links carry the page's filters: each request writes its own query there.
QUERY_PLACEHOLDER = "kallpanchisDashboardQuery"


def _reported(request, filters):
    """The reported indicators' table for this person and these filters, rendered. Its figures are kept for
    these filters until the next write, computed from the scope's values kept in the process
    (results/selectors/dashboard.py); the table is kept under what it shows (its rows, the language), so
    that filters giving the same figures render nothing, and the links get this request's filters
    afterwards."""
    query = filters.query()
    rows = cached_for(
        "dashboard:reported-rows",
        user=request.user,
        groups=(ALL,),
        compute=lambda: [
            {k: v for k, v in r.items() if k != "indicator"} for r in registry.reported(request.user, filters)
        ],
        key=(query,),
    )
    shown = [
        (r["code"], r["name"], r["unit"], r["decimals"], r["result"], r["actual"], r["target"]) for r in rows
    ]

    html = fragments.block("dashboard:reported", (shown,), lambda: reported_table(rows, QUERY_PLACEHOLDER))
    return mark_safe(html.replace(f"?{QUERY_PLACEHOLDER}", f"?{conditional_escape(query)}" if query else ""))  # noqa: S308  # nosec B308 B703: our table, every value escaped, the query escaped


@login_required
def indicator_detail(request, code: str):
    """Drill-down: the figure year by year and place by place, how it is computed, and the records."""
    choices, filters = _filters(request)
    indicator = selectors.indicator_get(code=code)
    data = _with_charts(selectors.dashboard_figures(user=request.user, filters=filters))
    figure = next(f for f in data["figures"] if f.indicator.pk == indicator.pk)
    rows = selectors.indicator_by_year_and_place(user=request.user, filters=filters, indicator=indicator)
    return render(
        request,
        "dashboard/indicator_detail.html",
        {
            "figure": figure,
            "indicator": indicator,
            "rows": rows,
            "years": data["years"],
            "filters_block": filters_form(
                filters, choices, reverse("dashboard:indicator_detail", args=[indicator.code])
            ),
            "filters": filters,
            "query": filters.query(),
            "names": choices.names,
        },
    )


@login_required
def reported_detail(request, code: str):
    """Drill-down of a reported indicator (the results app, through the registry's `reported_detail` hook):
    its approved values period by period and place by place against the targets, how they add up, who
    reported and approved them, and the reports behind that this person may read."""
    choices, filters = _filters(request)
    detail = registry.reported_detail(request.user, filters, code)
    if detail is None:
        raise Http404
    action = reverse("dashboard:reported_detail", args=[detail["code"]])
    return render(
        request,
        "dashboard/reported_detail.html",
        {
            "detail": detail,
            "filters_block": filters_form(filters, choices, action),
            "filters": filters,
            "query": filters.query(),
        },
    )


@login_required
def district_map(request):
    """The map block (SVG and tables) is cached like the dashboard's figures block."""
    choices, filters = _filters(request)
    refreshed = selectors.refresh_latest()
    code = request.GET.get("indicator", "")
    key = selectors.figures_cache_key(user=request.user, filters=filters, refresh=refreshed) + f":map:{code}"
    cached = cache.get(key)
    if cached is None:
        cached = _map_block(request, choices, filters, code)
        cache.set(key, cached, CACHE_SECONDS)
    if not cached:  # no indicator defined yet: the dashboard says what to do
        return redirect("dashboard:dashboard")
    title, block = cached
    return render(
        request,
        "dashboard/map.html",
        {"title": title, "map_block": mark_safe(block), "query": filters.query()},  # noqa: S308  # nosec B308 B703: ours
    )


def _map_block(request, choices, filters, code: str) -> tuple[str, str] | tuple:
    data = selectors.dashboard_figures(user=request.user, filters=filters)
    figures = data["figures"]
    if not figures:
        return ()
    figure = next((f for f in figures if f.indicator.code == code), figures[0])
    places = selectors.indicator_by_place(
        user=request.user, filters=filters, indicator=figure.indicator, years=data["years"]
    )
    names = choices.names
    title = _("%(indicator)s by district") % {"indicator": _(figure.indicator.name)}
    district_rows = sorted(
        ((names.get(u, u), u, v) for u, v in places["districts"].items()), key=lambda r: (r[2] is None, r[0])
    )
    block = render_to_string(
        "dashboard/partials/map_block.html",
        {
            "figure": figure,
            "figures": figures,
            "svg": map_svg(places["districts"], names, title, selected=filters.district),
            "legend": map_legend(places["districts"]),
            "district_rows": district_rows,
            "province_rows": sorted(
                (names.get(p, p) or _("Not tied to a province"), v) for p, v in places["provinces"].items()
            ),
            "applies": places["applies"],
            "filters": filters,
            "query": filters.query(),
        },
        request=request,
    )
    return str(title), block


@login_required
def export(request, table: str, fmt: str):
    """Every table of the dashboard as CSV or XLSX, with the filters in the first lines."""
    choices, filters = _filters(request)
    names = choices.names
    if table == "summary":
        data = selectors.dashboard_figures(user=request.user, filters=filters)
        header, rows = exports.summary_table(data, filters)
        rows += exports.reported_rows(registry.reported(request.user, filters))
    elif table == "reported":
        detail = registry.reported_detail(request.user, filters, request.GET.get("indicator", ""))
        if detail is None:
            raise Http404
        header, rows = exports.reported_detail_table(detail)
    elif table in ("years", "districts"):
        indicator = selectors.indicator_get(code=request.GET.get("indicator", ""))
        if table == "years":
            source = selectors.indicator_by_year_and_place(
                user=request.user, filters=filters, indicator=indicator
            )
            header, rows = exports.year_place_table(indicator, source, names)
        else:
            data = selectors.dashboard_figures(user=request.user, filters=filters)
            places = selectors.indicator_by_place(
                user=request.user, filters=filters, indicator=indicator, years=data["years"]
            )
            header, rows = exports.district_table(indicator, places, names)
    else:
        raise Http404
    title = exports.filters_line(filters, names)
    stamp = timezone.localdate().isoformat()
    return table_response(fmt, header=header, rows=rows, filename=f"kallpanchis-{table}-{stamp}", title=title)


@login_required
def report(request):
    """The donor report: the three expected results with charts and tables, and how each figure is made."""
    choices, filters = _filters(request)
    data = _with_charts(selectors.dashboard_figures(user=request.user, filters=filters))
    pdf = render_pdf(
        "dashboard/report_pdf.html",
        {
            **data,
            "filters": filters,
            "filters_line": exports.filters_line(filters, choices.names),
            "generated": timezone.localtime(),
            "ExpectedResult": ExpectedResult,
            "reported": registry.reported(request.user, filters),
        },
    )
    return pdf_response(pdf, f"kallpanchis-informe-{timezone.localdate().isoformat()}")


@login_required
@require_POST
def refresh(request):
    """A coordinator asks for the figures to be rebuilt now instead of at the next quarter of an hour."""
    if not access_for(request.user).is_coordinator:
        raise Http404
    from .tasks import facts_refresh

    try:
        facts_refresh.delay_on_commit()
    except Exception:  # the broker is down: the figures stay as they are, and the page says since when
        logger.exception("dashboard: the refresh could not be queued")
        messages.warning(
            request, _("The worker that recomputes the figures does not answer; try again later.")
        )
    else:
        messages.success(request, _("The figures are being recomputed; reload the page in a minute."))
    # Back to the figures the coordinator was looking at, not to the unfiltered dashboard.
    kept = {key: request.POST[key] for key in FILTER_KEYS if request.POST.get(key, "") != ""}
    kept.update({key: "" for key in ("year_from", "year_to") if key in request.POST and key not in kept})
    url = reverse("dashboard:dashboard")
    return redirect(f"{url}?{urlencode(kept)}" if kept else url)
