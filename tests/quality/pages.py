"""Every page of the permission matrix, each with one demo role that may read it: what the layout test
(tests/quality/test_layout.py) and the untranslated-text test (tests/i18n/test_no_english.py) visit.

A URL's role is the first of PREFERENCE whose GET the matrix's rules answer with 200, on the Anta object
when the URL takes one; only the answers that are HTML pages are kept (no PDF, CSV, JSON, iCal…). Needs the
demo (seed_demo) in the database.
"""

from django.test import Client
from django.urls import reverse

from tests.quality.matrix_objects import OBJECTS
from tests.quality.test_permission_matrix import ROLES, RULES, URLS, expected

# Field roles first (the people the pages are hardest for: phones, Quechua), then the office roles.
PREFERENCE = [
    "leader",
    "tec_anta",
    "budget_anta",
    "admin_anta",
    "coord",
    "partner",
    "viewer",
    "tec_chumbi",
    "anon",
]


def candidates() -> list[tuple[str, str, str]]:
    """(URL name, role, URL) for every URL name some role may read."""
    found = []
    for name in sorted(URLS):
        rule = RULES.get(name)
        if rule is None or rule.heavy:  # PDFs and big exports: no page to lay out or read
            continue
        _route, kwarg_names = URLS[name]
        side = "anta" if kwarg_names else None
        kwargs = OBJECTS[name](side) if kwarg_names else {}
        if kwargs is None:
            continue
        role = next((r for r in PREFERENCE if expected(rule, r, side, "GET") == 200), None)
        if role is not None:
            found.append((name, role, reverse(name, kwargs=kwargs)))
    return found


def signed_in_clients() -> dict[str, Client]:
    from kallpanchis.accounts.models import User
    from tests.conftest import with_mfa

    clients = {}
    for role, email in ROLES.items():
        client = Client()
        if email:
            client.force_login(with_mfa(User.objects.get(email=email)))
        clients[role] = client
    return clients


def html_pages(clients: dict[str, Client] | None = None) -> list[tuple[str, str, str]]:
    """The candidates whose answer is a 200 HTML page for their role."""
    clients = clients or signed_in_clients()
    pages = []
    for name, role, url in candidates():
        response = clients[role].get(url)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            pages.append((name, role, url))
    return pages
