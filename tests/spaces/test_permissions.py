"""Scope: technicians of the convening municipality manage; representatives of member organisations read;
coordinators read all; everyone else gets 404. Refused writes change nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from spaces.models import Agreement, ConcertationSpace, Meeting
from spaces.services import agreement_status_change, space_create
from tests.accounts.factories import person_with_role

from .factories import anta_space, held, lima, producer_org, scheduled

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(municipalities):
    return anta_space(municipalities["anta"])


@pytest.fixture
def meeting(space):
    return held(space, when=lima(2026, 3, 10), agreements=["Tanque de frío"])


def read_urls(space, meeting):
    agreement = meeting.agreements.get()
    evidence = SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n....")
    agreement_status_change(agreement=agreement, by=None, to_status="in_progress", evidence=evidence)
    change = agreement.history.get()
    return [
        reverse("spaces:space_detail", args=[space.pk]),
        reverse("spaces:meeting_detail", args=[meeting.pk]),
        reverse("spaces:attendance_sheet", args=[meeting.pk]),
        reverse("spaces:meeting_acta", args=[meeting.pk]),
        reverse("spaces:agreement_detail", args=[agreement.pk]),
        reverse("spaces:agreement_evidence", args=[change.pk]),
    ]


def manage_urls(space, meeting):
    row = meeting.attendance.first()
    member = space.members.exclude(role="convener").get()
    return [
        reverse("spaces:space_edit", args=[space.pk]),
        reverse("spaces:space_member_add", args=[space.pk]),
        reverse("spaces:space_member_remove", args=[member.pk]),
        reverse("spaces:meeting_schedule", args=[space.pk]),
        reverse("spaces:meeting_log", args=[meeting.pk]),
        reverse("spaces:attendance_remove", args=[row.pk]),
    ]


def test_another_province_s_technician_gets_404_everywhere(client, space, meeting, technician_chumbivilcas):
    client.force_login(technician_chumbivilcas)
    for url in read_urls(space, meeting) + manage_urls(space, meeting):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("spaces:space_list")).context["spaces"].count() == 0
    assert list(client.get(reverse("spaces:agreement_list")).context["agreements"]) == []
    assert list(client.get(reverse("spaces:meeting_list")).context["meetings"]) == []


def test_refused_writes_change_nothing(client, space, meeting, technician_chumbivilcas):
    client.force_login(technician_chumbivilcas)
    agreement = meeting.agreements.get()
    before = (meeting.attendance.count(), Meeting.objects.count(), space.members.count())
    assert (
        client.post(
            reverse("spaces:agreement_detail", args=[agreement.pk]), {"to_status": "done"}
        ).status_code
        == 404
    )
    assert client.post(reverse("spaces:meeting_log", args=[meeting.pk]), {"minutes": "x"}).status_code == 404
    post = {"title": "X", "date": "2026-05-01", "start_time": "09:00", "end_time": "10:00", "place": "X"}
    assert client.post(reverse("spaces:meeting_schedule", args=[space.pk]), post).status_code == 404
    member = space.members.exclude(role="convener").get()
    assert client.post(reverse("spaces:space_member_remove", args=[member.pk])).status_code == 404
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.PENDING and agreement.history.count() == 0
    assert (meeting.attendance.count(), Meeting.objects.count(), space.members.count()) == before


def test_representative_of_a_member_organisation_reads_but_does_not_manage(client, space, meeting):
    leader = person_with_role("leader", producer_org())
    client.force_login(leader)
    for url in read_urls(space, meeting):
        assert client.get(url).status_code == 200, url
    for url in manage_urls(space, meeting):
        assert client.get(url).status_code == 404, url
    agreement = meeting.agreements.get()
    assert (
        client.post(
            reverse("spaces:agreement_detail", args=[agreement.pk]), {"to_status": "done"}
        ).status_code
        == 404
    )
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.IN_PROGRESS


def test_representative_sees_their_own_agreements_with_mine(client, space, meeting):
    org = producer_org()
    Agreement.objects.create(
        meeting=meeting, what="Del productor", responsible_organisation=org, due_date=lima(2026, 4, 1).date()
    )
    client.force_login(person_with_role("leader", org))
    response = client.get(reverse("spaces:agreement_list"), {"mine": "on"})
    assert [a.what for a in response.context["agreements"]] == ["Del productor"]


def test_leader_of_an_organisation_outside_the_space_gets_404(client, space, meeting):
    client.force_login(person_with_role("leader", producer_org("Asociación Sumaq Llaqta")))
    for url in read_urls(space, meeting):
        assert client.get(url).status_code == 404, url


def test_coordinator_reads_all_and_manages_nothing(client, space, meeting, coordinator):
    client.force_login(coordinator)
    for url in read_urls(space, meeting):
        assert client.get(url).status_code == 200, url
    for url in manage_urls(space, meeting):
        assert client.get(url).status_code == 404, url


def test_provincial_technician_manages_district_spaces_but_not_the_reverse(
    client, municipalities, technician_anta
):
    pucyura_space = space_create(
        by=None,
        name="Mesa de Pucyura",
        level="district",
        kind="development",
        municipality=municipalities["pucyura"],
    )
    anta = anta_space(municipalities["anta"])
    assert ConcertationSpace.objects.editable_by(technician_anta).filter(pk=pucyura_space.pk).exists()
    pucyura_tech = person_with_role("technician", municipalities["pucyura"].organisation)
    assert set(ConcertationSpace.objects.visible_to(pucyura_tech)) == {pucyura_space}
    client.force_login(pucyura_tech)
    assert client.get(reverse("spaces:meeting_schedule", args=[anta.pk])).status_code == 404
    assert client.get(reverse("spaces:meeting_schedule", args=[pucyura_space.pk])).status_code == 200


def test_budget_team_reads_their_municipality_s_spaces_but_does_not_manage(
    client, space, meeting, municipalities
):
    budget = person_with_role("technical_team", municipalities["anta"].organisation)
    client.force_login(budget)
    assert client.get(reverse("spaces:meeting_detail", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("spaces:meeting_log", args=[meeting.pk])).status_code == 404


def test_association_convened_space_is_managed_by_member_municipalities(
    municipalities, technician_anta, technician_chumbivilcas
):
    from municipalities.models import MunicipalAssociation

    hatun_mayu = MunicipalAssociation.objects.create(name="Mancomunidad Hatun Mayu")
    hatun_mayu.members.add(municipalities["pucyura"], municipalities["chinchaypujio"])
    space = space_create(
        by=technician_anta,
        name="Espacio intermunicipal",
        level="intermunicipal",
        kind="development",
        association=hatun_mayu,
    )
    assert ConcertationSpace.objects.editable_by(technician_anta).filter(pk=space.pk).exists()
    assert not ConcertationSpace.objects.visible_to(technician_chumbivilcas).filter(pk=space.pk).exists()


def test_anonymous_is_sent_to_sign_in_and_private_pages_stay_private(client, space, meeting):
    response = client.get(reverse("spaces:meeting_detail", args=[meeting.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("spaces:public_space", args=[space.pk])).status_code == 404


def test_calendar_feed_shows_only_the_owner_s_scope(client, space, municipalities, technician_chumbivilcas):
    import icalendar

    from spaces.services import calendar_token_regenerate

    scheduled(space, when=lima(2099, 1, 10))
    token = calendar_token_regenerate(user=technician_chumbivilcas).token
    calendar = icalendar.Calendar.from_ical(client.get(reverse("spaces:calendar_feed", args=[token])).content)
    assert list(calendar.walk("VEVENT")) == []
