"""pytest: real PostgreSQL and Redis (their own database number and key prefix), e-mails kept in memory."""

from .base import *  # noqa: F403
from .base import BACKUP_STORAGE, CACHES, env

SECRET_KEY = "test-only-key-" + "x" * 40  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# In memory; a worker started by a test may be pointed at a real local SMTP server instead.
EMAIL_BACKEND = env("KALLPANCHIS_TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; never outside tests
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "backups": BACKUP_STORAGE,
}
WHITENOISE_AUTOREFRESH = True
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", "kallpanchis-test")
MEDIA_ROOT = __import__("pathlib").Path(env("MEDIA_ROOT", "/tmp/kallpanchis-test-media"))  # noqa: S108  # nosec B108: test settings only
# Every list page's rows found kept (kallpanchis/core/fragments.py, _order) are read again and compared: a
# list whose cache key does not say all its query depends on fails the test that shows it.
KALLPANCHIS_CHECK_KEPT_ORDER = True
