"""Fixtures of the reminder tests: the test kind, a file channel in a temporary folder, and for the tests
marked `redis`, real Celery workers on the private Redis server (tests/local_services.py)."""

import json
from collections import Counter
from pathlib import Path

import pytest

import tests.notifications.kinds  # noqa: F401  (registers the test kind in this process)
from tests.local_services import queue_length, wait_until  # noqa: F401  (imported by the tests from here)

LEASE_SECONDS = "3"


@pytest.fixture
def outbox_dir(tmp_path, monkeypatch):
    """Where the file channel writes, for this process and any worker started by the test."""
    directory = tmp_path / "sent"
    monkeypatch.setenv("KALLPANCHIS_REMINDER_FILE_DIR", str(directory))
    monkeypatch.setenv("KALLPANCHIS_REMINDER_LEASE_SECONDS", LEASE_SECONDS)
    return directory


def sent_messages(directory: Path) -> list[dict]:
    if not directory.exists():
        return []
    return [json.loads(p.read_text()) for p in directory.glob("*.json")]


def sends_per_reminder(directory: Path) -> Counter:
    """How many messages left for each reminder id: the duplicate counter of every test."""
    return Counter(rid for message in sent_messages(directory) for rid in message["reminder_ids"])


@pytest.fixture
def make_worker(celery_workers, outbox_dir):
    """Start workers on the test database (pytest-django's test_<name>) and the private Redis, writing
    reminders to the file channel in `outbox_dir`."""

    def make(**extra_env: str):
        env = {
            "KALLPANCHIS_REMINDER_FILE_DIR": str(outbox_dir),
            "KALLPANCHIS_REMINDER_LEASE_SECONDS": LEASE_SECONDS,
            "KALLPANCHIS_REMINDER_KIND_MODULES": "tests.notifications.kinds",
            "CACHE_KEY_PREFIX": "kallpanchis-test-notifications-worker",
        }
        return celery_workers(**{**env, **extra_env})

    return make
