"""Rows of a list page rendered once per content: after a write, a list is rendered again from its rows'
HTML kept in the cache, and only the rows the write changed go through the template.

The list blocks (caching.py) are kept whole until any write to their group; the next reader then paid for
every row's template again (20-30 ms for 50 rows at 10×, most of a fresh page). Here each row's HTML is kept
under a digest of what it is made of: every value loaded on the row object (its fields, its annotations and
the related objects read with it, recursively), the row template's source and those it includes, the
language, the time zone and the context the caller passes. The row template is rendered without the request:
what it may show depends on nothing but that key (a list whose rows show more to some people passes what
they may see in `context`). `block` keeps the block around the rows the same way, under its rows' digest
and whatever else it shows (count, filter choices): a new data version with nothing changed renders nothing.
"""

import contextlib
import functools
import hashlib
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import Expression, F, TextField
from django.middleware.csrf import get_token
from django.template import loader
from django.template.loader_tags import IncludeNode
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import by_id, caching
from .prepared import prepared_cursor

SECONDS = 60 * 60 * 24  # a bound on memory; correctness comes from the digests
# The test settings read every page's rows again after finding them kept (_order), and fail on a difference.
CHECK_KEPT_ORDER = getattr(settings, "KALLPANCHIS_CHECK_KEPT_ORDER", False)
# Rendered as `csrf_token` into HTML kept for many requests (the menu, the footer, the meeting log), where
# each request writes its own token (`with_csrf_token`).
CSRF_PLACEHOLDER = "kallpanchisCsrfTokenOfThisRequest"
NEXT_PLACEHOLDER = "kallpanchisAddressOfThisRequest"  # where kept HTML (the footer) writes the page's address
_sources: dict[str, str] = {}  # template name -> digest of its source and its includes' (per process)


def _source_digest(name: str) -> str:
    """A digest of the template's source and of every template it includes by a literal name: a changed
    row template is never served from the rows the old one rendered."""
    if name in _sources and not settings.DEBUG:
        return _sources[name]
    template = loader.get_template(name).template
    parts = [template.source]
    for node in template.nodelist.get_nodes_by_type(IncludeNode):
        included = node.template.var
        if isinstance(included, str) and included:  # a quoted name (a variable's is resolved per render)
            parts.append(_source_digest(str(included)))
    _sources[name] = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    return _sources[name]


@functools.cache
def _catalogues() -> str:
    """A digest of the compiled translations this process reads (each app's and LOCALE_PATHS' django.mo:
    name, size, time): a release that changes a translation does not serve rows in the old wording."""
    folders = [Path(app.path) / "locale" for app in apps.get_app_configs()]
    folders += [Path(p) for p in settings.LOCALE_PATHS]
    found = []
    for folder in folders:
        for mo in sorted(folder.glob("*/LC_MESSAGES/django.mo")):
            stat = mo.stat()
            found.append((str(mo), stat.st_size, stat.st_mtime_ns))
    return hashlib.sha256(repr(found).encode()).hexdigest()


def rendering() -> tuple:
    """What else a rendering depends on: the language and its translations, the time zone, and where the
    URLs point (the URLconf and the prefix the site is served under)."""
    return (
        get_language(),
        _catalogues(),
        timezone.get_current_timezone_name(),
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
    )


def _values(obj, seen: frozenset = frozenset()):
    """Everything loaded on a model instance: its fields and annotations, then its related objects' (each
    once: a one-to-one read with select_related points back at the row)."""
    related = getattr(obj, "_state", None)
    if related is None:  # a plain value
        return obj
    own = [(k, v) for k, v in obj.__dict__.items() if k != "_state" and not k.startswith("_prefetched")]
    seen = seen | {id(obj)}
    for field, other in sorted(related.fields_cache.items()):
        if id(other) in seen:
            continue
        own.append((field, _values(other, seen)))
    return own


_placeholders = threading.local()  # set while a page is rendered to be kept (shell.page)


@contextlib.contextmanager
def csrf_placeholders_kept():
    """Inside: `with_csrf_token` (and the footer, for the address) leaves the placeholders as they are, for
    HTML kept whole around them."""
    _placeholders.kept = True
    try:
        yield
    finally:
        _placeholders.kept = False


