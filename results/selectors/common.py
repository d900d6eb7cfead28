"""What every results selector shares: the cells' words and order, and who may read what."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from kallpanchis.accounts.access import access_for
from kallpanchis.accounts.models import MUNICIPAL_ROLES, Role
from municipalities.models import Municipality

STATUS_LABELS = {
    "on_track": _("On track"),
    "at_risk": _("At risk"),
    "behind": _("Behind"),
    "no_data": _("No data"),
    "no_target": _("No target"),
}
STATUS_ORDER = {"behind": 0, "at_risk": 1, "on_track": 2, "no_target": 3, "no_data": 4}


# --- who may do what ---


def framework_reader(user) -> bool:
    """The framework's pages (indicators, targets, reporters) are the consortium's."""
    return access_for(user).consortium_wide


def framework_reader_or_404(user) -> None:
    if not framework_reader(user):
        raise Http404


def scorecard_reader(user) -> bool:
    access = access_for(user)
    return access.consortium_wide or bool(access.organisations_with(*MUNICIPAL_ROLES, Role.VIEWER))


def municipalities_for_user(user):
    return Municipality.objects.visible_to(user)
