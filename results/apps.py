from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Results framework")
    # The demo reports as the demo technicians, for the partner municipalities.
    demo_after = ("accounts", "municipalities")

    def navigation(self, access):
        """Coordinators and partner staff define and read the framework; municipal staff read the scorecard
        of their territory and report. A leader whose association is assigned an indicator finds its periods
        on the home page (results/pending.py), not in the menu: most leaders report nothing here."""
        from kallpanchis.accounts.models import MUNICIPAL_ROLES, Role

        items = []
        municipal = bool(access.organisations_with(*MUNICIPAL_ROLES, Role.VIEWER))
        if access.consortium_wide or municipal:
            items.append(("follow_up", _("Results scorecard"), "results:scorecard"))
        if access.consortium_wide:
            items.append(("follow_up", _("Results and indicators"), "results:indicator_list"))
        if access.is_coordinator or access.organisations_with(
            Role.TECHNICIAN, Role.MUNICIPAL_ADMIN, Role.LEADER
        ):
            items.append(("follow_up", _("Report results"), "results:report_list"))
        return items
