from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kallpanchis.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self):
        # Each app says what is due for a person in its own pending.py (the home page's to-do list).
        from .pending import autodiscover

        autodiscover()
