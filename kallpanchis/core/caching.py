"""Rendered list blocks (meeting list, agreements register, plan list, production table) kept in the cache
until the data under them changes.

Every write to a table such a list reads (or scopes by) bumps its group's row in `DataVersion`
(`kallpanchis_data_version`) from a PostgreSQL statement trigger, `kallpanchis_data_version_bump(group)`
(created by core's migration 0001; each app puts the triggers on its tables in its own migration: spaces
0005, producers 0003), in the same transaction as the write. Whoever writes (a service, the admin, a bulk
update, COPY), the next reader sees the new version as soon as the write is committed and not before, so a
block cached under an old version is never served again. The key also holds the person's access (what
`visible_to()` reads from the person, told apart by the function the accounts app registers with
`access_key_from`), today's date (lists flag overdue agreements and late plans against it), the language and
the page's own parameters. A miss renders the block from the database, scoped as always.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language

from .models import DataVersion

SECONDS = 60 * 60  # a bound on memory; correctness comes from the versions

# Who may see what belongs to the accounts app, above this one: it registers how two people's access is
# told apart (kallpanchis.accounts.apps). Without it nothing could be cached safely, so `cached` refuses.
_access_key: Callable[[object], str] | None = None


def access_key_from(function: Callable[[object], str]) -> Callable[[object], str]:
    """Register `function(user) -> str`: equal for two people who see the same rows, different otherwise."""
    global _access_key
    _access_key = function
    return function


def data_version(*groups: str) -> str | None:
    """The committed versions of these groups of tables (one cheap query); None without the triggers
    (SQLite, the demo without PostgreSQL), where nothing is cached."""
    if connection.vendor != "postgresql":
        return None
    rows = DataVersion.objects.filter(name__in=groups).order_by("name").values_list("name", "version")
    return ",".join(f"{name}={version}" for name, version in rows)


def cached(name: str, *, request, groups: tuple[str, ...], params: list[str], compute, key: tuple = ()):
    """The value `name` for this request (a rendered block, a count, a filter's choices): from the cache,
    or `compute()` stored for the next reader. `params` are the GET parameters it depends on; other
    parameters do not make new entries; `key` adds what the URL's path holds (an association's id)."""
    query = [*key, *((p, request.GET.get(p, "")) for p in params)]
    versions = request.__dict__.setdefault("_data_versions", {})  # read once per request
    if groups not in versions:
        versions[groups] = data_version(*groups)
    if versions[groups] is None:
        return compute()
    if _access_key is None:
        raise ImproperlyConfigured("No access key is registered for the list cache (kallpanchis.accounts).")
    raw = repr((versions[groups], _access_key(request.user), timezone.localdate(), get_language(), query))
    digest = f"list:{name}:" + hashlib.sha256(raw.encode()).hexdigest()
    value = cache.get(digest)
    if value is None:
        value = compute()
        cache.set(digest, value, SECONDS)
    return value


def cached_for(name: str, *, user, groups: tuple[str, ...], compute, key: tuple = ()):
    """`cached` for code with no request at hand (the home page's plug-ins): the value for this person's
    access, today and the language, until a write to one of `groups` changes it. The key is the language's
    too: a computed value may hold translated text."""
    version = data_version(*groups)
    if version is None:
        return compute()
    if _access_key is None:
        raise ImproperlyConfigured("No access key is registered for the list cache (kallpanchis.accounts).")
    raw = repr((version, _access_key(user), timezone.localdate(), get_language(), list(key)))
    digest = f"value:{name}:" + hashlib.sha256(raw.encode()).hexdigest()
    value = cache.get(digest)
    if value is None:
        value = compute()
        cache.set(digest, value, SECONDS)
    return value


def paginator_counted(queryset, per_page: int, count: int) -> Paginator:
    """A paginator told its count (cached for every page of one filter) instead of asking COUNT(*)."""
    paginator = Paginator(queryset, per_page)
    paginator.count = count  # Paginator.count is a cached_property: this is its value for this request
    return paginator
