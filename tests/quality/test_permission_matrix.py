"""The permission matrix (issue 9): every URL of the project, for anonymous and each demo role, against an
object in Anta and one in Chumbivilcas, by GET and by POST, answers what the rules below say.

- A URL name without a rule in RULES fails the test: a new view must declare who may use it.
- A refused POST (302 to sign-in, 403, 404, 405) changes nothing: the test compares the rows inserted,
  updated and deleted in the whole database (PostgreSQL's pg_stat_xact_user_tables) before and after.
- An allowed POST (empty form) is rolled back after the answer is checked, so it never leaks.

The demo data (`seed_demo`) is made once for the module inside a transaction that is rolled back at the end.
Set MATRIX_OBSERVE=/tmp/file to write the answers seen instead of checking them (to review a new view).
"""

import os
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import with_mfa
from tests.quality.matrix_objects import OBJECTS

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ROLES = {
    "anon": None,
    "coord": "coordinadora@demo.kallpanchis.pe",
    "partner": "socio@demo.kallpanchis.pe",
    "admin_anta": "admin.anta@demo.kallpanchis.pe",
    "tec_anta": "tecnico.anta@demo.kallpanchis.pe",
    "tec_chumbi": "tecnica.chumbivilcas@demo.kallpanchis.pe",
    "budget_anta": "presupuesto.anta@demo.kallpanchis.pe",
    "leader": "lider@demo.kallpanchis.pe",
    "viewer": "visor@demo.kallpanchis.pe",
}
SIGNED_IN = frozenset(ROLES) - {"anon"}
CONSORTIUM = frozenset({"coord", "partner", "viewer"})
ANTA = frozenset({"admin_anta", "tec_anta", "budget_anta"})
MUNICIPAL = ANTA | {"tec_chumbi"}
EXCLUDED_PREFIXES = ("accounts/", "admin/", "i18n/", "static/", "media/")

PUBLIC = "public"
OK = "ok"  # an allowed POST: any answer but a refusal or an error (200 with errors, 302 onwards)
LOGIN = "login"  # 302 to the sign-in page


@dataclass(frozen=True)
class Rule:
    """Who may read (GET) and write (POST) a URL.

    read / write: PUBLIC, or the set of roles allowed (anonymous is always sent to sign in otherwise).
    write=None: the same as read; write=() for a read-only URL (a POST is answered like a GET).
    denied: the answer to a signed-in role outside the set (403, or 404 where the app hides the page).
    scoped: an object outside the role's scope answers 404.
    leader: the sides ("anta") whose objects are in the leader's scope (their association's).
    overrides: {(role, side, method): answer} for the documented exceptions.
    xfail: {(role, side, method): reason} for answers that contradict the app's documented rule.
    """

    read: object = SIGNED_IN
    write: object = None
    denied: int = 403
    scoped: bool = True
    leader: tuple = ()
    overrides: dict = field(default_factory=dict)
    xfail: dict = field(default_factory=dict)


def r(read=SIGNED_IN, write=None, **kwargs):
    return Rule(read=frozenset(read) if read is not PUBLIC else PUBLIC, write=write, **kwargs)


def _in_scope(role, side, rule):
    if side is None or not rule.scoped or role in CONSORTIUM:
        return True
    if role == "leader":
        return side in rule.leader
    if role == "tec_chumbi":
        return side == "chumbi"
    return side == "anta"


def expected(rule, role, side, method):
    key = (role, side, method)
    if key in rule.overrides:
        return rule.overrides[key]
    allowed = rule.read
    if method == "POST":
        if rule.write == ():
            method, allowed = "GET", rule.read
        elif rule.write is not None:
            allowed = rule.write if rule.write is PUBLIC else frozenset(rule.write)
    if allowed is PUBLIC:
        return 200 if method == "GET" else OK
    if role == "anon":
        return LOGIN
    if role not in allowed:
        return rule.denied
    if not _in_scope(role, side, rule):
        return 404
    return 200 if method == "GET" else OK


# --- the rules, keyed by URL name -------------------------------------------------------------------------
# Read from docs/<app>.md; "—" in a doc's table is a refusal.

RULES: dict[str, Rule] = {}


# --- walking the URLs -------------------------------------------------------------------------------------


def _walk(resolver, prefix="", namespace=None):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern).lstrip("^")
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, route, pattern


