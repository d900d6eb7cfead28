"""`make bench` serves the site as in production (DEBUG off, no debug query log) over plain HTTP on
127.0.0.1, with its own database. Kept here so that no shared settings file changes for the benchmark."""

import os
import secrets
import tempfile
from pathlib import Path

from kallpanchis.settings.base import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls"  # the site plus bench_floor, the minimal view the pages are compared with
# bench/run.py sets one random key for itself and every gunicorn worker (sessions must agree).
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Static files are not what is measured (and are not collected for the bench).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = Path(tempfile.gettempdir()) / "kallpanchis-bench-static"
STATIC_ROOT.mkdir(exist_ok=True)
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The API's rate limits would answer 429 long before a page's throughput is measured: the bench measures
# what a request costs, not the limit (the throttles' own cost, a cache read, stays in).
API_THROTTLE_RATES = {"token": "1000000/minute", "anonymous": "1000000/minute"}
