"""Everything that reads for a page, a printable, a feed or the dashboard; always scoped to the person."""

import datetime
import functools
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kallpanchis.accounts.access import access_for
from kallpanchis.core.models import Gender

from .models import (
    Agreement,
    AgreementStatusChange,
    Attendance,
    CalendarToken,
    ConcertationSpace,
    Meeting,
    SpaceMember,
    managed_municipalities,
    open_first,
)

__all__ = ["access_for", "managed_municipalities"]


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


# --- spaces ---------------------------------------------------------------------------------------------


def spaces_for_user(*, user) -> QuerySet[ConcertationSpace]:
    return (
        ConcertationSpace.objects.visible_to(user)
        .select_related("municipality__organisation", "association", "parent", "thematic_group")
        .annotate(
            upcoming_count=Count("meetings", filter=Q(meetings__status__in=Meeting.UPCOMING), distinct=True),
        )
        .order_by("parent_id", "name")
    )


def space_choices(*, user) -> QuerySet[ConcertationSpace]:
    """The spaces a filter offers: names only (spaces_for_user counts every space's meetings)."""
    return ConcertationSpace.objects.visible_to(user).only("pk", "name").order_by("name", "pk")


def space_get_for_user(*, user, space_id: int) -> ConcertationSpace:
    return get_object_or_404(
        ConcertationSpace.objects.visible_to(user).select_related(
            "municipality__organisation", "association", "parent", "thematic_group"
        ),
        pk=space_id,
    )


def space_get_editable(*, user, space_id: int) -> ConcertationSpace:
    """404 outside the reading scope; None-safe for views that then refuse writes with a 404 as well."""
    return get_object_or_404(
        ConcertationSpace.objects.editable_by(user).select_related(
            "municipality__organisation", "association", "parent"
        ),
        pk=space_id,
    )


def space_can_manage(*, user, space: ConcertationSpace) -> bool:
    return ConcertationSpace.objects.editable_by(user).filter(pk=space.pk).exists()


def space_members(*, space: ConcertationSpace) -> QuerySet[SpaceMember]:
    return space.members.select_related("organisation").order_by("organisation__name")


def space_member_get_editable(*, user, member_id: int) -> SpaceMember:
    return get_object_or_404(
        SpaceMember.objects.filter(
            space__in=ConcertationSpace.objects.editable_by(user).values("pk")
        ).select_related("space", "organisation"),
        pk=member_id,
    )


def space_member_organisations(*, space: ConcertationSpace):
    from kallpanchis.organisations.models import Organisation

    return Organisation.objects.filter(space_memberships__space=space).order_by("name")


def meeting_answering_organisations(*, meeting: Meeting):
    """The organisations the meeting log offers to answer for an agreement: the space's members, the
    meeting's guests, the convening municipality, the consortium's partners and those already answering for
    one of the space's agreements. Not every organisation of the region: at 10× that is 2,100 options per
    agreement row, half a megabyte on a phone; anyone else is written in "Responsible person"."""
    from kallpanchis.organisations.models import Organisation

    space = meeting.space
    answering = Agreement.objects.filter(meeting__space=space, responsible_organisation__isnull=False)
    found = (
        Q(space_memberships__space=space)
        | Q(pk__in=meeting.invited.values("pk"))
        | Q(pk__in=answering.values("responsible_organisation"))
        | ~Q(consortium_role="")
    )
    if space.municipality_id:
        found |= Q(municipality__pk=space.municipality_id)
    around = Organisation.objects.filter(found).values("pk")
    return Organisation.objects.filter(pk__in=around).order_by("name")


# --- meetings -------------------------------------------------------------------------------------------


