"""Inputs of the services (plain data the views and the offline sync build) and the manager check."""

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from kallpanchis.organisations.models import Organisation
from kallpanchis.people.models import Person

from ..models import (
    ConcertationSpace,
)


@dataclass(frozen=True)
class AgendaItemData:
    title: str
    presenter: str = ""
    duration_minutes: int | None = None


@dataclass(frozen=True)
class NewAttendee:
    """Someone who attended, is not in the register yet and consented (on the signed sheet) to enter it.
    `confirmed_new`: the technician saw the probable duplicates and says it is someone else. `client_id`:
    the id a phone gave them offline, so that the same new person in two drafts is registered once."""

    given_names: str
    first_surname: str
    second_surname: str = ""
    gender: str = "unstated"
    community: str = ""
    district_ubigeo: str = ""
    dni: str = ""
    confirmed_new: bool = False
    client_id: uuid.UUID | None = None

    @property
    def name(self) -> str:
        return " ".join(f"{self.given_names} {self.first_surname} {self.second_surname}".split())


@dataclass(frozen=True)
class AttendanceRow:
    """One line of the attendance: a person picked from the register (`person`), a new person registered
    with consent (`new_person`), or, without consent, just the name as written (anonymous)."""

    name: str
    gender: str
    organisation: Organisation | None = None
    organisation_name: str = ""
    role: str = ""
    is_producer: bool = False
    person: Person | None = None
    new_person: NewAttendee | None = None


@dataclass(frozen=True)
class AgreementData:
    what: str
    due_date: datetime.date
    responsible_organisation: Organisation | None = None
    responsible_person: str = ""


def require_space_manager(*, user, space: ConcertationSpace) -> None:
    if user is not None and not ConcertationSpace.objects.editable_by(user).filter(pk=space.pk).exists():
        raise PermissionDenied(_("Only the technicians of the convening municipality manage this space."))
