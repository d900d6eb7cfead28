from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "municipalities"
    verbose_name = _("Municipalities and territory")

    def navigation(self, access):
        if access.consortium_wide or access.municipality_organisations:
            return [
                (_("Municipalities"), "municipalities:municipality_list"),
                (_("Technicians' network"), "municipalities:technician_list"),
            ]
        if access.authenticated:
            # Association leaders read the public profiles, from the list or the map.
            return [(_("Municipalities"), "municipalities:municipality_list")]
        return []
