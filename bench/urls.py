"""The site's pages plus the floor `make bench` compares them with; only bench/settings.py routes here."""

from django.http import HttpResponse
from django.urls import path

from kallpanchis.urls import urlpatterns as site


def floor(request):
    """The smallest Django page (the site's middleware, no database)."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [*site, path("bench-floor/", floor, name="bench_floor")]
