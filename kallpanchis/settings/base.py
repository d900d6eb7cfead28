"""Settings shared by every environment; what differs between machines comes from the environment."""

import os
from pathlib import Path

import dj_database_url
import django.conf.locale
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = env("DJANGO_SECRET_KEY")
# Rotating the key (deploy/RUNBOOK.md): the old one here keeps sent links and open sessions valid.
SECRET_KEY_FALLBACKS = [k.strip() for k in env("DJANGO_SECRET_KEY_FALLBACKS").split(",") if k.strip()]
DEBUG = False
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS").split(",") if h.strip()]
# Absolute links in e-mails (reminders, invitations sent by tasks).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]

INSTALLED_APPS = [
    # Our apps come first so that their templates override allauth's and the admin's.
    "kallpanchis.accounts",
    "kallpanchis.organisations",
    "kallpanchis.people",
    "municipalities",
    "spaces",
    "producers",
    "budgets",
    "results",
    "kallpanchis.notifications",
    "kallpanchis.backups",
    "kallpanchis.dashboard",
    "kallpanchis.offline",
    "kallpanchis.history",
    "kallpanchis.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "kallpanchis.api",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "csp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "pgtrigger",
    "pghistory",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kallpanchis.core.middleware.SpanishFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who and from which path, for the history of changes written during a POST (kallpanchis/history).
    "kallpanchis.history.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "kallpanchis.accounts.middleware.RequireMFAMiddleware",
    "csp.middleware.CSPMiddleware",
]

# The history of every change (kallpanchis/history, docs/history.md): triggers on every table of these apps,
# installed after `migrate` and never written into the apps' migrations. An app listed but not installed
# is skipped.
HISTORY_TRACKED_APPS = [
    "municipalities",
    "spaces",
    "producers",
    "budgets",
    "results",
    "people",
    "organisations",
]
PGTRIGGER_MIGRATIONS = False
# Installed by kallpanchis.history after `migrate` only: pgtrigger's own handler also ran after every test's
# flush (Django sends post_migrate then too), rewriting some 300 triggers each time: 1.5 s a test.
PGTRIGGER_INSTALL_ON_MIGRATE = False
PGHISTORY_INSTALL_CONTEXT_FUNC_ON_MIGRATE = True

ROOT_URLCONF = "kallpanchis.urls"
WSGI_APPLICATION = "kallpanchis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "kallpanchis.accounts.navigation.navigation",
            ],
        },
    },
]

# PostgreSQL through psycopg 3; `make run` falls back to SQLite when no server answers.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kallpanchis"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The demo without PostgreSQL: the web server's threads, the worker and beat share one file. Write
    # transactions take the lock when they begin and wait for it (instead of failing with "database is
    # locked" halfway); WAL lets pages be read while a task writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
else:
    # PostgreSQL's default cost of a random page read (4× a sequential one) is a spinning disk's; on an SSD or
    # a cloud disk it is about the same. With the default the planner read whole small tables (233 spaces,
    # 4 pages) once per listed row rather than one row by its key: the lists' versions query took 0.45 ms
    # instead of 0.15.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c random_page_cost=1.1".strip()
    # Django turns psycopg's prepared statements off (for connection poolers in transaction mode, which
    # this deployment has none of). Only a cursor that binds on the server prepares (the few queries of
    # kallpanchis/core/prepared.py); Django's own cursors bind on the client and never do.
    options.setdefault("prepare_threshold", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is the cache (allauth's rate limits count there) and Celery's broker. An empty REDIS_URL means
# "no Redis on this machine": a per-process cache and tasks run in-line (only `make run` does that).
REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "kallpanchis.core.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "kallpanchis"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail login, verified addresses, no open sign-up (see accounts.adapter).
ACCOUNT_ADAPTER = "kallpanchis.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Kallpanchis] "
# allauth's defaults, spelled out because the sign-in issue promises them: the 11th failed login in a
# minute from one address is refused; five failures on one account lock it for five minutes.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Kallpanchis"
# The authenticator's secret stays the same while the set-up page is open (kallpanchis/accounts/forms.py).
MFA_FORMS = {"activate_totp": "kallpanchis.accounts.forms.StableTOTPForm"}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Internationalisation: Spanish first, with Peru's formats (kallpanchis/formats/es).
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("qu", _("Quechua")), ("en", _("English")), ("fr", _("French"))]
# Django knows no Quechua: declare Southern Quechua (Cusco-Collao) so the switcher can name it.
# Strings not yet translated fall back to Spanish (LANGUAGE_CODE), never to English.
django.conf.locale.LANG_INFO["qu"] = {
    "bidi": False,
    "code": "qu",
    "name": "Quechua",
    "name_local": "Runasimi",
}
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["kallpanchis.formats"]
TIME_ZONE = "America/Lima"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "kallpanchis_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Backups (kallpanchis/backups, docs/operations.md): a folder, or an S3-compatible bucket when
# BACKUP_S3_BUCKET is set (django-storages; the credentials come from the environment).
BACKUP_DIR = Path(env("BACKUP_DIR", str(BASE_DIR / "backups")))
if env("BACKUP_S3_BUCKET"):
    BACKUP_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("BACKUP_S3_BUCKET"),
            "location": env("BACKUP_S3_PREFIX", "kallpanchis"),
            "endpoint_url": env("BACKUP_S3_ENDPOINT_URL") or None,
            "region_name": env("BACKUP_S3_REGION") or None,
            "access_key": env("BACKUP_S3_ACCESS_KEY") or None,
            "secret_key": env("BACKUP_S3_SECRET_KEY") or None,
            "default_acl": None,
            "file_overwrite": False,
        },
    }
