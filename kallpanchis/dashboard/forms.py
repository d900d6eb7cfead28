"""The dashboard's filters: province, district, thematic line and period, read from the query string and
written back as the filter form, with the controls around it (`controls`). Not a Django form nor templates:
a page of filters not asked before built a form (its two hundred districts copied field by field) and
rendered it and its controls by template loops for two milliseconds, a fifth of the page. The choices are
read once per process and day (`filter_choices`), each option's markup written once per language
(`_options`); a request only picks the chosen ones."""

from dataclasses import dataclass
from functools import cached_property, lru_cache
from html import escape

from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, pgettext

from kallpanchis.core import caching
from kallpanchis.core import indicators as registry

from .selectors import Filters

FIRST_YEAR = 2007


@dataclass(frozen=True, eq=False)  # compared and hashed as itself: the options are kept per instance
class Choices:
    """What each filter offers: provinces (code, name), districts (ubigeo, name, province code), thematic
    lines (code, label) and the years."""

    provinces: tuple[tuple[str, str], ...]
    districts: tuple[tuple[str, str, str], ...]
    lines: tuple[tuple[str, object], ...]
    years: tuple[int, ...]

    def __post_init__(self):
        kinds = (self.provinces, self.districts, self.lines)
        object.__setattr__(self, "_allowed", [frozenset(str(c[0]) for c in kind) for kind in kinds])

    @cached_property
    def names(self) -> dict[str, str]:
        """{province code or district ubigeo: its name}."""
        return {**dict(self.provinces), **{ubigeo: name for ubigeo, name, _code in self.districts}}

    def filters(self, data) -> Filters:
        """The filters of `data` (a query string). An unknown value is ignored, never an error page; a
        period given backwards is turned round."""

        def one(name, allowed):
            value = data.get(name) or ""
            return value if value in allowed else ""

        years = {str(y): y for y in self.years}
        year_from, year_to = years.get(data.get("year_from") or ""), years.get(data.get("year_to") or "")
        if year_from and year_to and year_from > year_to:
            year_from, year_to = year_to, year_from
        return Filters(
            province=one("province", self._allowed[0]),
            district=one("district", self._allowed[1]),
            line=one("line", self._allowed[2]),
            year_from=year_from,
            year_to=year_to,
        )


def filter_choices() -> Choices:
    """The territory's provinces and districts (kept in the process until they change: the territory is
    reloaded rarely), the thematic lines and the years from FIRST_YEAR to this one."""

    def compute():
        territory = registry.territory()
        lines = registry.HOOKS["lines"]() if "lines" in registry.HOOKS else []
        return Choices(
            provinces=tuple(tuple(p) for p in territory["provinces"]),
            districts=tuple(tuple(d) for d in territory["districts"]),
            lines=tuple(tuple(line) for line in lines),
            years=tuple(range(FIRST_YEAR, timezone.localdate().year + 1)),
        )

    groups = ("t:municipalities_province", "t:municipalities_district")
    return caching.kept_here("dashboard:filter-choices", user=None, groups=groups, compute=compute)


@lru_cache(maxsize=16)
def _options(choices: Choices, language: str) -> list[tuple[str, str, list[tuple[str, str, str, str]]]]:
    """Each filter as (name, label, [(value, opening up to its flags, rest, province)]), escaped, in
    `language` (the active one, the cache's key)."""

    def option(value, label, province=""):
        head = f'<option value="{escape(str(value))}"'
        if province:
            head += f' data-province="{escape(province)}"'
        return str(value), head, f">{escape(str(label))}</option>", province

    everything = option("", pgettext("provinces, thematic lines", "All"))
    districts = [option("", gettext("All")), *(option(*d) for d in choices.districts)]
    years = [option(y, y) for y in choices.years]
    return [
        ("province", gettext("Province"), [everything, *(option(*p) for p in choices.provinces)]),
        ("district", gettext("District"), districts),
        ("line", gettext("Thematic line"), [everything, *(option(*c) for c in choices.lines)]),
        ("year_from", gettext("From year"), [option("", gettext("First year")), *years]),
        ("year_to", gettext("To year"), [option("", gettext("Last year")), *years]),
    ]


