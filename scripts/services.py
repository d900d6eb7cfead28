"""Find PostgreSQL and Redis and print shell `export` lines for the Makefile.

`make run` and `make test` eval this output. With PostgreSQL reachable, the database is created when
missing. Without it, `make run` (--demo) serves the demo from an SQLite file, saying so in one line, and
`make test` (--for-tests) runs what needs no database on SQLite, saying so. The other targets (benchmarks,
load test) measure PostgreSQL: without it they stop with a plain message.
Usage: services.py DBNAME [--demo | --for-tests]
"""

import os
import socket
import sys

PG_HOST, PG_PORT, REDIS_HOST, REDIS_PORT = "127.0.0.1", 5432, "127.0.0.1", 6379


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def main() -> None:
    dbname = sys.argv[1] if len(sys.argv) > 1 else "kallpanchis"
    out = []
    if os.environ.get("DATABASE_URL"):
        pass  # the caller chose
    elif reachable(PG_HOST, PG_PORT):
        import psycopg

        with psycopg.connect(f"postgresql://postgres@{PG_HOST}:{PG_PORT}/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone():
                conn.execute(f'CREATE DATABASE "{dbname}"')
        out.append(f"export DATABASE_URL=postgres://postgres@{PG_HOST}:{PG_PORT}/{dbname}")
    elif sys.argv[2:] == ["--demo"]:
        print(
            f"!! PostgreSQL is not reachable on {PG_HOST}:{PG_PORT}: demo on SQLite (db-{dbname}.sqlite3), "
            "same pages and data, but one writer at a time and plainer sorting/search of accented names; "
            "fine to look around, not to measure or deploy (start PostgreSQL for that: make run again).",
            file=sys.stderr,
        )
        out.append(f"export DATABASE_URL=sqlite:///db-{dbname}.sqlite3")
    elif sys.argv[2:] == ["--for-tests"]:
        print(
            f"!! PostgreSQL is not reachable on {PG_HOST}:{PG_PORT}: tests that need a database are "
            "skipped, the rest runs.",
            file=sys.stderr,
        )
        out.append(f"export DATABASE_URL=sqlite:///db-{dbname}.sqlite3 KALLPANCHIS_NO_POSTGRES=1")
    else:
        # Benchmarks and the load test measure PostgreSQL (row locks with SKIP LOCKED, advisory locks,
        # its planner): a figure from SQLite would mislead, so a plain message instead.
        print(
            f"!! PostgreSQL is not reachable on {PG_HOST}:{PG_PORT}. This needs it. Start it "
            "(Debian: pg_ctlcluster 15 main start; or: docker compose up -d postgres) and run make again.",
            file=sys.stderr,
        )
        print("exit 1")
        return
    if "REDIS_URL" in os.environ:
        pass
    elif reachable(REDIS_HOST, REDIS_PORT):
        out.append(f"export REDIS_URL=redis://{REDIS_HOST}:{REDIS_PORT}/0")
    else:
        print(
            f"!! Redis is not reachable on {REDIS_HOST}:{REDIS_PORT}: no worker, no beat; tasks run in-line "
            "and the cache is per process.",
            file=sys.stderr,
        )
        out.append("export REDIS_URL= KALLPANCHIS_NO_REDIS=1")
    print("\n".join(out))


if __name__ == "__main__":
    main()