else:
    BACKUP_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": BACKUP_DIR,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "backups": BACKUP_STORAGE,
}
# Uploaded documents (signed minutes, agreements) are private: never under STATIC, served by views that
# check who asks.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Kallpanchis <no-reply@kallpanchis.pe>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that hangs must not hold a worker forever.
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "20"))
# Every e-mail leaves through the task queue (kallpanchis/core/mail.py): while the server is unreachable a
# message waits MAIL_RETRY_SECONDS, doubled each time up to 15 minutes, for MAIL_RETRY_ATTEMPTS attempts
# (the default, 100, covers a day-long outage).
MAIL_RETRY_SECONDS = float(env("MAIL_RETRY_SECONDS", "30"))
MAIL_RETRY_ATTEMPTS = int(env("MAIL_RETRY_ATTEMPTS", "100"))

# Celery: Redis broker, results not kept (the database records what happened), django-celery-beat's
# database schedule.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Written into the database schedule each time beat starts, so a changed BACKUP_TIME takes effect on the
# next start of beat (the reminders' dispatcher is created by its migration instead).
_BACKUP_HOUR, _BACKUP_MINUTE = (int(part) for part in env("BACKUP_TIME", "02:30").split(":"))
CELERY_BEAT_SCHEDULE = {
    "Backups: nightly backup and restore drill": {
        "task": "backups.backup_nightly",
        "schedule": crontab(hour=_BACKUP_HOUR, minute=_BACKUP_MINUTE),
    },
    "Backups: e-mail the staff when the last one failed or is too old": {
        "task": "backups.backup_check",
        "schedule": crontab(minute=15),
    },
}
# Kept: the newest backup of each of the last 7 days, 4 weeks and 12 months that have one.
BACKUP_KEEP_DAILY = int(env("BACKUP_KEEP_DAILY", "7"))
BACKUP_KEEP_WEEKLY = int(env("BACKUP_KEEP_WEEKLY", "4"))
BACKUP_KEEP_MONTHLY = int(env("BACKUP_KEEP_MONTHLY", "12"))
# The staff are e-mailed when the last good backup is older than this (a nightly one that missed a night).
BACKUP_MAX_AGE_HOURS = int(env("BACKUP_MAX_AGE_HOURS", "26"))
# The nightly task restores each backup into a scratch database (<name>_drill) and compares it.
BACKUP_DRILL = env_bool("BACKUP_DRILL", True)
# pg_dump / pg_restore of the server's major version (else /usr/lib/postgresql/<major>/bin, then PATH).
BACKUP_PG_BIN_DIR = env("BACKUP_PG_BIN_DIR")
# Where archives are assembled before they are stored (the system's temporary folder when empty).
BACKUP_WORK_DIR = env("BACKUP_WORK_DIR") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis transport with a fix for a worker that exits when Redis drops mid-task, and socket bounds so a
# half-open connection fails instead of blocking a publish: see kallpanchis/notifications/broker.py.
CELERY_BROKER_TRANSPORT = (
    "kallpanchis.notifications.broker:Transport" if REDIS_URL.startswith("redis://") else None
)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 5,
    "socket_timeout": 30,
    "socket_keepalive": True,
}

# A strict Content-Security-Policy: no inline script or style anywhere; pages load only our own files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
# The read API (kallpanchis/api, docs/api.md): JSON only, read-only, personal access tokens or the session,
# cursor pages, rate limits counted in the cache per token / person / anonymous address.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "kallpanchis.api.authentication.PersonalAccessTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["kallpanchis.api.permissions.ReadsPublishedOrSignedIn"],
    "DEFAULT_THROTTLE_CLASSES": [
        "kallpanchis.api.throttling.TokenRateThrottle",
        "kallpanchis.api.throttling.AnonymousRateThrottle",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_THROTTLE_RATES = {
    "token": env("API_RATE_TOKEN", "120/minute"),
    "anonymous": env("API_RATE_ANONYMOUS", "60/minute"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kallpanchis API",
    "DESCRIPTION": "Read-only API of Kallpanchis: concertation spaces, meetings, agreements, producer "
    "associations, plans, participatory budgets, indicators and the territory of Cusco. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "kallpanchis.api.schema.error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "MunicipalityLevelEnum": "municipalities.models.Municipality.Level",
        "SpaceLevelEnum": "spaces.models.ConcertationSpace.Level",
    },
}