def meetings_for_user(
    *,
    user,
    space: ConcertationSpace | None = None,
    status: str = "",
    without_upcoming_from: datetime.date | None = None,
) -> QuerySet[Meeting]:
    """Newest first; `without_upcoming_from` leaves out the meetings still to come from that day on (the
    list shows them apart, soonest first: meetings_upcoming)."""
    qs = Meeting.objects.visible_to(user).select_related("space")
    if space is not None:
        qs = qs.filter(space=space)
    if status:
        qs = qs.filter(status=status)
    if without_upcoming_from is not None:
        qs = qs.exclude(status__in=Meeting.UPCOMING, starts_at__gte=_day_start(without_upcoming_from))
    # Correlated counts, not joins: PostgreSQL computes them only for the page's rows, after ORDER BY/LIMIT
    # (two joined COUNT DISTINCTs grouped all 20,000 meetings of the 10x data set before paginating).
    return qs.annotate(
        attendance_count=_count_of(Attendance),
        agreement_count=_count_of(Agreement),
    ).order_by("-starts_at", "-pk")


def meetings_upcoming(*, user, today: datetime.date, space: ConcertationSpace | None = None):
    """Planned or postponed meetings from today on, soonest first: what the meetings list opens on (its
    first twenty)."""
    qs = Meeting.objects.visible_to(user).filter(
        status__in=Meeting.UPCOMING, starts_at__gte=_day_start(today)
    )
    if space is not None:
        qs = qs.filter(space=space)
    return qs.select_related("space").order_by("starts_at", "pk")


@functools.cache  # an expression not yet resolved is copied by each query it goes into: built once
def _count_of(model):
    rows = model.objects.filter(meeting=OuterRef("pk")).order_by().values("meeting").annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n"), output_field=IntegerField()), 0)


def meeting_get_for_user(*, user, meeting_id: int, editable: bool = False) -> Meeting:
    qs = Meeting.objects.editable_by(user) if editable else Meeting.objects.visible_to(user)
    return get_object_or_404(
        qs.select_related("space__municipality__organisation", "space__association", "created_by"),
        pk=meeting_id,
    )


def meeting_page(*, meeting: Meeting) -> dict:
    """All a meeting page, acta or sheet shows, in a fixed number of queries."""
    agenda = list(meeting.agenda_items.all())
    attendance = list(meeting.attendance.select_related("organisation"))
    agreements = list(meeting.agreements.select_related("responsible_organisation"))
    events = list(meeting.events.select_related("by"))
    invited = list(meeting.invited.all())
    return {
        "agenda": agenda,
        "follow_up": list(meeting_follow_up(meeting=meeting)),
        "attendance": attendance,
        "agreements": agreements,
        "events": events,
        "invited": invited,
        "figures": attendance_figures(attendance),
    }


def meeting_follow_up(*, meeting: Meeting) -> QuerySet[Agreement]:
    """The space's agreements from earlier meetings that were still open when this meeting began: the
    first agenda item of every meeting."""
    return (
        Agreement.objects.filter(meeting__space_id=meeting.space_id, meeting__starts_at__lt=meeting.starts_at)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=meeting.starts_at))
        .select_related("responsible_organisation", "meeting")
        .order_by("due_date", "pk")
    )


@dataclass(frozen=True)
class AttendanceFigures:
    total: int
    women: int
    men: int
    producers: int


def attendance_figures(rows: list[Attendance]) -> AttendanceFigures:
    return AttendanceFigures(
        total=len(rows),
        women=sum(1 for r in rows if r.gender == Gender.FEMALE),
        men=sum(1 for r in rows if r.gender == Gender.MALE),
        producers=sum(1 for r in rows if r.is_producer),
    )


def attendance_get_editable(*, user, attendance_id: int) -> Attendance:
    return get_object_or_404(
        Attendance.objects.filter(meeting__in=Meeting.objects.editable_by(user).values("pk")).select_related(
            "meeting__space"
        ),
        pk=attendance_id,
    )


# --- agreements -----------------------------------------------------------------------------------------


