"""The scorecard's table, row by row from the cache: a write to results re-renders only the rows it touched.

The whole table is cached under the results' data version (views/scorecard.py), so any write — one value
approved in one municipality — used to make the next reader compute and render all 116 × 20 cells again
(0.3-0.4 s at 10×). Here each municipality's row (its cells' HTML and what sorting needs) is cached under a
signature of what it is made of: the number the database gives that municipality and year on every write
to its reports or targets (migration 0004: statement triggers, so any writer — service, admin, bulk update,
COPY — changes it), plus the indicators' definitions, the municipality's name, today (a year under way is
pro-rated) and the language. A write then costs the rows it touched; the others come from one `get_many`.
"""

import functools
import hashlib
from typing import NamedTuple

from django.core.cache import cache
from django.db import connection
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from kallpanchis.core import caching

from . import selectors
from .models import Indicator


class Row(NamedTuple):
    """A scorecard row's municipality, as much of it as the table needs."""

    pk: int
    name: str

    def __str__(self) -> str:
        return self.name


SECONDS = 60 * 60 * 24  # a bound on memory; correctness comes from the signatures
LAYOUT = 6  # in every key: a new layout of the rows' HTML is never served from an older one


def _signatures(year: int) -> dict[int, int]:
    """{municipality: the signature of its reports and targets of the year} (migration 0004: a number the
    database gives each municipality and year on every write to them), every municipality's: one query."""
    if connection.vendor != "postgresql":
        return {}
    # Not a model's table: the values kept around this one are told what it stands for.
    caching.depends_on(("t:results_report", "t:results_target"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT municipality_id, version FROM results_scorecard_signature WHERE year = %s", [year]
        )
        return dict(cursor.fetchall())


def _row(municipality, cells, text, labels) -> dict:
    """A row's HTML and each cell's sort key (status order, actual / expected)."""
    parts = [f'<tr><th scope="row">{escape(municipality.name)}</th>']
    keys = []
    for cell in cells:
        decimals = cell.indicator.decimals
        # No classes on the cell, its link or its figure (scorecard.css lays them out): 2,320 cells at 10×.
        parts.append(
            f'<td data-status="{cell.status}"><a href="{cell.url}">'
            f"{text(cell.actual, decimals)} / {text(cell.target, decimals)} "
            f'<span class="badge {selectors.BADGES[cell.status]}">{labels[cell.status]}</span></a></td>'
        )
        ratio = (cell.actual / cell.expected) if cell.actual is not None and cell.expected else None
        # floats: they sort the same and unpickle faster than Decimals (116 rows per read)
        keys.append((selectors.STATUS_ORDER[cell.status], float(ratio) if ratio is not None else 0.0))
    parts.append("</tr>")
    # ASCII only ("—" and accents as character references): one character above Latin-1 made the whole
    # 346 KB page two bytes a character, and encoding it for the response cost 0.33 ms instead of 0.2.
    html = "".join(parts).encode("ascii", "xmlcharrefreplace").decode("ascii")
    return {"html": html, "keys": keys}


class Plan(NamedTuple):
    """What a year's scorecard is made of, read without rendering it: its indicators, its rows and each
    row's cache key (None keys: no signatures on this database, nothing kept)."""

    year: int
    indicators: list
    municipalities: list
    keys: dict | None
    today: object

    @property
    def digest(self) -> str | None:
        """One key for the whole table's rows; None when they cannot be told apart without computing them."""
        if self.keys is None:
            return None
        return hashlib.sha256("\0".join(self.keys[m.pk] for m in self.municipalities).encode()).hexdigest()


def scorecard_plan(*, user, year: int) -> Plan:
    """Three queries: the indicators, the person's municipalities (as (id, name) pairs: 116 municipalities and
    their organisations as model instances cost more than the rest of a cached read) and the signatures.
    The first two are kept until a column they read changes: a value or target written leaves them."""

    def axes():
        indicators = list(Indicator.objects.active())
        rows = selectors.scorecard_municipalities(user=user, year=year, indicators=indicators)
        return indicators, [Row(pk, name) for pk, name in rows.values_list("pk", "organisation__name")]

    if not selectors.scorecard_reader(user):  # before anything is read from the cache
        raise Http404
    # Kept in the process too (frozen): unpickling twenty indicators from Redis cost 0.3 ms of every request
    # after a write; nothing here changes them.
    indicators, municipalities = caching.by_what_it_reads(
        "results:scorecard-axes", user, (year,), ("results",), axes, frozen=True
    )
    signatures = _signatures(year)
    today = timezone.localdate()
    if not signatures:
        return Plan(year, indicators, municipalities, None, today)
    # What every row depends on, hashed once (a repr per row of all of it cost 4 ms at 10×).
    definition = [
        (i.pk, i.code, i.decimals, i.time_aggregation, i.higher_is_better, i.frequency, i.updated_at)
        for i in indicators
    ]
    common = hashlib.sha256(repr((LAYOUT, definition, year, today, get_language())).encode()).hexdigest()

    keys = {m.pk: _row_key(common, m.pk, m.name, signatures.get(m.pk)) for m in municipalities}
    return Plan(year, indicators, municipalities, keys, today)


@functools.lru_cache(maxsize=8192)  # 116 hashes per request after a write, of which one changed
def _row_key(common: str, pk: int, name: str, signature) -> str:
    raw = f"{common}:{pk}:{name}:{signature}"
    return "results:scorecard-row:" + hashlib.sha256(raw.encode()).hexdigest()


# Rows this process read or computed, by key: a key names one content (its signature is in it), so a row
# kept here is never stale; unpickling 116 rows from the cache cost more than the rest of a fresh table.
_here = caching.Recent(2000)


def _rows_kept(keys: list[str]) -> dict[str, dict]:
    """The rows under these keys: from this process's memory, else from the cache (and kept here)."""
    found = {key: row for key in keys if (row := _here.get(key)) is not None}
    if len(found) < len(keys):
        fetched = cache.get_many([key for key in keys if key not in found])
        for key, row in fetched.items():
            _here.put(key, row)
        found.update(fetched)
    return found


def scorecard_card(plan: Plan, *, sort: str = "", descending: bool = False) -> selectors.Scorecard:
    """The scorecard of `plan` without its rows' figures: its header, its order and whether it has rows
    (`rows`: each municipality with None)."""
    codes = [i.code for i in plan.indicators]
    return selectors.Scorecard(
        year=plan.year,
        indicators=plan.indicators,
        rows=[(m, None) for m in plan.municipalities],
        sort=sort if sort in codes else "municipality",
        descending=descending,
    )


def scorecard_table(plan: Plan, *, sort: str = "", descending: bool = False) -> selectors.Scorecard:
    """The scorecard of `plan` (selectors.scorecard's rows and order) with `html_rows`: each row's HTML, from
    the cache unless what it is made of changed; two queries more for the rows to compute."""
    year, indicators, municipalities, keys = plan.year, plan.indicators, plan.municipalities, plan.keys
    card = scorecard_card(plan, sort=sort, descending=descending)
    rows = _rows_kept(list(keys.values())) if keys else {}
    keys = keys or {m.pk: m.pk for m in municipalities}  # not kept: each row under its own id, this once
    missing = [m for m in municipalities if keys[m.pk] not in rows]
    if missing:
        computed = _compute(indicators, missing, year, plan.today)
        fresh = {keys[pk]: row for pk, row in computed.items()}
        if plan.keys:
            cache.set_many(fresh, SECONDS)
            for key, row in fresh.items():
                _here.put(key, row)
        rows.update(fresh)
    ordered = [(m, rows[keys[m.pk]]) for m in municipalities]
    codes = [i.code for i in indicators]
    if sort in codes:
        column = codes.index(sort)
        ordered.sort(key=lambda r: (*r[1]["keys"][column], r[0].name), reverse=descending)
    else:
        ordered.sort(key=lambda r: r[0].name.casefold(), reverse=descending)
    # our own digits, URLs and escaped names and labels only; one string for the template to write
    card.html_rows = mark_safe("\n".join(row["html"] for _m, row in ordered))  # noqa: S308  # nosec B308 B703
    card.rows = [(m, None) for m, _row in ordered]
    return card


def _compute(indicators: list[Indicator], municipalities: list, year: int, today) -> dict[int, dict]:
    mids = [m.pk for m in municipalities]
    ids = [i.pk for i in indicators]
    values = selectors._approved_by_key(
        year_from=year, year_to=year, municipality_ids=mids, indicator_ids=ids
    )
    yearly, by_period = selectors._targets_by_key(
        year_from=year, year_to=year, municipality_ids=mids, indicator_ids=ids
    )
    base = reverse("results:cell_detail", args=[0, 0]).removesuffix("0/0/")
    text = selectors._number_formatter()
    labels = {status: escape(str(label)) for status, label in selectors.STATUS_LABELS.items()}
    out = {}
    for municipality in municipalities:
        cells = []
        for indicator in indicators:
            key = (indicator.pk, municipality.pk, year)
            target = selectors._yearly_target(indicator, key, yearly, by_period)
            cell = selectors.cell_for(indicator, municipality, values.get(key, []), target, year, today)
            cell.url = f"{base}{indicator.pk}/{municipality.pk}/?year={year}"
            cells.append(cell)
        out[municipality.pk] = _row(municipality, cells, text, labels)
    return out
