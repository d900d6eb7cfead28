"""On the whole demo (seed_demo, once for the module, rolled back at the end):

- schemathesis generates requests from the OpenAPI schema, for anonymous readers and a token of each role,
  and checks: no server error, every answer valid against the schema (status code, content type, body);
- every open-data file and every anonymous API answer is scanned for the name, DNI or phone of any person
  in the database (attendance, members, delegates, technicians, users, the people register) — none may appear.
"""

import os
import re
from contextlib import contextmanager

import pytest
from django.test import Client

from tests.conftest import with_mfa
from tests.demo_data import demo_for_the_module

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db]

ROLES = {
    "anonymous": None,
    "coordinator": "coordinadora@demo.kallpanchis.pe",
    "technician": "tecnico.anta@demo.kallpanchis.pe",
    "leader": "lider@demo.kallpanchis.pe",
    "technical_team": "presupuesto.anta@demo.kallpanchis.pe",
    "viewer": "visor@demo.kallpanchis.pe",
}
MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "6"))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_for_the_module(django_db_blocker):
        yield


def _tokens():
    from kallpanchis.accounts.models import User
    from kallpanchis.api.services import token_create

    headers = {}
    for role, email in ROLES.items():
        if email is None:
            headers[role] = {}
            continue
        user = with_mfa(User.objects.get(email=email))
        _token, secret = token_create(user=user, name=f"schemathesis {role}")
        headers[role] = {"Authorization": f"Bearer {secret}"}
    return headers


def test_schemathesis_finds_no_server_error_and_no_answer_off_the_schema(demo, settings, capsys):
    import schemathesis
    from django.core.wsgi import get_wsgi_application
    from hypothesis import HealthCheck, Phase, given
    from hypothesis import settings as hypothesis_settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    settings.API_THROTTLE_RATES = {"token": "100000/minute", "anonymous": "100000/minute"}
    with _connection_kept():
        _fuzz(
            schemathesis,
            get_wsgi_application(),
            capsys,
            given,
            hypothesis_settings,
            HealthCheck,
            Phase,
            [
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
            ],
        )


@contextmanager
def _connection_kept():
    """The WSGI app closes the database connection after each request (as in production); the test's
    transaction lives on that connection, so keep it open, as Django's test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _fuzz(schemathesis, app, capsys, given, hypothesis_settings, HealthCheck, Phase, checks):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    figures = {"operations": len(operations), "examples": 0, "failures": []}
    statuses: dict[int, int] = {}

    def runner(operation, role, headers):
        @hypothesis_settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            figures["examples"] += 1
            response = case.call(headers=headers)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            try:
                case.validate_response(response, checks=checks)
            except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 (recorded, reported together)
                figures["failures"].append(f"{role} {operation.label}: {str(failure)[:400]}")

        return run

    for role, headers in _tokens().items():
        for operation in operations:
            runner(operation, role, headers)()
    with capsys.disabled():
        print(
            f"\nschemathesis: {figures['operations']} operations × {len(ROLES)} roles, "
            f"{figures['examples']} examples, {len(figures['failures'])} failures; "
            f"statuses {sorted(statuses.items())}"
        )
    assert not figures["failures"], "\n".join(figures["failures"][:20])


# --- no person's name, DNI or phone in anything published -------------------------------------------------


def _personal_data() -> dict[str, set[str]]:
    from django.apps import apps

    names, numbers = set(), set()

    def take(label, name_fields=(), number_fields=()):
        try:
            model = apps.get_model(label)
        except LookupError:
            return
        for row in model.objects.values(*name_fields, *number_fields):
            for field in name_fields:
                value = (row[field] or "").strip()
                if len(value) >= 6 and " " in value:  # a full name, not an initial or a lone word
                    names.add(value)
            for field in number_fields:
                digits = re.sub(r"\D", "", row[field] or "")
                if len(digits) >= 7:
                    numbers.add(digits[-9:])

    take("spaces.Attendance", ["name"])
    take("spaces.Agreement", ["responsible_person"])
    take("producers.Member", ["name"], ["dni"])
    take("budgets.Delegate", ["full_name"], ["dni"])
    take("budgets.TechnicalTeamMember", ["full_name"])
    take("budgets.VigilanceMember", ["full_name"])
    take("municipalities.Technician", ["person_name"], ["phone"])
    take("municipalities.TrainingAttendance", ["person_name"])
    take("people.Person", ["given_names"], ["dni", "phone"])
    from kallpanchis.accounts.models import User

    for user in User.objects.all():
        if user.get_full_name().strip():
            names.add(user.get_full_name().strip())
        names.add(user.email)
    try:
        Person = apps.get_model("people.Person")
        for p in Person.objects.all():
            names.add(f"{p.given_names} {p.first_surname}".strip())
    except LookupError:
        pass
    return {"names": names, "numbers": numbers}


def _found(text: str, personal) -> list[str]:
    hits = [name for name in personal["names"] if name in text]
    digits_in_text = set(re.findall(r"(?<!\d)\d{7,9}(?!\d)", text))
    hits += [n for n in personal["numbers"] if n in digits_in_text]
    return hits


def test_nothing_published_names_a_person(demo):
    from kallpanchis.api.open_data import DATASETS

    personal = _personal_data()
    assert len(personal["names"]) > 100 and personal["numbers"]  # the demo has people to look for
    client = Client()
    texts = {}
    for slug in DATASETS:
        for fmt in ("csv", "json"):
            response = client.get(f"/open-data/{slug}.{fmt}")
            assert response.status_code == 200
            body = b"".join(response.streaming_content) if response.streaming else response.content
            texts[f"/open-data/{slug}.{fmt}"] = body.decode("utf-8-sig")
    texts["/open-data/"] = client.get("/open-data/").content.decode()
    from kallpanchis.api.urls import router

    for prefix, _viewset, _basename in router.registry:
        url = f"/api/v1/{prefix}/?page_size=200"
        while url:
            response = client.get(url)
            if response.status_code != 200:
                assert response.status_code == 401, (url, response.status_code)
                break
            texts[url] = response.content.decode()
            body = response.json()
            url = body.get("next") if isinstance(body, dict) else None
    leaks = {where: hits for where, text in texts.items() if (hits := _found(text, personal))}
    assert not leaks, {where: sorted(hits)[:5] for where, hits in leaks.items()}
    assert len(texts) > 15
