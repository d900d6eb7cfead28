"""The demo served as in production (gunicorn, DEBUG off, WhiteNoise, gzip) from a database of its own, for
the tools that measure it from outside: `make lighthouse` (scripts/lighthouse.py) and `make loadtest`
(load/run.py)."""

import os
import secrets
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")


def production_env(db: str, **extra: str) -> dict:
    """Production settings with a throw-away secret, on 127.0.0.1 over plain HTTP."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kallpanchis.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        **extra,
    }


def demo_prepare(env: dict, db: str) -> None:
    """Create the database if needed, migrate, load the territory and the demo, collect static files."""
    subprocess.run(  # noqa: S603 (our own commands, fixed arguments)
        [PY, "scripts/services.py", db],
        cwd=ROOT,
        env={**env, "DATABASE_URL": ""},
        check=True,
        capture_output=True,
    )
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["load_territory"],
        ["seed_demo"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def manage_out(env: dict, *args: str, stdin: str | None = None) -> str:
    """What a manage.py command prints (session cookies, object paths found by a shell script)."""
    return subprocess.run(  # noqa: S603 (our own commands, fixed arguments)
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True, input=stdin
    ).stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(env: dict, workers: int | str) -> Iterator[str]:
    """gunicorn on a free port of 127.0.0.1, answering /healthz before this yields its base URL."""
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (our own server)
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "kallpanchis.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310  # nosec B310: our own server on 127.0.0.1
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
