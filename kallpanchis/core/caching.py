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

import datetime
import functools
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import get_language

from .prepared import prepared_cursor

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
    if versions is _UNREAD:  # the request's first: every group's version at once (groups and tables)
        versions = _reading.versions = _read_versions(None)
    elif versions is None:
        versions = _read_versions(groups)
    return ",".join(f"{name}={versions[name]}" for name in sorted(set(groups)) if name in versions)


def _read_versions(groups: tuple[str, ...] | None) -> dict[str, int]:
    """{group: version} of these groups, or of every group (None)."""
    with prepared_cursor() as cursor:
        # core 0006: read from the index, not from the table's pages (dead rows after a burst of writes)
        cursor.execute(
            "SELECT name, version, steps FROM kallpanchis_data_versions(%s, %s)",
            [None if groups is None else list(groups), MODULUS],
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


def cached(
    name: str,
    *,
    request,
    groups: tuple[str, ...],
    params: list[str],
    compute,
    key: tuple = (),
    by_tables: bool = False,
):
    """The value `name` for this request (a rendered block, a count, a filter's choices): from the cache,
    or `compute()` stored for the next reader. `params` are the GET parameters it depends on; other
    parameters do not make new entries; `key` adds what the URL's path holds (an association's id).
    `by_tables`: kept until one of the tables its queries read changes (`by_what_it_reads`), not until any
    table of `groups` does."""
    query = [*key, *((p, request.GET.get(p, "")) for p in params)]
    if by_tables:
        return by_what_it_reads(f"list:{name}", request.user, query, groups, compute)
    version = data_version(*groups)
    depends_on(groups)
    if version is None:
        return compute()
    raw = repr((version, access_of(request.user), timezone.localdate(), get_language(), query))
    # with no group, the key does not change with the data: only the cache's expiry renews the value
    return kept(f"list:{name}:" + hashlib.sha256(raw.encode()).hexdigest(), compute, here=bool(groups))


def cached_for(name: str, *, user, groups: tuple[str, ...], compute, key: tuple = ()):
    """`cached` for code with no request at hand (the home page's plug-ins): the value for this person's
    access, today and the language, until a write to one of `groups` changes it. The key is the language's
    too: a computed value may hold translated text."""
    version = data_version(*groups)
    depends_on(groups)
    if version is None:
        return compute()
    raw = repr((version, access_of(user), timezone.localdate(), get_language(), list(key)))
    return kept(f"value:{name}:" + hashlib.sha256(raw.encode()).hexdigest(), compute, here=bool(groups))


class Recent:
    """At most `most` values in this process's memory, the least recently used dropped first; for several
    threads at once."""

    def __init__(self, most: int):
        self.most, self._items, self._lock = most, OrderedDict(), threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key):
        """The value under `key`, or None."""
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.most:
                self._items.popitem(last=False)


class _Weighed(Recent):
    """`Recent` bounded by the length of its texts too (a number or a list counts for little)."""

    def __init__(self, most: int, budget: int):
        super().__init__(most)
        self.budget, self.weight = budget, 0

    @staticmethod
    def _weight(value) -> int:
        return len(value) if isinstance(value, (str, bytes)) else 64

    def put(self, key, value) -> None:
        with self._lock:
            if key in self._items:
                self.weight -= self._weight(self._items.pop(key))
            self._items[key] = value
            self.weight += self._weight(value)
            while len(self._items) > self.most or self.weight > self.budget:
                self.weight -= self._weight(self._items.popitem(last=False)[1])


# Values whose key names their content (the versions of what they read, or the digests of what they are made
# of: `by_what_it_reads`, `kept(..., here=True)`) are also kept in this process's memory when they cannot be
# changed in place (text, numbers, lists of them): a page after a write found its count, its rows' order and
# the block around them there, not in four round trips to Redis, and the scorecard its 346 KB table.
SEEN_MOST = 1024
SEEN_BUDGET = 32 * 1024 * 1024  # characters of text per process
SEEN_LONGEST = 1024 * 1024
_seen = _Weighed(SEEN_MOST, SEEN_BUDGET)
_UNCHANGING = (str, bytes, int, float, bool, type(None), Decimal, datetime.date, datetime.time)


def _unchanging(value, depth: int = 0) -> bool:
    """Whether `value` cannot be changed in place by whoever is given it (it may be given to many)."""
    if isinstance(value, str):
        return len(value) <= SEEN_LONGEST
    if isinstance(value, _UNCHANGING):
        return True
    if isinstance(value, (tuple, frozenset)) or (isinstance(value, list) and depth == 0):
        return len(value) <= 1000 and all(_unchanging(v, depth + 1) for v in value)
    return False


