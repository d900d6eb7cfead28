"""The triggers that write the history: three statement-level triggers per tracked table (insert, update,
delete), each reading the statement's transition tables, so a bulk insert of 10,000 rows runs the trigger
once, not 10,000 times.

They are registered with django-pgtrigger at start-up for every concrete model (and automatic many-to-many
table) of the apps in settings.HISTORY_TRACKED_APPS, and installed after `migrate` (`install_after_migrate`,
not after a test's flush); PGTRIGGER_MIGRATIONS is off, so tracking a model writes no migration in its app,
and a model added later is tracked as soon as it exists. The row itself is read with to_jsonb, so a column
added by a later migration is recorded without touching the trigger. Who and from where come from
django-pghistory's context (`_pgh_attach_context()`: the request's user and path, or the task).
"""

import pgtrigger
from django.apps import apps
from django.conf import settings
from django.db import models

TABLE = "history_change"

# No update or delete of the history, whatever the path (the admin, a shell, a bug): only the erasure of a
# person rewrites it, inside pgtrigger.ignore (services.history_anonymise).
protect_history = pgtrigger.Protect(name="history_protect", operation=pgtrigger.Update | pgtrigger.Delete)


def _insert(operation: str, source: str, old: str, new: str, join: str = "", where: str = "") -> str:
    return f"""
        INSERT INTO {TABLE} (created_at, "table", object_id, operation, old, new, context_id)
        SELECT NOW(), TG_TABLE_NAME, {source}, '{operation}', {old}, {new}, _pgh_attach_context()
        {join} {where};
        RETURN NULL;
    """


class RowsChanged(pgtrigger.Trigger):
    """Writes one history row per row the statement inserted, updated (if any column changed) or deleted."""

    level = pgtrigger.Statement
    when = pgtrigger.After

    def __init__(self, *, operation_name: str):
        self.operation_name = operation_name
        operation = {"insert": pgtrigger.Insert, "update": pgtrigger.Update, "delete": pgtrigger.Delete}
        referencing = {
            "insert": pgtrigger.Referencing(new="new_values"),
            "update": pgtrigger.Referencing(old="old_values", new="new_values"),
            "delete": pgtrigger.Referencing(old="old_values"),
        }
        super().__init__(
            name=f"history_{operation_name}",
            operation=operation[operation_name],
            referencing=referencing[operation_name],
        )

    def get_func(self, model):
        pk = f'"{model._meta.pk.column}"'
        if self.operation_name == "insert":
            return _insert("insert", f"n.{pk}::text", "NULL", "to_jsonb(n)", "FROM new_values n")
        if self.operation_name == "delete":
            return _insert("delete", f"o.{pk}::text", "to_jsonb(o)", "NULL", "FROM old_values o")
        # the columns the update changed, before and after (history migration 0002: planned once, not on
        # every statement as a subquery reading the transition tables is)
        return _insert(
            "update",
            f"n.{pk}::text",
            "kallpanchis_jsonb_changed(r.o, r.n)",
            "kallpanchis_jsonb_changed(r.n, r.o)",
            f"FROM old_values o JOIN new_values n ON o.{pk} = n.{pk}, "
            "LATERAL (SELECT to_jsonb(o) AS o, to_jsonb(n) AS n) r",
            "WHERE r.o IS DISTINCT FROM r.n",
        )


TRIGGERS = [RowsChanged(operation_name=name) for name in ("insert", "update", "delete")]


def tracked_models() -> list[type[models.Model]]:
    """Every concrete model of the tracked apps, with the automatic many-to-many tables (an attendance list
    kept as a many-to-many is history too). Apps listed but not installed are skipped."""
    found = []
    for label in settings.HISTORY_TRACKED_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            found.append(model)
    return found


def is_tracked(model: type[models.Model]) -> bool:
    return model._meta.app_label in settings.HISTORY_TRACKED_APPS and not model._meta.proxy


def register_all() -> None:
    """Register the history triggers on every tracked model (PostgreSQL only: the SQLite demo has none)."""
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    for model in tracked_models():
        for trigger in TRIGGERS:
            trigger.register(model)


def install_after_migrate(sender, using="default", plan=None, **kwargs) -> None:
    """Install (or update) every registered trigger after `migrate`, and the "all" data version's
    (versioning.py). Not after a flush (a test's teardown
    sends post_migrate with no plan): TRUNCATE keeps the triggers, and installing them all again took 1.5 s
    per test."""
    if plan is None or not settings.DATABASES[using]["ENGINE"].endswith("postgresql"):
        return
    pgtrigger.install(database=using)
    from .versioning import install

    install(using)
