"""What the dashboard puts on the home page of those who read it (kallpanchis/core/pending.py): when its
figures were last refreshed, so nobody reports on old figures without knowing."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kallpanchis.accounts.models import Role
from kallpanchis.core import pending
from kallpanchis.core.pending import NextStep

from .selectors import refresh_latest


@pending.register
def dashboard_pending(user, access, today):
    if not access.has(Role.COORDINATOR, Role.PARTNER_STAFF, Role.VIEWER):
        return []
    refresh = refresh_latest()
    if refresh is None:
        text = _("The dashboard's figures have not been computed yet.")
    else:
        text = _("The dashboard's figures were last refreshed on %(when)s.") % {
            "when": date_format(timezone.localtime(refresh.finished_at), "SHORT_DATETIME_FORMAT")
        }
    return [NextStep(text=text, url=reverse("dashboard:dashboard"), link_label=_("Progress dashboard"))]