def agreements_for_user(
    *,
    user,
    space: ConcertationSpace | None = None,
    status: str = "",
    organisation_id: int | None = None,
    overdue: bool = False,
    mine: bool = False,
    q: str = "",
    municipality_id: int | None = None,
) -> QuerySet[Agreement]:
    """The agreements register, open ones first and each part by due date; 'mine' keeps those whose
    responsible organisation is one of the person's; `q` searches what was agreed and who answers for it."""
    qs = Agreement.objects.visible_to(user).select_related("meeting__space", "responsible_organisation")
    if q:
        qs = qs.filter(
            Q(what__icontains=q)
            | Q(responsible_person__icontains=q)
            | Q(responsible_organisation__name__icontains=q)
            | Q(meeting__space__name__icontains=q)
        )
    if municipality_id:
        qs = qs.filter(meeting__space__municipality_id=municipality_id)
    if space is not None:
        qs = qs.filter(meeting__space=space)
    if status:
        qs = qs.filter(status=status)
    if organisation_id:
        qs = qs.filter(responsible_organisation_id=organisation_id)
    if overdue:
        qs = qs.open().filter(due_date__lt=timezone.localdate())
    if mine:
        qs = qs.filter(responsible_organisation_id__in=list(access_for(user).by_organisation))
    return qs.order_by(open_first(), "due_date", "pk")


def agreement_get_for_user(*, user, agreement_id: int) -> Agreement:
    return get_object_or_404(
        Agreement.objects.visible_to(user)
        .select_related("meeting__space", "responsible_organisation")
        .prefetch_related(Prefetch("history", queryset=AgreementStatusChange.objects.select_related("by"))),
        pk=agreement_id,
    )


def status_change_get_for_user(*, user, change_id: int) -> AgreementStatusChange:
    return get_object_or_404(
        AgreementStatusChange.objects.filter(
            agreement__in=Agreement.objects.visible_to(user).values("pk")
        ).select_related("agreement"),
        pk=change_id,
    )


def agreement_responsible_organisations(*, user):
    """Organisations that answer for at least one agreement the person can see (the register's filter)."""
    from kallpanchis.organisations.models import Organisation

    # "Not null" says nothing new to the EXISTS but lets PostgreSQL read only the agreements that name an
    # organisation from the foreign key's index, instead of hashing every agreement (48 ms at 10×).
    answers = Agreement.objects.visible_to(user).filter(
        responsible_organisation__isnull=False, responsible_organisation=OuterRef("pk")
    )
    return Organisation.objects.filter(Exists(answers)).order_by("name")


# --- the home page's to-do list (spaces/pending.py) ------------------------------------------------------

HOME_LIMIT = 12  # items of one kind on the home page; the rest are counted, and listed by their register


def _first_and_total(queryset, limit: int = HOME_LIMIT) -> tuple[list, int]:
    """The first rows and how many there are in all, in two queries whatever their number. Not one query
    with a window count: that makes PostgreSQL walk the whole ordered index before the LIMIT (at 10x, 150 ms
    for a technician's agreements), where the first rows take an index scan that stops early and the count
    a hash join (a few ms each)."""
    rows = list(queryset[:limit])
    return rows, queryset.order_by().count()


def managed_space_ids(*, user) -> list[int]:
    """The spaces this person manages, as a list of ids: a query that names its spaces lets PostgreSQL go
    from them to their meetings and agreements, instead of reading every open agreement of the region and
    filtering (the home at 10x: 148 ms -> a few ms)."""
    return list(ConcertationSpace.objects.editable_by(user).values_list("pk", flat=True))


def meetings_to_run(
    *, user, today: datetime.date, horizon_days: int = 30, space_ids: list[int] | None = None
) -> tuple[list[Meeting], int]:
    """Meetings of the spaces this person manages that still wait for something: upcoming ones within the
    horizon, and those that started but were never logged (however old). Oldest first; with the total."""
    space_ids = managed_space_ids(user=user) if space_ids is None else space_ids
    qs = Meeting.objects.filter(
        space_id__in=space_ids,
        status__in=Meeting.UPCOMING,
        starts_at__lt=_day_start(today + datetime.timedelta(days=horizon_days)),
    )
    return _first_and_total(qs.select_related("space").order_by("starts_at", "pk"))


