from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfflineConfig(AppConfig):
    name = "kallpanchis.offline"
    label = "offline"
    verbose_name = _("Field work offline")

    def navigation(self, access):
        from kallpanchis.accounts.models import Role

        if access.has(Role.TECHNICIAN, Role.MUNICIPAL_ADMIN):
            return [("spaces", _("Meeting logs offline"), "offline:shell")]
        return []
