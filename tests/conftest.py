"""Shared fixtures. Tests run on real PostgreSQL and Redis; when either is missing (a laptop, not CI),
tests marked `postgres` / `redis` are skipped with the reason, and the rest runs on SQLite."""

import os
import socket

import pytest

from tests.accounts.factories import person_with_role
from tests.local_services import (  # noqa: F401  (fixtures, registered once for every folder)
    broker,
    celery_workers,
    private_redis,
    smtp_server,
    tasks_in_process,
)
from tests.municipalities.factories import partner_municipalities


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


CHROMIUM = "/usr/bin/chromium"
# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls there unless told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HAVE_POSTGRES = not os.environ.get("KALLPANCHIS_NO_POSTGRES") and _reachable("127.0.0.1", 5432)
HAVE_REDIS = not os.environ.get("KALLPANCHIS_NO_REDIS") and _reachable("127.0.0.1", 6379)


def pytest_collection_modifyitems(config, items):
    for item in items:
        # Without PostgreSQL the database tests run on SQLite; only those marked `postgres` need the real one.
        if "postgres" in item.keywords and not HAVE_POSTGRES:
            item.add_marker(pytest.mark.skip(reason="PostgreSQL is not reachable on 127.0.0.1:5432"))
        if "redis" in item.keywords and not HAVE_REDIS:
            item.add_marker(pytest.mark.skip(reason="Redis is not reachable on 127.0.0.1:6379"))
        if "browser" in item.keywords and not os.path.exists(CHROMIUM):
            item.add_marker(
                pytest.mark.skip(reason=f"{CHROMIUM} is missing: `make test` installs it with apt")
            )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
        ],
    }


# Browser contexts of the screens the platform is used on: a cheap Android phone in the field, an office
# laptop at the municipality or the consortium.
SCREENS = {
    "phone": {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1366, "height": 768}},
}


@pytest.fixture
def phone(browser):
    """A cheap Android phone's screen (375×667). Use with live_server and django_db(transaction=True)."""
    context = browser.new_context(**SCREENS["phone"])
    yield context.new_page()
    context.close()


@pytest.fixture(params=list(SCREENS))
def screen_kind(request):
    """The journeys run once per screen in SCREENS; the test id says which ("[phone]", "[desktop]")."""
    return request.param


@pytest.fixture
def screen(browser, screen_kind):
    """A page at the size of `screen_kind`: what the journeys use instead of `phone`."""
    context = browser.new_context(**SCREENS[screen_kind])
    yield context.new_page()
    context.close()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache: each test starts with none (the values the process keeps
    beside it go with it); and with no page kept by the process (kallpanchis/core/shell.py), so that its
    first request of a page renders it."""
    from django.core.cache import cache

    from kallpanchis.core import caching, shell

    cache.clear()
    caching.forget_seen()  # the demo's per-process cache (no Redis) keeps nothing beside it
    shell.forget()
    yield


@pytest.fixture(autouse=True)
def _spanish_after():
    """A request activates its language in the test's thread and nothing puts it back: a page asked for in
    Quechua would leave the next test's texts (its reminders, its home items) in Quechua."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture
def territory(db):
    from municipalities.services import territory_load

    territory_load()


@pytest.fixture
def municipalities(territory):
    """The five partner municipalities by short name (anta, chumbivilcas, colquemarca, ...)."""
    return partner_municipalities()


@pytest.fixture
def technician_anta(municipalities):
    return person_with_role("technician", municipalities["anta"].organisation, email="tec.anta@example.pe")


@pytest.fixture
def technician_chumbivilcas(municipalities):
    return person_with_role(
        "technician", municipalities["chumbivilcas"].organisation, email="tec.chumbi@example.pe"
    )


@pytest.fixture
def coordinator(db):
    from kallpanchis.organisations.models import Organisation
    from kallpanchis.organisations.services import organisation_ensure

    avsf = organisation_ensure(
        name="AVSF", kind=Organisation.Kind.NGO, consortium_role=Organisation.ConsortiumRole.COORDINATION
    )
    return with_mfa(person_with_role("coordinator", avsf, email="coord@example.pe"))


def with_mfa(user):
    """Coordinators and staff are sent to set up MFA first; tests that are not about that give them a TOTP."""
    from allauth.mfa.models import Authenticator

    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
    )
    return user
