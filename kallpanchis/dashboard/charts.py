"""Small server-rendered SVG charts: no JavaScript, a few hundred bytes each, readable on a phone and in a
PDF. Every chart has a title for screen readers and the page shows the same figures as a table."""

import html
import json
import math
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .templatetags.dashboard import figure_text

WIDTH, HEIGHT, PAD = 320, 120, 18


def trend_svg(
    trend: list[tuple[int, Decimal | None, Decimal | None]], selected: list[int], title: str
) -> str:
    """Bars = actual per year (darker in the chosen period), ticks = target."""
    if not trend:
        return ""
    bars, tail = _trend_parts(tuple(trend))
    selected = set(selected)
    title = escape(title)
    # numbers only, built by _trend_parts, and the title escaped
    return mark_safe(  # noqa: S308  # nosec B308 B703
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-label="{title}"><title>{title}</title>'
        + "".join(chosen if year in selected else plain for year, plain, chosen in bars)
        + tail
        + "</svg>"
    )


@lru_cache(maxsize=1024)
def _trend_parts(trend: tuple) -> tuple[list[tuple[int, str, str]], str]:
    """A trend's chart drawn once per process: each year's bar and target tick, plain and in the chosen
    period, and the axis. A new period for the same place picks among them."""
    top = max([v for _, a, t in trend for v in (a, t) if v is not None] or [Decimal(1)]) or Decimal(1)
    step = (WIDTH - 2 * PAD) / len(trend)
    bar = max(step * 0.6, 2)
    bars = []
    for i, (year, actual, target) in enumerate(trend):
        x = PAD + i * step + (step - bar) / 2
        plain = chosen = ""
        if actual is not None:
            h = float(actual / top) * (HEIGHT - 2 * PAD)
            shape = f'x="{x:.1f}" y="{HEIGHT - PAD - h:.1f}" width="{bar:.1f}" height="{h:.1f}"/>'
            plain = f'<rect class="bar" fill="#c9a894" {shape}'
            chosen = f'<rect class="bar sel" fill="#7a2e12" {shape}'
        if target is not None:
            y = HEIGHT - PAD - float(target / top) * (HEIGHT - 2 * PAD)
            tick = (
                f'<line class="target" stroke="#1b5e20" stroke-width="3" '
                f'x1="{x - 1:.1f}" x2="{x + bar + 1:.1f}" y1="{y:.1f}" y2="{y:.1f}"/>'
            )
            plain, chosen = plain + tick, chosen + tick
        bars.append((year, plain, chosen))
    first, last = trend[0][0], trend[-1][0]
    tail = (
        f'<text x="{PAD}" y="{HEIGHT - 3}" class="axis" font-size="11">{first}</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 3}" class="axis end" font-size="11" '
        f'text-anchor="end">{last}</text>'
        f'<line class="base" stroke="#555" x1="{PAD}" x2="{WIDTH - PAD}" '
        f'y1="{HEIGHT - PAD}" y2="{HEIGHT - PAD}"/>'
    )
    return bars, tail


ACTIVE_ROW = ' class="table-active"'


def trend_rows(trend, selected: list[int], unit: str) -> str:
    """The year table under a chart (its screen-reader alternative), built here rather than in the template:
    twelve indicators × up to forty years cost a cold dashboard more in template loops than the figures.
    Each year's row is written once per process and language (`_year_rows`); a period picks among them."""
    selected = set(selected)
    return mark_safe(  # noqa: S308  # nosec B308 B703: numbers, and figures escaped
        "".join(
            chosen if year in selected else plain
            for year, plain, chosen in _year_rows(tuple(trend), unit, get_language())
        )
    )


@lru_cache(maxsize=1024)
def _year_rows(trend: tuple, unit: str, language: str) -> list[tuple[int, str, str]]:
    """(year, its row, its row marked as in the period) of a trend, in `language` (the active one: the
    figures' format follows it). A year is a number and a figure's text is escaped."""
    rows = []
    for year, actual, target in trend:
        cells = (
            f'><th scope="row">{int(year)}</th>'
            f"<td>{html.escape(figure_text(actual, unit))}</td>"
            f"<td>{html.escape(figure_text(target, unit))}</td></tr>"
        )
        rows.append((year, f"<tr{cells}", f"<tr{ACTIVE_ROW}{cells}"))
    return rows


# --- The district map -------------------------------------------------------------------------------------

MAP_WIDTH = 600
BOUNDARIES = Path(settings.BASE_DIR) / "municipalities" / "data" / "cusco_districts.geojson"


@lru_cache(maxsize=1)
def _districts() -> tuple[float, list[tuple[str, str, str]]]:
    """(height, [(ubigeo, name, svg path)]) projected once per process (equirectangular, scaled by the
    cosine of the mean latitude so that shapes keep their proportions at 13° south)."""
    data = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    rings = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        rings.append((feature["properties"], polygons))
    lons = [p[0] for _, polys in rings for poly in polys for ring in poly for p in ring]
    lats = [p[1] for _, polys in rings for poly in polys for ring in poly for p in ring]
    kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
    scale = MAP_WIDTH / ((max(lons) - min(lons)) * kx)
    height = (max(lats) - min(lats)) * scale
    out = []
    for props, polys in rings:
        d = []
        for poly in polys:
            for ring in poly:
                pts = [
                    f"{(lon - min(lons)) * kx * scale:.1f},{(max(lats) - lat) * scale:.1f}"
                    for lon, lat in ring
                ]
                d.append("M" + "L".join(pts) + "Z")
        out.append((props["IDDIST"], props["NOMBDIST"].title(), "".join(d)))
    return height, out


def map_svg(values: dict[str, Decimal | None], names: dict[str, str], title: str, selected: str = "") -> str:
    """Cusco's districts shaded in five steps of the indicator (grey: no data)."""
    height, districts = _districts()
    found = [v for v in values.values() if v is not None]
    top = max(found) if found else None
    parts = []
    for ubigeo, fallback, d in districts:
        value = values.get(ubigeo)
        if value is None or not top:
            css = "nodata"
        else:
            css = f"q{min(4, int(value / top * 5)) if top > 0 else 0}"
        if ubigeo == selected:
            css += " chosen"
        label = names.get(ubigeo, fallback)
        parts.append(
            f'<path class="{css}" d="{d}"><title>{escape(label)}: {escape(figure_text(value))}</title></path>'
        )
    return format_html(
        '<svg class="map" viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>{}</svg>',
        MAP_WIDTH,
        round(height),
        title,
        title,
        mark_safe("".join(parts)),  # noqa: S308  # nosec B308 B703: labels escaped above
    )


def map_legend(values: dict) -> list[tuple[str, Decimal, Decimal]]:
    found = [v for v in values.values() if v is not None]
    if not found or not max(found):
        return []
    top = max(found)
    return [(f"q{i}", top * i / 5, top * (i + 1) / 5) for i in range(5)]
