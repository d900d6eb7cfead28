"""Inputs of the services (plain data the views and the offline sync build) and the manager check."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from kallpanchis.organisations.models import Organisation

from ..models import (
    ConcertationSpace,
)


@dataclass(frozen=True)
class AgendaItemData:
    title: str
    presenter: str = ""
    duration_minutes: int | None = None


@dataclass(frozen=True)
class AttendanceRow:
    name: str
    gender: str
    organisation: Organisation | None = None
    organisation_name: str = ""
    role: str = ""
    is_producer: bool = False


@dataclass(frozen=True)
class AgreementData:
    what: str
    due_date: datetime.date
    responsible_organisation: Organisation | None = None
    responsible_person: str = ""


def require_space_manager(*, user, space: ConcertationSpace) -> None:
    if user is not None and not ConcertationSpace.objects.editable_by(user).filter(pk=space.pk).exists():
        raise PermissionDenied(_("Only the technicians of the convening municipality manage this space."))
