"""PostgreSQL for the backups: the client tools of the server's major version, a snapshot shared by
pg_dump and the manifest's figures, the row count and checksum of every table, and the databases a
restore writes into.

Connections here are psycopg's own, not Django's: a backup holds a REPEATABLE READ transaction open for
the whole dump, and a restore talks to another database.
"""

import os
import re
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connections
from psycopg import sql

# The row text depends on these session settings: the same in the backup and in the check of a restore.
_STABLE_TEXT = (
    "SET TIME ZONE 'UTC'",
    "SET datestyle TO ISO, YMD",
    "SET intervalstyle TO postgres",
    "SET extra_float_digits TO 1",
    "SET bytea_output TO hex",
)

_TABLES = """
SELECT n.nspname, c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%%'
ORDER BY 1, 2
"""

_PRIMARY_KEY = """
SELECT a.attname FROM pg_index i
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
WHERE i.indrelid = %s::regclass AND i.indisprimary
ORDER BY array_position(i.indkey, a.attnum)
"""


class BackupError(Exception):
    """Something a person must fix (a missing tool, a non-empty database): said in plain words."""


def params(database: str | None = None) -> dict:
    """psycopg connection parameters of Django's database, or of another `database` on the same server
    (a name) or anywhere (a postgres:// URL)."""
    source = connections["default"].settings_dict
    if source["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError(f"Backups need PostgreSQL (this database is {source['ENGINE']}).")
    if database and "://" in database:
        return {"conninfo": database}
    values = {
        "dbname": database or source["NAME"],
        "user": source["USER"] or None,
        "password": source["PASSWORD"] or None,
        "host": source["HOST"] or None,
        "port": source["PORT"] or None,
    }
    return {k: v for k, v in values.items() if v is not None}


def _conninfo(p: dict) -> str:
    if "conninfo" in p:
        return p["conninfo"]
    return psycopg.conninfo.make_conninfo(**p)


def dbname(p: dict) -> str:
    return psycopg.conninfo.conninfo_to_dict(_conninfo(p))["dbname"]


def _tool_env(p: dict) -> dict:
    # The password travels in the environment, never on a command line that `ps` shows.
    env = dict(os.environ)
    info = psycopg.conninfo.conninfo_to_dict(_conninfo(p))
    if info.get("password"):
        env["PGPASSWORD"] = str(info["password"])
    return env


def _tool_dsn(p: dict) -> str:
    info = psycopg.conninfo.conninfo_to_dict(_conninfo(p))
    info.pop("password", None)
    return psycopg.conninfo.make_conninfo(**info)


def connect(p: dict, **kwargs) -> psycopg.Connection:
    return psycopg.connect(_conninfo(p), **kwargs)


def server_major(p: dict) -> int:
    with connect(p) as conn:
        return int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10000


def _major(tool: str) -> int | None:
    try:
        out = subprocess.run(  # noqa: S603  # nosec B603: a PostgreSQL client tool asked its version
            [tool, "--version"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    match = re.search(r"\)\s+(\d+)", out)
    return int(match.group(1)) if match else None


def client_tool(name: str, major: int) -> str:
    """pg_dump / pg_restore of the server's major version: BACKUP_PG_BIN_DIR, then Debian's
    /usr/lib/postgresql/<major>/bin, then PATH. Another major version is refused (an older pg_dump cannot
    read a newer server; a newer one writes archives an older pg_restore cannot read)."""
    candidates = []
    if settings.BACKUP_PG_BIN_DIR:
        candidates.append(str(Path(settings.BACKUP_PG_BIN_DIR) / name))
    candidates.append(f"/usr/lib/postgresql/{major}/bin/{name}")
    if shutil.which(name):
        candidates.append(shutil.which(name))
    found = []
    for tool in candidates:
        if Path(tool).exists():
            tool_major = _major(tool)
            if tool_major == major:
                return tool
            found.append(f"{tool} ({tool_major})")
    raise BackupError(
        f"{name} for PostgreSQL {major} not found (found: {', '.join(found) or 'none'}); "
        f"install postgresql-client-{major} or set BACKUP_PG_BIN_DIR."
    )


def _stable(conn):
    for statement in _STABLE_TEXT:
        conn.execute(statement)


def table_figures(conn) -> dict:
    """{"schema.table": {"rows": n, "checksum": md5}} for every table: the md5 of the md5s of each row's
    text, in primary-key order (the row text itself where a table has no primary key)."""
    figures = {}
    for schema, table in conn.execute(_TABLES).fetchall():
        qualified = sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(table))
        key = [r[0] for r in conn.execute(_PRIMARY_KEY, [qualified.as_string(conn)]).fetchall()]
        order = (
            sql.SQL(", ").join(sql.SQL("t.{}").format(sql.Identifier(c)) for c in key)
            if key
            else sql.SQL("t::text")
        )
        count, checksum = conn.execute(
            sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(md5(t::text), '' ORDER BY {}), '')) FROM {} AS t"
            ).format(order, qualified)
        ).fetchone()
        figures[f"{schema}.{table}"] = {"rows": count, "checksum": checksum}
    return figures


def dump(p: dict, target: Path) -> dict:
    """pg_dump (custom format) to `target` and the figures of every table, both from one snapshot: what
    the manifest says is exactly what the dump holds, even while people keep writing."""
    major = server_major(p)
    pg_dump = client_tool("pg_dump", major)
    with connect(p) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        version = conn.execute("SHOW server_version").fetchone()[0]
        process = subprocess.Popen(  # noqa: S603 (a fixed tool, arguments from settings)  # nosec B603
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}", _tool_dsn(p)],
            env=_tool_env(p),
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            _stable(conn)
            figures = table_figures(conn)
        finally:
            _stderr = process.communicate()[1]
        if process.returncode != 0:
            raise BackupError(f"pg_dump failed: {_stderr.strip()}")
        conn.rollback()
    tool_version = subprocess.run(  # noqa: S603  # nosec B603
        [pg_dump, "--version"], capture_output=True, text=True
    ).stdout.strip()
    return {"server_version": version, "pg_dump": tool_version, "tables": figures}


def figures_of(p: dict) -> dict:
    with connect(p) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        _stable(conn)
        return table_figures(conn)


@contextmanager
def _admin(p: dict):
    """An autocommit connection to the server's maintenance database (CREATE / DROP DATABASE)."""
    info = psycopg.conninfo.conninfo_to_dict(_conninfo(p))
    info["dbname"] = "postgres"
    with psycopg.connect(psycopg.conninfo.make_conninfo(**info), autocommit=True) as conn:
        yield conn


def database_exists(p: dict) -> bool:
    with _admin(p) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname(p)]).fetchone()
        return found is not None


def database_create(p: dict) -> None:
    with _admin(p) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname(p))))


def database_drop(p: dict) -> None:
    with _admin(p) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname(p))))


def database_is_empty(p: dict) -> bool:
    with connect(p) as conn:
        return not conn.execute(_TABLES).fetchall()


def restore(p: dict, dump_file: Path) -> None:
    """pg_restore into an empty database, all or nothing."""
    pg_restore = client_tool("pg_restore", server_major(p))
    result = subprocess.run(  # noqa: S603  # nosec B603
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={_tool_dsn(p)}",
            str(dump_file),
        ],
        env=_tool_env(p),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
