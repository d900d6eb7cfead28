import datetime

from django.utils import timezone

from kallpanchis.organisations.models import Organisation
from kallpanchis.organisations.services import organisation_ensure
from spaces.models import ConcertationSpace
from spaces.services import (
    AgreementData,
    AttendanceRow,
    meeting_log,
    meeting_schedule,
    space_create,
    space_member_add,
)


def lima(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def producer_org(name: str = "Asociación de Productores Lecheros Virgen de Natividad") -> Organisation:
    return organisation_ensure(name=name, kind=Organisation.Kind.PRODUCER)


def anta_space(municipality, *, name: str = "Espacio técnico de desarrollo económico de Anta", **kwargs):
    space = space_create(
        by=None,
        name=name,
        level=ConcertationSpace.Level.PROVINCIAL,
        kind=ConcertationSpace.Kind.TECHNICAL,
        municipality=municipality,
        **kwargs,
    )
    space_member_add(space=space, by=None, organisation=producer_org(), representatives="Justina Huillca")
    return space


def scheduled(space, *, when=None, hours: int = 3, title: str = "Reunión ordinaria", **kwargs):
    when = when or lima(2026, 3, 10)
    return meeting_schedule(
        space=space,
        by=None,
        title=title,
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=hours),
        place="Local comunal de Izcuchaca",
        **kwargs,
    )


def held(space, *, when=None, women: int = 2, men: int = 1, agreements=(), organisation=None, **kwargs):
    meeting = scheduled(space, when=when, **kwargs)
    rows = [
        AttendanceRow(name=f"Mujer {i}", gender="female", organisation=organisation) for i in range(women)
    ]
    rows += [
        AttendanceRow(name=f"Varón {i}", gender="male", organisation_name="Comunidad Ccollana")
        for i in range(men)
    ]
    day = timezone.localdate(meeting.starts_at)
    return meeting_log(
        meeting=meeting,
        by=None,
        minutes="Se revisó el avance.",
        attendance=rows,
        agreements=[
            AgreementData(
                what=a, due_date=day + datetime.timedelta(days=30), responsible_person="Luis Mamani"
            )
            for a in agreements
        ],
    )
