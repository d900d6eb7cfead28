"""Production: refuses to start without a secret key and allowed hosts; HTTPS only."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, MIDDLEWARE, SECRET_KEY, env, env_bool

if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production (comma-separated host names).")

DEBUG = False
# Links in e-mails point at the public site: SITE_URL, or https:// and the first allowed host.
SITE_URL = env("SITE_URL", f"https://{ALLOWED_HOSTS[0].lstrip('.')}")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Pages travel gzipped (static files already are, by WhiteNoise): the 64 KB meeting-log form becomes ~8 KB
# on a 400 kbit/s rural link. Against BREACH, Django pads each compressed response with random bytes and
# masks the CSRF token anew in every response.
MIDDLEWARE = [
    *MIDDLEWARE[: MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1],
    "django.middleware.gzip.GZipMiddleware",
    *MIDDLEWARE[MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1 :],
]
