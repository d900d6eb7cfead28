"""The demo's data (`seed_demo`), seeded once per test session: the first test that asks for it runs the
command and keeps a copy of every table (PostgreSQL's COPY, in memory); the next ones empty the tables and
copy it back in, with triggers and foreign-key checks off as a restore has them (the copy holds the
history and data versions the triggers wrote), then move each table's id sequence past its rows, forward
only. About a second instead of the command's seventeen. On SQLite the command runs each time."""

import contextlib
import os

from django.core.management import call_command
from django.db import connection, transaction

_tables: dict[str, bytes] | None = None


def seed_demo() -> None:
    """The demo in the database, as `call_command("seed_demo")` leaves it."""
    global _tables
    if connection.vendor != "postgresql":
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        return
    with transaction.atomic():
        if _tables is None:
            call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
            _tables = _copy_out()
        else:
            _copy_in(_tables)
            _forget_cached_rows()


@contextlib.contextmanager
def demo_for_the_module(django_db_blocker):
    """For a module-scoped fixture: the demo inside a transaction that is rolled back after the module."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            seed_demo()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            _forget_cached_rows()


def _forget_cached_rows() -> None:
    """The content types (and site) Django keeps in the process may be rows the demo copied in or rolled
    back: read again when next asked."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    if apps.is_installed("django.contrib.sites"):
        from django.contrib.sites.models import Site

        Site.objects.clear_cache()


def _names(cursor) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'django_migrations' "
        "ORDER BY tablename"
    )
    return [name for (name,) in cursor.fetchall()]


def _copy_out() -> dict[str, bytes]:
    found = {}
    with connection.cursor() as cursor:
        for name in _names(cursor):
            with cursor.cursor.copy(f'COPY "{name}" TO STDOUT (FORMAT binary)') as copy:
                found[name] = b"".join(bytes(block) for block in copy)
    return found


def _copy_in(tables: dict[str, bytes]) -> None:
    with connection.cursor() as cursor:
        # TRUNCATE refuses a table with foreign-key checks still waiting for the commit (rows written earlier
        # in this transaction): make them now, then let Django's deferred ones wait again.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("TRUNCATE " + ", ".join(f'"{name}"' for name in _names(cursor)))
        for name, rows in tables.items():
            with cursor.cursor.copy(f'COPY "{name}" FROM STDIN (FORMAT binary)') as copy:
                copy.write(rows)
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND (is_identity = 'YES' OR column_default LIKE 'nextval(%%')"
        )
        for table, column in cursor.fetchall():
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [f'"{table}"', column])
            sequence = cursor.fetchone()[0]
            if sequence is None:
                continue
            # Forward only: a sequence is not rolled back with the transaction, and rows committed before it
            # (outside the copy) may hold ids it already gave.
            sql = f'SELECT greatest(coalesce(max("{column}"), 0), (SELECT last_value FROM {sequence})) FROM "{table}"'  # noqa: S608, E501
            cursor.execute(sql)
            cursor.execute("SELECT setval(%s, %s, true)", [sequence, cursor.fetchone()[0]])
