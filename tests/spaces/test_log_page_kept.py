"""The meeting log as it opens is kept for everyone with the same access (spaces/views/meeting_log.py): each
request gets its own CSRF token in it, a write shows at once, and nobody outside the space's municipality
gets it."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import person_with_role
from tests.people.factories import register

from .factories import anta_space, lima, scheduled
from .test_views import log_post

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

CONTENT = "spaces/partials/meeting_log_content.html"


@pytest.fixture
def space(municipalities):
    cache.clear()
    return anta_space(municipalities["anta"])


def opened(client, url) -> tuple[str, bool, list[str]]:
    """The page, whether its content was rendered for this request, and its CSRF tokens."""
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    return (
        page,
        CONTENT in [t.name for t in response.templates],
        re.findall(r'csrfmiddlewaretoken" value="(\w+)"', page),
    )


def test_a_second_technician_gets_the_kept_page_with_her_own_token_and_can_save(space, technician_anta):
    meeting = scheduled(space, when=lima(2026, 3, 10))
    url = reverse("spaces:meeting_log", args=[meeting.pk])
    first = Client(enforce_csrf_checks=True)
    first.force_login(technician_anta)
    page, rendered, _tokens = opened(first, url)
    assert rendered and "kallpanchisCsrfTokenOfThisRequest" not in page
    colleague = person_with_role("technician", space.municipality.organisation, email="otra@example.pe")
    second = Client(enforce_csrf_checks=True)
    second.force_login(colleague)
    page, rendered, tokens = opened(second, url)
    assert not rendered and tokens and "kallpanchisCsrfTokenOfThisRequest" not in page
    row = {"name": "Rosa Huillca", "gender": "female", "organisation": "", "organisation_name": "Ccollana"}
    data = log_post([row], [], csrfmiddlewaretoken=tokens[-1])
    assert second.post(url, data).status_code == 302  # the token the kept page carried is hers
    assert meeting.attendance.count() == 1


def test_a_write_shows_at_once(space, technician_anta):
    meeting = scheduled(space, when=lima(2026, 3, 10))
    url = reverse("spaces:meeting_log", args=[meeting.pk])
    client = Client()
    client.force_login(technician_anta)
    opened(client, url)
    assert not opened(client, url)[1]  # kept
    member = space.members.get(role="member")
    member.representative_people.add(register(given_names="Justina", first_surname="Huillca"))
    page, rendered, _tokens = opened(client, url)
    assert rendered and "Justina Huillca" in page


def test_a_kept_page_is_not_shown_outside_its_access(space, technician_anta, technician_chumbivilcas):
    meeting = scheduled(space, when=lima(2026, 3, 10))
    url = reverse("spaces:meeting_log", args=[meeting.pk])
    anta = Client()
    anta.force_login(technician_anta)
    opened(anta, url)
    other = Client()
    other.force_login(technician_chumbivilcas)
    assert other.get(url).status_code == 404


def test_a_meeting_not_started_is_not_kept(space, technician_anta):
    later = timezone.now() + datetime.timedelta(days=3)
    meeting = scheduled(space, when=later)
    url = reverse("spaces:meeting_log", args=[meeting.pk])
    client = Client()
    client.force_login(technician_anta)
    for _ in range(2):
        response = client.get(url)
        assert response.context["not_started"] and CONTENT in [t.name for t in response.templates]
