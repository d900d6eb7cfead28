from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    name = "spaces"
    verbose_name = _("Concertation spaces")

    def navigation(self, access):
        if not access.authenticated:
            return []
        # Everyone signed in may sit in a space through their organisation; the lists show only their scope.
        return [
            (_("Concertation spaces"), "spaces:space_list"),
            (_("Meetings"), "spaces:meeting_list"),
            (_("Agreements"), "spaces:agreement_list"),
        ]
