"""The dashboard's figure cards, written in Python rather than by a template: a page of new filters writes
twelve of them afresh, and their template's three hundred tags cost more than computing the figures. Every
value is escaped; the labels are translated once per language."""

import html
from functools import lru_cache

from django.template.defaultfilters import floatformat
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from .templatetags.dashboard import figure_text


@lru_cache(maxsize=16)
def _labels(language: str) -> dict[str, str]:
    """The card's fixed texts in the active language (`language` is the cache's key): our catalogues' own
    markup, written as `{% translate %}` writes a literal's."""
    texts = {
        "target": gettext("Target"),
        "female": gettext("Women"),
        "male": gettext("Men"),
        "unknown": gettext("Not stated"),
        "nothing": gettext("No records in this period and place."),
        "no_split": gettext("This indicator is not broken down by thematic line or district."),
        "details": gettext("Details"),
        "records": gettext("See the records"),
        "map": gettext("Map"),
        "as_table": gettext("See as a table"),
        "year": gettext("Year"),
        "actual": gettext("Actual"),
    }
    return texts


@lru_cache(maxsize=256)
def _links(code: str, urlconf: str | None, prefix: str) -> tuple[str, str]:
    """(the indicator's page, the map's address) for this URLconf and prefix."""
    return reverse("dashboard:indicator_detail", args=[code]), reverse("dashboard:map")


def year_table(figure) -> SafeString:
    """The figure's years as a table, folded under its chart (the chart's alternative for screen readers):
    figure.table_rows in their table."""
    label = _labels(get_language())
    name = html.escape(gettext(figure.indicator.name)) if figure.indicator.name else ""
    return mark_safe(  # noqa: S308  # nosec B308 B703: our markup, the name escaped, the rows escaped by charts.py
        f'<details class="mt-2">\n  <summary>{label["as_table"]}</summary>\n'
        f'  <div class="table-responsive" tabindex="0">\n  <table class="table table-sm">\n'
        f'    <caption class="visually-hidden">{name}</caption>\n'
        f'    <thead><tr><th scope="col">{label["year"]}</th><th scope="col">{label["actual"]}</th>'
        f'<th scope="col">{label["target"]}</th></tr></thead>\n'
        f"    <tbody>\n    {figure.table_rows}\n    </tbody>\n  </table>\n  </div>\n</details>\n"
    )


def figure_card(figure, query: str) -> SafeString:
    """One indicator's card: its figure and target for the period, the women's and men's split, its chart
    and year table (figure.chart, figure.table_rows), and its links carrying the page's filters."""
    e = html.escape
    label = _labels(get_language())
    indicator, unit = figure.indicator, figure.indicator.unit
    name = e(gettext(indicator.name)) if indicator.name else ""
    detail, map_url = _links(indicator.code, get_urlconf(), get_script_prefix())
    query = e(query)
    parts = [
        f'<article class="card h-100 indicator" data-code="{e(indicator.code)}">\n  <div class="card-body">\n'
        f'    <h3 class="h6 card-title">{name}</h3>\n'
    ]
    if figure.applies:
        shown_unit = e(gettext(unit)) if unit and unit != "S/" else ""
        actual = e(figure_text(figure.actual, unit))
        parts.append(
            f'    <p class="mb-1"><span class="fs-3 fw-bold figure-actual">{actual}</span>\n'
            f'      <span class="text-body-secondary">{shown_unit}</span></p>\n'
        )
        if figure.target is not None:
            parts.append(
                f'    <p class="mb-1 small">{label["target"]}: {e(figure_text(figure.target, unit))}\n'
            )
            if figure.progress_pct is not None:
                css = "text-success" if figure.on_track else "text-danger"
                # as {% blocktranslate %} writes it: the value escaped, the translation as it is
                share = gettext("%(pct)s %% of the target") % {"pct": e(localize(figure.progress_pct))}
                parts.append(f'      · <span class="{css} fw-semibold">{share}</span>')
            parts.append("</p>\n")
        if figure.actual is None:
            parts.append(f'    <p class="small text-body-secondary mb-1">{label["nothing"]}</p>\n')
        if figure.by_gender:
            split = " · ".join(
                f"{label.get(gender, label['unknown'])}: <strong>{e(figure_text(value))}</strong>"
                for gender, value in figure.by_gender
            )
            parts.append(f'    <p class="small mb-1">{split}</p>\n')
        parts.append(f"    {figure.chart}\n    {year_table(figure)}\n")
    else:
        parts.append(f'    <p class="small text-body-secondary">{label["no_split"]}</p>\n')
    hidden = f'<span class="visually-hidden"> · {name}</span>'
    parts.append(
        '    <p class="mt-2 mb-0 d-flex gap-3 flex-wrap small">\n'
        f'      <a href="{detail}{"?" + query if query else ""}">{label["details"]}{hidden}</a>\n'
    )
    if figure.drilldown_url:
        parts.append(f'      <a href="{e(figure.drilldown_url)}">{label["records"]}{hidden}</a>\n')
    parts.append(
        f'      <a href="{map_url}?indicator={e(indicator.code)}{"&amp;" + query if query else ""}">'
        f"{label['map']}{hidden}</a>\n    </p>\n  </div>\n</article>\n"
    )
    # our own markup; every value from the data or the request escaped above
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703


