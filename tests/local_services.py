"""Real services a test may start, stop and start again on this machine: a private Redis server, Celery
workers as subprocesses on the test database, and a local SMTP server (aiosmtpd). The fixtures are
registered once, in tests/conftest.py, so every folder shares one private Redis per session."""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REDIS_PORT = int(os.environ.get("KALLPANCHIS_TEST_REDIS_PORT", "6390"))
PRIVATE_REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, *, timeout: float, every: float = 0.2, tick=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if tick:
            tick()
        if predicate():
            return True
        time.sleep(every)
    return predicate()


class PrivateRedis:
    """A redis-server of our own, without persistence, that a test may stop and start again."""

    def __init__(self, port: int):
        self.port = port
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--bind",
                "127.0.0.1",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if port_open(self.port):
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
        for _ in range(100):
            if not port_open(self.port):
                return
            time.sleep(0.05)


@pytest.fixture(scope="session")
def private_redis():
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    if port_open(REDIS_PORT):
        pytest.skip(f"port {REDIS_PORT} is taken; set KALLPANCHIS_TEST_REDIS_PORT")
    server = PrivateRedis(REDIS_PORT)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(private_redis):
    """Point this process's Celery app at the private Redis (and empty it)."""
    import redis

    from kallpanchis.celery import app

    if not port_open(REDIS_PORT):
        private_redis.start()
    redis.Redis.from_url(PRIVATE_REDIS_URL).flushdb()
    previous = app.conf.broker_url
    app.conf.broker_url = PRIVATE_REDIS_URL
    reset_pools(app)
    yield private_redis
    app.conf.broker_url = previous
    reset_pools(app)


def reset_pools(app):
    # kombu keeps one pool per broker URL; dropping the app's references makes it pick the right one.
    app._pool = None
    app.amqp._producer_pool = None


def queue_length() -> int:
    import redis

    return redis.Redis.from_url(PRIVATE_REDIS_URL).llen("celery")


@pytest.fixture
def tasks_in_process():
    """Tasks run in this process when queued (as on a machine without Redis): for tests that look at
    what a task did, e-mails in `mail.outbox` for instance, without a worker."""
    from kallpanchis.celery import app

    eager, app.conf.task_always_eager = app.conf.task_always_eager, True
    yield
    app.conf.task_always_eager = eager


_PER_TASK = re.compile(r"\] received$|\] succeeded in ")


class Worker:
    """`celery -A kallpanchis worker` in its own process group, on the test database."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log, self.process = env, log, None

    def start(self, concurrency: int = 2):
        self.handle = open(self.log, "ab")  # noqa: SIM115
        start = self.log.stat().st_size if self.log.exists() else 0
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/celery"),
                "-A",
                "kallpanchis",
                "worker",
                "--pool=prefork",
                f"--concurrency={concurrency}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("worker exited:\n" + self.log.read_text()[-3000:])
            if b"ready." in self.log.read_bytes()[start:]:
                return self
            time.sleep(0.1)
        raise RuntimeError("worker not ready:\n" + self.log.read_text()[-3000:])

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_events(self) -> str:
        """The log without the two lines every task writes: connection losses, reconnects, errors."""
        if not self.log.exists():
            return "(no log)"
        lines = self.log.read_text(errors="replace").splitlines()
        return "\n".join(line for line in lines if not _PER_TASK.search(line))

    def kill(self):
        """SIGKILL to the whole group: the parent and its pool children die at once, like a lost machine."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.handle.close()

    def stop(self):
        """The test is over: no warm shutdown needed (the next test empties Redis and the tables)."""
        if self.process is not None and self.process.poll() is None:
            self.kill()


@pytest.fixture
def celery_workers(broker, tmp_path):
    """`make(**env)` gives a Worker (call .start()) on the test database (pytest-django's test_<name>) and
    the private Redis, with `env` added to its environment."""
    from django.db import connection

    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kallpanchis.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}",
        "REDIS_URL": PRIVATE_REDIS_URL,
        "CACHE_KEY_PREFIX": "kallpanchis-test-worker",
    }
    workers = []

    def make(**extra_env: str) -> Worker:
        worker = Worker({**env, **extra_env}, tmp_path / f"worker{len(workers)}.log")
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        worker.stop()
        # Shown by pytest only when the test failed: what the worker saw (reconnects, errors, its exit).
        print(f"--- {worker.log.name}, without the per-task lines (last 6,000 characters) ---")
        print(worker.log_events()[-6000:])


class LocalSMTP:
    """aiosmtpd on 127.0.0.1:`port` in a thread of this process; `messages` keeps what it received.
    Stopped, the port refuses connections, as an unreachable provider does."""

    def __init__(self, port: int):
        self.port = port
        self.messages: list = []
        self.controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        server = self

        class Handler:
            async def handle_DATA(self, smtp, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
                import email

                server.messages.append(
                    {"to": envelope.rcpt_tos, "message": email.message_from_bytes(envelope.content)}
                )
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server():
    """A local SMTP server, not started: `.start()`, `.stop()`, `.messages`, `.port`."""
    server = LocalSMTP(free_port())
    yield server
    server.stop()
