from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "kallpanchis.notifications"
    label = "notifications"
    verbose_name = _("Reminders")

    def ready(self):
        # Each app's `reminders.py` registers its kinds; the worker and the web process see the same list.
        from .registry import autodiscover

        autodiscover()

    def navigation(self, access):
        if not access.authenticated:
            return []
        items = [("account", _("My reminders"), "notifications:my_reminders")]
        if access.is_coordinator:
            items.append(("follow_up", _("All reminders"), "notifications:reminder_list"))
        return items
