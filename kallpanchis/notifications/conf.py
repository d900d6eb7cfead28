"""Tunables of the reminder machinery. Each one may be set in Django settings (`REMINDER_*`) or, for a
worker started by a test or the benchmark, in the environment (`KALLPANCHIS_REMINDER_*`); read at call
time so a test can change them."""

import os
from datetime import timedelta

from django.conf import settings


def _setting(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    if value is not None:
        return str(value)
    return os.environ.get(f"KALLPANCHIS_{name}", default)


def lease() -> timedelta:
    """How long a claim (queued or sending) holds before the dispatcher may take the row back. It must be
    longer than a channel's send timeout, or a slow send could be taken over by a second attempt."""
    return timedelta(seconds=float(_setting("REMINDER_LEASE_SECONDS", "300")))


def max_attempts() -> int:
    return int(_setting("REMINDER_MAX_ATTEMPTS", "5"))


def backoff(attempts: int) -> timedelta:
    """Wait before attempt n+1: 1, 2, 4, 8 … minutes, at most an hour."""
    base = float(_setting("REMINDER_BACKOFF_SECONDS", "60"))
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def chunk_size() -> int:
    """How many reminder ids one delivery task carries (see delivery.py for why not one)."""
    return max(1, int(_setting("REMINDER_CHUNK_SIZE", "200")))


def default_channel() -> str:
    return _setting("REMINDER_CHANNEL", "email")


def file_dir() -> str:
    return _setting("REMINDER_FILE_DIR", "/tmp/kallpanchis-reminders")  # noqa: S108  # nosec B108: dev/bench channel only


def site_url() -> str:
    """Absolute links in messages; production sets SITE_URL (e.g. https://kallpanchis.example.org)."""
    return _setting("SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def digest_hour() -> int:
    """Lima hour at which the daily digest goes out."""
    return int(_setting("REMINDER_DIGEST_HOUR", "7"))


def dispatch_budget_seconds() -> float:
    """A dispatcher run stops claiming after this long; the next minute's run continues."""
    return float(_setting("REMINDER_DISPATCH_BUDGET_SECONDS", "50"))


def extra_kind_modules() -> list[str]:
    """Modules imported at start-up besides each app's `reminders.py` (tests and the benchmark register
    their own kinds this way, in the test process and in the worker alike)."""
    raw = _setting("REMINDER_KIND_MODULES", "")
    return [m.strip() for m in raw.split(",") if m.strip()]


def sms_setting(name: str, default: str = "") -> str:
    """An SMS setting: Django settings, else the environment as NAME or KALLPANCHIS_NAME."""
    value = getattr(settings, name, None)
    if value is not None:
        return str(value)
    return os.environ.get(name, os.environ.get(f"KALLPANCHIS_{name}", default))


def sms_gateway() -> str:
    """android | twilio | file (development)."""
    return sms_setting("SMS_GATEWAY", "file")


def sms_timeout() -> float:
    """Seconds a gateway request may take (connect and read); well under the lease."""
    return float(sms_setting("SMS_TIMEOUT_SECONDS", "10"))


def sms_price():
    """Estimated soles per SMS segment, for the budgets and the per-municipality page."""
    from decimal import Decimal

    return Decimal(sms_setting("SMS_PRICE_SOLES", "0.05"))


def sms_quiet_hours() -> tuple[int, int]:
    """Lima hours between which no SMS leaves: from 21:00 to 07:00 unless set otherwise."""
    return int(sms_setting("SMS_QUIET_FROM", "21")), int(sms_setting("SMS_QUIET_UNTIL", "7"))


def sms_secret(gateway: str) -> str:
    """The shared secret of a gateway's callbacks (Android: the webhook signing key; Twilio: the auth
    token, which signs X-Twilio-Signature)."""
    if gateway == "twilio":
        return sms_setting("SMS_TWILIO_AUTH_TOKEN", "")
    return sms_setting("SMS_ANDROID_SIGNING_KEY", "")
