"""Everything that writes in the dashboard: rebuilding the precomputed facts, and the indicators' data."""

import time
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from kallpanchis.core import indicators as registry

from .models import ALL, Fact, Indicator, Refresh, Target

BATCH = 5000


@transaction.atomic
def facts_refresh() -> Refresh:
    """Rebuild every Fact from the domain apps' registered measures, in one transaction: readers see the old
    figures until the new ones are all there (PostgreSQL MVCC), never a half-built set. Each measure is one
    GROUP BY in the database; only grouped rows (year × place × line × gender) come back."""
    started = time.monotonic()
    # One rebuild at a time: a second one waits for the first instead of interleaving rows with it. SQLite
    # (the demo without PostgreSQL) lets one writer in at a time anyway.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('dashboard.facts_refresh'))")
    Fact.objects.all().delete()
    facts: list[Fact] = []
    for name, compute in sorted(registry.MEASURES.items()):
        for row in compute():
            facts.append(Fact(measure=name, **row))
    Fact.objects.bulk_create(facts, batch_size=BATCH)
    # Pre-added rows: each province (district "*"), and the whole project (province and district "*").
    table = Fact._meta.db_table
    columns = "measure, year, province, district, line, gender, value"
    # The table and column names are this model's constants; the only value is a bound parameter.
    by_province = f"INSERT INTO {table} ({columns}) SELECT measure, year, province, %(all)s, line, gender, "  # nosec B608
    by_province += (
        f"SUM(value) FROM {table} WHERE province <> '' GROUP BY measure, year, province, line, gender"  # nosec B608
    )
    whole = f"INSERT INTO {table} ({columns}) SELECT measure, year, %(all)s, %(all)s, line, gender, "  # nosec B608
    whole += f"SUM(value) FROM {table} WHERE district <> %(all)s GROUP BY measure, year, line, gender"  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(by_province, {"all": ALL})
        cursor.execute(whole, {"all": ALL})
    facts_count = Fact.objects.count()
    return Refresh.objects.create(
        finished_at=timezone.now(), seconds=round(time.monotonic() - started, 3), facts=facts_count
    )


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