def _seen_or_cached(key: str, frozen: bool = False):
    value = _seen.get(key)
    if value is None:
        value = cache.get(key)
        if value is not None and (frozen or _unchanging(value)):
            _seen.put(key, value)
    return value


def _keep(key: str, value, seconds: int, frozen: bool = False) -> None:
    """`store` for a value whose key names its content: in this process's memory too (`frozen`: whatever
    it is, its callers never change it)."""
    store({key: value}, seconds)
    if frozen or _unchanging(value):
        _seen.put(key, value)


def forget_seen() -> None:
    """Drop what this process keeps (tests: each starts with an empty cache)."""
    global _seen, _built, _here, _parts
    _seen = _Weighed(SEEN_MOST, SEEN_BUDGET)
    _built = Recent(BUILT_MOST)
    _here = Recent(HERE_MOST)
    _parts = _Weighed(PARTS_MOST, PARTS_BUDGET)


# Values kept by what they read (`by_what_it_reads`): while one is computed, the tables its queries name are
# gathered here (a stack: a kept value computed inside another adds to both).
_gathering = threading.local()
UNVERSIONED = "?"  # a table no trigger versions was read: the caller's groups stand for it
_WORD = re.compile(r"[a-z_][a-z0-9_]*")
_WHOLE_COUNT = re.compile(r'SELECT COUNT\(\*\) AS "__count" FROM "([a-z0-9_]+)"')
_tables: tuple[frozenset, frozenset] | None = None
_versioned_tables: Callable[[], list[str]] | None = None
_columns: dict[str, frozenset] = {}  # table -> its columns, from the models (with _tables)
# What each kept value read, remembered by each process too (a lookup in Redis less per value): a list of
# table names, the same for every process; an old one only finds no value under it and is learnt again.
_reads_here = Recent(2048)


def versioned_tables_from(function: Callable[[], list[str]]) -> Callable[[], list[str]]:
    """Register `function() -> table names`: the tables whose writes step a version (the history app puts
    the triggers on them: kallpanchis/history/versioning.py)."""
    global _versioned_tables, _tables
    _versioned_tables, _tables = function, None
    _reads.cache_clear()
    return function


def _known_tables() -> tuple[frozenset, frozenset]:
    """(the tables whose writes step a version, every table of every model), once per process."""
    global _tables
    if _tables is None:
        from django.apps import apps

        versioned = frozenset(_versioned_tables()) if _versioned_tables else frozenset()
        models = apps.get_models(include_auto_created=True)
        for model in models:
            names = {field.column for field in model._meta.concrete_fields}
            _columns[model._meta.db_table] = frozenset(names | _columns.get(model._meta.db_table, set()))
        _tables = (versioned, versioned | {model._meta.db_table for model in models})
    return _tables


@functools.lru_cache(maxsize=4096)  # the same few hundred statements (parameters apart) again and again
def _reads(sql: str) -> frozenset[str]:
    """The version groups a query depends on, for each versioned table it names (any word of the query that
    is a table's name, so raw SQL counts too): `r:<table>` and the version of each column it reads
    (`c:<table>.<column>`, with `c:<table>.*`) when every mention of the table is Django's own
    (`_columns_read`) and no column of it is named without it; otherwise `t:<table>` (raw SQL, a row's
    version). `r:<table>` alone for the count of a whole table (only a row coming or going changes it), and
    UNVERSIONED besides for a table no trigger versions."""
    versioned, everything = _known_tables()
    tables = set(_WORD.findall(sql)) & everything
    if tables - versioned:
        return frozenset({UNVERSIONED} | {f"t:{table}" for table in tables & versioned})
    whole = _WHOLE_COUNT.fullmatch(sql.strip())
    if whole:
        return frozenset({f"r:{whole.group(1)}"})
    found = set()
    loose = _unqualified(sql)
    for table in tables:
        columns = _columns_read(sql, table)
        if columns is None or loose & _columns.get(table, frozenset()):  # a column named without its table
            found.add(f"t:{table}")
        else:
            found |= {f"r:{table}", f"c:{table}.*", *(f"c:{table}.{column}" for column in columns)}
    return frozenset(found)


