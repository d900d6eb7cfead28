"""The data version of everything a reader can see ("all"): one group over every table the history tracks,
the dashboard's figures and the reminders, so that an answer built from many apps (an API list, a home page)
is kept in the cache until any of them changes (kallpanchis/api/views.py, kallpanchis/accounts/home.py).

The triggers are the data version's own (kallpanchis/core/caching.py: one step row per writing transaction,
no lock), put after `migrate` with the history's (settings.HISTORY_TRACKED_APPS, automatic many-to-many
tables included): a model added later gets its trigger on the next `migrate`, with no migration to remember.
"""

from django.apps import apps
from django.db import connections

from kallpanchis.core.caching import ALL

from .triggers import tracked_models

TRIGGER = "kallpanchis_all_version"
# Beside it, on UPDATE, the columns' versions (core 0004): which columns the statement changed.
COLUMNS_TRIGGER = "kallpanchis_column_version"
# Apps not in the history whose tables readers see: the figures (facts and their refreshes) and the
# reminders and SMS (failed reminders and SMS replies are on the home page).
ALSO = ["dashboard", "notifications"]
# Tables of those apps no reader sees: the queue of writes the figures' refresh empties. The trigger that
# fills it fires on every write to a table a figure reads; versioning the queue too added two step rows to
# the four that write left (a single-row UPDATE of an agreement: 1.35 ms with them, 1.09 without, at 10×).
UNSEEN = {"dashboard_factchange"}


def versioned_tables() -> list[str]:
    models = list(tracked_models())
    for label in ALSO:
        models += [m for m in apps.get_app_config(label).get_models(include_auto_created=True)]
    tables = {m._meta.db_table for m in models if m._meta.managed and not m._meta.proxy}
    return sorted(tables - UNSEEN)


def install(using: str = "default") -> int:
    """Create (or replace) the triggers on every versioned table; returns how many tables. PostgreSQL only:
    the SQLite demo has no data versions and caches nothing."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    tables = versioned_tables()
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON \"{table}\" FOR EACH STATEMENT EXECUTE FUNCTION kallpanchis_data_version_bump('{ALL}')"
            )
            cursor.execute(
                f'CREATE OR REPLACE TRIGGER {COLUMNS_TRIGGER} AFTER UPDATE ON "{table}" '
                "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
                "FOR EACH STATEMENT EXECUTE FUNCTION kallpanchis_data_version_columns()"
            )
        for table in sorted(UNSEEN):  # put there before it was known to be unseen
            cursor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"')
            cursor.execute(f'DROP TRIGGER IF EXISTS {COLUMNS_TRIGGER} ON "{table}"')
    return len(tables)
