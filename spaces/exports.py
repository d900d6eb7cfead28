"""The spaces' lists as tables (header, rows) for "Download CSV / XLSX": the same rows as the page, every
page of them, written by kallpanchis.core.exports. Each table reads in a fixed number of queries however
many rows it has (counts are correlated subqueries, names come by select_related)."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from kallpanchis.core.models import Gender

from .models import Attendance

CHUNK = 500


def _attendance_of(gender: str):
    rows = (
        Attendance.objects.filter(meeting=OuterRef("pk"), gender=gender)
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
    )
    return Coalesce(Subquery(rows.values("n"), output_field=IntegerField()), 0)


def _local(moment):
    return timezone.localtime(moment) if moment else None


def space_table(spaces) -> tuple[list, object]:
    header = [
        _("No."),
        _("Space"),
        _("Within"),
        _("Kind"),
        _("Level"),
        _("Municipality or association"),
        _("Thematic group"),
        _("Upcoming meetings"),
        _("Public"),
    ]
    rows = (
        [
            s.pk,
            s.name,
            s.parent.name if s.parent else "",
            s.get_kind_display(),
            s.get_level_display(),
            s.municipality.organisation.name
            if s.municipality
            else (s.association.name if s.association else ""),
            s.thematic_group.name if s.thematic_group else "",
            s.upcoming_count,
            _("yes") if s.is_public else _("no"),
        ]
        for s in spaces.iterator(chunk_size=CHUNK)
    )
    return header, rows


def meeting_table(meetings) -> tuple[list, object]:
    """Meetings with their attendance totals by gender (counts, never names) and agreements."""
    meetings = meetings.annotate(
        women=_attendance_of(Gender.FEMALE),
        men=_attendance_of(Gender.MALE),
        unstated=_attendance_of(Gender.UNSTATED),
    )
    header = [
        _("No."),
        _("Space"),
        _("Title"),
        _("Starts"),
        _("Ends"),
        _("Place"),
        _("Status"),
        _("Attendance"),
        _("Women"),
        _("Men"),
        _("Gender not stated"),
        _("Agreements"),
    ]
    rows = (
        [
            m.pk,
            m.space.name,
            m.title,
            _local(m.starts_at),
            _local(m.ends_at),
            m.place,
            m.get_status_display(),
            m.attendance_count,
            m.women,
            m.men,
            m.unstated,
            m.agreement_count,
        ]
        for m in meetings.iterator(chunk_size=CHUNK)
    )
    return header, rows


def agreement_table(agreements) -> tuple[list, object]:
    header = [
        _("No."),
        _("Space"),
        _("Meeting"),
        _("What was agreed"),
        _("Responsible organisation"),
        _("Responsible person"),
        _("Due date"),
        _("Status"),
        _("Done on"),
    ]
    rows = (
        [
            a.pk,
            a.meeting.space.name,
            _local(a.meeting.starts_at).date(),
            a.what,
            a.responsible_organisation.name if a.responsible_organisation else "",
            a.responsible_person,
            a.due_date,
            a.get_status_display(),
            a.done_on,
        ]
        for a in agreements.iterator(chunk_size=CHUNK)
    )
    return header, rows
