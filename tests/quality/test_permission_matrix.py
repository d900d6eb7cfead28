"""The permission matrix: every URL of the project, for anonymous and each demo role, against an
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
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import with_mfa
from tests.demo_data import demo_for_the_module
from tests.quality.matrix_objects import OBJECTS, attach_documents

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
    post_only: bool = False  # GET answers 405 to whoever may otherwise use it
    anon: object = LOGIN  # what anonymous gets when the URL is not public (a JSON API says 401)
    heavy: bool = False  # PDFs and big exports: only the first allowed role of each side is fetched
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
        return rule.anon
    if rule.post_only and method == "GET":
        return 405  # refused before anything is looked up
    if role not in allowed:
        return rule.denied
    if not _in_scope(role, side, rule):
        return 404
    return 200 if method == "GET" else OK


# --- the rules, keyed by URL name -------------------------------------------------------------------------
# Read from docs/<app>.md; "—" in a doc's table is a refusal.

MUN_RUN = MUNICIPAL  # administrators, technicians and budget teams of a municipality
MANAGERS = frozenset({"admin_anta", "tec_anta", "tec_chumbi"})  # run spaces and meetings
READERS = CONSORTIUM | MUNICIPAL
LEADER_SIDE = ("anta",)  # the demo leader's association is in Anta
# "Association leaders and viewers read public profiles only" (docs/municipalities.md).
MUNICIPALITY_READERS = READERS - {"viewer"}


def same(names, rule):
    return dict.fromkeys(names, rule)


RULES: dict[str, Rule] = {
    # core
    "home": r(PUBLIC, write=()),
    "healthz": r(PUBLIC, write=()),
    "offline:shell": r(PUBLIC, write=()),
    "offline:sw": r(PUBLIC, write=()),
    "offline:manifest": r(PUBLIC, write=()),
    # people (accounts)
    "accounts:person_list": r({"coord", "admin_anta"}, write=()),
    "accounts:person_create": r({"coord", "admin_anta"}),
    # the register of people (docs/people.md, "Who sees whom"): registers are kept by coordinators and
    # municipal staff (their territory); leaders see their association's members (the Anta person is made
    # a member of the demo leader's association by matrix_objects); partner staff and viewers, who see
    # counts only, get 404 on every page
    **same(
        ["people:person_list", "people:person_search", "people:family_list"],
        r({"coord", "leader"} | MUNICIPAL, write=(), denied=404),
    ),
    **same(["people:person_create", "people:family_create"], r({"coord"} | MUNICIPAL, denied=404)),
    **same(
        ["people:person_detail", "people:person_export_csv", "people:consent_sheet"],
        r({"coord", "leader"} | MUNICIPAL, write=(), denied=404, leader=LEADER_SIDE),
    ),
    "people:person_export_pdf": r(
        {"coord", "leader"} | MUNICIPAL, write=(), denied=404, heavy=True, leader=LEADER_SIDE
    ),
    # a leader corrects their members' data and consents; merging and erasing are the registrars'
    **same(
        ["people:person_edit", "people:person_consent"],
        r({"coord", "leader"} | MUNICIPAL, denied=404, leader=LEADER_SIDE),
    ),
    **same(["people:person_erase", "people:person_merge"], r({"coord"} | MUNICIPAL, denied=404)),
    # a leader reads their member's family; the members of a family are set by registrars
    "people:family_detail": r(
        {"coord", "leader"} | MUNICIPAL, write={"coord"} | MUNICIPAL, denied=404, leader=LEADER_SIDE
    ),
    "people:merge_undo": r({"coord"} | MUNICIPAL, denied=404, post_only=True),
    # rows written before the register, to match (docs/people.md, "Bringing the past in"): registrars only
    "people:match_list": r({"coord"} | MUNICIPAL, write=(), denied=404),
    "people:match_decide": r({"coord"} | MUNICIPAL, denied=404, post_only=True),
    # municipalities (docs/municipalities.md, "Who sees what")
    **same(
        [
            "municipalities:municipality_list",
            "municipalities:map",
            "municipalities:boundaries_licence",
            "municipalities:agreement_list",
            "municipalities:technician_list",
            "municipalities:training_list",
            "municipalities:association_list",
            "municipalities:event_list",
        ],
        r(write=()),
    ),
    # a list's CSV / XLSX: whoever reads the list, each their own rows (fetched as XLSX)
    **same(
        [
            "municipalities:municipality_export",
            "municipalities:agreement_export",
            "municipalities:technician_export",
            "municipalities:training_export",
            "municipalities:association_export",
            "municipalities:event_export",
        ],
        r(write=(), scoped=False),
    ),
    "municipalities:municipality_public": r(write=(), scoped=False),
    "municipalities:boundaries": r(write=(), scoped=False),
    **same(
        [
            "municipalities:municipality_detail",
            "municipalities:agreement_detail",
            "municipalities:agreement_document",
            "municipalities:technician_detail",
            "municipalities:association_detail",
        ],
        r(MUNICIPALITY_READERS, write=(), denied=404),
    ),
    **same(
        ["municipalities:training_detail", "municipalities:event_detail"],
        r(MUNICIPALITY_READERS, write=(), denied=404, scoped=False),
    ),
    "municipalities:municipality_edit": r({"coord", "partner"} | MANAGERS, denied=404),
    **same(
        [
            "municipalities:agreement_create",
            "municipalities:training_create",
            "municipalities:event_create",
            "municipalities:association_create",
        ],
        r({"coord", "partner"}),
    ),
    "municipalities:technician_create": r({"coord", "partner"} | MANAGERS),
    "municipalities:technician_edit": r({"coord", "partner"} | MANAGERS, denied=404),
    **same(
        [
            "municipalities:agreement_edit",
            "municipalities:training_edit",
            "municipalities:attendance_add",
            "municipalities:attendance_remove",
            "municipalities:association_edit",
            "municipalities:action_add",
            "municipalities:action_remove",
            "municipalities:event_edit",
            "municipalities:participation_set",
            "municipalities:participation_remove",
        ],
        r({"coord", "partner"}, denied=404, scoped=False),
    ),
    # spaces (docs/spaces.md)
    **same(
        ["spaces:space_list", "spaces:meeting_list", "spaces:agreement_list", "spaces:calendar_settings"],
        r(write=()),
    ),
    **same(
        ["spaces:space_export", "spaces:meeting_export", "spaces:agreement_export"],
        r(write=(), scoped=False),
    ),
    "spaces:space_create": r(MANAGERS, denied=404),
    **same(
        [
            "spaces:space_detail",
            "spaces:meeting_detail",
            "spaces:signed_record",
            "spaces:agreement_evidence",
        ],
        r(write=(), leader=LEADER_SIDE, denied=404),
    ),
    **same(
        ["spaces:attendance_sheet", "spaces:meeting_acta"],
        r(write=(), leader=LEADER_SIDE, denied=404, heavy=True),
    ),
    # The leaders of the organisation that answers for an agreement follow it up as its managers do.
    "spaces:agreement_detail": r(write=MANAGERS | {"leader"}, leader=LEADER_SIDE, denied=404),
    **same(
        [
            "spaces:space_edit",
            "spaces:space_member_add",
            "spaces:space_member_remove",
            "spaces:meeting_schedule",
            "spaces:meeting_agenda",
            "spaces:meeting_postpone",
            "spaces:meeting_cancel",
            "spaces:meeting_log",
            "spaces:attendance_remove",
        ],
        r(MANAGERS, denied=404),
    ),
    # The log's duplicate check (JSON, GET only): its managers, a 404 for everyone else.
    "spaces:meeting_people_check": r(MANAGERS, write=(), denied=404),
    "spaces:thematic_group_list": r({"coord"} | MANAGERS, write={"coord"}, denied=404),
    **same(["spaces:calendar_regenerate", "spaces:calendar_revoke"], r(post_only=True)),
    **same(
        ["spaces:calendar_feed", "spaces:public_space", "spaces:public_space_calendar"],
        r(PUBLIC, write=()),
    ),
    "spaces_offline:meetings": r(write=(), anon=401),
    # The JSON body is read before the scope: an empty body is a 400 for everyone signed in (nothing written);
    # tests/spaces checks a well-formed body outside the scope gets 404.
    "spaces_offline:log": r(
        MANAGERS,
        anon=401,
        denied=400,
        post_only=True,
        overrides={
            ("anon", "anta", "GET"): 405,
            ("anon", "chumbi", "GET"): 405,
            ("tec_chumbi", "anta", "POST"): 400,
            ("admin_anta", "chumbi", "POST"): 400,
            ("tec_anta", "chumbi", "POST"): 400,
        },
    ),
    # producers (docs/producers.md)
    "producers:association_list": r(write=(), overrides={("leader", None, "GET"): 302}),
    "producers:association_create": r({"coord"}, denied=404),
    **same(
        [
            "producers:association_detail",
            "producers:plan_detail",
            "producers:plan_diff",
            "producers:production_list",
            "producers:member_export",
            "producers:production_export",
        ],
        r(write=(), leader=LEADER_SIDE, denied=404),
    ),
    "producers:plan_list": r(write=()),
    # the lists' CSV / XLSX: each reader's own rows (a leader's association list goes straight to the
    # association; its export does not)
    **same(["producers:association_export", "producers:plan_export"], r(write=(), scoped=False)),
    "producers:plan_pdf": r(write=(), leader=LEADER_SIDE, denied=404, heavy=True),
    **same(
        [
            "producers:association_update",
            "producers:member_create",
            "producers:member_update",
            "producers:member_delete",
            "producers:plan_start",
            "producers:plan_edit",
            "producers:plan_submit",
            "producers:plan_version_new",
            "producers:production_create",
            "producers:production_update",
            "producers:production_import",
        ],
        r({"coord", "leader"}, leader=LEADER_SIDE, denied=404),
    ),
    "producers:production_template": r({"coord", "leader"}, write=(), leader=LEADER_SIDE, denied=404),
    "producers:deadline_list": r({"coord"}, denied=404),
    "producers:plan_autosave": r({"coord", "leader"}, leader=LEADER_SIDE, denied=404, post_only=True),
    "producers:plan_return": r({"coord", "tec_anta", "tec_chumbi"}, denied=404),
    "producers:plan_validate": r({"coord"}, denied=404),
    "producers:plan_validate_municipality": r({"coord", "tec_anta", "tec_chumbi"}, denied=404),
    "producers:plan_assembly": r({"coord", "leader"}, leader=LEADER_SIDE, denied=404),
    "producers:plan_assembly_acta": r(write=(), leader=LEADER_SIDE, denied=404),
    # execution reports (docs/producers.md, "Plan execution")
    "producers:report_list": r(write=()),
    "producers:calendar_list": r({"coord"}, denied=404),
    **same(
        ["producers:report_detail", "producers:report_photo"],
        r(write=(), leader=LEADER_SIDE, denied=404),
    ),
    **same(
        ["producers:report_create", "producers:report_correct"],
        r({"coord", "leader"}, leader=LEADER_SIDE, denied=404),
    ),
    **same(
        ["producers:report_return", "producers:report_validate"],
        r({"coord", "tec_anta", "tec_chumbi"}, denied=404),
    ),
    # The scope is checked before the body: outside it 404; inside, an empty body is a 400 (nothing written).
    "producers:report_sync": r(
        {"coord", "leader"},
        leader=LEADER_SIDE,
        denied=404,
        post_only=True,
        anon=401,
        overrides={("anon", "anta", "GET"): 405, ("anon", "chumbi", "GET"): 405},
    ),
    # budgets (docs/budgets.md, "who may")
    **same(["budgets:public_list", "budgets:public_detail"], r(PUBLIC, write=())),
    "budgets:cycle_list": r(write=()),
    "budgets:cycle_export": r(write=(), scoped=False),
    "budgets:cycle_create": r(MUN_RUN, denied=404),
    **same(
        [
            "budgets:cycle_detail",
            "budgets:cycle_timeline",
            "budgets:proposal_list",
            "budgets:proposal_detail",
            "budgets:proposal_document",
            "budgets:ranking",
            "budgets:execution",
            "budgets:proposal_export",
            "budgets:allocation_export",
            "budgets:history",
            "budgets:vigilance_reports",
            "budgets:vigilance_report_document",
        ],
        r(READERS, write=(), denied=404),
    ),
    **same(["budgets:acta_pdf", "budgets:workshop_acta"], r(READERS, write=(), denied=404, heavy=True)),
    **same(
        ["budgets:agent_list", "budgets:agent_detail", "budgets:matrix_edit", "budgets:workshop_list"],
        r(READERS, write=MUN_RUN, denied=404),
    ),
    **same(
        [
            "budgets:cycle_edit",
            "budgets:phase_edit",
            "budgets:step_edit",
            "budgets:delegate_remove",
            "budgets:technical_member_remove",
            "budgets:vigilance_elect",
            "budgets:proposal_create",
            "budgets:proposal_scores",
            "budgets:execution_update",
            "budgets:milestone_add",
            "budgets:milestone_done",
        ],
        r(MUN_RUN, denied=404),
    ),
    **same(
        ["budgets:allocation_run", "budgets:proposal_evaluate", "budgets:technical_member_add"],
        r(MUN_RUN, denied=404, post_only=True),
    ),
    # who came to a workshop: the budget team of the cycle's municipality (names are personal data)
    **same(["budgets:workshop_participants", "budgets:workshop_participant_remove"], r(MUN_RUN, denied=404)),
    # the demo has no cycle open for registration: every agent_join is a 404, as outside the leader's cycles
    "budgets:agent_join": r({"leader"}, denied=404),
    # reminders (docs/notifications.md)
    **same(["notifications:my_reminders", "notifications:preferences"], r(write=())),
    **same(
        ["notifications:reminder_list", "notifications:reminder_retry"], r({"coord"}, write=(), denied=404)
    ),
    "notifications:unsubscribe": r(PUBLIC),
    # SMS (docs/notifications.md, "SMS"): texts for coordinators; the replies inbox for technicians (a reply
    # of someone outside their territory is a 404); the figures per municipality for its own staff, the
    # budget set by coordinators
    "notifications:sms_template_list": r({"coord"}, write=(), denied=404),
    "notifications:sms_template_edit": r({"coord"}, denied=404, scoped=False),
    "notifications:sms_inbox": r({"coord", "tec_anta", "tec_chumbi"}, write=(), denied=404, scoped=False),
    "notifications:sms_inbox_handled": r({"coord", "tec_anta", "tec_chumbi"}, denied=404, post_only=True),
    "notifications:sms_area_list": r({"coord", "admin_anta", "tec_anta", "tec_chumbi"}, write=(), denied=404),
    "notifications:sms_area_detail": r(
        {"coord", "admin_anta", "tec_anta", "tec_chumbi"}, write={"coord"}, denied=404
    ),
    # the gateways' callbacks: no sign-in, POST only, and an unsigned one is refused and changes nothing
    **same(
        [
            "notifications:sms_android_hook",
            "notifications:sms_twilio_inbound",
            "notifications:sms_twilio_status",
        ],
        Rule(
            read=PUBLIC,
            overrides={
                (role, side, method): answer
                for role in ROLES
                for side in (None, "anta", "chumbi")
                for method, answer in (("GET", 405), ("POST", 403))
            },
        ),
    ),
    # the history of an object (docs/history.md): whoever may read the object's page, 404 otherwise
    "history:object": r(write=(), leader=LEADER_SIDE, denied=404),
    # backups (docs/operations.md): coordinators only, a page that does not exist for others
    "backups:status": r({"coord"}, write=(), denied=404),
    # dashboard: everyone signed in but association leaders; figures are not scoped objects
    **same(
        [
            "dashboard:dashboard",
            "dashboard:map",
            "dashboard:indicator_detail",
            "dashboard:reported_detail",
            "dashboard:export",
        ],
        r(SIGNED_IN - {"leader"}, write=(), denied=404, scoped=False),
    ),
    "dashboard:report": r(SIGNED_IN - {"leader"}, write=(), denied=404, scoped=False, heavy=True),
    "dashboard:refresh": r({"coord"}, denied=404, post_only=True),
    # the read API (docs/api.md): JSON, read-only; anonymous readers get what publishing municipalities make
    # public (every demo partner publishes) or 401; the session works as a token does
    **same(
        [
            f"api:{name}-{kind}"
            for name in ["province", "district", "municipality", "budget-cycle", "agent", "allocation"]
            for kind in ["list", "detail"]
        ]
        + [f"api:{name}-list" for name in ["space", "meeting", "agreement", "proposal"]]
        + ["api:reported-value-list", "api:reported-value-detail"]
        + ["api:schema", "api:docs"],
        r(PUBLIC, write=()),
    ),
    # private spaces (the demo leader's association sits in none), their meetings and agreements, unranked
    # proposals: the pages' scope, 404 outside it
    **same(
        ["api:space-detail", "api:meeting-detail", "api:agreement-detail", "api:proposal-detail"],
        r(write=(), anon=404),
    ),
    **same(
        ["api:association-list", "api:plan-list", "api:score-list", "api:execution-update-list"],
        r(write=(), anon=401),
    ),
    **same(["api:association-detail", "api:plan-detail"], r(write=(), anon=401, leader=LEADER_SIDE)),
    **same(["api:score-detail", "api:execution-update-detail"], r(write=(), anon=401)),
    **same(
        ["api:indicator-list", "api:indicator-detail"],
        r(SIGNED_IN - {"leader"}, write=(), anon=401, denied=404, scoped=False),
    ),
    # personal access tokens: one's own; coordinators see and revoke everyone's
    "api:token_list": r(),
    "api:token_all": r({"coord"}, write=(), denied=404),
    **same(["api:token_edit", "api:token_revoke"], r({"coord", "tec_anta", "tec_chumbi"}, denied=404)),
    # open data: anyone
    **same(["open_data:index", "open_data:dictionary", "open_data:dataset"], r(PUBLIC, write=())),
}


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
    with demo_for_the_module(django_db_blocker):
        attach_documents()
        from kallpanchis.accounts.models import User

        for email in ROLES.values():
            if email:
                with_mfa(User.objects.get(email=email))
        yield


IGNORED_TABLES = ("django_session", "account_", "mfa_", "django_celery", "usersessions_")


def writes() -> int:
    """Rows inserted, updated or deleted so far in this transaction, outside session bookkeeping."""
    with connection.cursor() as cursor:
        cursor.execute("select relname, n_tup_ins + n_tup_upd + n_tup_del from pg_stat_xact_user_tables")
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


def _matches(want, got, method, rule):
    if want == OK:
        return got not in (LOGIN, 403, 404, 405) and got < 500
    if method == "POST" and rule.write == () and got == 405:
        return True  # a read-only page may refuse POST outright
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
    read_only = rule is not None and rule.write == ()
    for side, kwargs in sides.items():
        url = reverse(name, kwargs=kwargs)
        fetched_allowed = set()
        for role, client in clients.items():
            for method in ("GET", "POST"):
                if method == "POST" and read_only and role != "anon":
                    continue  # a read-only page answers a POST like a GET: anonymous is enough
                want = expected(rule, role, side, method) if rule else None
                if rule and rule.heavy and want in (200, OK):
                    if method in fetched_allowed:
                        continue
                    fetched_allowed.add(method)
                before = writes()
                sid = transaction.savepoint()
                response = client.get(url) if method == "GET" else client.post(url, {})
                got = _answer(response)
                after = writes()
                transaction.savepoint_rollback(sid)
                seen.append((role, side, method, got))
                if observe:
                    continue
                reason = rule.xfail.get((role, side, method))
                ok = _matches(want, got, method, rule)
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
                    changed = {
                        t: after.get(t, 0) - before.get(t, 0) for t in after if after[t] != before.get(t)
                    }
                    wrong.append(f"POST {url} as {role} was refused ({got}) but wrote rows: {changed}")
    if observe:
        with open(observe, "a") as out:
            out.write(f"{name}\t{route}\tmissing={missing}\t{seen}\n")
        return
    xfails = [k for k in rule.xfail if (k[0], k[1], k[2]) in {(s[0], s[1], s[2]) for s in seen}]
    assert not wrong, "\n".join(wrong)
    if xfails:
        who = ", ".join(sorted({f"{k[2]} as {k[0]}" for k in xfails}))
        pytest.xfail(f"{who}: " + "; ".join(sorted({rule.xfail[k] for k in xfails})))


# results (docs/results.md, "Who may"): the framework is the consortium's (coordinators change it), the
# scorecard and reported values are read in one's scope, reporters are the municipality's administrator and
# technicians (a coordinator may type a value in), review is the coordinators'; every refusal is a 404
RESULTS_REPORTERS = frozenset({"coord"}) | MANAGERS
RULES.update(
    {
        "results:report_list": r(RESULTS_REPORTERS, write=(), denied=404, scoped=False),
        "results:indicator_list": r(CONSORTIUM, write=(), denied=404, scoped=False),
        "results:indicator_detail": r(CONSORTIUM, write={"coord"}, denied=404, scoped=False),
        **same(
            ["results:indicator_create", "results:indicator_edit", "results:result_create"],
            r({"coord"}, denied=404, scoped=False),
        ),
        "results:report_form": r(RESULTS_REPORTERS, denied=404),
        "results:report_correct": r(RESULTS_REPORTERS, denied=404),
        **same(["results:report_detail", "results:report_evidence"], r(READERS, write=(), denied=404)),
        **same(
            ["results:report_approve", "results:report_return"],
            r({"coord"}, denied=404, post_only=True, scoped=False),
        ),
        **same(
            ["results:scorecard", "results:scorecard_export"], r(READERS, write=(), denied=404, scoped=False)
        ),
        "results:cell_detail": r(READERS, write=(), denied=404),
    }
)


# budgets, what the law asks to record (docs/budgets.md, "Who does what"): the Equipo Técnico of the
# municipality records it; the accountability report and the MEF-shaped export are read like the acta
RULES.update(
    {
        **same(
            [
                "budgets:cycle_governance",
                "budgets:list_publish",
                "budgets:challenge_add",
                "budgets:challenge_decide",
                "budgets:acta_sign",
                "budgets:proposal_replace",
            ],
            r(MUN_RUN, denied=404),
        ),
        **same(
            ["budgets:agent_by_right_add", "budgets:proposal_identity"],
            r(MUN_RUN, denied=404, post_only=True),
        ),
        "budgets:accountability": r(READERS, write=(), denied=404),
        "budgets:mef_export": r(READERS, write=(), denied=404, heavy=True),
        "budgets:business_plan_list": r(write=()),
    }
)