def meetings_of_organisations(
    *, organisation_ids, today: datetime.date, horizon_days: int = 60
) -> tuple[list[Meeting], int]:
    """Upcoming meetings (from today on, within the horizon) of the spaces these organisations sit in, or
    that invite them: what an association's leader should attend."""
    member_of = SpaceMember.objects.filter(organisation_id__in=list(organisation_ids)).values("space_id")
    invited = Meeting.invited.through.objects.filter(organisation_id__in=list(organisation_ids)).values(
        "meeting_id"
    )
    qs = Meeting.objects.filter(
        Q(space_id__in=member_of) | Q(pk__in=invited),
        status__in=Meeting.UPCOMING,
        starts_at__gte=_day_start(today),
        starts_at__lt=_day_start(today + datetime.timedelta(days=horizon_days)),
    )
    return _first_and_total(qs.select_related("space").order_by("starts_at", "pk"))


def agreements_due(
    *, user, today: datetime.date, within_days: int = 7, space_ids: list[int] | None = None
) -> tuple[list[Agreement], int]:
    """Open agreements of the spaces this person manages that are overdue or fall due within the week."""
    space_ids = managed_space_ids(user=user) if space_ids is None else space_ids
    qs = (
        Agreement.objects.open()
        .filter(meeting__space_id__in=space_ids)
        .filter(due_date__lt=today + datetime.timedelta(days=within_days))
    )
    return _first_and_total(
        qs.select_related("meeting__space", "responsible_organisation").order_by("due_date", "pk")
    )


def agreements_of_organisations(*, organisation_ids) -> tuple[list[Agreement], int]:
    """Open agreements these organisations answer for, soonest due first."""
    qs = Agreement.objects.open().filter(responsible_organisation_id__in=list(organisation_ids))
    return _first_and_total(
        qs.select_related("meeting__space", "responsible_organisation").order_by("due_date", "pk")
    )


def overdue_agreements_by_municipality(*, user, today: datetime.date) -> list[dict]:
    """Per convening municipality (or association of municipalities), the open agreements past their due
    date among those the person reads: {"name", "municipality_id", "count", "oldest"}, most first."""
    rows = (
        Agreement.objects.visible_to(user)
        .open()
        .filter(due_date__lt=today)
        .order_by()
        .values(
            "meeting__space__municipality_id",
            "meeting__space__municipality__organisation__name",
            "meeting__space__association__name",
        )
        .annotate(count=Count("pk"), oldest=Min("due_date"))
        .order_by("-count", "meeting__space__municipality__organisation__name")
    )
    return [
        {
            "municipality_id": row["meeting__space__municipality_id"],
            "name": row["meeting__space__municipality__organisation__name"]
            or row["meeting__space__association__name"],
            "count": row["count"],
            "oldest": row["oldest"],
        }
        for row in rows
    ]


def municipalities_without_meetings(*, user, today: datetime.date, days: int = 60) -> list[dict]:
    """Municipalities that convene at least one space the person reads and held no meeting in the last
    `days` days: {"municipality_id", "name", "last"} (last: the date of their last held meeting or None)."""
    since = _day_start(today - datetime.timedelta(days=days))
    held = Meeting.objects.filter(
        space__municipality_id=OuterRef("municipality_id"), status=Meeting.Status.HELD
    )
    rows = (
        ConcertationSpace.objects.visible_to(user)
        .filter(municipality__isnull=False)
        .order_by()
        .values("municipality_id", "municipality__organisation__name")
        .annotate(last=Subquery(held.order_by("-starts_at").values("starts_at")[:1]))
        .distinct()
        .order_by("municipality__organisation__name")
    )
    return [
        {
            "municipality_id": row["municipality_id"],
            "name": row["municipality__organisation__name"],
            "last": timezone.localdate(row["last"]) if row["last"] else None,
        }
        for row in rows
        if row["last"] is None or row["last"] < since
    ]


# --- participation figures (the dashboard reads these) ---------------------------------------------------


