"""Writers and readers of the cached lists at the same time, against PostgreSQL: how many writes commit per
second, deadlocks, and stale pages (a page missing a write that had committed before it was asked for).

    DATABASE_URL=... python -m bench.writers [--seconds 30] [--writers 8] [--readers 8]

Runs twice on the same rows: "one lock" is the data version as it was (core 0001's trigger: a
transaction-level advisory lock, then an upsert of the group's one row; readers read that row), "steps" the
data version of core 0002 (an INSERT of one step per transaction and group; readers sum the steps,
kallpanchis/core/caching.data_version). Each writer owns one thematic group (spaces' version) and one plan
deadline (producers' version) and, in one transaction, writes both — half of them spaces first, half
producers first — with a little application work between the statements (`--work` ms, what a service
does between its queries). Each reader asks for a "page" through the list cache: the version, then the
block from the cache or from the database (every writer's counter), stored under that version. A page is
stale when it shows, for some writer, a counter lower than the one that writer had committed before the
reader asked. Prints one line per design and their ratio; `tests/core/test_data_version_concurrency.py`
runs the same for fewer seconds.
"""

import argparse
import datetime
import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass, field

PREFIX = "bench-writer-"
FIRST_YEAR = 3000  # plan deadlines of the bench's writers (no real year)
EPOCH = datetime.date(2000, 1, 1)
GROUPS = ("producers", "spaces")

# The trigger function as core 0001 made it, writing a table of its own so that both designs can be run
# one after the other on the same database (the function is the one every trigger calls).
ONE_LOCK = """
CREATE TABLE IF NOT EXISTS bench_data_version_one_lock (name text PRIMARY KEY, version bigint NOT NULL);
CREATE OR REPLACE FUNCTION kallpanchis_data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('kallpanchis_data_version'));
    INSERT INTO bench_data_version_one_lock (name, version) VALUES (TG_ARGV[0], floor(random() * 1e12))
    ON CONFLICT (name) DO UPDATE SET version = bench_data_version_one_lock.version + 1;
    RETURN NULL;
END $$;
"""


def one_lock_version(*groups: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, version FROM bench_data_version_one_lock WHERE name = ANY(%s) ORDER BY name",
            [list(groups)],
        )
        return ",".join(f"{name}={version}" for name, version in cursor.fetchall())


@dataclass
class Outcome:
    design: str
    seconds: float
    commits: int = 0
    deadlocks: int = 0
    errors: int = 0
    pages: int = 0
    stale: int = 0
    computed: int = 0
    examples: list = field(default_factory=list)

    @property
    def writes_per_second(self) -> float:
        return self.commits / self.seconds

    def line(self) -> str:
        load = os.getloadavg()[0]
        return (
            f"{self.design:<10} {self.writes_per_second:8.1f} commits/s "
            f"({self.commits} in {self.seconds:.0f} s), "
            f"deadlocks {self.deadlocks}, other errors {self.errors}, pages {self.pages} "
            f"({self.computed} rendered), stale pages {self.stale}; load average {load:.1f}"
        )


def prepare(writers: int) -> None:
    """The rows the writers own (made once; their counters start again at 0)."""
    from producers.models import PlanDeadline
    from spaces.models import ThematicGroup

    for i in range(writers):
        ThematicGroup.objects.update_or_create(
            name__startswith=f"{PREFIX}{i}:", defaults={"name": f"{PREFIX}{i}:0"}
        )
        PlanDeadline.objects.update_or_create(year=FIRST_YEAR + i, defaults={"due_on": EPOCH})


def read_page(writers: int) -> dict[int, tuple[int, int]]:
    """Every writer's counters as the database has them: (thematic group, plan deadline)."""
    from producers.models import PlanDeadline
    from spaces.models import ThematicGroup

    spaces = {
        int(name.removeprefix(PREFIX).split(":")[0]): int(name.split(":")[1])
        for name in ThematicGroup.objects.filter(name__startswith=PREFIX).values_list("name", flat=True)
    }
    producers = {
        year - FIRST_YEAR: (due - EPOCH).days
        for year, due in PlanDeadline.objects.filter(
            year__gte=FIRST_YEAR, year__lt=FIRST_YEAR + writers
        ).values_list("year", "due_on")
    }
    return {i: (spaces.get(i, -1), producers.get(i, -1)) for i in range(writers)}


