from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "kallpanchis.dashboard"
    label = "dashboard"
    verbose_name = _("Progress dashboard")

    def ready(self):
        # Each domain app registers its figures in its own indicators.py, into the registry in the base
        # (kallpanchis/core/indicators.py); this app imports none of them.
        from kallpanchis.core.indicators import autodiscover

        autodiscover()

    def navigation(self, access):
        if access.consortium_wide or access.municipality_organisations:
            return [("follow_up", _("Progress dashboard"), "dashboard:dashboard")]
        return []