def placeholders_kept() -> bool:
    return getattr(_placeholders, "kept", False)


def with_csrf_token(html: str, request) -> SafeString:
    """Kept HTML, rendered with CSRF_PLACEHOLDER as its `csrf_token`, with this request's token in."""
    if placeholders_kept():
        return mark_safe(html)  # noqa: S308  # nosec B308 B703: as given, already ours
    # our autoescaped templates; a token is letters and digits
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308  # nosec B308 B703


def values_of(obj) -> str:
    """What a model instance holds (its fields, annotations and related objects read with it), as text for a
    cache key: equal for two reads of the same row only if nothing it holds changed."""
    return repr(_values(obj))


class XminOf(Expression):
    """The version PostgreSQL gives the row a field path reaches: the transaction that wrote it and the
    command within it (`xmin`, `cmin`: two writes of one row in one transaction differ in the command). Any
    UPDATE, by whatever means, gives a row a new one."""

    output_field = TextField()

    def __init__(self, path: str):
        super().__init__()
        self.path = path

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        resolved = self.copy()
        resolved.column = F(self.path).resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return resolved

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.column.alias)
        return f"{table}.xmin::text || ':' || {table}.cmin::text", []


def _related_paths(model, select_related, prefix: str = "") -> list[str] | None:
    """The related objects a queryset reads with its rows (`select_related`'s tree), each as the path to
    one of its own columns other than its key: a path to its key would be read from the foreign key on the
    row before it (Django does not join for it), and so would that row's version. None if one has no other
    column."""
    paths = []
    for name, inner in (select_related or {}).items():
        related = model._meta.get_field(name).related_model
        column = next((f.name for f in related._meta.concrete_fields if not f.primary_key), None)
        deeper = _related_paths(related, inner, f"{prefix}{name}__")
        if column is None or deeper is None:
            return None
        paths += [f"{prefix}{name}__{column}", *deeper]
    return paths


def _marks(pages: list, keep_order: bool = True) -> list[list[tuple] | None]:
    """Each row of each page as (pk, its annotations, its version, the versions of the rows read with it),
    read without building a row: what the row shows changes only if one of them does. None for a page when
    they would not say it: rows with prefetched relations, every relation selected, DISTINCT, SQLite.
    `keep_order`: the rows and their order are kept apart from their versions (`_order`), and the versions
    of the pages' rows are read in one query by id; otherwise one query reads both, for each page."""
    found = [_ordered(page, keep_order) for page in pages]
    wanted: dict[str, list] = {}  # the versions query -> the ids it is asked for
    for mark in found:
        if isinstance(mark, _Order):
            wanted.setdefault(mark.by_id, []).extend(row[0] for row in mark.rows)
    versions = {sql: _versions(sql, ids) for sql, ids in wanted.items()}
    # a row gone since its place was kept is left out
    return [
        [(*row, *versions[m.by_id][row[0]]) for row in m.rows if row[0] in versions[m.by_id]]
        if isinstance(m, _Order)
        else m
        for m in found
    ]


class _Order(NamedTuple):
    """A page's (pk, its annotations) in order, whose versions are still to be read by `by_id`."""

    rows: list[tuple]
    by_id: str


def _ordered(page, keep_order: bool) -> "list[tuple] | _Order | None":
    """A page's marks (`_marks`), or its order kept apart and the query of its versions."""
    query = getattr(page, "query", None)
    if (
        query is None  # a list, not a queryset
        or connection.vendor != "postgresql"
        or page._prefetch_related_lookups
        or query.select_related is True
        or query.distinct
        or page._fields is not None
    ):
        return None
    related = _related_paths(page.model, query.select_related)
    if related is None:
        return None
    where = caching.computing() if keep_order else None
    by_id = _versions_query(page.model, tuple(related))
    if where is None or by_id is None:
        columns = ["pk", *query.annotations, XminOf("pk"), *(XminOf(path) for path in related)]
        return list(page.values_list(*columns))
    return _Order(_order(page, where), by_id)