def project_urls():
    found = {}
    for name, route, pattern in _walk(get_resolver()):
        if route.startswith(EXCLUDED_PREFIXES) or not name:
            continue
        found[name] = (route, sorted(pattern.pattern.regex.groupindex))
    return found


URLS = project_urls()


# --- the demo, once for the module ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
            from kallpanchis.accounts.models import User

            for email in ROLES.values():
                if email:
                    with_mfa(User.objects.get(email=email))
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


IGNORED_TABLES = ("django_session", "account_", "mfa_", "django_celery", "usersessions_")


def writes() -> int:
    """Rows inserted, updated or deleted so far in this transaction, outside session bookkeeping."""
    with connection.cursor() as cursor:
        cursor.execute(
            "select relname, n_tup_ins + n_tup_upd + n_tup_del from pg_stat_xact_user_tables"
        )
        return {name: n for name, n in cursor.fetchall() if n and not name.startswith(IGNORED_TABLES)}


def _clients():
    from kallpanchis.accounts.models import User

    clients = {}
    for role, email in ROLES.items():
        client = Client()
        if email:
            client.force_login(User.objects.get(email=email))
        clients[role] = client
    return clients


def _answer(response):
    if response.status_code in (301, 302, 303) and "/accounts/login" in response.get("Location", ""):
        return LOGIN
    return response.status_code


def _matches(want, got, method):
    if want == OK:
        return got not in (LOGIN, 403, 404, 405) and got < 500
    return want == got


def test_every_url_has_a_rule():
    missing = sorted(set(URLS) - set(RULES))
    stale = sorted(set(RULES) - set(URLS))
    assert not missing, (
        "These URL names have no rule in tests/quality/test_permission_matrix.py RULES; declare who may "
        f"use them: {missing}"
    )
    assert not stale, f"Rules for URL names that no longer exist: {stale}"


def test_every_url_with_kwargs_has_objects():
    missing = sorted(name for name, (_route, kwargs) in URLS.items() if kwargs and name not in OBJECTS)
    assert not missing, f"No object resolver in tests/quality/matrix_objects.py for: {missing}"


@pytest.mark.parametrize("name", sorted(URLS))
def test_permission_matrix(name, demo):
    observe = os.environ.get("MATRIX_OBSERVE")
    rule = RULES.get(name)
    if rule is None and not observe:
        pytest.fail(f"URL name {name!r} has no rule in RULES: declare who may use it")
    route, kwarg_names = URLS[name]
    if kwarg_names:
        sides = {side: OBJECTS[name](side) for side in ("anta", "chumbi")}
        missing = [side for side, kwargs in sides.items() if kwargs is None]
        sides = {side: kwargs for side, kwargs in sides.items() if kwargs is not None}
        if not sides:
            pytest.skip(f"the demo has no object for {name}")
    else:
        sides, missing = {None: {}}, []
    clients = _clients()
    wrong, seen = [], []
    for side, kwargs in sides.items():
        url = reverse(name, kwargs=kwargs)
        for role, client in clients.items():
            for method in ("GET", "POST"):
                before = writes()
                sid = transaction.savepoint()
                response = client.get(url) if method == "GET" else client.post(url, {})
                got = _answer(response)
                after = writes()
                transaction.savepoint_rollback(sid)
                seen.append((role, side, method, got))
                if observe:
                    continue
                want = expected(rule, role, side, method)
                reason = rule.xfail.get((role, side, method))
                ok = _matches(want, got, method)
                if reason and not ok:
                    continue
                if reason and ok:
                    wrong.append(f"{method} {url} as {role}: fixed ({got}); drop the xfail '{reason}'")
                elif not ok:
                    wrong.append(f"{method} {url} as {role} ({side}): expected {want}, got {got}")
                refused = got in (LOGIN, 403, 404, 405) or (
                    isinstance(want, int) and want != 200 and method == "POST"
                )
                if method == "POST" and refused and after != before:
                    changed = {t: after.get(t, 0) - before.get(t, 0) for t in after if after[t] != before.get(t)}
                    wrong.append(f"POST {url} as {role} was refused ({got}) but wrote rows: {changed}")
    if observe:
        with open(observe, "a") as out:
            out.write(f"{name}\t{route}\tmissing={missing}\t{seen}\n")
        return
    xfails = [k for k in rule.xfail if (k[0], k[1], k[2]) in {(s[0], s[1], s[2]) for s in seen}]
    assert not wrong, "\n".join(wrong)
    if xfails:
        pytest.xfail("; ".join(f"{k}: {rule.xfail[k]}" for k in xfails))
