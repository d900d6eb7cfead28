"""The top menu: "Inicio" and at most five grouped entries for every role, each a dropdown of its pages
(without JavaScript an entry opens its first page); refused forms open on a summary of their errors; file
inputs say what they accept."""

import re

import pytest
from django.urls import reverse

from kallpanchis.accounts.navigation import SECTIONS
from tests.accounts.factories import person_with_role
from tests.conftest import with_mfa
from tests.producers.factories import association_in, leader_of
from tests.spaces.factories import anta_space, held

pytestmark = pytest.mark.django_db

TOP = re.compile(r'<ul class="navbar-nav ms-lg-auto">(.*?)</ul>\s*</div>\s*</div>\s*</nav>', re.S)


def top_entries(html: str) -> list[str]:
    """The labels of the menu's top-level entries, in order."""
    menu = TOP.search(html).group(1)
    # Top-level entries are the <li class="nav-item…"> children; their first link holds the label.
    return re.findall(r'<li class="nav-item[^"]*">\s*<a [^>]*>([^<]+)</a>', menu)


@pytest.fixture
def people(municipalities, coordinator):
    association = association_in("080308", name="Asociación Virgen de Natividad")
    anta = municipalities["anta"].organisation
    return {
        "coordinator": coordinator,
        "partner": with_mfa(
            person_with_role("partner_staff", coordinator.role_assignments.get().organisation)
        ),
        "admin": person_with_role("municipal_admin", anta),
        "technician": person_with_role("technician", anta),
        "budget": person_with_role("technical_team", anta),
        "leader": leader_of(association),
        "viewer": person_with_role("viewer"),
    }


@pytest.mark.parametrize(
    "role", ["coordinator", "partner", "admin", "technician", "budget", "leader", "viewer"]
)
def test_every_role_gets_at_most_six_menu_entries(client, people, role):
    client.force_login(people[role])
    html = client.get(reverse("home")).content.decode()
    entries = top_entries(html)
    assert entries[0] == "Inicio"
    assert 2 <= len(entries) <= 6, entries
    assert entries[-1] == "Mi cuenta"
    allowed = {"Inicio", "Espacios", "Asociaciones", "Presupuesto", "Seguimiento", "Mi cuenta"}
    assert set(entries) <= allowed, entries
    assert len(SECTIONS) == 5


def test_a_dropdown_opens_its_first_page_without_javascript(client, people):
    client.force_login(people["technician"])
    html = client.get(reverse("home")).content.decode()
    toggle = re.search(r'<a class="nav-link dropdown-toggle[^"]*" href="([^"]+)" id="menu-spaces"', html)
    assert toggle and toggle.group(1) == reverse("spaces:space_list")
    assert 'data-bs-toggle="dropdown"' in html
    # Signing out is in the account menu, and on the account pages for those without JavaScript.
    assert re.search(r'id="menu-account".*?Cerrar sesión', html, re.S)
    page = client.get(reverse("account_email")).content.decode()
    assert page.count("Cerrar sesión") == 2


def test_the_current_page_is_marked_in_the_menu(client, people):
    client.force_login(people["technician"])
    html = client.get(reverse("spaces:meeting_list")).content.decode()
    assert re.search(r'class="dropdown-item active" href="/spaces/meetings/" aria-current="page"', html)
    assert 'class="nav-link dropdown-toggle active" href="/spaces/"' in html


SIGN_OUT = re.compile(r'class="js-signout"><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"')


def test_the_kept_menu_carries_each_requests_own_token(people):
    """The menu is rendered once per access, language and current entry; the sign-out form in it still
    holds the token of the request that shows it, and signing out with it works."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people["technician"])
    first = client.get(reverse("home")).content.decode()
    client.cookies.pop("csrftoken", None)  # a new browser session: a new secret, so a new token
    second = client.get(reverse("home")).content.decode()
    tokens = [SIGN_OUT.search(page).group(1) for page in (first, second)]
    assert tokens[0] != tokens[1]
    pages = zip((first, second), tokens, strict=True)
    menus = [TOP.search(page).group(1).replace(token, "") for page, token in pages]
    assert menus[0] == menus[1]
    response = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_role_granted_shows_in_the_menu_at_once(client, people, municipalities):
    from kallpanchis.accounts.services import role_grant

    viewer = people["viewer"]
    client.force_login(viewer)
    accounts = f'href="{reverse("accounts:person_list")}"'
    assert accounts not in client.get(reverse("municipalities:municipality_list")).content.decode()
    role_grant(by=None, user=viewer, role="municipal_admin", organisation=municipalities["anta"].organisation)
    html = client.get(reverse("municipalities:municipality_list")).content.decode()
    assert accounts in html
    # The current entry moves with the page, for the same person.
    current = 'class="dropdown-item active" href="/municipalities/"'
    assert current in html
    assert current not in client.get(reverse("home")).content.decode()


def test_the_footer_keeps_the_address_of_each_page(client, people):
    client.force_login(people["technician"])
    html = client.get(reverse("spaces:meeting_list") + '?q="<x>&page=2').content.decode()
    assert 'name="next" value="/spaces/meetings/?q=%22%3Cx%3E&amp;page=2"' in html or (
        'name="next" value="/spaces/meetings/?q=&quot;&lt;x&gt;&amp;page=2"' in html
    )
    assert 'name="next" value="/"' in client.get(reverse("home")).content.decode()


def test_a_refused_form_opens_on_a_summary_linked_to_its_fields(client, people, municipalities):
    client.force_login(people["technician"])
    space = anta_space(municipalities["anta"])
    response = client.post(reverse("spaces:meeting_schedule", args=[space.pk]), {"title": ""})
    html = response.content.decode()
    summary = re.search(
        r'<div class="alert alert-danger form-error-summary"[^>]*data-error-summary>(.*?)</div>', html, re.S
    )
    assert summary, html
    assert 'href="#id_title"' in summary.group(1)
    assert 'id="id_title"' in html
    assert "js/forms.js" in html


def test_a_crispy_form_opens_on_the_summary_too(client, people):
    association = association_in("080308", name="Asociación Sumaq")
    client.force_login(leader_of(association))
    response = client.post(reverse("producers:production_create", args=[association.pk]), {"month": "x"})
    html = response.content.decode()
    assert "data-error-summary" in html
    assert 'href="#id_month"' in html


def test_document_inputs_say_what_they_accept(client, people, municipalities):
    space = anta_space(municipalities["anta"])
    meeting = held(space, agreements=["Tanque de frío"])
    client.force_login(people["technician"])
    html = client.get(reverse("spaces:agreement_detail", args=[meeting.agreements.get().pk])).content.decode()
    file_input = re.search(r'<input type="file"[^>]*>', html).group(0)
    assert 'accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"' in file_input
    assert f'data-max-bytes="{8 * 1024 * 1024}"' in file_input
    assert "data-too-big=" in file_input and "data-wrong-type=" in file_input