_COLUMN = re.compile(r'\."([a-z0-9_]+)"')
_ALIAS = re.compile(r"\s+([A-Z][0-9]+)\b")  # Django's table aliases: U0 in a subquery, T4 for a second join
# What may follow a table read with no alias: the end, a bracket or comma, or the next clause.
_UNALIASED = re.compile(
    r"\s*(?:$|[),]|(?:WHERE|INNER|LEFT|RIGHT|FULL|CROSS|JOIN|ON|GROUP|ORDER|LIMIT|OFFSET|HAVING|FOR|UNION"
    r"|EXCEPT|INTERSECT|WINDOW)\b)"
)
_LITERAL = re.compile(r"'[^']*'")
_OUTPUT = re.compile(r'\bAS\s+"[a-z0-9_]+"')  # the name a selected value is given: not a column read
_QUALIFIED = re.compile(r'(?:"[a-z0-9_]+"|\b[A-Z][0-9]+)\."[a-z0-9_]+"')
_NAMED = re.compile(r'"?\b([a-z_][a-z0-9_]*)\b"?')


def _unqualified(sql: str) -> set[str]:
    """The lower-case names a query uses other than as `table.column` (literals, and the names it gives what
    it selects, aside): a column among them is read without saying from which table (raw SQL, `extra`), so
    which of its columns a table gives cannot be told."""
    return set(_NAMED.findall(_QUALIFIED.sub(" ", _OUTPUT.sub(" ", _LITERAL.sub(" ", sql)))))


def _columns_read(sql: str, table: str) -> set[str] | None:
    """The columns of `table` a query reads, when each of its mentions is Django's: `"table"."column"`, or
    `FROM/JOIN "table"` with no alias or with one of Django's (`U0`), every use of which is `U0."column"`
    (an alias given to several tables counts its columns for each: more, never fewer). None otherwise: what
    a bare name or a row's version (`xmin`) reads cannot be told."""
    quoted = f'"{table}"'
    if len(re.findall(rf"\b{table}\b", sql)) != sql.count(quoted):
        return None
    columns = set()
    for mention in re.finditer(re.escape(quoted), sql):
        column = _COLUMN.match(sql, mention.end())
        if column:
            columns.add(column.group(1))
            continue
        if not sql[: mention.start()].rstrip().endswith(("FROM", "JOIN")):
            return None
        alias = _ALIAS.match(sql, mention.end())
        if alias is None:
            if not _UNALIASED.match(sql, mention.end()):
                return None
            continue
        for use in re.finditer(rf"\b{alias.group(1)}\b", sql):
            column = _COLUMN.match(sql, use.end())
            if column:
                columns.add(column.group(1))
            elif not sql[: use.start()].rstrip().endswith('"'):  # not where a table is given it
                return None
    return columns


def _gather(execute, sql, params, many, context):
    found = _reads(sql)
    for gathered in getattr(_gathering, "stack", ()):
        gathered.update(found)
    return execute(sql, params, many, context)


def depends_on(groups) -> None:
    """Tell the values being computed by `by_what_it_reads` that they depend on these groups: a value kept
    under them was read inside their computation without a query they could see."""
    for gathered in getattr(_gathering, "stack", ()):
        gathered.update(groups)


def computing() -> tuple | None:
    """Where this thread is: inside the computation of a value `by_what_it_reads` keeps, (its name, the
    digest of its key, its groups, how many times this was asked during it before); None outside one. What
    that computation reads depends on nothing its key does not say (the person's access, the day, the
    language, the request's parameters), so a part of it may be kept under the same key and its place in
    it."""
    places = getattr(_gathering, "places", None)
    if not places:
        return None
    place = places[-1]
    place[3] += 1
    return (place[0], place[1], place[2], place[3])


def _snapshot() -> dict[str, int]:
    """Every group's committed version, as this GET request first read them (or now, outside one)."""
    versions = getattr(_reading, "versions", None)
    if versions is _UNREAD:
        versions = _reading.versions = _read_versions(None)
    elif versions is None:
        versions = _read_versions(None)
    return versions


