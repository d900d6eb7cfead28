from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProducersConfig(AppConfig):
    name = "producers"
    verbose_name = _("Producer associations")

    def navigation(self, access):
        from kallpanchis.accounts.models import Role

        items = []
        if access.association_organisations and not access.consortium_wide:
            items.append(("associations", _("My association"), "producers:association_list"))
        elif access.consortium_wide or access.municipality_organisations:
            items.append(("associations", _("Producer associations"), "producers:association_list"))
        if access.is_coordinator or access.has(Role.TECHNICIAN):
            items.append(("associations", _("Plans to review"), "producers:plan_list"))
        elif access.consortium_wide or access.municipality_organisations:
            items.append(("associations", _("Annual plans"), "producers:plan_list"))
        return items

    def municipality_sections(self, municipality, user):
        """The associations in this municipality's territory, for its profile page."""
        from django.urls import reverse

        from municipalities.models import Municipality

        from .models import _territory_q
        from .selectors import associations_for_user

        here = _territory_q(Municipality.objects.filter(pk=municipality.pk))
        count = associations_for_user(user=user).filter(here).count()
        return [(_("Producer associations"), reverse("producers:association_list"), count)]