def run(design: str, *, seconds: float, writers: int, readers: int, work_ms: float) -> Outcome:
    """`design` is "one lock" or "steps" (the data version as the migrations made it; "unversioned": a cache
    never told of writes, for the tests of the stale-page check); the trigger function is set for it, and
    left as it was: the tables' steps of core 0003 gone after a run, every page kept by what it reads would
    be stale (the tests after this one saw a month saved and not shown)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_functiondef('kallpanchis_data_version_bump()'::regprocedure)")
        migrated = cursor.fetchone()[0]
        if design == "one lock":
            cursor.execute(ONE_LOCK)
    try:
        return _run(design, seconds=seconds, writers=writers, readers=readers, work_ms=work_ms)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(migrated)


def _run(design: str, *, seconds: float, writers: int, readers: int, work_ms: float) -> Outcome:
    from django.core.cache import cache
    from django.db import OperationalError, connections, transaction
    from psycopg import errors

    from kallpanchis.core import caching
    from producers.models import PlanDeadline
    from spaces.models import ThematicGroup

    version_of = {
        "one lock": one_lock_version,
        "steps": caching.data_version,
        "unversioned": lambda *groups: "",  # what the stale-page check must catch (tests)
    }[design]
    prepare(writers)

    outcome = Outcome(design, seconds)
    committed = [(0, 0)] * writers  # what each writer has committed (set after the commit returns)
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    run_id = f"{design}-{time.time_ns()}"

    def writer(i: int) -> None:
        n = 0
        try:
            while time.monotonic() < stop:
                n += 1
                try:
                    with transaction.atomic():
                        first, second = ("spaces", "producers") if i % 2 == 0 else ("producers", "spaces")
                        for which in (first, second):
                            if which == "spaces":
                                ThematicGroup.objects.filter(name__startswith=f"{PREFIX}{i}:").update(
                                    name=f"{PREFIX}{i}:{n}"
                                )
                            else:
                                PlanDeadline.objects.filter(year=FIRST_YEAR + i).update(
                                    due_on=EPOCH + datetime.timedelta(days=n)
                                )
                            time.sleep(work_ms / 1000)  # the service's own work between its queries
                except OperationalError as error:
                    n -= 1
                    with lock:
                        if isinstance(error.__cause__, errors.DeadlockDetected):
                            outcome.deadlocks += 1
                        else:
                            outcome.errors += 1
                    continue
                with lock:
                    committed[i] = (n, n)
                    outcome.commits += 1
        finally:
            connections.close_all()

    def reader() -> None:
        try:
            while time.monotonic() < stop:
                with lock:
                    before = list(committed)
                version = version_of(*GROUPS)
                key = "bench-writers:" + hashlib.sha256(f"{run_id}:{version}".encode()).hexdigest()
                page = cache.get(key)
                if page is None:
                    page = read_page(writers)
                    cache.set(key, page, 120)
                    with lock:
                        outcome.computed += 1
                with lock:
                    outcome.pages += 1
                    late = [i for i, (a, b) in enumerate(before) if page[i][0] < a or page[i][1] < b]
                    if late:
                        outcome.stale += 1
                        if len(outcome.examples) < 3:
                            outcome.examples.append({"writer": late[0], "committed": before[late[0]]})
                time.sleep(0.001)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    threads += [threading.Thread(target=reader) for _ in range(readers)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcome.seconds = time.monotonic() - started
    return outcome


def compare(*, seconds: float, writers: int, readers: int, work_ms: float) -> dict:
    before = run("one lock", seconds=seconds, writers=writers, readers=readers, work_ms=work_ms)
    print(before.line(), flush=True)
    after = run("steps", seconds=seconds, writers=writers, readers=readers, work_ms=work_ms)
    print(after.line(), flush=True)
    ratio = after.writes_per_second / before.writes_per_second if before.commits else float("inf")
    print(
        f"writer throughput: {after.writes_per_second:.1f} commits/s with steps vs "
        f"{before.writes_per_second:.1f} with one lock = {ratio:.1f}× ({writers} writers, {readers} readers, "
        f"{work_ms:g} ms of work between statements, {seconds:.0f} s each; {os.cpu_count()} CPUs)"
    )
    return {"one_lock": before, "steps": after, "ratio": ratio}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--work", type=float, default=5.0, help="ms of work between a writer's statements")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    result = compare(seconds=args.seconds, writers=args.writers, readers=args.readers, work_ms=args.work)
    print(
        json.dumps(
            {
                "one_lock": result["one_lock"].__dict__,
                "steps": result["steps"].__dict__,
                "ratio": round(result["ratio"], 2),
                "load": round(os.getloadavg()[0], 1),
            }
        )
    )
    ok = result["ratio"] >= 3 and result["steps"].deadlocks == 0 and result["steps"].stale == 0
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
