from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = _("Participatory budget")

    def navigation(self, access):
        """Everyone signed in may follow participatory budgets: staff run or read cycles, agents take part,
        others read the public pages."""
        if access.authenticated:
            return [(_("Participatory budget"), "budgets:cycle_list")]
        return []
