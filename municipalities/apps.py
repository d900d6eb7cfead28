from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "municipalities"
    verbose_name = _("Municipalities and territory")

    def navigation(self, access):
        from kallpanchis.accounts.models import MUNICIPAL_ROLES, Role

        if access.has(Role.COORDINATOR, Role.PARTNER_STAFF) or access.organisations_with(*MUNICIPAL_ROLES):
            return [
                ("follow_up", _("Municipalities"), "municipalities:municipality_list"),
                ("follow_up", _("Technicians' network"), "municipalities:technician_list"),
            ]
        if access.authenticated:
            # Viewers and association leaders read the public profiles, from the list or the map.
            return [("follow_up", _("Municipalities"), "municipalities:municipality_list")]
        return []
