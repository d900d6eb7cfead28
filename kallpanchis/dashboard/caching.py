"""Rendered list blocks (meeting list, agreements register, plan list, production table) kept in the cache
until the data under them changes.

Every write to a table such a list reads (or scopes by) bumps a version row in `kallpanchis_data_version`
from a PostgreSQL statement trigger (migrations `spaces/0005` and `producers/0003`), in the same
transaction as the write. Whoever writes (a service, the admin, a bulk update, COPY), the next reader sees
the new version as soon as the write is committed and not before, so a block cached under an old version is
never served again. The key also holds the person's access (roles per organisation: all that `visible_to()`
reads from the person), today's date (lists flag overdue agreements and late plans against it), the
language and the page's own parameters. A miss renders the block from the database, scoped as always.
"""

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language

from kallpanchis.accounts.access import access_for

SECONDS = 60 * 60  # a bound on memory; correctness comes from the versions


def data_version(*groups: str) -> str | None:
    """The committed versions of these groups of tables (one cheap query); None without the triggers
    (SQLite, the demo without PostgreSQL), where nothing is cached."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, version FROM kallpanchis_data_version WHERE name = ANY(%s) ORDER BY name",
            [list(groups)],
        )
        return ",".join(f"{name}={version}" for name, version in cursor.fetchall())


def access_key(user) -> str:
    """Two people with the same roles in the same organisations see the same lists."""
    access = access_for(user)
    held = sorted((org, sorted(roles)) for org, roles in access.by_organisation.items())
    return repr((access.authenticated, access.superuser, access.unscoped_viewer, sorted(access.roles), held))


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
    raw = repr((versions[groups], access_key(request.user), timezone.localdate(), get_language(), query))
    digest = f"list:{name}:" + hashlib.sha256(raw.encode()).hexdigest()
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
