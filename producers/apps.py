from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProducersConfig(AppConfig):
    name = "producers"
    verbose_name = _("Producer associations")

    def navigation(self, access):
        from kallpanchis.accounts.models import Role

        items = []
        if access.association_organisations and not access.consortium_wide:
            items.append((_("My association"), "producers:association_list"))
        elif access.consortium_wide or access.municipality_organisations:
            items.append((_("Producer associations"), "producers:association_list"))
        if access.is_coordinator or access.has(Role.TECHNICIAN):
            items.append((_("Plans to review"), "producers:plan_list"))
        elif access.consortium_wide or access.municipality_organisations:
            items.append((_("Annual plans"), "producers:plan_list"))
        return items
