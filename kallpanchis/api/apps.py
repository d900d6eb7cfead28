from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "kallpanchis.api"
    label = "api"
    verbose_name = _("Read API and open data")
    # The top menu: a person's own tokens sit with their account (kallpanchis/accounts/navigation.py).
    navigation_section = "account"

    def ready(self):
        from . import schema  # noqa: F401  (registers the token scheme with drf-spectacular)

    def navigation(self, access):
        if not access.authenticated:
            return []
        items = [(_("API tokens"), "api:token_list")]
        if access.is_coordinator:
            items.append((_("All API tokens"), "api:token_all"))
        return items