def reach_headline(reach: dict) -> SafeString:
    """The first answer above the cards: people, women and families reached in the year, each counted once,
    and the women's share of the people beside their share of attendance rows (selectors.reach_headline).
    Counts grouped as the language writes thousands; a missing one is a dash."""

    def count(value) -> str:
        return html.escape(floatformat(value, "0g")) if value is not None else "—"

    def share(value) -> str:
        return html.escape(localize(value))

    title = gettext("Reached in %(year)s, each person counted once") % {"year": reach["year"]}
    women_share = f"{share(reach['women_share'])} %" if reach["women_share"] is not None else "—"
    note = ""
    if reach["attendance_women_share"] is not None:
        note = gettext(
            "Women are %(share)s %% of the attendance rows of meetings (every row, the same person as often "
            "as she came)."
        ) % {"share": share(reach["attendance_women_share"])}
        note += " "
    note += gettext(
        "People registered with their consent, at meetings, trainings and budget workshops; a name written "
        "on a list without consent counts in the attendance, not here."
    )
    cells = [
        ("People", "people", count(reach["people"])),
        ("Women", "women", count(reach["women"])),
        ("Families", "families", count(reach["families"])),
        ("Women among the people reached", "women_share", women_share),
    ]
    items = "".join(
        f'      <div class="col"><dt class="small fw-normal text-body-secondary">{gettext(label)}</dt>'
        f'<dd class="fs-3 fw-semibold mb-0" data-reach="{name}">{value}</dd></div>\n'
        for label, name, value in cells
    )
    return mark_safe(  # noqa: S308  # nosec B308 B703: our markup, every value escaped
        '\n<section class="card mb-4" aria-labelledby="reach-title" id="reach-headline">\n'
        '  <div class="card-body">\n'
        f'    <h2 class="h5" id="reach-title">{title}</h2>\n'
        '    <dl class="row row-cols-2 row-cols-md-4 g-2 mb-1 text-center">\n'
        f"{items}"
        "    </dl>\n"
        f'    <p class="small text-body-secondary mb-0">{note}</p>\n'
        "  </div>\n</section>\n"
    )


@lru_cache(maxsize=16)
def _reported_labels(language: str) -> dict[str, str]:
    """The reported indicators' table's fixed texts in the active language (`language`: the cache's key)."""
    return {
        "title": gettext("Reported indicators"),
        "intro": gettext(
            "The figures above are computed by the platform from its records; these are reported each period "
            "by the municipalities and approved by the coordinators (only approved values count)."
        ),
        "result": gettext("Expected result"),
        "indicator": gettext("Indicator"),
        "actual": gettext("Actual"),
        "target": gettext("Target"),
        "source": gettext("Where it comes from"),
    }


@lru_cache(maxsize=256)
def _reported_link(code: str, urlconf: str | None, prefix: str) -> str:
    """The drill-down's address of a reported indicator for this URLconf and prefix."""
    return reverse("dashboard:reported_detail", args=[code])


def reported_table(rows: list[dict], query: str) -> SafeString:
    """The reported indicators beside the computed ones (results' `reported` hook): each one's expected
    result, name and unit linked to its drill-down (with `?query` when given), its actual and target for the
    period in the indicator's decimals (a dash when there is none) and where it comes from. Written here
    rather than by a template: a new filter set whose figures differ renders it afresh, and its twenty rows of
    tags cost more than computing them."""
    if not rows:
        return mark_safe("\n")  # noqa: S308  # nosec B308 B703
    label = _reported_labels(get_language())

    def e(value) -> str:
        return html.escape(str(value))  # str: the source is a lazy translation

    suffix = f"?{e(query)}" if query else ""

    def figure(value, decimals) -> str:
        return floatformat(value, decimals) if value is not None else "—"

    def unit(value) -> str:
        return f" ({e(value)})" if value else ""

    def row(r) -> str:
        link = f"{e(_reported_link(r['code'], get_urlconf(), get_script_prefix()))}{suffix}"
        actual, target = figure(r["actual"], r["decimals"]), figure(r["target"], r["decimals"])
        return (
            f'<tr data-code="{e(r["code"])}">\n'
            f'      <td data-label="{label["result"]}">{e(r["result"])}</td>\n'
            f'      <th scope="row" data-label="{label["indicator"]}"><a href="{link}">{e(r["name"])}</a>'
            f"{unit(r['unit'])}</th>\n"
            f'      <td class="text-end" data-label="{label["actual"]}">{actual}</td>\n'
            f'      <td class="text-end" data-label="{label["target"]}">{target}</td>\n'
            f'      <td data-label="{label["source"]}">{e(r["source"])}</td>\n'
            "    </tr>"
        )

    body = "".join(row(r) for r in rows)
    head = "".join(
        f'<th scope="col"{cls}>{label[name]}</th>'
        for name, cls in (
            ("result", ""),
            ("indicator", ""),
            ("actual", ' class="text-end"'),
            ("target", ' class="text-end"'),
            ("source", ""),
        )
    )
    return mark_safe(  # noqa: S308  # nosec B308 B703: our markup, every value escaped
        '\n<section class="mb-4" aria-labelledby="reported-indicators">\n'
        f'  <h2 class="h4" id="reported-indicators">{label["title"]}</h2>\n'
        f'  <p class="small text-body-secondary">{label["intro"]}</p>\n'
        '  <table class="table table-sm table-cards align-middle">\n'
        f"    <thead><tr>{head}</tr></thead>\n"
        f"    <tbody>{body}</tbody>\n"
        "  </table>\n</section>\n\n"
    )