@dataclass(frozen=True)
class Participation:
    meetings_held: int
    attendance: int
    women: int
    women_share: Decimal | None  # percent, one decimal; None when nobody attended
    organisations_represented: int
    agreements: int  # taken at the period's meetings
    agreements_done: int
    agreements_done_on_time: int  # done on or before their due date
    done_on_time_share: Decimal | None  # percent of agreements taken


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def space_participation(
    *,
    space: ConcertationSpace,
    start: datetime.date,
    end: datetime.date,
    include_subspaces: bool = False,
) -> Participation:
    """Figures of the meetings held between start and end (both included, Lima dates): attendance rows,
    women among them, distinct organisations named (picked or as written), agreements taken and how many
    were done on or before their due date."""
    tz = timezone.get_default_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    spaces = [space.pk]
    if include_subspaces:
        spaces += list(ConcertationSpace.objects.filter(parent=space).values_list("pk", flat=True))
    held = Meeting.objects.filter(
        space_id__in=spaces, status=Meeting.Status.HELD, starts_at__gte=since, starts_at__lt=until
    )
    people = Attendance.objects.filter(meeting__in=held).aggregate(
        total=Count("pk"), women=Count("pk", filter=Q(gender=Gender.FEMALE))
    )
    organisations = (
        Attendance.objects.filter(meeting__in=held)
        .exclude(organisation_name="")
        .annotate(key=Lower("organisation_name"))
        .values("key")
        .distinct()
        .count()
    )
    agreements = Agreement.objects.filter(meeting__in=held).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=Agreement.Status.DONE)),
        on_time=Count("pk", filter=Q(status=Agreement.Status.DONE, done_on__lte=F("due_date"))),
    )
    return Participation(
        meetings_held=held.count(),
        attendance=people["total"],
        women=people["women"],
        women_share=_percent(people["women"], people["total"]),
        organisations_represented=organisations,
        agreements=agreements["total"],
        agreements_done=agreements["done"],
        agreements_done_on_time=agreements["on_time"],
        done_on_time_share=_percent(agreements["on_time"], agreements["total"]),
    )


# --- public page and calendars --------------------------------------------------------------------------


def public_space_get(*, space_id: int) -> ConcertationSpace:
    return get_object_or_404(
        ConcertationSpace.objects.filter(is_public=True).select_related(
            "municipality__organisation", "association"
        ),
        pk=space_id,
    )


def public_space_page(*, space: ConcertationSpace) -> dict:
    """Upcoming meetings and agreements with their status; attendance as counts only, never names."""
    now = timezone.now()
    upcoming = list(
        space.meetings.filter(status__in=Meeting.UPCOMING, ends_at__gte=now).order_by("starts_at")[:20]
    )
    held = list(
        space.meetings.filter(status=Meeting.Status.HELD)
        .annotate(
            people=Count("attendance"),
            women=Count("attendance", filter=Q(attendance__gender=Gender.FEMALE)),
        )
        .order_by("-starts_at")[:20]
    )
    agreements = list(
        Agreement.objects.filter(meeting__space=space)
        .select_related("responsible_organisation", "meeting")
        .order_by("-meeting__starts_at", "pk")[:100]
    )
    return {"upcoming": upcoming, "held": held, "agreements": agreements}


def calendar_token_for(*, user) -> CalendarToken | None:
    return CalendarToken.objects.filter(user=user).first()


def calendar_meetings_for_token(*, token: str) -> QuerySet[Meeting] | None:
    """The meetings a private calendar address shows: what its owner may see now. None if revoked."""
    found = CalendarToken.objects.select_related("user").filter(token=token).first()
    if found is None or not found.user.is_active:
        return None
    since = timezone.now() - datetime.timedelta(days=180)
    return (
        Meeting.objects.visible_to(found.user)
        .filter(starts_at__gte=since)
        .select_related("space")
        .order_by("starts_at")
    )


def calendar_meetings_for_space(*, space: ConcertationSpace) -> QuerySet[Meeting]:
    since = timezone.now() - datetime.timedelta(days=180)
    return space.meetings.filter(starts_at__gte=since).select_related("space").order_by("starts_at")
