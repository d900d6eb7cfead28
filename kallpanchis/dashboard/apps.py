import logging
from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class DashboardConfig(AppConfig):
    name = "kallpanchis.dashboard"
    label = "dashboard"
    verbose_name = _("Progress dashboard")

    def ready(self):
        # Each domain app registers its figures in its own indicators.py; this app imports none of them.
        # Like autodiscover_modules("indicators"), except that a broken indicators.py costs its indicators
        # (logged, and caught by tests/dashboard/test_registry.py), not the whole site.
        for config in apps.get_app_configs():
            if module_has_submodule(config.module, "indicators"):
                try:
                    import_module(f"{config.name}.indicators")
                except Exception:
                    logger.exception("dashboard: %s.indicators could not be loaded", config.name)

    def navigation(self, access):
        if access.consortium_wide or access.municipality_organisations:
            return [(_("Progress dashboard"), "dashboard:dashboard")]
        return []
