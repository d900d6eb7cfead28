"""A stopped Redis or PostgreSQL answers a clear Spanish "try again" page (503, Retry-After), never the
generic error page or a traceback; a bug still answers 500. Real clients against ports where nothing
listens, as when the server is stopped."""

import pytest
from django.conf import settings
from django.test import Client, override_settings

from tests.local_services import free_port

pytestmark = [pytest.mark.urls("tests.core.outage_urls")]


def _client():
    return Client(raise_request_exception=False)


def test_redis_stopped_answers_try_again():
    stopped = {
        "BACKEND": "kallpanchis.core.redis_cache.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
    }
    with override_settings(CACHES={**settings.CACHES, "stopped": stopped}):
        response = _client().get("/cached")
    assert response.status_code == 503 and response["Retry-After"] == "20"
    page = response.content.decode()
    assert "Inténtalo de nuevo en un momento" in page and "Traceback" not in page


@pytest.mark.django_db
def test_database_stopped_answers_try_again():
    response = _client().get(f"/database?port={free_port()}")
    assert response.status_code == 503
    assert "Inténtalo de nuevo" in response.content.decode()


def test_a_bug_is_still_a_500():
    response = _client().get("/broken")
    assert response.status_code == 500 and "Inténtalo" not in response.content.decode()
