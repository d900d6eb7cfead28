from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    """Nightly backups of the database and the uploaded files, proven by restoring them (docs/operations.md).
    A base app: it knows no domain app, it dumps every table whatever app made it."""

    name = "kallpanchis.backups"
    label = "backups"
    verbose_name = _("Backups")

    def navigation(self, access):
        if access.is_coordinator:
            return [(_("Backups"), "backups:status")]
        return []
