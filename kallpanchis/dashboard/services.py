"""Everything that writes in the dashboard: rebuilding the precomputed facts, and the indicators' data."""

import re
import time
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kallpanchis.core import indicators as registry

from .models import ALL, Fact, FactChange, Indicator, MeasureSource, Refresh, Target

BATCH = 5000


TABLE_IN_SQL = re.compile(r'(?:FROM|JOIN)\s+"?([a-z_][a-z0-9_]*)\b', re.IGNORECASE)
ANY_TABLE = (
    "*"  # a measure whose SQL reads something else than the database's tables: refreshed after any write
)
OWN_TABLES = {"dashboard_fact", "dashboard_factchange", "dashboard_measuresource", "dashboard_refresh"}


def _lock() -> None:
    """One rebuild or refresh at a time: a second one waits for the first instead of interleaving rows with
    it. SQLite (the demo without PostgreSQL) lets one writer in at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('dashboard.facts_refresh'))")


def _compute(names) -> tuple[list[Fact], dict[str, list[str]]]:
    """The facts of these measures, and the tables each one's SQL read."""
    facts: list[Fact] = []
    sources: dict[str, list[str]] = {}
    tables = set(connection.introspection.table_names())
    for name in sorted(names):
        with CaptureQueriesContext(connection) as queries:
            rows = list(registry.MEASURES[name]())
        read = {t.lower() for q in queries.captured_queries for t in TABLE_IN_SQL.findall(q["sql"])}
        # Anything not a table of the database (a temporary table, a name the pattern took for one) or no
        # query seen at all: the sources are not known for sure, so every write counts.
        # The tables it does read are watched all the same.
        known = read and read <= tables
        sources[name] = sorted((read & tables) - OWN_TABLES) + ([] if known else [ANY_TABLE])
        facts.extend(Fact(measure=name, **row) for row in rows)
    return facts, sources


def _store(facts: list[Fact], measures: list[str] | None) -> None:
    """Insert the facts, then the pre-added rows of these measures (all when None): each province
    (district "*"), and the whole project (province and district "*"). Added up measure by measure, so the
    rows of one measure are the same whether it was refreshed alone or with every other."""
    Fact.objects.bulk_create(facts, batch_size=BATCH)
    table = Fact._meta.db_table
    columns = "measure, year, province, district, line, gender, value"
    only = "" if measures is None else " AND measure = ANY(%(measures)s)"
    # The table and column names are this model's constants; the values are bound parameters.
    by_province = f"INSERT INTO {table} ({columns}) SELECT measure, year, province, %(all)s, line, gender, "  # nosec B608
    by_province += f"SUM(value) FROM {table} WHERE province <> ''{only} "  # nosec B608
    by_province += "GROUP BY measure, year, province, line, gender"
    whole = f"INSERT INTO {table} ({columns}) SELECT measure, year, %(all)s, %(all)s, line, gender, "  # nosec B608
    whole += f"SUM(value) FROM {table} WHERE district <> %(all)s{only} GROUP BY measure, year, line, gender"  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(by_province, {"all": ALL, "measures": measures})
        cursor.execute(whole, {"all": ALL, "measures": measures})


def _watch(sources: dict[str, list[str]]) -> None:
    """Put the change trigger (dashboard migration 0005) on every table a measure reads that lacks it."""
    if connection.vendor != "postgresql":
        return
    tables = sorted({t for found in sources.values() for t in found} - {ANY_TABLE})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'dashboard_fact_change' AND c.relname = ANY(%s)",
            [tables],
        )
        watched = {row[0] for row in cursor.fetchall()}
        for name in tables:
            if name not in watched:
                cursor.execute(
                    "CREATE TRIGGER dashboard_fact_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                    f'ON "{name}" FOR EACH STATEMENT EXECUTE FUNCTION dashboard_fact_change()'
                )


def _last_change() -> int:
    return FactChange.objects.aggregate(last=Max("pk"))["last"] or 0


@transaction.atomic
def facts_refresh() -> Refresh:
    """Rebuild every Fact from the domain apps' registered measures, in one transaction: readers see the old
    figures until the new ones are all there (PostgreSQL MVCC), never a half-built set. Each measure is one
    GROUP BY in the database; only grouped rows (year × place × line × gender) come back. Records where each
    measure reads from, and watches those tables for writes (facts_refresh_changed)."""
    started = time.monotonic()
    _lock()
    seen = _last_change()  # changes up to here are in this rebuild; later ones wait for the next refresh
    Fact.objects.all().delete()
    facts, sources = _compute(registry.MEASURES)
    _store(facts, None)
    MeasureSource.objects.all().delete()
    MeasureSource.objects.bulk_create(MeasureSource(measure=m, tables=t) for m, t in sources.items())
    _watch(sources)
    FactChange.objects.filter(pk__lte=seen).delete()
    facts_count = Fact.objects.count()
    return Refresh.objects.create(
        finished_at=timezone.now(), seconds=round(time.monotonic() - started, 3), facts=facts_count
    )


@transaction.atomic
def facts_refresh_changed() -> Refresh | None:
    """Bring the facts up to date after writes: only the measures that read a table written since the last
    refresh are computed again (their rows replaced, their pre-added rows added up again), giving the same
    rows a full rebuild would. Nothing to do (None) when no table was written; a full rebuild when the
    sources are not known yet (no full rebuild since this was installed, or a measure added since)."""
    started = time.monotonic()
    _lock()
    seen = _last_change()
    changed = set(FactChange.objects.filter(pk__lte=seen).values_list("table", flat=True).distinct())
    if not changed:
        return None
    sources = dict(MeasureSource.objects.values_list("measure", "tables"))
    if set(registry.MEASURES) - set(sources):
        return facts_refresh()
    stale = sorted(
        name for name in registry.MEASURES if ANY_TABLE in sources[name] or changed & set(sources[name])
    )
    if stale:
        Fact.objects.filter(measure__in=stale).delete()
        facts, found = _compute(stale)
        _store(facts, stale)
        for name in stale:
            MeasureSource.objects.filter(measure=name).update(tables=found[name])
        _watch(found)
    FactChange.objects.filter(pk__lte=seen).delete()
    refresh = Refresh.objects.create(
        finished_at=timezone.now(),
        seconds=round(time.monotonic() - started, 3),
        facts=Fact.objects.count(),
    )
    refresh.measures = stale  # what was computed again (not stored)
    return refresh


@transaction.atomic
def indicator_ensure(
    *,
    code: str,
    result: int,
    position: int,
    name: str,
    unit: str,
    computation: str,
    disaggregations: list[str],
    baseline: Decimal | None = None,
    baseline_year: int | None = None,
    targets: dict[int, Decimal] | None = None,
    higher_is_better: bool = True,
) -> Indicator:
    """Create or update an indicator and its yearly targets (one target per indicator and year)."""
    indicator, _ = Indicator.objects.update_or_create(
        code=code,
        defaults={
            "result": result,
            "position": position,
            "name": name,
            "unit": unit,
            "computation": computation,
            "disaggregations": disaggregations,
            "baseline": baseline,
            "baseline_year": baseline_year,
            "higher_is_better": higher_is_better,
        },
    )
    indicator.full_clean()
    for year, value in (targets or {}).items():
        Target.objects.update_or_create(indicator=indicator, year=year, defaults={"value": value})
    return indicator
