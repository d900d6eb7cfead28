"""The API's data version: one group ("api") over every table an API answer can read, so that a list is
answered from the cache until any of them changes (views.py, `cached_list`).

The triggers are the data version's own (kallpanchis/core/caching.py: one step row per writing transaction,
no lock), put after `migrate` on every table the history tracks (settings.HISTORY_TRACKED_APPS, automatic
many-to-many tables included) and on the dashboard's figures: a model added later gets its trigger on the
next `migrate`, as it gets its history triggers, with no migration to remember.
"""

from django.apps import apps
from django.db import connections

from kallpanchis.history.triggers import tracked_models

GROUP = "api"
TRIGGER = "kallpanchis_api_version"
ALSO = ["dashboard"]  # the figures the indicators endpoint reads (the facts and their refreshes)


def versioned_tables() -> list[str]:
    models = list(tracked_models())
    for label in ALSO:
        models += [m for m in apps.get_app_config(label).get_models(include_auto_created=True)]
    return sorted({m._meta.db_table for m in models if m._meta.managed and not m._meta.proxy})


def install(using: str = "default") -> int:
    """Create (or replace) the trigger on every versioned table; returns how many. PostgreSQL only: the SQLite
    demo has no data versions and caches nothing."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    tables = versioned_tables()
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON \"{table}\" FOR EACH STATEMENT EXECUTE FUNCTION kallpanchis_data_version_bump('{GROUP}')"
            )
    return len(tables)


def install_after_migrate(sender, using="default", plan=None, **kwargs) -> None:
    """After `migrate`; not after a test's flush (post_migrate with no plan), which keeps the triggers."""
    if plan is not None:
        install(using)
