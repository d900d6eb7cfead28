"""The page around a list's kept block, kept by each process (kallpanchis/core/shell.py): the same HTML as the
page rendered whole, for each person's access; each request's own CSRF token, which the site accepts; and a
message to show once is shown."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.shortcuts import render
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.safestring import mark_safe

from kallpanchis.core import shell
from tests.accounts.factories import person_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BLOCK = '<table id="the-block"><tr><td>Reunión del CDE</td></tr></table>'


def a_request(user, path="/spaces/meetings/?status=held"):
    request = RequestFactory().get(path, HTTP_ACCEPT_LANGUAGE="es")
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    request.user = user
    return request


def without_tokens(html: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value="…"', html)


@pytest.fixture
def people(municipalities):
    organisation = municipalities["anta"].organisation
    return [
        person_with_role("technician", organisation, email="tec.shell@example.pe"),
        person_with_role("viewer", organisation, email="viewer.shell@example.pe"),
    ]


def test_a_kept_page_is_the_page_rendered_whole_for_each_access(people):
    pages = []
    for user in people:
        whole = render(a_request(user), "spaces/meeting_list.html", {"list_block": mark_safe(BLOCK)})  # noqa: S308
        first = shell.page(a_request(user), "spaces/meeting_list.html", {"list_block": BLOCK})
        kept = shell.page(a_request(user), "spaces/meeting_list.html", {"list_block": BLOCK})
        assert without_tokens(first.content.decode()) == without_tokens(whole.content.decode())
        assert without_tokens(kept.content.decode()) == without_tokens(first.content.decode())
        assert BLOCK in kept.content.decode()
        assert "kallpanchis-page-block" not in kept.content.decode()
        pages.append(without_tokens(kept.content.decode()))
    assert len(shell._shells) == 2  # one page around the block for each access
    assert pages[0] != pages[1]  # the technician's menu is not the viewer's


def test_each_request_writes_its_own_token_and_the_site_accepts_it(people, client):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people[0])
    url = reverse("spaces:meeting_list")
    tokens = []
    for _ in range(2):  # rendered, then kept
        response = client.get(url)
        assert response.status_code == 200
        found = set(TOKEN.findall(response.content.decode()))
        assert len(found) >= 1 and "kallpanchisCsrfTokenOfThisRequest" not in response.content.decode()
        tokens.append(found.pop())
    assert tokens[0] != tokens[1]  # masked anew for each request, like Django's own
    answer = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": tokens[1]})
    assert answer.status_code == 302  # signed out: the kept page's token was this session's


def test_a_message_is_shown_on_the_page_rendered_whole(people):
    shell.page(a_request(people[0]), "spaces/meeting_list.html", {"list_block": BLOCK})  # kept
    request = a_request(people[0])
    messages.success(request, "La reunión quedó registrada.")
    html = shell.page(request, "spaces/meeting_list.html", {"list_block": BLOCK}).content.decode()
    assert "La reunión quedó registrada." in html and BLOCK in html


def test_a_template_that_does_not_write_its_block_once_is_refused(people):
    with pytest.raises(ValueError, match="once"):
        shell.page(a_request(people[0]), "spaces/meeting_list.html", {"list_block": BLOCK, "other": "x"})
