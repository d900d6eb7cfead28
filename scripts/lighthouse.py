"""`make lighthouse`: Lighthouse 12 on the main pages, mobile profile and rural profile, against a
production-like server (gunicorn, compressed static files, DEBUG off) with the demo data.

Prints one table of scores and exits 1 if a target is missed:
performance ≥ 95 (≥ 80 on the rural profile: 400 ms round trip, 400 kbit/s, CPU slowed 4×),
accessibility ≥ 95.
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
# (who, path): who is None for an anonymous visit, else a demo e-mail. Add pages here as apps grow.
PAGES = [
    (None, "/"),
    (None, "/accounts/login/"),
    ("tecnico.anta@demo.kallpanchis.pe", "/"),
    ("tecnico.anta@demo.kallpanchis.pe", "/municipalities/"),
    ("tecnico.anta@demo.kallpanchis.pe", "/spaces/"),
    ("lider@demo.kallpanchis.pe", "/producers/"),
    ("coordinadora@demo.kallpanchis.pe", "/dashboard/"),
]
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
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310  # nosec B310: our own server
                break
            except OSError:
                time.sleep(0.2)
        with tempfile.TemporaryDirectory() as tmp:
            for who, path in PAGES:
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
                    subprocess.run(
                        command,
                        env=env,
                        check=False,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                        timeout=240,
                    )
                    if not out.exists():
                        rows.append((who or "anonymous", path, profile, "-", "-", "FAIL (no report)"))
                        failed = True
                        continue
                    report = json.loads(out.read_text())
                    scores = {
                        k: round((report["categories"][k]["score"] or 0) * 100)
                        for k in ("performance", "accessibility")
                    }
                    ok = all(scores[k] >= v for k, v in TARGETS[profile].items())
                    failed |= not ok
                    final = report.get("finalDisplayedUrl", "")
                    note = "" if final.endswith(path) else f" (ended at {final})"
                    rows.append(
                        (
                            who or "anonymous",
                            path,
                            profile,
                            scores["performance"],
                            scores["accessibility"],
                            ("ok" if ok else "BELOW TARGET") + note,
                        )
                    )
                    out.unlink()
    finally:
        server.terminate()
    print(f"{'who':<36} {'page':<20} {'profile':<8} {'perf':>4} {'a11y':>4}  result")
    for row in rows:
        print(f"{row[0]:<36} {row[1]:<20} {row[2]:<8} {row[3]:>4} {row[4]:>4}  {row[5]}")
    print("targets: performance ≥ 95 (rural ≥ 80), accessibility ≥ 95")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