def _order(page, where: tuple) -> list[tuple]:
    """(pk, its annotations) of each row of the page, in order, kept under `where` (the computation
    `by_what_it_reads` keeps around it: a list's block, caching.computing) and this page's place in it, by
    the columns its query reads: a write to a column the page is neither filtered nor ordered nor counted by
    (a title, a value shown) leaves the rows and their order as they were, and the query is not compiled
    nor run again."""
    read = functools.partial(_plainly, page)
    name, base, groups, asked = where
    query = page.query
    place = (name, base, asked, page.model._meta.label, query.low_mark, query.high_mark, query.is_empty())
    order = caching.by_what_it_reads("fragments:order", None, place, groups, read)
    if CHECK_KEPT_ORDER and order != read():  # the test settings: a place that did not say what it holds
        raise AssertionError(f"rows kept for {place} are not the page's")
    return order


def _plainly(page) -> list[tuple]:
    """The page's (pk, its annotations), read now."""
    return [tuple(row) for row in page.values_list("pk", *page.query.annotations)]


@functools.cache  # one query text per model and related paths, for the process
def _versions_query(model, related: tuple[str, ...]) -> str | None:
    """The query of `_versions`: each related row's version from a subquery on its key, one per row (joins
    here made PostgreSQL read whole tables of organisations to hash them, for twenty rows). None when a
    related object is not reached by a foreign key of the row before it."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [f"{table}.{quote(model._meta.pk.column)}", f"{table}.xmin::text || ':' || {table}.cmin::text"]
    for n, path in enumerate(related):
        here, key, at = model, None, None  # the row reached so far: its model, its key as SQL, its key column
        for depth, name in enumerate(path.split("__")[:-1]):
            field = here._meta.get_field(name)
            forward = getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False)
            if not forward or getattr(field, "column", None) is None:  # a reverse one-to-one has none here
                return None
            if key is None:
                key = f"{table}.{quote(field.column)}"
            else:
                alias = f"v{n}_{depth}"
                source = f"{quote(here._meta.db_table)} {alias}"
                column = f"{alias}.{quote(field.column)}"
                key = f"(SELECT {column} FROM {source} WHERE {alias}.{quote(at)} = {key})"  # noqa: S608  # nosec B608
            here, at = field.related_model, field.target_field.column
        alias = f"w{n}"
        version = f"{alias}.xmin::text || ':' || {alias}.cmin::text"
        source = f"{quote(here._meta.db_table)} {alias}"
        columns.append(f"(SELECT {version} FROM {source} WHERE {alias}.{quote(at)} = {key})")  # noqa: S608  # nosec B608
    # names from the models, quoted; the ids are the one parameter
    where = f"{table}.{quote(model._meta.pk.column)} = ANY(%s)"
    return f"SELECT {', '.join(columns)} FROM {table} WHERE {where}"  # noqa: S608  # nosec B608


def _versions(sql: str, pks: list) -> dict:
    """{pk: (its version, the versions of the related rows read with it)} of these rows, by `sql`
    (`_versions_query`: its only parameter is the ids)."""
    if not pks:
        return {}
    with prepared_cursor() as cursor:
        cursor.execute(sql, [list(pks)])
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


class Rows:
    """A list's rows and their keys: written into a template (`{{ rows }}`) they are their HTML, one after
    the other — `template` rendered with each row as `as_name` and `context` (plain values: their repr is
    in the key) — from the cache for rows whose values did not change (one `get_many`; one `set_many` for
    the others, kept `seconds`). `digest` tells one set of rows from another without rendering them.
    `Rows.of_page` knows a page's rows by their versions and reads the rows themselves only to render those
    whose HTML is not kept."""

    def __init__(
        self,
        name: str,
        rows: Iterable,
        *,
        template: str,
        as_name: str,
        context: dict | None = None,
        seconds: int = SECONDS,
    ):
        self._rows, self.seconds = list(rows), seconds
        self._found = None  # the rows' HTML read with the block around them (_around), or None
        self.template, self.as_name, self.context = template, as_name, dict(context or {})
        common = repr((name, _source_digest(template), rendering(), self.context))
        self.keys = [
            f"rows:{name}:" + hashlib.sha256(f"{common}\0{_values(row)!r}".encode()).hexdigest()
            for row in self._rows
        ]
        self.digest = hashlib.sha256("\0".join(self.keys).encode()).hexdigest()

    @classmethod
    def of_page(cls, name: str, page, *, keep_order: bool = True, **kwargs) -> "Rows":
        """The rows of a Paginator `page` over a queryset, each kept under its version, the versions of the
        related rows the queryset selects and its annotations (`_marks`: the ids, their order and
        annotations kept by the columns they read, and the versions by id; no row built), the template and
        `context`: a page whose rows did not change builds none. `keep_order=False` for a list whose order
        the commonest write to its table changes (`_marks`)."""
        slices = [(page.object_list, page.paginator.object_list)]
        return cls.of_slices(name, slices, keep_order=keep_order, **kwargs)[0]

    @classmethod
    def of_slices(cls, name: str, slices: list, *, keep_order: bool = True, **kwargs) -> list["Rows"]:
        """`of_page` for several (rows, queryset) of one list, each `rows` a slice of its `queryset` (the
        meeting list's page and its first twenty coming meetings): the versions of all their rows in one
        query."""
        return [
            cls._marked(name, rows, queryset, marks, **kwargs)
            for (rows, queryset), marks in zip(
                slices, _marks([rows for rows, _ in slices], keep_order), strict=True
            )
        ]

    @classmethod
    def _marked(cls, name: str, rows, queryset, marks, **kwargs) -> "Rows":
        if marks is None:
            return cls(name, rows, **kwargs)
        names = list(rows.query.annotations)  # read in this order by _marks, after the id
        rows = cls(name, [], **kwargs)
        common = repr((name, "marks", _source_digest(rows.template), rendering(), rows.context))
        rows.keys = [
            f"rows:{name}:" + hashlib.sha256(f"{common}\0{mark!r}".encode()).hexdigest() for mark in marks
        ]
        rows.digest = hashlib.sha256("\0".join(rows.keys).encode()).hexdigest()
        rows._rows, rows._pks, rows._queryset = None, [mark[0] for mark in marks], queryset
        # each row's annotations as the marks read them: the rows to render are read without them (_read)
        rows._annotations = {
            mark[0]: dict(zip(names, mark[1 : 1 + len(names)], strict=True)) for mark in marks
        }
        return rows

    def _read(self, pks) -> dict:
        """The rows of these ids, as the queryset builds them (the same related objects and fields). The ids
        come from the page's query (its filters, its scope) and their annotations were read with them: the
        rows are read by id alone, unordered, without the annotations' subqueries, and given those values."""
        query = self._queryset.query
        plain = self._queryset.model._base_manager.order_by()
        plain.query.select_related = query.select_related
        plain.query.deferred_loading = query.deferred_loading
        found = by_id.read_by_id(plain, pks)
        for pk, row in found.items():
            for name, value in self._annotations[pk].items():
                setattr(row, name, value)
        return found

    @property
    def rows(self) -> list:
        """The row objects (read now for a page known by its marks)."""
        if self._rows is None:
            found = self._read(self._pks)
            self._rows = [found[pk] for pk in self._pks if pk in found]
        return self._rows

    def lazily(self) -> SimpleLazyObject:
        """The row objects, read when first used (a page known by its marks reads them only then)."""
        return SimpleLazyObject(lambda: self.rows)

    def __bool__(self) -> bool:
        return bool(self.keys)

    def __html__(self) -> SafeString:
        marker = _marker(self)
        if marker is not None:  # the block around these rows is being kept apart from them
            return marker
        found = (
            self._found if self._found is not None else caching.parts_read(self.keys, seconds=self.seconds)
        )
        if len(found) < len(self.keys):
            if self._rows is not None:
                by_key = dict(zip(self.keys, self._rows, strict=True))
            else:  # a page known by its marks: only the rows to render are read
                wanted = {pk: key for key, pk in zip(self.keys, self._pks, strict=True) if key not in found}
                by_key = {wanted[pk]: row for pk, row in self._read(list(wanted)).items()}
            compiled = loader.get_template(self.template)
            fresh = {
                key: compiled.render({**self.context, self.as_name: row})
                for key, row in by_key.items()
                if key not in found
            }
            caching.parts_kept(fresh, self.seconds)
            found.update(fresh)
        # our templates' output, autoescaped when rendered; a row gone since its mark was read is left out
        return mark_safe("".join(found[key] for key in self.keys if key in found))  # noqa: S308  # nosec B308 B703

    __str__ = __html__


class Written:
    """HTML made apart from a block by `html()` (the scorecard's rows, joined), written into it like `Rows`:
    the block around it is kept whatever it holds, and `digest` says what it holds."""

    def __init__(self, digest: str, html):
        self.digest, self._html = digest, html

    def __bool__(self) -> bool:
        return True

    def __html__(self) -> SafeString:
        marker = _marker(self)
        if marker is not None:
            return marker
        return mark_safe(self._html())  # noqa: S308  # nosec B308 B703: `html` gives our own escaped HTML

    __str__ = __html__


class Piece(Written):
    """A small part of a block rendered apart from it (a table's totals): written into the block like `Rows`
    (`block(..., rows=(..., piece))`), so that the block around it is kept whatever its values, and only
    `template` is rendered again, with `context` (plain values: their repr is in the key), when they
    change."""

    def __init__(self, template: str, context: dict):
        self.template, self.context = template, dict(context)
        raw = repr((_source_digest(template), rendering(), sorted(self.context.items())))
        # our autoescaped template
        super().__init__(
            hashlib.sha256(raw.encode()).hexdigest(),
            lambda: loader.get_template(self.template).render(self.context),
        )


def block(name: str, parts: tuple, compute, rows: tuple["Rows | Written", ...] = ()) -> str:
    """A rendered block kept under what it is made of (`parts`: plain values) and the `rows` it writes, for
    the language and time zone: `compute()` runs only when one of them changed, so a block whose data version
    moved (caching.cached) but whose rows, counts and choices did not is not rendered again. Around its rows
    it is kept apart too (`_around`): a row changed renders that row, not the block again."""
    raw = repr((name, rendering(), parts, [r.digest for r in rows]))
    key = f"block:{name}:" + hashlib.sha256(raw.encode()).hexdigest()
    if not rows:
        return caching.kept(key, compute, SECONDS, here=True)
    around = (
        f"around:{name}:"
        + hashlib.sha256(repr((name, rendering(), parts, [bool(r) for r in rows])).encode()).hexdigest()
    )
    # The block, the block around its rows and every row's HTML in one read of the cache.
    wanted = [around, *(k for r in rows if isinstance(r, Rows) for k in r.keys)]
    briefest = min([SECONDS, *(r.seconds for r in rows if isinstance(r, Rows))])
    return caching.kept_from_parts(
        key, wanted, lambda found: _around(around, found, compute, rows), SECONDS, briefest
    )


_writing = threading.local()  # the Rows being written as markers into the block around them


def _marker(part) -> SafeString | None:
    """The comment that stands for `part` (a Rows or a Written) while the block around it is rendered."""
    marker = (getattr(_writing, "markers", None) or {}).get(id(part))
    return None if marker is None else mark_safe(marker)  # noqa: S308  # nosec B308 B703: our own comment


def _around(key: str, found: dict, compute, rows: tuple["Rows | Written", ...]) -> str:
    """The block with its rows: rendered with a marker where each Rows (or Written) goes, kept under `key`
    (its parts and whether each has rows: the template may say "nothing here"), then each marker replaced by
    its HTML. `found`: what the cache holds of it and of the rows' HTML."""
    markers = {id(r): f"<!--kallpanchis-rows-{i}-->" for i, r in enumerate(rows)}
    for r in rows:
        if isinstance(r, Rows):
            r._found = {k: found[k] for k in r.keys if k in found}
    html = found.get(key)
    if html is None:
        _writing.markers = markers
        try:
            html = str(compute())
        finally:
            _writing.markers = None
        caching.parts_kept({key: html}, SECONDS)
    for r in rows:
        html = html.replace(markers[id(r)], str(r))
    return html
