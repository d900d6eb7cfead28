"""`make check-all`: every quality gate (docs/quality.md), one after the other, and ONE summary table.

Each check is a Makefile target (so it runs exactly as anyone runs it); its output goes to the terminal and
to .check-all/<check>.log, and the figure is read from it. Exit status: 0 when every target was met.
CHECKS="lint bandit" runs only those; LOAD_SECONDS etc. pass through to the targets.
The "load" column is the machine's 1-minute load average when the check started and when it ended: timings
and Lighthouse's performance score measure the machine as much as the code, so read them next to it.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / ".check-all"


def _lint(out, code):
    errors = re.findall(r"Found (\d+) error", out)
    unformatted = re.findall(r"(\d+) files? would be reformatted", out)
    figure = f"{sum(map(int, errors))} lint errors, {sum(map(int, unformatted))} files to format"
    return figure, "0 and 0", code == 0


def _deploy(out, code):
    found = re.search(r"System check identified (\d+) issue", out)
    figure = f"{found.group(1) if found else 0} issues" if code == 0 or found else "did not run"
    return figure, "0 warnings", code == 0


def _bandit(out, code):
    found = re.search(r"BANDIT findings \(medium or higher\): (\d+)", out)
    n = int(found.group(1)) if found else -1
    return (f"{n} findings" if n >= 0 else "did not run"), "0 (or each justified in place)", n == 0


def _pytest(out, code):
    summary = re.findall(r"^=*\s*(\d+ (?:passed|failed|error).*?) in ([\d.]+)s", out, re.M)
    if not summary:
        return "no summary", "0 failed", False
    text, seconds = summary[-1]
    return (
        f"{text} in {float(seconds) / 60:.1f} min",
        "0 failed, ≤ 20 min",
        code == 0 and float(seconds) < 1200,
    )


def _lighthouse(out, code):
    rows = re.findall(r"^\S+\s+\S+\s+(mobile|rural)\s+(\d+)\s+(\d+)\s+", out, re.M)
    if not rows:
        return "no scores", "perf ≥ 95 (rural ≥ 80), a11y ≥ 95", False
    mobile = [int(p) for prof, p, _a in rows if prof == "mobile"]
    rural = [int(p) for prof, p, _a in rows if prof == "rural"]
    a11y = [int(a) for _p, _s, a in rows]
    figure = (
        f"perf min {min(mobile, default=0)} (rural {min(rural, default=0)}), a11y min {min(a11y)}, "
        f"{len(rows)} runs"
    )
    return figure, "perf ≥ 95 (rural ≥ 80), a11y ≥ 95", code == 0


def _loadtest(out, code):
    found = re.search(r"LOADTEST p50=(\d+) p95=(\d+) requests=(\d+) errors=(\d+)", out)
    if not found:
        return "did not finish", "p95 ≤ 300 ms, 0 errors", False
    p50, p95, requests, errors = map(int, found.groups())
    users = os.environ.get("LOAD_USERS", "50")
    seconds = os.environ.get("LOAD_SECONDS", "300")
    figure = f"p50 {p50} ms, p95 {p95} ms, {errors} errors / {requests} ({users} users, {seconds} s)"
    return figure, "p95 ≤ 300 ms, 0 errors", code == 0


CHECKS = [
    ("lint", ["make", "lint"], _lint),
    ("deploy check", ["make", "deploy-check"], _deploy),
    ("bandit", ["make", "bandit"], _bandit),
    # `make test` without its lint and deploy-check steps (rows of their own above), so one lint error does
    # not hide the suite's figures.
    (
        "pytest",
        [
            "bash",
            "-c",
            'make -s messages && eval "$(.venv/bin/python scripts/services.py kallpanchis)" && '
            ".venv/bin/python manage.py makemigrations --check --dry-run && .venv/bin/pytest $PYTEST_ARGS",
        ],
        _pytest,
    ),
    ("lighthouse", ["make", "lighthouse"], _lighthouse),
    ("loadtest", ["make", "loadtest"], _loadtest),
]


def run(name, command):
    LOGS.mkdir(exist_ok=True)
    log = LOGS / (name.replace(" ", "-") + ".log")
    print(f"\n===== {name}: {' '.join(command)}", flush=True)
    started = time.monotonic()
    with subprocess.Popen(  # noqa: S603 (our own Makefile targets)
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        lines = []
        for line in process.stdout:
            sys.stdout.write(line)
            lines.append(line)
        code = process.wait()
    out = "".join(lines)
    log.write_text(out)
    return out, code, time.monotonic() - started


def main() -> int:
    wanted = os.environ.get("CHECKS", "").split()
    rows = []
    for name, command, read in CHECKS:
        if wanted and name.split()[0] not in wanted:
            continue
        load_before = os.getloadavg()[0]
        out, code, seconds = run(name, command)
        load = f"{load_before:.1f} → {os.getloadavg()[0]:.1f}"
        figure, target, met = read(out, code)
        rows.append((name, figure, target, "yes" if met else "NO", f"{seconds:.0f} s", load))
    head = ("check", "figure", "target", "met?", "took", "load")
    widths = [max(len(str(row[i])) for row in [head, *rows]) for i in range(len(head))]
    line = "  ".join("{:<" + str(w) + "}" for w in widths)
    print(f"\n{os.cpu_count()} CPUs; load = 1-minute load average at the start → end of the check")
    print(line.format(*head))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))
    return 0 if all(row[3] == "yes" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
