"""A URLconf for tests/core/test_outage.py: views that reach a stopped Redis, a stopped database, or fail."""

import copy

from django.conf import settings
from django.core.cache import caches
from django.db.backends.postgresql.base import DatabaseWrapper
from django.http import HttpResponse
from django.urls import path

from kallpanchis.urls import handler500  # noqa: F401  (the project's handler, under test)


def cached(request):
    return HttpResponse(str(caches["stopped"].get("anything")))


def database(request):
    stopped = copy.deepcopy(settings.DATABASES["default"])
    stopped.update({"HOST": "127.0.0.1", "PORT": request.GET["port"], "CONN_MAX_AGE": 0})
    wrapper = DatabaseWrapper(stopped, alias="stopped")  # Django's own PostgreSQL backend
    wrapper.ensure_connection()
    return HttpResponse("unreachable")


def broken(request):
    raise ValueError("a bug, not an outage")


urlpatterns = [path("cached", cached), path("database", database), path("broken", broken)]
