"""`make lighthouse`: Lighthouse 12 on the main pages, mobile profile and rural profile, against a
production-like server (gunicorn, compressed static files, DEBUG off) with the demo data.

Prints one table of scores and exits 1 if a target is missed:
performance ≥ 95 (≥ 80 on the rural profile: 400 ms round trip, 400 kbit/s, CPU slowed 4×),
accessibility ≥ 95. The load average is printed before and after: the performance score measures the
machine as much as the pages (the rural profile multiplies the CPU time it observes by 4).

LIGHTHOUSE_ONLY="log,dashboard" runs only the pages whose path (or object name) holds one of the words;
LIGHTHOUSE_REPORTS=dir keeps every JSON report there, to read what costs the score.
"""

import json
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
LIGHTHOUSE = str(ROOT / "node_modules" / ".bin" / "lighthouse")
DB = "kallpanchis_lighthouse"
TECHNICIAN = "tecnico.anta@demo.kallpanchis.pe"
LEADER = "lider@demo.kallpanchis.pe"
COORDINATOR = "coordinadora@demo.kallpanchis.pe"
BUDGET_TEAM = "presupuesto.anta@demo.kallpanchis.pe"
# (who, path): who is None for an anonymous visit, else a demo e-mail. A path in braces names an object
# page found in the demo data by OBJECT_PATHS. Add pages here as apps grow.
PAGES = [
    (None, "/"),
    (None, "/accounts/login/"),
    (TECHNICIAN, "/"),
    (TECHNICIAN, "/municipalities/"),
    (TECHNICIAN, "/spaces/"),
    (TECHNICIAN, "/spaces/meetings/"),
    (TECHNICIAN, "{meeting_log}"),
    (LEADER, "/"),
    (LEADER, "{association}"),
    (LEADER, "{plan_edit}"),
    (LEADER, "{production}"),
    (COORDINATOR, "/"),
    (COORDINATOR, "/dashboard/"),
    (BUDGET_TEAM, "/"),
    (BUDGET_TEAM, "{cycle_timeline}"),
]
# The object pages of the journeys, as the people above see them (printed as JSON by `manage.py shell`).
OBJECT_PATHS = """
import json
from spaces.models import Meeting
from producers.models import OperatingPlan, ProducerAssociation
from producers.demo import DEMO_LEADER_ASSOCIATION
from budgets.models import BudgetCycle
anta = "0803"
meetings = Meeting.objects.filter(space__municipality__province__code=anta).exclude(status="cancelled")
meeting = meetings.filter(status="planned").order_by("starts_at").first() or meetings.order_by("-pk").first()
association = ProducerAssociation.objects.get(organisation__name=DEMO_LEADER_ASSOCIATION)
plans = OperatingPlan.objects.filter(association=association).order_by("-year", "-pk")
plan = next((p for p in plans if p.is_editable), None)
cycle = BudgetCycle.objects.filter(municipality__province__code=anta).order_by("pk").first()
print(json.dumps({
    "meeting_log": f"/spaces/meetings/{meeting.pk}/log/",
    "plan_edit": f"/producers/plans/{plan.pk}/edit/" if plan else f"/producers/{association.pk}/plans/new/",
    "association": f"/producers/{association.pk}/",
    "production": f"/producers/{association.pk}/production/",
    "cycle_timeline": f"/budgets/{cycle.pk}/calendar/",
}))
"""
PROFILES = {
    "mobile": [],
    "rural": [
        "--throttling-method=simulate",
        "--throttling.rttMs=400",
        "--throttling.throughputKbps=400",
        "--throttling.cpuSlowdownMultiplier=4",
    ],
}
TARGETS = {
    "mobile": {"performance": 95, "accessibility": 95},
    "rural": {"performance": 80, "accessibility": 95},
}
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
)


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
        "CHROME_PATH": "/usr/bin/chromium",
    }
    subprocess.run(
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
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    people = sorted({who for who, _ in PAGES if who})
    cookies = json.loads(
        subprocess.run(
            [*manage, "session_cookies", *people],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    objects = json.loads(
        subprocess.run(
            [*manage, "shell", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            input=OBJECT_PATHS,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "kallpanchis.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    rows, failed = [], False
    load_before = os.getloadavg()
    only = [w for w in os.environ.get("LIGHTHOUSE_ONLY", "").split(",") if w]
    keep = os.environ.get("LIGHTHOUSE_REPORTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310  # nosec B310: our own server
                break
            except OSError:
                time.sleep(0.2)
        with tempfile.TemporaryDirectory() as tmp:
            for who, page in PAGES:
                path = objects[page.strip("{}")] if page.startswith("{") else page
                if only and not any(w in page or w in path for w in only):
                    continue
                for profile, flags in PROFILES.items():
                    out = Path(tmp) / "report.json"
                    command = [
                        LIGHTHOUSE,
                        f"http://127.0.0.1:{port}{path}",
                        "--quiet",
                        "--output=json",
                        f"--output-path={out}",
                        "--only-categories=performance,accessibility",
                        f"--chrome-flags={CHROME_FLAGS}",
                        *flags,
                    ]
                    if who:
                        command.append(
                            "--extra-headers=" + json.dumps({"Cookie": f"sessionid={cookies[who]}"})
                        )
                    # Lighthouse itself sometimes fails to measure on a busy machine (NO_NAVSTART, NO_FCP:
                    # score 0 whatever the page): one more try before the row says so.
                    for _attempt in range(2):
                        out.unlink(missing_ok=True)
                        subprocess.run(
                            command,
                            env=env,
                            check=False,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                            timeout=240,
                        )
                        if out.exists() and not json.loads(out.read_text()).get("runtimeError"):
                            break
                    if not out.exists():
                        missing = (who or "anonymous", path, profile, "-", "-", "-", "-", "FAIL (no report)")
                        rows.append(missing)
                        failed = True
                        continue
                    report = json.loads(out.read_text())
                    if keep:
                        name = f"{(who or 'anonymous').split('@')[0]}{path}".replace("/", "_")
                        (Path(keep) / f"{name}-{profile}.json").write_text(out.read_text())
                    scores = {
                        k: round((report["categories"][k]["score"] or 0) * 100)
                        for k in ("performance", "accessibility")
                    }
                    ok = all(scores[k] >= v for k, v in TARGETS[profile].items())
                    failed |= not ok
                    final = report.get("finalDisplayedUrl", "")
                    note = "" if final.endswith(path) else f" (ended at {final})"
                    if report.get("runtimeError"):
                        note += f" ({report['runtimeError'].get('code')})"
                    audits = report["audits"]
                    lcp = audits["largest-contentful-paint"].get("numericValue") or 0
                    tbt = audits["total-blocking-time"].get("numericValue") or 0
                    rows.append(
                        (
                            who or "anonymous",
                            path,
                            profile,
                            scores["performance"],
                            scores["accessibility"],
                            f"{lcp / 1000:.1f}",
                            round(tbt),
                            ("ok" if ok else "BELOW TARGET") + note,
                        )
                    )
                    out.unlink()
    finally:
        server.terminate()
    load_after = os.getloadavg()
    for row in [("who", "page", "profile", "perf", "a11y", "LCP s", "TBT ms", "result"), *rows]:
        print(
            f"{row[0]:<36} {row[1]:<28} {row[2]:<8} {row[3]:>4} {row[4]:>4} {row[5]:>5} {row[6]:>6}  {row[7]}"
        )
    print("targets: performance ≥ 95 (rural ≥ 80), accessibility ≥ 95")
    print(
        f"load average (1 min) before {load_before[0]:.2f}, after {load_after[0]:.2f}"
        f" on {os.cpu_count()} CPUs"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
