"""Rendered list blocks (meeting list, agreements register, plan list, production table) kept in the cache
until the data under them changes.

Every write to a table such a list reads (or scopes by) adds a step to its group's version in `DataVersion`
(`kallpanchis_data_version`) from a PostgreSQL statement trigger, `kallpanchis_data_version_bump(group)`
(core's migrations 0001-0002; each app puts the triggers on its tables in its own migration: spaces 0005,
producers 0003), in the same transaction as the write: one INSERT of a random positive step per transaction
and group, so no writer waits for another. A group's version is the sum of its committed steps. Whoever
writes (a service, the admin, a bulk update, COPY), the next reader sees the new version as soon as the
write is committed and not before, whatever order concurrent writers commit in; a reader reads the version
before the rows, so a block stored under a version holds every write counted in it, and a block cached
under an old version is never served again. The key also holds the person's access (what
`visible_to()` reads from the person, told apart by the function the accounts app registers with
`access_key_from`), today's date (lists flag overdue agreements and late plans against it), the language and
the page's own parameters. A miss renders the block from the database, scoped as always.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import get_language

SECONDS = 60 * 60  # a bound on memory; correctness comes from the versions
# The group every table a reader sees moves (kallpanchis/history/versioning.py): for answers built from many
# apps at once (the API's lists, the home page).
ALL = "all"

# Who may see what belongs to the accounts app, above this one: it registers how two people's access is
# told apart (kallpanchis.accounts.apps). Without it nothing could be cached safely, so `cached` refuses.
_access_key: Callable[[object], str] | None = None


def access_key_from(function: Callable[[object], str]) -> Callable[[object], str]:
    """Register `function(user) -> str`: equal for two people who see the same rows, different otherwise."""
    global _access_key
    _access_key = function
    return function


def access_of(user) -> str:
    """The registered access key of this person (see access_key_from)."""
    if _access_key is None:
        raise ImproperlyConfigured("No access key is registered for the list cache (kallpanchis.accounts).")
    return _access_key(user)


MODULUS = 2**62  # versions are sums of steps; kept in a bigint when folded
FOLD_AFTER = 64  # a group with more step rows than this is folded into one row by the next reader


# The versions read during the GET or HEAD request this thread is answering, so that a page made of several
# kept values asks the database once per set of groups; nothing is kept between requests, nor outside one
# (a task, a command, a POST that writes and then reads).
_reading = threading.local()
_UNREAD = object()  # a GET request that has not asked for a version yet


def _request_started(sender, environ=None, **kwargs):
    method = (environ or {}).get("REQUEST_METHOD")
    _reading.versions = _UNREAD if method in ("GET", "HEAD") else None


def _request_finished(sender, **kwargs):
    _reading.versions = None


request_started.connect(_request_started, dispatch_uid="kallpanchis_data_versions_read")
request_finished.connect(_request_finished, dispatch_uid="kallpanchis_data_versions_forgotten")


def data_version(*groups: str) -> str | None:
    """The committed versions of these groups of tables (one cheap query, once per GET request): each the
    sum of its group's committed steps, which changes when, and only when, a transaction that wrote the
    group commits. None without the triggers (SQLite, the demo without PostgreSQL), where nothing is
    cached."""
    if connection.vendor != "postgresql":
        return None
    if not groups:  # a value that depends on no table's rows (a form of fixed choices): no query
        return ""
    versions = getattr(_reading, "versions", None)
    if versions is _UNREAD:  # the request's first: every group's version at once (a handful of groups)
        versions = _reading.versions = _read_versions(None)
    elif versions is None:
        versions = _read_versions(groups)
    return ",".join(f"{name}={versions[name]}" for name in sorted(set(groups)) if name in versions)


def _read_versions(groups: tuple[str, ...] | None) -> dict[str, int]:
    """{group: version} of these groups, or of every group (None)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sum(version) %% %s, count(*) FROM kallpanchis_data_version "
            "WHERE %s OR name = ANY(%s) GROUP BY name",
            [MODULUS, groups is None, list(groups or ())],
        )
        rows = cursor.fetchall()
    crowded = [name for name, _, count in rows if count > FOLD_AFTER]
    if crowded:
        fold(crowded)
    return {name: version for name, version, _ in rows}


