"""`make chaos`: the stack survives outages. Locust (50 users, 5 minutes: CHAOS_USERS, CHAOS_SECONDS) against
gunicorn and a Celery worker and beat, on a PostgreSQL cluster and a redis-server of this script's own
(initdb into a temporary folder, port 5442; redis on 6442 with an append-only file, as in docker-compose)
and a local SMTP server (aiosmtpd). PostgreSQL is stopped for 20 s at minute 1, Redis for 20 s at minute 3,
and the SMTP server from minute 1 until Redis is back. The machine's own PostgreSQL and Redis are never
touched.

It prints the errors outside and inside each window (inside, a clear "try again" page is expected, not an
error page), the offline meeting log's errors, the writes acknowledged to a user and lost, and the reminders
due during the outages (each must be sent once, after them). The last line is machine-readable:
    CHAOS errors_outside=.. unclear_in_windows=.. offline_errors=.. writes_acked=.. writes_lost=.. ...
Exit status 0 only when errors outside the windows, unclear answers, offline errors, lost writes, unsent
and duplicated reminders are all 0.
"""

import contextlib
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "load"))
from demo_server import PY, _free_port, manage_out, production_env  # noqa: E402
from run import PATHS_SCRIPT, PEOPLE  # noqa: E402  (the load test's people and pages)

SECONDS = int(os.environ.get("CHAOS_SECONDS", "300"))
USERS = int(os.environ.get("CHAOS_USERS", "50"))
WORKERS = os.environ.get("CHAOS_WORKERS", "3")
PG_PORT = int(os.environ.get("CHAOS_PG_PORT", "5442"))
REDIS_PORT = int(os.environ.get("CHAOS_REDIS_PORT", "6442"))
DOWN = int(os.environ.get("CHAOS_DOWN_SECONDS", "20"))
PG_AT, REDIS_AT = SECONDS * 60 // 300, SECONDS * 180 // 300  # minute 1 and minute 3 of 5
GRACE = 10  # seconds after a service is back during which reconnecting still counts as the window
DB = "kallpanchis_chaos"

SCHEDULE_SCRIPT = """
import datetime, json
from django.urls import reverse
from django.utils import timezone
from kallpanchis.accounts.models import User
from kallpanchis.notifications.services import reminders_schedule
from spaces.models import ConcertationSpace, Meeting
offsets = OFFSETS
space = ConcertationSpace.objects.filter(municipality__province__code="0803").order_by("pk").first()
meetings = Meeting.objects.filter(space=space, status="planned", starts_at__gt=timezone.now())
meeting = meetings.order_by("starts_at").first()
people = list(User.objects.filter(email__in=EMAILS))
now = timezone.now()
due = [now + datetime.timedelta(seconds=s) for s in offsets]
rows = reminders_schedule(
    kind="meeting_upcoming", target=meeting, recipients=people, due_times=due, channel="email"
)
url = reverse("spaces:meeting_schedule", args=[space.pk])
print(json.dumps({"schedule": url, "reminders": [r.pk for r in rows]}))
"""

CHECK_SCRIPT = """
import json
from spaces.models import Meeting
from kallpanchis.notifications.models import Reminder
titles = TITLES
present = set(Meeting.objects.filter(title__in=titles).values_list("title", flat=True))
rows = Reminder.objects.filter(pk__in=REMINDERS).values("pk", "status", "sent_at", "recipient__email")
rows = [{**r, "sent_at": r["sent_at"] and r["sent_at"].timestamp()} for r in rows]
print(json.dumps({"present": sorted(present), "reminders": rows}))
"""


def run_as_postgres(args, **kwargs):
    """initdb and pg_ctl refuse root: run them as the postgres user then."""
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, **kwargs)  # noqa: S603 (our own commands)


