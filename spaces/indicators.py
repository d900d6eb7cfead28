"""This app's figures for the coordinators' dashboard (kallpanchis.core.indicators): meetings held per
space, attendance and the share of women, agreements done on time."""

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import ExtractYear

from kallpanchis.core.indicators import aggregate, formula, measure
from kallpanchis.people import reach
from municipalities.indicators import municipality_place

from .models import Agreement, Attendance, Meeting


def line_of(prefix: str):
    """A space's thematic line, read from its thematic group's name (Spanish, English or French)."""
    name = f"{prefix}thematic_group__name"
    words = {
        "milk": ("lech", "milk", "lait", "lác"),
        "cheese": ("ques", "chees", "fromag"),
        "guinea_pigs": ("cuy", "guinea", "cobay"),
        "gastronomy": ("gastro",),
    }
    whens = []
    for line, stems in words.items():
        condition = Q()
        for stem in stems:
            condition |= Q(**{f"{name}__icontains": stem})
        whens.append(When(condition, then=Value(line)))
    return Case(
        *whens,
        When(**{f"{name}__isnull": False}, then=Value("other")),
        default=Value(""),
        output_field=CharField(),
    )


def _meetings(queryset, value):
    province, district = municipality_place("space__municipality__")
    return aggregate(
        queryset,
        value=value,
        year=ExtractYear("starts_at"),
        province=province,
        district=district,
        line=line_of("space__"),
    )


@measure("meetings_held")
def meetings_held():
    return _meetings(Meeting.objects.filter(status=Meeting.Status.HELD), Count("pk"))


@measure("spaces_meeting")
def spaces_meeting():
    """Spaces that had at least one meeting (held, planned or postponed; not cancelled) in the year."""
    return _meetings(
        Meeting.objects.exclude(status=Meeting.Status.CANCELLED), Count("space_id", distinct=True)
    )


@measure("attendance")
def attendance():
    """People on the attendance lists of meetings held."""
    province, district = municipality_place("meeting__space__municipality__")
    return aggregate(
        Attendance.objects.filter(meeting__status=Meeting.Status.HELD),
        value=Count("pk"),
        year=ExtractYear("meeting__starts_at"),
        province=province,
        district=district,
        line=line_of("meeting__space__"),
        gender=F("gender"),
    )


def _agreements(queryset):
    province, district = municipality_place("meeting__space__municipality__")
    return aggregate(
        queryset,
        value=Count("pk"),
        year=ExtractYear("due_date"),
        province=province,
        district=district,
        line=line_of("meeting__space__"),
    )


@measure("agreements_due")
def agreements_due():
    """Agreements falling due in the year, except those dropped."""
    return _agreements(Agreement.objects.exclude(status=Agreement.Status.DROPPED))


@measure("agreements_on_time")
def agreements_on_time():
    """Agreements done on or before their due date."""
    return _agreements(Agreement.objects.filter(status=Agreement.Status.DONE, done_on__lte=F("due_date")))


formula(
    "meetings_per_space",
    numerator="meetings_held",
    denominator="spaces_meeting",
    drilldown="spaces:meeting_list",
)
formula("attendance", numerator="attendance", drilldown="spaces:meeting_list")
formula(
    "women_share",
    numerator="attendance:female",
    denominator="attendance",
    factor=100,
    drilldown="spaces:meeting_list",
)
formula(
    "agreements_on_time",
    numerator="agreements_on_time",
    denominator="agreements_due",
    factor=100,
    drilldown="spaces:agreement_list",
)


# Reach, counted once (kallpanchis/people/reach.py): each attendance row of a held meeting that names a person
# of the register is a participation; rows without a person count in `attendance` above, not there.
reach.participation(
    reach.MEETING,
    lambda: Attendance.objects.filter(meeting__status=Meeting.Status.HELD).values(
        r_person=F("person_id"), r_year=ExtractYear("meeting__starts_at"), r_line=line_of("meeting__space__")
    ),
)