def filters_form(filters: Filters, choices: Choices, action: str, indicator_code: str = "") -> SafeString:
    """The filter form with `filters` chosen. A district of another province than the chosen one is hidden
    (static/dashboard/filters.js offers it again when the province changes, with no reload)."""
    chosen = {
        "province": filters.province,
        "district": filters.district,
        "line": filters.line,
        "year_from": str(filters.year_from or ""),
        "year_to": str(filters.year_to or ""),
    }
    action = escape(action)
    parts = [
        f'<form method="get" action="{action}" class="card card-body mb-3 js-dashboard-filters" '
        f'aria-label="{escape(gettext("Filters"))}" id="filters">\n'
    ]
    if indicator_code:
        parts.append(f'  <input type="hidden" name="indicator" value="{escape(indicator_code)}">\n')
    parts.append('  <div class="row g-2">\n')
    for name, label, options in _options(choices, get_language()):
        current = chosen[name]
        parts.append(
            f'    <div class="col-6 col-md">\n      <label class="form-label" for="id_{name}">{escape(label)}'
            f'</label>\n      <select name="{name}" id="id_{name}" class="form-select">\n        '
        )
        away = filters.province  # a district of another province is hidden
        for value, head, tail, province in options:
            hidden = " hidden disabled" if province and away and province != away else ""
            parts.append(head + hidden + (" selected" if value == current else "") + tail)
        parts.append("\n      </select>\n    </div>\n")
    clear = action + (f"?indicator={escape(indicator_code)}" if indicator_code else "")
    parts.append(
        '  </div>\n  <div class="d-flex gap-2 mt-2 flex-wrap">\n'
        f'    <button type="submit" class="btn btn-primary">{escape(gettext("Apply filters"))}</button>\n'
        f'    <a class="btn btn-outline-secondary" href="{clear}">{escape(gettext("Clear"))}</a>\n'
        "  </div>\n</form>\n"
        f'<script src="{escape(static("dashboard/filters.js"))}" defer></script>\n'
    )
    # our own markup; every label, value and address escaped above
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703


@lru_cache(maxsize=16)
def _addresses(urlconf, prefix: str) -> dict[str, str]:
    """The controls' addresses for this URLconf and prefix, once per process."""
    return {
        "map": reverse("dashboard:map"),
        "xlsx": reverse("dashboard:export", args=["summary", "xlsx"]),
        "csv": reverse("dashboard:export", args=["summary", "csv"]),
        "report": reverse("dashboard:report"),
        "refresh": reverse("dashboard:refresh"),
    }


def controls(
    filters: Filters, filters_block: str, *, refreshed, stale: bool, csrf_token: str | None
) -> SafeString:
    """Around the filter form: the period shown, the figures' age (or that the worker does not answer), the
    map and downloads with the page's filters, and, with `csrf_token` (a coordinator), "Recompute now"
    bringing the filters back."""
    e = escape
    first, last = filters.year_from, filters.year_to
    if first and last and first == last:
        period = gettext("Figures of %(year)s") % {"year": first}
    elif first or last:
        period = gettext("Figures of %(first)s–%(last)s") % {"first": first or "…", "last": last or "…"}
    else:
        period = gettext("Figures of all years")
    parts = [
        f'<p class="h5 dashboard-period">{period}\n'
        f'  <a class="small fw-normal" href="#id_year_from">{gettext("Change the period")}</a></p>\n'
    ]
    when = (
        e(date_format(timezone.localtime(refreshed.finished_at), "SHORT_DATETIME_FORMAT"))
        if refreshed
        else ""
    )
    if stale and refreshed:
        text = gettext(
            "These figures may be old: they were last computed on %(when)s, and the worker that recomputes "
            "them every 15 minutes has not answered since."
        )
        parts.append(f'<div class="alert alert-warning" role="status">{text % {"when": when}}</div>\n')
    elif stale:
        text = gettext(
            "The figures have not been computed yet: the worker that computes them every 15 minutes has not "
            "answered."
        )
        parts.append(f'<div class="alert alert-warning" role="status">{text}</div>\n')
    else:
        text = gettext("Figures computed on %(when)s; they are recomputed every 15 minutes.") % {"when": when}
        parts.append(f'<p class="text-body-secondary small">{text}</p>\n')
    parts.append(filters_block)
    where = _addresses(get_urlconf(), get_script_prefix())
    query = e(filters.query())
    asked = f"?{query}" if query else ""
    parts.append(f'<nav class="d-flex gap-2 flex-wrap mb-3" aria-label="{e(gettext("Map and reports"))}">\n')
    for name, label in (
        ("map", gettext("Open the map")),
        ("xlsx", gettext("Download XLSX")),
        ("csv", gettext("Download CSV")),
        ("report", gettext("Donor report (PDF)")),
    ):
        parts.append(f'  <a class="btn btn-outline-primary" href="{where[name]}{asked}">{label}</a>\n')
    if csrf_token:
        # the filters come back with the page after the recomputation is asked for
        kept = "".join(
            f'<input type="hidden" name="{name}" value="{e(str(value or ""))}">'
            for name, value in (
                ("province", filters.province),
                ("district", filters.district),
                ("line", filters.line),
                ("year_from", filters.year_from),
                ("year_to", filters.year_to),
            )
        )
        parts.append(
            f'  <form method="post" action="{where["refresh"]}">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{e(csrf_token)}">\n    {kept}\n'
            f'    <button type="submit" class="btn btn-outline-secondary">{gettext("Recompute now")}</button>'
            "</form>\n"
        )
    parts.append("</nav>\n")
    # our own markup and catalogues' texts, as {% translate %} writes them; every value escaped above
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703
