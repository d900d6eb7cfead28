"""Bad input: random and hostile values thrown at every form of the project and, through the test
client, at the main create views: never an exception or a 500, a refused form says why, nothing is stored.

Forms are discovered in each installed project app's `forms` module, so a new form is covered without
editing this file; a form whose constructor needs an argument this file cannot make fails the test until
KWARGS learns it.
"""

import datetime
import importlib
import inspect
import re
from importlib.util import find_spec

import pytest
from allauth.core import context as allauth_context
from django import forms
from django.apps import apps
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.accounts.factories import person_with_role

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

FORM_EXAMPLES = 15
VIEW_EXAMPLES = 12
FUZZ_SETTINGS = settings(
    max_examples=FORM_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

HOSTILE = [
    "",
    " ",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE municipalities_municipality; --",
    "1 OR 1=1",
    "../../etc/passwd",
    "%00",
    "\x00",
    "\u202eevil",
    "🐑🦙 Ñandú Ccahuana",
    "Qhapaq ñan 𝕂𝕒𝕝𝕝𝕡𝕒𝕟𝕔𝕙𝕚𝕤",
    "-1",
    "-99999999999999999999",
    "99999999999999999999999999",
    "1e308",
    "NaN",
    "Infinity",
    "0.0000000001",
    "2025-02-30",
    "0000-00-00",
    "99999-12-31",
    "31/12/2025",
    "2025-13-01",
    "25:61",
    "true",
    "null",
    "[]",
    "{}",
]
value = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.text(min_size=300, max_size=600),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates(min_value=datetime.date(1, 1, 1)).map(str),
    st.just("x" * 20_000),
)


def project_forms():
    found = []
    for config in apps.get_app_configs():
        if not config.path.startswith(str(__import__("django").conf.settings.BASE_DIR)):
            continue
        if "/.venv/" in config.path:
            continue
        module_name = f"{config.name}.forms"
        if find_spec(config.name) is None or find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                found.append(cls)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


FORMS = project_forms()


def writes() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("select relname, n_tup_ins + n_tup_upd + n_tup_del from pg_stat_xact_user_tables")
        return {name: n for name, n in cursor.fetchall() if n and not name.startswith("django_session")}


@pytest.fixture
def world(municipalities, coordinator):
    """What form constructors ask for, made small."""
    from kallpanchis.organisations.models import Organisation
    from municipalities.models import Municipality
    from tests.budgets.factories import cycle_for
    from tests.producers.factories import association_in, filled_plan
    from tests.results.factories import indicator as results_indicator
    from tests.spaces.factories import anta_space, held

    anta = municipalities["anta"]
    cycle = cycle_for(anta)
    space = anta_space(anta)
    meeting = held(space, agreements=["Instalar pastos mejorados"])
    from spaces.models import Agreement

    agreement = Agreement.objects.filter(meeting=meeting).first()
    return {
        "user": coordinator,
        "inviter": coordinator,
        "municipalities": Municipality.objects.all(),
        "organisations": Organisation.objects.all(),
        "organisation_choices": [],
        "agents": cycle.agents.all(),
        "cycle": cycle,
        "space": space,
        "spaces": type(space).objects.all(),
        "agreement": agreement,
        "criteria": list(cycle.criteria.all()),
        "current": {},
        "territory": {"provinces": [("0803", "Anta")], "districts": [("080301", "Anta", "0803")]},
        "kinds": (),
        "meeting_day": datetime.date(2026, 11, 30),
        "people": [],
        # results.forms.ReportForm: a reported indicator (by semester and gender) of a municipality
        "indicator": results_indicator(coordinator, code="fuzz"),
        "municipality": anta,
        # producers.forms.ReportForm: a plan's activities, the year's periods, each activity's sources
        "activities": list(filled_plan(association_in("080308")).activities.all()),
        "periods": [(1, "T1"), (2, "T2")],
        "budget_sources": {},
    }


def build(cls, world, data):
    # A subclass may pass its parent's keyword-only arguments through **kwargs: ask every class in the MRO.
    params = {}
    for klass in reversed(cls.__mro__):
        if "__init__" in vars(klass):
            params.update(inspect.signature(klass.__init__).parameters)
    kwargs = {}
    for name, param in params.items():
        if param.kind == param.KEYWORD_ONLY and param.default is param.empty:
            if name not in world or world[name] is None:
                pytest.fail(f"{cls.__module__}.{cls.__qualname__} needs {name!r}: teach `world` to make one")
            kwargs[name] = world[name]
    return cls(data=data, files={}, **kwargs)


def test_forms_are_discovered():
    assert len(FORMS) >= 30, [f.__qualname__ for f in FORMS]


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_form_refuses_hostile_input_cleanly(form_class, world):
    if issubclass(form_class, forms.ModelForm) and getattr(form_class._meta, "model", None) is None:
        pytest.skip("a ModelForm base without a model")
    # allauth's forms (the TOTP activation) read the request they are built in: give them one, with a
    # session kept in memory so that building a form stores nothing.
    request = RequestFactory().get("/")
    request.session, request.user = {}, world["user"]
    with allauth_context.request_context(request):
        _fuzz(form_class, world)


def _fuzz(form_class, world):
    probe = build(form_class, world, None)
    names = list(probe.fields)
    if not names:
        pytest.skip("no fields")

    @FUZZ_SETTINGS
    @given(st.fixed_dictionaries({name: value for name in names}))
    def run(data):
        before = writes()
        form = build(form_class, world, data)
        valid = form.is_valid()
        if not valid:
            assert form.errors, "a refused form must say why"
        assert writes() == before, "is_valid() must not store anything"

    run()


# --- the main create views, through the test client ----------------------------------------------------


CREATE_VIEWS = [
    # (URL name, who): the fields are read from the page's form
    ("spaces:space_create", "technician"),
    ("municipalities:technician_create", "coordinator"),
    ("municipalities:agreement_create", "coordinator"),
    ("municipalities:training_create", "coordinator"),
    ("municipalities:event_create", "coordinator"),
    ("budgets:cycle_create", "technical_team"),
    ("producers:association_create", "coordinator"),
]
SKIPPED_INPUTS = {"csrfmiddlewaretoken", "next", "language"}


def _user(who, municipalities, coordinator):
    if who == "coordinator":
        return coordinator
    from tests.conftest import with_mfa

    return with_mfa(
        person_with_role(who, municipalities["anta"].organisation, email=f"{who}@fuzz.example.pe")
    )


@pytest.mark.parametrize("name,who", CREATE_VIEWS, ids=[c[0] for c in CREATE_VIEWS])
def test_create_view_refuses_hostile_input_cleanly(name, who, municipalities, coordinator):
    client = Client(raise_request_exception=False)
    client.force_login(_user(who, municipalities, coordinator))
    url = reverse(name)
    page = client.get(url)
    assert page.status_code == 200, f"{who} cannot open {url}: {page.status_code}"
    fields = sorted(
        set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', page.content.decode()))
    )
    fields = [f for f in fields if f not in SKIPPED_INPUTS]
    assert fields, f"no form fields found on {url}"

    @settings(
        max_examples=VIEW_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        derandomize=True,
    )
    @given(st.fixed_dictionaries({field: value for field in fields}))
    def run(data):
        before = writes()
        response = client.post(url, data)
        assert response.status_code < 500, f"{url} answered {response.status_code} to {data!r}"
        if response.status_code == 200:
            body = response.content.decode()
            assert "invalid-feedback" in body or "errorlist" in body or "alert-danger" in body, (
                f"{url} refused {data!r} without saying why"
            )
            assert writes() == before, f"{url} refused {data!r} but stored rows"

    run()
