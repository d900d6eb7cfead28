"""Where a bench page spends its time: per page, the time in Django's test client, the number of queries,
the time in SQL and the slowest queries (with `--explain`, PostgreSQL's plan of the slowest one).

    DATABASE_URL=... python -m bench.profile [--runs 5] [--explain] [PAGE-LABEL-PART ...]

Reads the same pages as bench/run.py on the same data set; meant for finding the cost, not for figures
(the test client skips the HTTP server, and one process measures itself).
"""

import argparse
import statistics
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.run import AFTER_A_WRITE, AS, bench_session, pages  # sets up Django with bench.settings


def profile(label: str, path: str, client: Client, runs: int, explain: bool, cold: bool) -> None:
    client.get(path)  # warm: templates compiled, caches filled
    times, captured = [], None
    for _ in range(runs):
        if cold:  # every rendered block computed again (the bench's own cache: its own Redis database)
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)  # noqa: S101
        captured = queries.captured_queries
    sql_ms = sum(float(q["time"]) for q in captured) * 1000
    print(
        f"\n{label}: {statistics.median(times):.1f} ms median of {runs}, {len(captured)} queries, "
        f"{sql_ms:.1f} ms in SQL (last run)"
    )
    slowest = sorted(captured, key=lambda q: -float(q["time"]))[:3]
    for q in slowest:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:400]}")
    if explain and slowest and slowest[0]["sql"].lstrip().upper().startswith("SELECT"):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest[0]["sql"])
            print("\n".join("    " + row[0] for row in cursor.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--cold", action="store_true", help="empty the cache before each request")
    parser.add_argument("only", nargs="*", help="profile the pages whose label contains one of these")
    args = parser.parse_args()
    client = Client(SERVER_NAME="127.0.0.1", HTTP_ACCEPT_LANGUAGE="es")
    client.cookies[settings.SESSION_COOKIE_NAME] = bench_session()
    for label, path in pages():
        if path is None or AFTER_A_WRITE in path:  # --cold is the same, for every page
            continue
        if args.only and not any(part in label for part in args.only):
            continue
        if AS in path:  # a role's home: signed in as that person
            path, role = path.split(AS)
            client.cookies[settings.SESSION_COOKIE_NAME] = bench_session(role)
        profile(label, path.format(province="0807", year=2009), client, args.runs, args.explain, args.cold)
        client.cookies[settings.SESSION_COOKIE_NAME] = bench_session()


if __name__ == "__main__":
    main()
