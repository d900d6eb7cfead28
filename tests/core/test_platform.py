import os
import subprocess
import sys

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.redis
def test_healthz_checks_database_and_redis(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_home_is_in_spanish_by_default(client):
    content = client.get("/").content.decode()
    assert '<html lang="es">' in content and "Iniciar sesión" in content


def test_language_switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/").content.decode()


def test_pages_carry_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "object-src 'none'" in policy


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_settings_refuse_to_start_without(missing):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kallpanchis.settings.production",
        "DJANGO_SECRET_KEY": "k" * 60,
        "ALLOWED_HOSTS": "example.org",
    }
    del env[missing]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and missing in result.stderr


def test_money_is_shown_in_soles_with_peru_formats():
    from django.utils import translation

    from kallpanchis.core.templatetags.kallpanchis import soles

    with translation.override("es"):
        assert soles("1250.5") == "S/ 1,250.50"
