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
            ("spaces", _("Concertation spaces"), "spaces:space_list"),
            ("spaces", _("Meetings"), "spaces:meeting_list"),
            ("spaces", _("Agreements"), "spaces:agreement_list"),
            ("account", _("My calendar"), "spaces:calendar_settings"),
        ]

    def municipality_sections(self, municipality, user):
        """The concertation spaces this municipality convenes, for its profile page."""
        from django.urls import reverse

        from .selectors import spaces_for_user

        count = spaces_for_user(user=user).filter(municipality=municipality).count()
        return [(_("Concertation spaces"), reverse("spaces:space_list"), count)]
