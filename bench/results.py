"""The results scorecard at 10×: every district of Cusco a municipality (116) × 20 reported indicators, each
with a target and two approved semesters this year, on gunicorn like bench/run.py.

    DATABASE_URL=... python -m bench.results [--requests 50]   # alone: its own measurement and JSON line
    bench/run.py imports `pages()` to measure the scorecard with the other pages

The data is added once (found again on later runs, bulk inserts: this is bench data, not a demo). Target:
median ≤ 50 ms for the scorecard of a coordinator (every row).
"""

import argparse
import json
import os
import secrets
import statistics
import sys
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

TARGET_MEDIAN_MS = 50
INDICATORS = 20
CODE = "bench_{n:02d}"


@transaction.atomic
def scorecard_data(indicators: int = INDICATORS) -> tuple[int, int]:
    """Every district's municipality × `indicators` semester indicators with this year's and last year's
    targets, reporters and two approved semesters this year. Returns (municipalities, indicators) of the
    bench."""
    from municipalities.models import District, Municipality, Province
    from municipalities.services import municipality_ensure, territory_load
    from results.models import Assignment, ExpectedResult, Indicator, Report, Target
    from results.services import periods_ensure

    if not Province.objects.exists():
        territory_load()
    year = timezone.localdate().year
    existing = set(Municipality.objects.filter(level="district").values_list("district__ubigeo", flat=True))
    for ubigeo in District.objects.exclude(ubigeo__in=existing).values_list("ubigeo", flat=True):
        municipality_ensure(ubigeo=ubigeo)
    municipalities = list(Municipality.objects.filter(level="district").order_by("pk"))
    result, _ = ExpectedResult.objects.get_or_create(number=1, defaults={"title": "Producción segura"})
    codes = [CODE.format(n=n) for n in range(indicators)]
    have = set(Indicator.objects.filter(code__in=codes).values_list("code", flat=True))
    Indicator.objects.bulk_create(
        Indicator(
            result=result,
            code=code,
            name=f"Indicador de prueba {n + 1}",
            unit="ha",
            frequency="semester",
            time_aggregation=("sum", "latest", "average")[n % 3],
            position=100 + n,
        )
        for n, code in enumerate(codes)
        if code not in have
    )
    bench_indicators = list(Indicator.objects.filter(code__in=codes))
    periods = periods_ensure(frequency="semester", year=year)
    made = False
    if not Report.objects.filter(indicator__in=bench_indicators, period__year=year).exists():
        made = True
        Target.objects.bulk_create(
            Target(indicator=i, municipality=m, year=year, value=Decimal(100 + (m.pk + i.pk) % 200))
            for i in bench_indicators
            for m in municipalities
        )
        Assignment.objects.bulk_create(
            (Assignment(indicator=i, municipality=m) for i in bench_indicators for m in municipalities),
            ignore_conflicts=True,
        )
        now = timezone.now()
        Report.objects.bulk_create(
            Report(
                indicator=i,
                municipality=m,
                period=p,
                state=Report.State.APPROVED,
                value=Decimal((m.pk * 7 + i.pk * 13 + p.number * 5) % 120),
                submitted_at=now,
                reviewed_at=now,
            )
            for i in bench_indicators
            for m in municipalities
            for p in periods
            if (m.pk + i.pk) % 11  # about one cell in eleven has no data
        )
    # Last year's targets too: a results framework spans years, and the scorecard's "after a write" line
    # writes one of them (a row of another year, which this year's table does not show).
    if not Target.objects.filter(indicator__in=bench_indicators, year=year - 1).exists():
        made = True
        Target.objects.bulk_create(
            Target(indicator=i, municipality=m, year=year - 1, value=Decimal(90 + (m.pk + i.pk) % 200))
            for i in bench_indicators
            for m in municipalities
        )
    if made:  # the planner's statistics of the tables just filled, as autovacuum would take them
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE results_report, results_target, results_period")
    return len(municipalities), len(bench_indicators)


def pages() -> list[tuple[str, str]]:
    """For bench/run.py: the scorecard of the whole territory, the data made first if missing."""
    rows, columns = scorecard_data()
    year = timezone.localdate().year
    path = reverse("results:scorecard") + f"?year={year}"
    from bench.run import AFTER_A_WRITE

    return [
        (f"results scorecard {rows}×{columns}", path),
        (f"results scorecard {rows}×{columns}, sorted by a column", path + "&sort=bench_07&dir=desc"),
        (f"results scorecard {rows}×{columns}, after a write", f"{path}{AFTER_A_WRITE}target"),
        (
            f"results scorecard {rows}×{columns}, after a write to a row shown",
            f"{path}{AFTER_A_WRITE}target+shown",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--after-a-write",
        action="store_true",
        help="write one target the table shows before each request (bench.run.write_a_row)",
    )
    args = parser.parse_args()

    from django.conf import settings

    from bench.run import AFTER_A_WRITE, bench_session, gunicorn, interleaved

    rows, columns = scorecard_data()
    cookie = f"{settings.SESSION_COOKIE_NAME}={bench_session('coordinator')}"
    path = reverse("results:scorecard") + f"?year={timezone.localdate().year}"
    with gunicorn(args.workers, path, cookie) as (port, (status, _ms, body)):
        cells = body.count(b"data-status=")
        if status != 200 or cells < rows * columns:
            raise SystemExit(f"bench: {path} answered {status} with {cells} cells for {rows}×{columns}")
        measured = f"{path}{AFTER_A_WRITE}target" if args.after_a_write else path
        times, floor = interleaved(port, measured, cookie, warmup=args.warmup, requests=args.requests)
    median, p95 = statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]
    result = {
        "page": "results scorecard" + (", after a write" if args.after_a_write else ""),
        "rows": rows,
        "columns": columns,
        "cells": cells,
        "requests": len(times),
        "median_ms": round(median, 1),
        "p95_ms": round(p95, 1),
        "bytes": len(body),
        "floor_median_ms": round(statistics.median(floor), 1),
        "meets_target": median <= TARGET_MEDIAN_MS,
        "cpus": os.cpu_count(),
        "load": round(os.getloadavg()[0], 1),
    }
    print(
        f"{result['page']} {rows}×{columns}: median {result['median_ms']} ms, "
        f"p95 {result['p95_ms']} ms over {len(times)} requests; "
        f"minimal Django view {result['floor_median_ms']} ms "
        f"({'ok' if result['meets_target'] else 'MISSES TARGET'}: median ≤ {TARGET_MEDIAN_MS} ms; "
        f"{args.workers} gunicorn workers, load average {result['load']})",
        file=sys.stderr,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