def by_what_it_reads(name: str, user, key, groups: tuple[str, ...], compute, *, frozen: bool = False):
    """`compute()` kept for this person's access, today, the language and `key`, until one of the tables its
    queries read changes: a write elsewhere in the group leaves it alone. The first computation learns which
    tables those are (kept beside it); a value computed from other tables (another path through the code)
    learns them again. Values kept in the cache and read during the computation count with theirs; a table
    no trigger versions makes it fall back to `groups`. `frozen`: the callers never change the value (model
    instances only read), so this process keeps it as it keeps text, rather than unpickle it from Redis on
    every request."""
    if connection.vendor != "postgresql":
        return compute()
    if not _known_tables()[0]:  # no app says which tables are versioned
        return compute()
    versions = _snapshot()  # before any row is read: a value stored under a version holds its writes
    base = hashlib.sha256(
        repr((name, access_of(user), timezone.localdate(), get_language(), key)).encode()
    ).hexdigest()

    def stored_under(reads: tuple[str, ...]) -> str:
        raw = repr((base, [(group, versions.get(group)) for group in reads]))
        return f"{name}:read:" + hashlib.sha256(raw.encode()).hexdigest()

    reads = _reads_here.get((name, base)) or cache.get(f"{name}:reads:{base}")
    if reads is not None:
        value = _seen_or_cached(stored_under(reads), frozen)
        if isinstance(value, _Same):
            value = _seen_or_cached(value.key, frozen)
        if value is not None:
            depends_on(reads)
            return value
    gathered: set[str] = set()
    stack = _gathering.__dict__.setdefault("stack", [])
    stack.append(gathered)
    places = _gathering.__dict__.setdefault("places", [])
    places.append([name, base, groups, 0])
    outermost = len(stack) == 1
    if outermost:
        _gathering.stored, _gathering.named = [], {}
    try:
        if outermost:
            with connection.execute_wrapper(_gather):
                value = compute()
        else:  # the outer computation's wrapper sees these queries and adds them here too
            value = compute()
        if UNVERSIONED in gathered:
            gathered = (gathered - {UNVERSIONED}) | set(groups)
        reads = tuple(sorted(gathered))
        depends_on(reads)
        if value is not None:
            store({f"{name}:reads:{base}": reads}, SECONDS)
            named = _gathering.named.get(id(value))
            # kept as it is under another key: a note of that key, here and in the cache, not a second copy
            same = named is not None and named[0] is value
            _keep(stored_under(reads), _Same(named[1]) if same else value, SECONDS, frozen)
            _reads_here.put((name, base), reads)
        if outermost:
            _store_now(_gathering.stored)
    finally:
        stack.pop()
        places.pop()
        if outermost:
            _gathering.stored = _gathering.named = None
    return value


class _Same(NamedTuple):
    """Kept by `by_what_it_reads` in place of a value that is kept as it is under `key` (a list's block, which
    the computation around it returns whole): the cache holds its text once, not twice. A reader that finds
    no value under `key` computes both again."""

    key: str


SAME_LONGEST = 4096  # characters: a shorter value is kept twice rather than read through a second key


def _name(key: str, value) -> None:
    """Remember, for the computation `by_what_it_reads` keeps around this one, that `value` is kept under
    `key`."""
    named = getattr(_gathering, "named", None)
    if named is not None and isinstance(value, str) and len(value) > SAME_LONGEST:
        named[id(value)] = (value, key)


def store(values: dict, seconds: int) -> None:
    """`cache.set_many(values, seconds)`; inside a computation `by_what_it_reads` keeps, at its end, with
    every other value it computed (a row's HTML, the block around it, a count) in one round trip to the
    cache. A reader that comes before it is written finds nothing and computes the same value."""
    stored = getattr(_gathering, "stored", None)
    if stored is None:
        cache.set_many(values, seconds)
    else:
        stored.append((values, seconds))


def _store_now(stored: list[tuple[dict, int]]) -> None:
    by_seconds: dict[int, dict] = {}
    for values, seconds in stored:
        by_seconds.setdefault(seconds, {}).update(values)
    if hasattr(cache, "set_many_for"):  # kallpanchis.core.redis_cache: one pipeline
        cache.set_many_for(by_seconds)
        return
    for seconds, values in by_seconds.items():
        cache.set_many(values, seconds)


HERE_MOST = 32  # values kept in each process's memory by `kept_here`, the least recently used dropped
_here = Recent(HERE_MOST)


def kept_here(name: str, *, user, groups: tuple[str, ...], compute, key: tuple = ()):
    """`cached_for` in this process's memory: for values read on every request whose pickled form would cost
    about as much to load from Redis as to compute (thousands of numbers). Each process computes a value
    once per data version; callers must not change what they are given. `user` None: the same for everyone.
    A value of None is not kept."""
    version = data_version(*groups)
    depends_on(groups)
    if version is None:
        return compute()
    access = None if user is None else access_of(user)
    index = (name, version, access, timezone.localdate(), get_language(), key)
    value = _here.get(index)
    if value is None:
        value = compute()
        if value is not None:
            _here.put(index, value)
    return value


