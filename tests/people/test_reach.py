"""Reach, counted once: exact figures on a small world. The same woman at three meetings is one person; an
attendance row without a person counts in the attendance but not among the people; a family is counted
once; trainings and workshops add people, not rows."""

import datetime
from decimal import Decimal

import pytest

from budgets.models import Workshop, WorkshopParticipant
from kallpanchis.core import indicators as registry
from kallpanchis.core.indicators import ALL
from kallpanchis.people.services import family_create
from municipalities.models import TrainingAttendance
from spaces.models import Attendance, ThematicGroup
from tests.budgets.factories import cycle_for
from tests.municipalities.factories import make_training
from tests.people.factories import ANTA, PUCYURA, register
from tests.spaces.factories import anta_space, held, lima

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(municipalities):
    hilaria = register(
        given_names="Hilaria", first_surname="Quispe", birth_year=1978, district_ubigeo=PUCYURA
    )
    julian = register(
        given_names="Julián", first_surname="Huamán", gender="male", birth_year=1975, district_ubigeo=PUCYURA
    )
    rosa = register(given_names="Rosa", first_surname="Ccori", birth_year=2004, district_ubigeo=ANTA)
    family_create(by=None, members=[hilaria, julian], reference_person=hilaria, district_ubigeo=PUCYURA)
    milk = ThematicGroup.objects.create(name="Mesa de leche")
    space = anta_space(municipalities["anta"], thematic_group=milk)
    # held() writes one anonymous man ("Varón 0") on each list; the rest is added as a sheet would be.
    m1, m2, m3 = (held(space, when=lima(2026, month, 10), women=0, men=1) for month in (3, 4, 5))
    for meeting, people in ((m1, [hilaria, julian]), (m2, [hilaria, rosa]), (m3, [hilaria])):
        for person in people:
            Attendance.objects.create(
                meeting=meeting, name=person.display_name, gender=person.gender, person=person
            )
    Attendance.objects.create(meeting=m1, name="Anónima", gender="female")  # no consent: no person
    last_year = held(space, when=lima(2025, 9, 10), women=0, men=1)
    Attendance.objects.create(meeting=last_year, name="Hilaria Quispe", gender="female", person=hilaria)
    training = make_training(held_on=datetime.date(2026, 5, 20))
    TrainingAttendance.objects.create(training=training, person_name="Julián", gender="male", person=julian)
    TrainingAttendance.objects.create(training=training, person_name="Otro", gender="male")
    cycle = cycle_for(municipalities["anta"], fiscal_year=2027)
    workshop = Workshop.objects.create(
        cycle=cycle, kind="diagnosis", held_on=datetime.date(2026, 6, 1), place="Anta"
    )
    WorkshopParticipant.objects.create(workshop=workshop, name="Rosa Ccori", gender="female", person=rosa)
    return {"hilaria": hilaria, "julian": julian, "rosa": rosa}


def _total(measure, year=2026, *, line=ALL, gender=ALL, district=None):
    """The measure summed over places, as the facts rebuild adds it up for the whole project."""
    rows = registry.MEASURES[measure]()
    return sum(
        r["value"]
        for r in rows
        if r["year"] == year
        and r["line"] == line
        and r["gender"] == gender
        and (district is None or r["district"] == district)
    )


def test_the_same_woman_at_three_meetings_counts_once(world):
    assert _total("reach_people_meeting") == 3  # Hilaria (3 meetings), Julián, Rosa
    assert _total("reach_people_meeting", gender="female") == 2
    assert _total("attendance") == 9  # every row of the lists, the anonymous ones too
    assert _total("attendance", gender="female") == 5


def test_anonymous_rows_count_in_attendance_not_among_people(world):
    assert _total("reach_people") == 3  # the anonymous woman and the three anonymous men are not people
    assert _total("reach_people", gender="female") == 2
    assert _total("reach_people", gender="male") == 1


def test_people_by_kind_of_activity_line_place_and_age(world):
    assert _total("reach_people_training") == 1  # Julián; "Otro" has no person
    assert _total("reach_people_workshop") == 1  # Rosa
    assert _total("reach_people", line="milk") == 3  # the meetings of the milk space
    assert _total("reach_people", district=PUCYURA) == 2
    assert _total("reach_people", district=ANTA) == 1
    assert _total("reach_age_45_59") == 2  # Hilaria (48) and Julián (51) in 2026
    assert _total("reach_age_18_29") == 1  # Rosa (22)
    assert _total("reach_people", year=2025) == 1
    assert _total("reach_age_45_59", year=2025) == 1  # Hilaria was 47


def test_families_counted_once_and_repeat_participants(world):
    assert _total("reach_families") == 1  # Hilaria and Julián are one household; Rosa has none
    assert _total("reach_repeat") == 1  # Hilaria: three meetings; Julián twice (a meeting, a training)
    assert _total("reach_repeat", gender="female") == 1
    assert _total("reach_repeat", line="milk") == 1


def test_the_facts_rebuild_adds_them_up_once_for_the_project(world):
    from kallpanchis.dashboard.models import Fact
    from kallpanchis.dashboard.services import facts_refresh

    facts_refresh()

    def whole(measure, gender=ALL):
        fact = Fact.objects.get(
            measure=measure, year=2026, province=ALL, district=ALL, line=ALL, gender=gender
        )
        return fact.value

    assert whole("reach_people") == 3
    assert whole("reach_people", "female") == 2
    assert whole("reach_families") == 1
    assert whole("attendance") == 9
    share = registry.FORMULAS["reach_women_share"].value(
        whole("reach_people", "female"), whole("reach_people")
    )
    assert share.quantize(Decimal("0.01")) == Decimal("66.67")
    assert (
        Fact.objects.get(
            measure="reach_people", year=2026, province="0803", district=ALL, line=ALL, gender=ALL
        ).value
        == 3
    )


def test_the_dashboard_answers_on_its_first_screen(world, client, coordinator, technician_chumbivilcas):
    """How many people, women and families were reached in the year: the headline above the figures."""
    import re

    from django.urls import reverse

    from kallpanchis.dashboard.services import facts_refresh

    facts_refresh()
    client.force_login(coordinator)
    page = client.get(reverse("dashboard:dashboard"), {"year_to": 2026}).content.decode()
    found = dict(re.findall(r'data-reach="(\w+)">([^<]*)<', page))
    assert found == {"people": "3", "women": "2", "families": "1", "women_share": "67 %"}
    assert "Reached in 2026" in page or "Alcanzadas en 2026" in page or "2026" in page
    # A technician of Chumbivilcas sees the figures of their territory: nobody reached there.
    client.force_login(technician_chumbivilcas)
    page = client.get(reverse("dashboard:dashboard"), {"year_to": 2026}).content.decode()
    assert dict(re.findall(r'data-reach="(\w+)">([^<]*)<', page))["people"] == "—"


def test_a_row_added_within_the_same_transaction_is_counted_at_once(world):
    """The participations are gathered once per transaction (a temporary table on PostgreSQL), and again as
    soon as a table they come from is written: two rebuilds in one transaction never read old rows."""
    assert _total("reach_people") == 3
    newcomer = register(given_names="Santusa", first_surname="Puma", birth_year=1990, district_ubigeo=ANTA)
    meeting = Attendance.objects.filter(person=world["rosa"]).first().meeting
    Attendance.objects.create(meeting=meeting, name="Santusa Puma", gender="female", person=newcomer)
    assert _total("reach_people") == 4
    assert _total("reach_people", gender="female") == 3
