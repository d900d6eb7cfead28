from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    """The history of every change of every domain model (docs/history.md): database triggers write one
    row per inserted, updated or deleted row, whatever wrote it (services, the admin, a queryset update, a
    migration's data step), with who and from where. A base app: it finds the domain apps' models by their
    app label (settings.HISTORY_TRACKED_APPS) and imports none of them."""

    name = "kallpanchis.history"
    label = "history"
    verbose_name = _("History")

    def ready(self):
        from django.db.models.signals import post_migrate

        from kallpanchis.core.caching import versioned_tables_from

        from . import tasks_context, triggers, versioning

        triggers.register_all()
        versioned_tables_from(versioning.versioned_tables)
        tasks_context.connect()
        post_migrate.connect(triggers.install_after_migrate, sender=self, dispatch_uid="kallpanchis-history")