def fold(groups: list[str]) -> None:
    """Replace each group's committed steps by one row holding their sum (modulo MODULUS): the version is
    the same before and after, for every reader (one transaction). One folder at a time (a lock tried, never
    waited for); writers insert new rows meanwhile and never wait for it."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext('kallpanchis_data_version_fold'))")
        if not cursor.fetchone()[0]:
            return
        for name in groups:
            cursor.execute(
                "WITH gone AS (DELETE FROM kallpanchis_data_version WHERE name = %s RETURNING version) "
                "INSERT INTO kallpanchis_data_version (name, version) "
                "SELECT %s, (sum(version) %% %s)::bigint FROM gone",
                [name, name, MODULUS],
            )


def cached(name: str, *, request, groups: tuple[str, ...], params: list[str], compute, key: tuple = ()):
    """The value `name` for this request (a rendered block, a count, a filter's choices): from the cache,
    or `compute()` stored for the next reader. `params` are the GET parameters it depends on; other
    parameters do not make new entries; `key` adds what the URL's path holds (an association's id)."""
    query = [*key, *((p, request.GET.get(p, "")) for p in params)]
    version = data_version(*groups)
    if version is None:
        return compute()
    raw = repr((version, access_of(request.user), timezone.localdate(), get_language(), query))
    return kept(f"list:{name}:" + hashlib.sha256(raw.encode()).hexdigest(), compute)


def cached_for(name: str, *, user, groups: tuple[str, ...], compute, key: tuple = ()):
    """`cached` for code with no request at hand (the home page's plug-ins): the value for this person's
    access, today and the language, until a write to one of `groups` changes it. The key is the language's
    too: a computed value may hold translated text."""
    version = data_version(*groups)
    if version is None:
        return compute()
    raw = repr((version, access_of(user), timezone.localdate(), get_language(), list(key)))
    return kept(f"value:{name}:" + hashlib.sha256(raw.encode()).hexdigest(), compute)


HERE_MOST = 32  # values kept in each process's memory by `kept_here`, the least recently used dropped
_here: OrderedDict = OrderedDict()
_here_lock = threading.Lock()


def kept_here(name: str, *, user, groups: tuple[str, ...], compute, key: tuple = ()):
    """`cached_for` in this process's memory: for values read on every request whose pickled form would cost
    about as much to load from Redis as to compute (thousands of numbers). Each process computes a value
    once per data version; callers must not change what they are given. `user` None: the same for everyone.
    A value of None is not kept."""
    version = data_version(*groups)
    if version is None:
        return compute()
    access = None if user is None else access_of(user)
    index = (name, version, access, timezone.localdate(), get_language(), key)
    with _here_lock:
        if index in _here:
            _here.move_to_end(index)
            return _here[index]
    value = compute()
    if value is not None:
        with _here_lock:
            _here[index] = value
            while len(_here) > HERE_MOST:
                _here.popitem(last=False)
    return value


def kept(key: str, compute, seconds: int = SECONDS):
    """The cached value under `key`, or `compute()` stored there for `seconds` (None: nothing to keep)."""
    value = cache.get(key)
    if value is None:
        value = compute()
        if value is not None:
            cache.set(key, value, seconds)
    return value


def paginator_counted(queryset, per_page: int, count: int) -> Paginator:
    """A paginator told its count (cached for every page of one filter) instead of asking COUNT(*)."""
    paginator = Paginator(queryset, per_page)
    paginator.count = count  # Paginator.count is a cached_property: this is its value for this request
    return paginator
