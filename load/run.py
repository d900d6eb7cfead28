"""`make loadtest`: locust, headless, against gunicorn on 127.0.0.1 with the demo data in its own database.

50 users (LOAD_USERS) for 5 minutes (LOAD_SECONDS), doing the journeys' GET requests (load/locustfile.py)
as signed-in demo people. Prints p50 / p95 / requests / errors and exits non-zero when p95 > 300 ms or any
request failed. The last line is machine-readable for scripts/check_all.py:
    LOADTEST p50=.. p95=.. requests=.. errors=..
"""

import csv
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
DB = os.environ.get("LOAD_DATABASE", "kallpanchis_load")
SECONDS = int(os.environ.get("LOAD_SECONDS", "300"))
USERS = int(os.environ.get("LOAD_USERS", "50"))
WORKERS = os.environ.get("LOAD_WORKERS", str(max(2, (os.cpu_count() or 2) * 2 + 1)))
P95_TARGET_MS = 300
PEOPLE = [
    "tecnico.anta@demo.kallpanchis.pe",
    "lider@demo.kallpanchis.pe",
    "presupuesto.anta@demo.kallpanchis.pe",
    "coordinadora@demo.kallpanchis.pe",
]
# Object pages of the journeys, found in the demo data (as the people above see them).
PATHS_SCRIPT = """
import json
from spaces.models import ConcertationSpace, Meeting
from producers.models import ProducerAssociation, OperatingPlan
from producers.demo import DEMO_LEADER_ASSOCIATION
from budgets.models import BudgetCycle
from municipalities.models import Municipality
anta = "0803"
space = ConcertationSpace.objects.filter(municipality__province__code=anta).order_by("pk").first()
meeting = Meeting.objects.filter(space__municipality__province__code=anta).order_by("-pk").first()
association = ProducerAssociation.objects.get(organisation__name=DEMO_LEADER_ASSOCIATION)
plan = OperatingPlan.objects.filter(association=association).order_by("-pk").first()
cycle = BudgetCycle.objects.filter(municipality__province__code=anta).order_by("pk").first()
municipality = Municipality.objects.filter(province__code=anta).order_by("pk").first()
paths = {
    "space": space and f"/spaces/{space.pk}/",
    "meeting": meeting and f"/spaces/meetings/{meeting.pk}/",
    "association": f"/producers/{association.pk}/",
    "production": f"/producers/{association.pk}/production/",
    "plan": plan and f"/producers/plans/{plan.pk}/",
    "cycle": cycle and f"/budgets/{cycle.pk}/",
    "ranking": cycle and f"/budgets/{cycle.pk}/ranking/",
    "execution": cycle and f"/budgets/{cycle.pk}/execution/",
    "public_cycle": cycle and f"/budgets/public/{cycle.pk}/",
    "municipality": municipality and f"/municipalities/{municipality.pk}/",
}
print(json.dumps(paths))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kallpanchis.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    }
    subprocess.run(  # noqa: S603 (our own commands, fixed arguments)
        [PY, "scripts/services.py", DB],
        cwd=ROOT,
        env={**env, "DATABASE_URL": ""},
        check=True,
        capture_output=True,
    )
    manage = [PY, "manage.py"]
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["load_territory"],
        ["seed_demo"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603

    def manage_out(*args, stdin=None):
        return subprocess.run(  # noqa: S603 (our own commands, fixed arguments)
            [*manage, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True, input=stdin
        ).stdout

    cookies = manage_out("session_cookies", *PEOPLE)
    paths = manage_out("shell", "-v0", stdin=PATHS_SCRIPT).strip().splitlines()[-1]
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (our own server)
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "kallpanchis.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            WORKERS,
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # nosec B310: our own server on 127.0.0.1
                break
            except OSError:
                time.sleep(0.2)
        with tempfile.TemporaryDirectory() as tmp:
            prefix = str(Path(tmp) / "load")
            subprocess.run(  # noqa: S603 (our own commands, fixed arguments)
                [
                    str(ROOT / ".venv" / "bin" / "locust"),
                    "-f",
                    str(ROOT / "load" / "locustfile.py"),
                    "--headless",
                    "-u",
                    str(USERS),
                    "-r",
                    str(max(1, USERS // 10)),
                    "-t",
                    f"{SECONDS}s",
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--csv",
                    prefix,
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env={**env, "KP_SESSIONS": cookies, "KP_PATHS": paths},
                check=False,
            )
            with open(prefix + "_stats.csv") as f:
                rows = list(csv.DictReader(f))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\n{'request':45} {'n':>6} {'fail':>5} {'p50':>6} {'p95':>6}")
    total = None
    for row in rows:
        counts = f"{row['Request Count']:>6} {row['Failure Count']:>5}"
        line = f"{row['Name'][:45]:45} {counts} {row['50%']:>6} {row['95%']:>6}"
        if row["Name"] == "Aggregated":
            total = row
        print(line)
    p50, p95 = int(float(total["50%"])), int(float(total["95%"]))
    requests, errors = int(total["Request Count"]), int(total["Failure Count"])
    met = p95 <= P95_TARGET_MS and errors == 0 and requests > 0
    print(
        f"\n{USERS} users, {SECONDS} s: p50 {p50} ms, p95 {p95} ms (target ≤ {P95_TARGET_MS}), "
        f"{requests} requests, {errors} errors (target 0): {'met' if met else 'NOT met'}"
    )
    print(f"LOADTEST p50={p50} p95={p95} requests={requests} errors={errors}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
