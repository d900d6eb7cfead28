"""The spaces' side of the register of people, found at start-up by the register's autodiscover(): how
attendance rows written before the register are brought in (kallpanchis.people.legacy). An attendance sheet
carried no consent to the register, so these rows are only linked to people already registered (the same
name and organisation, e.g. an association's member), never used to register anyone."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kallpanchis.people import legacy
from municipalities.people import municipality_place

from .models import Attendance


def _attendance_rows(**filters):
    rows = (
        Attendance.objects.filter(person__isnull=True, **filters)
        .annotate(place=municipality_place("meeting__space__municipality__"))
        .order_by("pk")
        .values_list(
            "pk",
            "name",
            "gender",
            "organisation_id",
            "place",
            "meeting_id",
            "meeting__space__name",
            "meeting__starts_at",
        )
    )
    for pk, name, gender, organisation, place, meeting, space, starts_at in rows.iterator(chunk_size=5000):
        yield legacy.LegacyRow(
            pk=pk,
            name=name,
            gender=gender,
            organisation_id=organisation,
            district_ubigeo=place or "",
            context=f"{space} · {timezone.localtime(starts_at):%d/%m/%Y}",
            together=meeting,
        )


legacy.register(
    legacy.Source(
        label="spaces.Attendance",
        model=Attendance,
        rows=_attendance_rows,
        linked=lambda: Attendance.objects.filter(person__isnull=False).values_list(
            "person_id", "organisation_id", "meeting_id"
        ),
        verbose_name=_("meeting attendance"),
        order=40,
    )
)