class PrivatePostgres:
    def __init__(self, folder: Path, port: int):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not bins:
            raise SystemExit("pg_ctl not found in /usr/lib/postgresql/*/bin (apt-get install postgresql)")
        self.bin = Path(bins[-1]).parent
        self.data, self.port, self.log = folder / "pg", port, folder / "pg.log"
        folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
        run_as_postgres(
            [str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
            stdout=subprocess.DEVNULL,
        )

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c max_connections=100"
        run_as_postgres(
            [
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-o",
                options,
                "-w",
                "start",
            ],
            stdout=subprocess.DEVNULL,
        )

    def stop(self):
        run_as_postgres(
            [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
            stdout=subprocess.DEVNULL,
        )


class PrivateRedis:
    def __init__(self, folder: Path, port: int):
        self.folder, self.port, self.process = folder, port, None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--appendonly",
                "yes",
                "--save",
                "",
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            with contextlib.suppress(OSError):
                import socket

                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            time.sleep(0.1)

    def stop(self):
        if self.process:
            self.process.terminate()  # SIGTERM: redis flushes its append-only file and exits
            self.process.wait(timeout=30)
            self.process = None


class SMTP:
    """aiosmtpd in a thread; `messages` holds (recipients, subject) of what it received."""

    def __init__(self, port: int):
        self.port, self.messages, self.controller = port, [], None

    def start(self):
        from aiosmtpd.controller import Controller

        server = self

        class Handler:
            async def handle_DATA(self, smtp, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
                import email

                message = email.message_from_bytes(envelope.content)
                server.messages.append((tuple(envelope.rcpt_tos), str(message.get("Subject", ""))))
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None


@contextlib.contextmanager
def gunicorn(env, workers, log: Path):
    """gunicorn on a free port (as scripts/demo_server.py), its log (the outages' tracebacks) in a file."""
    import urllib.request

    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (our own server)
        [
            str(ROOT / ".venv/bin/gunicorn"),
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
        stdout=open(log, "ab"),
        stderr=subprocess.STDOUT,  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310  # nosec B310: our own server
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def celery(env, *args, log: Path):
    return subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv/bin/celery"), "-A", "kallpanchis", *args, "--loglevel=WARNING"],
        cwd=ROOT,
        env=env,
        stdout=open(log, "ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # noqa: SIM115
    )


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="kp-chaos-"))
    os.chmod(tmp, 0o755)  # noqa: S103  # nosec B103: the postgres user must reach its data folder inside
    pg, redis, smtp = (
        PrivatePostgres(tmp / "pgroot", PG_PORT),
        PrivateRedis(tmp, REDIS_PORT),
        SMTP(_free_port()),
    )
    processes = []
    try:
        pg.start()
        redis.start()
        smtp.start()
        env = production_env(
            DB,
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{PG_PORT}/{DB}",
            REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
            CACHE_KEY_PREFIX="kp_chaos",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp.port),
            EMAIL_TIMEOUT="5",
            MAIL_RETRY_SECONDS="10",
            BACKUP_DIR=str(tmp / "backups"),
            MEDIA_ROOT=str(tmp / "media"),
        )
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{PG_PORT}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{DB}"')
        print("chaos: preparing the demo on the private PostgreSQL (migrate, territory, demo) …", flush=True)
        for command in (
            ["migrate", "--noinput", "-v0"],
            ["load_territory"],
            ["seed_demo"],
            ["collectstatic", "--noinput", "-v0"],
        ):
            subprocess.run(  # noqa: S603 (our own commands, fixed arguments)
                [PY, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # noqa: S603
        cookies = manage_out(env, "session_cookies", *PEOPLE)
        paths = json.loads(manage_out(env, "shell", "-v0", stdin=PATHS_SCRIPT).strip().splitlines()[-1])
        processes.append(
            celery(
                env,
                "worker",
                "--concurrency=2",
                "--without-gossip",
                "--without-mingle",
                log=tmp / "worker.log",
            )
        )
        processes.append(celery(env, "beat", "--schedule", str(tmp / "beat-schedule"), log=tmp / "beat.log"))
        # Reminders due inside each outage (5 s after it starts): each must be sent once, afterwards.
        offsets = [PG_AT + 5, REDIS_AT + 5]
        script = SCHEDULE_SCRIPT.replace("OFFSETS", json.dumps([o + 3 for o in offsets])).replace(
            "EMAILS", json.dumps(PEOPLE)
        )
        events, acks = tmp / "events.jsonl", tmp / "acks.jsonl"
        with gunicorn(env, WORKERS, tmp / "gunicorn.log") as base:
            scheduled = json.loads(manage_out(env, "shell", "-v0", stdin=script).strip().splitlines()[-1])
            paths["schedule"] = scheduled["schedule"]
            print(
                f"chaos: {USERS} users for {SECONDS} s on {base}; PostgreSQL down at {PG_AT} s, Redis at "
                f"{REDIS_AT} s, for {DOWN} s; SMTP down from {PG_AT} s to {REDIS_AT + DOWN} s",
                flush=True,
            )
            locust = subprocess.Popen(  # noqa: S603
                [
                    str(ROOT / ".venv/bin/locust"),
                    "-f",
                    str(ROOT / "load/chaos_locustfile.py"),
                    "--headless",
                    "-u",
                    str(USERS),
                    "-r",
                    str(max(1, USERS // 10)),
                    "-t",
                    f"{SECONDS}s",
                    "--host",
                    base,
                    "--only-summary",
                    "--loglevel",
                    "ERROR",
                    "--stop-timeout",
                    "10",
                ],
                cwd=ROOT / "load",
                env={
                    **env,
                    "KP_SESSIONS": cookies,
                    "KP_PATHS": json.dumps(paths),
                    "KP_EVENTS": str(events),
                    "KP_ACKS": str(acks),
                },
                stdout=subprocess.DEVNULL,
                stderr=open(tmp / "locust.log", "ab"),  # noqa: SIM115
            )
            t0 = time.time()
            windows = {}

            def at(second):
                time.sleep(max(0.0, t0 + second - time.time()))

            at(PG_AT)
            start = time.time()  # the window opens when the stop is asked for (pg_ctl waits for it)
            smtp.stop()
            pg.stop()
            at(PG_AT + DOWN)
            pg.start()
            windows["PostgreSQL"] = (start, time.time() + GRACE)
            at(REDIS_AT)
            start = time.time()
            redis.stop()
            at(REDIS_AT + DOWN)
            redis.start()
            smtp.start()
            windows["Redis"] = (start, time.time() + GRACE)
            print("chaos: both outages over, waiting for the end of the run …", flush=True)
            locust.wait()
        # Reminders: the dispatcher runs every minute; give it time to send what fell due.
        deadline = time.time() + 150
        while True:
            check = json.loads(
                manage_out(
                    env,
                    "shell",
                    "-v0",
                    stdin=CHECK_SCRIPT.replace("TITLES", "[]").replace(
                        "REMINDERS", json.dumps(scheduled["reminders"])
                    ),
                )
                .strip()
                .splitlines()[-1]
            )
            if all(r["status"] == "sent" for r in check["reminders"]) or time.time() > deadline:
                break
            time.sleep(10)
        time.sleep(5)
        acked = (
            [json.loads(line) for line in acks.read_text().splitlines() if line.strip()]
            if acks.exists()
            else []
        )
        titles = [a["title"] for a in acked]
        check = json.loads(
            manage_out(
                env,
                "shell",
                "-v0",
                stdin=CHECK_SCRIPT.replace("TITLES", json.dumps(titles)).replace(
                    "REMINDERS", json.dumps(scheduled["reminders"])
                ),
            )
            .strip()
            .splitlines()[-1]
        )
        return report(events, windows, acked, set(check["present"]), check["reminders"], smtp.messages, t0)
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            with contextlib.suppress(Exception):
                process.wait(timeout=20)
        smtp.stop()
        redis.stop()
        with contextlib.suppress(Exception):
            pg.stop()
        if os.environ.get("CHAOS_KEEP"):
            print(f"chaos: logs and data kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def report(events_file, windows, acked, present, reminders, messages, t0) -> int:
    events = [json.loads(line) for line in events_file.read_text().splitlines() if line.strip()]

    def window_of(t):
        return next((name for name, (a, b) in windows.items() if a <= t <= b), None)

    rows = {name: {"requests": 0, "try_again": 0, "unclear": 0} for name in windows}
    outside = {"requests": 0, "errors": 0}
    offline = {"requests": 0, "errors": 0}
    samples = {}
    for e in events:
        where = window_of(e["t"])
        if e["name"].split(" ", 1)[1].startswith("offline:"):
            offline["requests"] += 1
            offline["errors"] += e["error"]
            continue
        if where is None:
            outside["requests"] += 1
            if e["error"]:
                outside["errors"] += 1
                samples.setdefault(f"outside {e['status']} {e['name']}", e["t"] - t0)
        else:
            rows[where]["requests"] += 1
            if e["try_again"]:
                rows[where]["try_again"] += 1
            elif e["error"]:
                rows[where]["unclear"] += 1
                samples.setdefault(f"{where} {e['status']} {e['name']}", e["t"] - t0)
    lost = [a["title"] for a in acked if a["title"] not in present]
    acked_before = {name: sum(1 for a in acked if a["t"] < start) for name, (start, _end) in windows.items()}
    sent = [r for r in reminders if r["status"] == "sent"]
    per_address = {}
    for recipients, _subject in messages:
        for address in recipients:
            per_address[address] = per_address.get(address, 0) + 1
    expected = {}
    for r in reminders:
        expected[r["recipient__email"]] = expected.get(r["recipient__email"], 0) + 1
    duplicates = sum(max(0, per_address.get(a, 0) - n) for a, n in expected.items())
    unsent = len(reminders) - len(sent)
    late_ok = all(r["sent_at"] and window_of(r["sent_at"]) is None for r in sent)

    print(
        f"\n{'window':12} {'from':>6} {'to':>6} {'requests':>9} {'try again (503)':>16} {'other errors':>13}"
    )
    for name, (a, b) in windows.items():
        row = rows[name]
        counts = f"{row['requests']:9} {row['try_again']:16} {row['unclear']:13}"
        print(f"{name:12} {a - t0:6.0f} {b - t0:6.0f} {counts}")
    print(f"{'outside':12} {'':>6} {'':>6} {outside['requests']:9} {'':>16} {outside['errors']:13}")
    print(f"offline meeting log: {offline['requests']} requests, {offline['errors']} errors")
    for what, when in list(samples.items())[:10]:
        print(f"  first {what} at {when:.0f} s")
    print(
        f"writes acknowledged: {len(acked)} (before the PostgreSQL outage "
        f"{acked_before.get('PostgreSQL', 0)}, before the Redis outage {acked_before.get('Redis', 0)}); "
        f"present afterwards {len(acked) - len(lost)}; lost {len(lost)}"
    )
    print(
        f"reminders due during the outages: {len(reminders)}; sent {len(sent)} (all after their outage: "
        f"{'yes' if late_ok else 'no'}); e-mails received {sum(per_address.get(a, 0) for a in expected)}, "
        f"duplicates {duplicates}"
    )
    unclear = sum(r["unclear"] for r in rows.values())
    print(
        f"CHAOS errors_outside={outside['errors']} unclear_in_windows={unclear} "
        + " ".join(f"try_again_{n.lower()}={r['try_again']}" for n, r in rows.items())
        + f" offline_errors={offline['errors']} writes_acked={len(acked)} writes_lost={len(lost)} "
        f"reminders={len(reminders)} reminders_unsent={unsent} reminders_duplicated={duplicates}"
    )
    ok = not (outside["errors"] or unclear or offline["errors"] or lost or unsent or duplicates) and late_ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
