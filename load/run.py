"""`make loadtest`: locust, headless, against gunicorn on 127.0.0.1 with the demo data in its own database.

50 users (LOAD_USERS) for 5 minutes (LOAD_SECONDS), doing the journeys' GET requests (load/locustfile.py)
as signed-in demo people. Prints p50 / p95 / requests / errors and exits non-zero when p95 > 300 ms or any
request failed. The last line is machine-readable for scripts/check_all.py:
    LOADTEST p50=.. p95=.. requests=.. errors=..
"""

import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))  # run as `python load/run.py`: the shared demo server is there
from demo_server import demo_prepare, gunicorn, manage_out, production_env  # noqa: E402

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


def main() -> int:
    env = production_env(DB)
    demo_prepare(env, DB)
    cookies = manage_out(env, "session_cookies", *PEOPLE)
    paths = manage_out(env, "shell", "-v0", stdin=PATHS_SCRIPT).strip().splitlines()[-1]
    with gunicorn(env, workers=WORKERS) as base:
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
                    base,
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
