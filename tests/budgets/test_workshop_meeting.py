"""A budget workshop held as a meeting of a concertation space takes its attendance and acta from it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from budgets import services
from budgets.models import Workshop
from kallpanchis.accounts.models import Role
from tests.accounts.factories import person_with_role
from tests.budgets.factories import cycle_for
from tests.spaces.factories import anta_space, held, lima, scheduled

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(municipalities):
    return person_with_role(Role.TECHNICAL_TEAM, municipalities["anta"].organisation)


def test_a_workshop_held_as_a_logged_meeting_takes_its_date_place_and_attendance(municipalities, team):
    cycle = cycle_for(municipalities["anta"], fiscal_year=2027)
    meeting = held(anta_space(municipalities["anta"]), when=lima(2026, 3, 12), women=5, men=3)
    workshop = services.workshop_record(
        by=team, cycle=cycle, kind=Workshop.Kind.DIAGNOSIS, held_on=None, place="", meeting=meeting
    )
    workshop.refresh_from_db()
    assert (workshop.meeting, workshop.held_on, workshop.place) == (
        meeting,
        datetime.date(2026, 3, 12),
        "Local comunal de Izcuchaca",
    )
    assert (workshop.women, workshop.men) == (5, 3)


def test_a_meeting_of_another_municipality_or_not_yet_logged_is_refused(municipalities, team):
    cycle = cycle_for(municipalities["anta"], fiscal_year=2027)
    other = held(anta_space(municipalities["chumbivilcas"], name="Espacio de Chumbivilcas"))
    planned = scheduled(anta_space(municipalities["anta"]))
    for meeting in (other, planned):
        with pytest.raises(ValidationError) as error:
            services.workshop_record(
                by=team, cycle=cycle, kind=Workshop.Kind.DIAGNOSIS, held_on=None, place="", meeting=meeting
            )
        assert "meeting" in error.value.message_dict
    assert not Workshop.objects.exists()


def test_the_form_offers_only_logged_meetings_of_the_municipality_and_links_them(
    client, municipalities, team
):
    cycle = cycle_for(municipalities["anta"], fiscal_year=2027)
    mine = held(anta_space(municipalities["anta"]), when=lima(2026, 4, 2), women=2, men=2)
    held(anta_space(municipalities["chumbivilcas"], name="Espacio de Chumbivilcas"))
    client.force_login(team)
    url = reverse("budgets:workshop_list", args=[cycle.pk])
    page = client.get(url)
    assert list(page.context["form"].fields["meeting"].queryset) == [mine]
    response = client.post(url, {"kind": Workshop.Kind.PRIORITISATION, "meeting": mine.pk})
    assert response.status_code == 302
    listing = client.get(url).content.decode()
    assert reverse("spaces:meeting_acta", args=[mine.pk]) in listing
    assert "4 asistentes (2 mujeres, 2 hombres)" in listing
    empty = client.post(url, {"kind": Workshop.Kind.PRIORITISATION})
    assert empty.status_code == 200 and empty.context["form"].errors["held_on"]
    assert Workshop.objects.count() == 1
