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
import subprocess
import sys
import tempfile
from pathlib import Path

from demo_server import demo_prepare, gunicorn, manage_out, production_env

ROOT = Path(__file__).resolve().parent.parent
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


def main() -> int:
    env = production_env(DB, CHROME_PATH="/usr/bin/chromium")
    demo_prepare(env, DB)
    people = sorted({who for who, _ in PAGES if who})
    cookies = json.loads(manage_out(env, "session_cookies", *people))
    objects = json.loads(manage_out(env, "shell", "-v0", stdin=OBJECT_PATHS).strip().splitlines()[-1])
    rows, failed = [], False
    load_before = os.getloadavg()
    only = [w for w in os.environ.get("LIGHTHOUSE_ONLY", "").split(",") if w]
    keep = os.environ.get("LIGHTHOUSE_REPORTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
    with gunicorn(env, workers=2) as base, tempfile.TemporaryDirectory() as tmp:
        for who, page in PAGES:
            path = objects[page.strip("{}")] if page.startswith("{") else page
            if only and not any(w in page or w in path for w in only):
                continue
            for profile, flags in PROFILES.items():
                out = Path(tmp) / "report.json"
                command = [
                    LIGHTHOUSE,
                    f"{base}{path}",
                    "--quiet",
                    "--output=json",
                    f"--output-path={out}",
                    "--only-categories=performance,accessibility",
                    f"--chrome-flags={CHROME_FLAGS}",
                    *flags,
                ]
                if who:
                    command.append("--extra-headers=" + json.dumps({"Cookie": f"sessionid={cookies[who]}"}))
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
