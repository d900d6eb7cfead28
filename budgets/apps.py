from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = _("Participatory budget")

    def navigation(self, access):
        """Everyone signed in may follow participatory budgets: staff run or read cycles, agents take part,
        others read the public pages."""
        if access.authenticated:
            return [("budget", _("Participatory budget"), "budgets:cycle_list")]
        return []

    def municipality_sections(self, municipality, user):
        """This municipality's participatory-budget cycles, for its profile page."""
        from django.urls import reverse

        from .models import BudgetCycle

        count = BudgetCycle.objects.visible_to(user).filter(municipality=municipality).count()
        return [(_("Participatory budget"), reverse("budgets:cycle_list"), count)]
