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

import functools
import hashlib
from collections.abc import Iterable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.template import loader
from django.template.loader_tags import IncludeNode
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .caching import kept

SECONDS = 60 * 60 * 24  # a bound on memory; correctness comes from the digests
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


def _rendering() -> tuple:
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


def values_of(obj) -> str:
    """What a model instance holds (its fields, annotations and related objects read with it), as text for a
    cache key: equal for two reads of the same row only if nothing it holds changed."""
    return repr(_values(obj))


class Rows:
    """A list's rows and their keys: written into a template (`{{ rows }}`) they are their HTML, one after
    the other — `template` rendered with each row as `as_name` and `context` (plain values: their repr is
    in the key) — from the cache for rows whose values did not change (one `get_many`; one `set_many` for
    the others, kept `seconds`). `digest` tells one set of rows from another without rendering them."""

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
        self.rows, self.seconds = list(rows), seconds
        self.template, self.as_name, self.context = template, as_name, dict(context or {})
        common = repr((name, _source_digest(template), _rendering(), self.context))
        self.keys = [
            f"rows:{name}:" + hashlib.sha256(f"{common}\0{_values(row)!r}".encode()).hexdigest()
            for row in self.rows
        ]
        self.digest = hashlib.sha256("\0".join(self.keys).encode()).hexdigest()

    def __bool__(self) -> bool:
        return bool(self.rows)

    def __html__(self) -> SafeString:
        found = cache.get_many(self.keys)
        if len(found) < len(self.rows):
            compiled = loader.get_template(self.template)
            fresh = {
                key: compiled.render({**self.context, self.as_name: row})
                for key, row in zip(self.keys, self.rows, strict=True)
                if key not in found
            }
            cache.set_many(fresh, self.seconds)
            found.update(fresh)
        # our templates' output, autoescaped when rendered
        return mark_safe("".join(found[key] for key in self.keys))  # noqa: S308  # nosec B308 B703

    __str__ = __html__


def block(name: str, parts: tuple, compute) -> str:
    """A rendered block kept under what it is made of (`parts`: plain values, Rows' digests), for the
    language and time zone: `compute()` runs only when one of them changed, so a block whose data version
    moved (caching.cached) but whose rows, counts and choices did not is not rendered again."""
    raw = repr((name, _rendering(), parts))
    return kept(f"block:{name}:" + hashlib.sha256(raw.encode()).hexdigest(), compute, SECONDS)
