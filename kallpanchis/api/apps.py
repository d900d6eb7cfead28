from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "kallpanchis.api"
    label = "api"
    verbose_name = _("Read API and open data")
    # The top menu: a person's own tokens sit with their account (kallpanchis/accounts/navigation.py).
    navigation_section = "account"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import schema  # noqa: F401  (registers the token scheme with drf-spectacular)
        from .versioning import install_after_migrate

        # Once per migrate (any sender would run it once per app): after the last app's tables exist.
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="kallpanchis-api-version")

    def navigation(self, access):
        if not access.authenticated:
            return []
        items = [(_("API tokens"), "api:token_list")]
        if access.is_coordinator:
            items.append((_("All API tokens"), "api:token_all"))
        return items