BUILT_MOST = 256  # querysets each process keeps built (`built`), the least recently used dropped
_built = Recent(BUILT_MOST)


def built(name: str, *, user, build, key: tuple = ()):
    """The queryset `build()` makes for this person's access, today and `key` (the filters), built once per
    process: a list whose block must be computed again after a write spent more on building its queryset
    (annotations, subqueries, its scope) than on reading it (0.4-0.6 ms of the plan list's). Each caller gets
    its own copy, which it may filter, slice and evaluate. `build` must read nothing but what the key says:
    its scope from the access (as subqueries, not rows read now), its dates from today."""
    index = (name, access_of(user), timezone.localdate(), key)
    queryset = _built.get(index)
    if queryset is None:
        queryset = build()
        _built.put(index, queryset)
    return queryset.all()


def kept(key: str, compute, seconds: int = SECONDS, *, here: bool = False):
    """The cached value under `key`, or `compute()` stored there for `seconds` (None: nothing to keep).
    `here`: the key names the value's content (versions, digests), which this process may keep too."""
    value = _seen_or_cached(key) if here else cache.get(key)
    if value is None:
        value = compute()
        if value is not None:
            if here:
                _keep(key, value, seconds)
            else:
                store({key: value}, seconds)
    if here:  # a key that names its content: a note of it stays right
        _name(key, value)
    return value


# Characters: a value made of kept parts that is longer is kept in the process only. Another process makes it
# again from its parts about as fast as it would read it back, and writing it to Redis cost the process 0.45
# ms and Redis as much again for the scorecard's 346 KB, after every write to a row it shows.
ASSEMBLED_HERE_ONLY = 128 * 1024


# Parts of blocks (a row's HTML, the block around a list's rows) under keys that name their content, kept in
# each process beside Redis: after a write to one row of a page, the page's other rows and the block around
# them were read back from Redis (0.6 ms of a list's CPU, and Redis's) to write the one row changed.
PARTS_MOST, PARTS_BUDGET = 8192, 16 * 1024 * 1024
_parts = _Weighed(PARTS_MOST, PARTS_BUDGET)


def parts_read(keys: list[str], *more: str, seconds: int = SECONDS) -> dict:
    """The parts under `keys` this process holds, and those the cache holds (kept here from then on, unless
    they are kept for less than an hour: `seconds`, as `parts_kept` was told), with the values under `more`
    (read in the same round trip, not kept here)."""
    found = {key: value for key in keys if (value := _parts.get(key)) is not None}
    asked = [*more, *(key for key in keys if key not in found)]
    if asked:
        fetched = cache.get_many(asked)
        here = seconds >= SECONDS
        for key, value in fetched.items():
            if here and key not in more:
                _parts.put(key, value)
        found.update(fetched)
    return found


def parts_kept(values: dict[str, str], seconds: int) -> None:
    """`store` for parts (texts under keys that name their content): in this process too, unless kept for
    less than an hour (a person's row: an erased name must leave every memory soon)."""
    store(values, seconds)
    if seconds >= SECONDS:
        for key, value in values.items():
            _parts.put(key, value)


def kept_from_parts(
    key: str, parts: list[str], compute, seconds: int = SECONDS, parts_seconds: int = SECONDS
):
    """`kept(key, ..., here=True)` for a value made of other kept values: when this process does not hold it,
    the cache is asked for it and for the `parts` this process does not hold at once, and `compute(found)`
    makes it from the parts found. `parts_seconds`: how long the parts are kept (`parts_read`)."""
    value = _seen.get(key)
    if value is None:
        found = parts_read(parts, key, seconds=parts_seconds)
        value = found.pop(key, None)
        if value is not None:
            if _unchanging(value):
                _seen.put(key, value)
        else:
            value = compute(found)
            if isinstance(value, str) and len(value) > ASSEMBLED_HERE_ONLY:
                _seen.put(key, value)
            elif value is not None:
                _keep(key, value, seconds)
    _name(key, value)
    return value


def paginator_counted(queryset, per_page: int, count: int) -> Paginator:
    """A paginator told its count (cached for every page of one filter) instead of asking COUNT(*)."""
    paginator = Paginator(queryset, per_page)
    paginator.count = count  # Paginator.count is a cached_property: this is its value for this request
    return paginator
