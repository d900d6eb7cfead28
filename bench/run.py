"""Measure the heavy pages at 10× the seed next to the smallest Django view, on one gunicorn server.

    DATABASE_URL=... python -m bench.run [--requests 200] [--workers 2]

For each page: warm-up, then N sequential requests (median and p95 of the time to the full response,
which on 127.0.0.1 is server time), then a few seconds of concurrent requests (throughput). Prints a
table and one JSON line. Pages belonging to other apps are measured if their URL exists.
"""

import argparse
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))

import django  # noqa: E402

django.setup()

from django.urls import NoReverseMatch, reverse  # noqa: E402

TARGET_MEDIAN_MS, TARGET_P95_MS, TARGET_THROUGHPUT = 50, 150, 0.30


def bench_session() -> str:
    """A signed-in coordinator with TOTP (the MFA requirement is met), as a session cookie value."""
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from kallpanchis.accounts.models import RoleAssignment, User
    from kallpanchis.organisations.models import Organisation
    from kallpanchis.organisations.services import organisation_ensure

    avsf = organisation_ensure(
        name="AVSF", kind=Organisation.Kind.NGO, consortium_role=Organisation.ConsortiumRole.COORDINATION
    )
    user, _ = User.objects.get_or_create(
        email="bench.coordinator@example.pe", defaults={"first_name": "Bench"}
    )
    RoleAssignment.objects.get_or_create(user=user, role="coordinator", organisation=avsf)
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def pages() -> list[tuple[str, str | None]]:
    """(label, path or None when the page does not exist)."""
    from producers.models import ProducerAssociation

    def url(name, *args, query=""):
        try:
            return reverse(name, args=args) + (f"?{query}" if query else "")
        except NoReverseMatch:
            return None

    busiest = ProducerAssociation.objects.order_by("pk").values_list("pk", flat=True).first()
    return [
        ("minimal Django view (floor)", url("dashboard:floor")),
        ("dashboard", url("dashboard:dashboard")),
        (
            "dashboard Chumbivilcas/milk/2009",
            url("dashboard:dashboard", query="province=0807&line=milk&year_from=2009&year_to=2009"),
        ),
        ("dashboard map", url("dashboard:map", query="indicator=milk_litres")),
        ("meeting list", url("spaces:meeting_list")),
        ("agreements register", url("spaces:agreement_list")),
        ("plan review list", url("producers:plan_list", query="status=submitted")),
        ("production table (500 months)", url("producers:production_list", busiest) if busiest else None),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, cookie: str) -> tuple[int, float, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "es"})
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    return response.status, elapsed * 1000, body


def throughput(port: int, path: str, cookie: str, seconds: float, clients: int) -> float:
    done = []
    stop = time.perf_counter() + seconds

    def worker():
        n = 0
        while time.perf_counter() < stop:
            get(port, path, cookie)
            n += 1
        done.append(n)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 2))
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()

    from django.conf import settings

    cookie = f"{settings.SESSION_COOKIE_NAME}={bench_session()}"
    port = free_port()
    root = Path(__file__).resolve().parent.parent
    server = subprocess.Popen(  # noqa: S603
        [
            str(root / ".venv" / "bin" / "gunicorn"),
            "kallpanchis.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=root,
        env={**os.environ},
    )
    try:
        for _ in range(100):
            try:
                get(port, reverse("dashboard:floor"), cookie)
                break
            except OSError:
                time.sleep(0.2)
        results = []
        for label, path in pages():
            if path is None:
                results.append({"page": label, "missing": True})
                continue
            status, _, body = get(port, path, cookie)
            if status != 200:
                raise SystemExit(
                    f"bench: {path} answered {status}; is the data generated and the user signed in?"
                )
            for _ in range(args.warmup):
                get(port, path, cookie)
            times = sorted(get(port, path, cookie)[1] for _ in range(args.requests))
            results.append(
                {
                    "page": label,
                    "path": path,
                    "bytes": len(body),
                    "median_ms": round(statistics.median(times), 1),
                    "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
                    "rps": round(throughput(port, path, cookie, args.seconds, args.clients), 1),
                }
            )
    finally:
        server.terminate()
        server.wait(timeout=20)

    floor = results[0]
    print(f"\n{'page':<36} {'median ms':>10} {'p95 ms':>8} {'req/s':>7} {'vs floor':>9}  verdict")
    ok = True
    for r in results:
        if r.get("missing"):
            print(f"{r['page']:<36} {'(page not published by its app yet)':>40}")
            continue
        r["throughput_vs_floor"] = round(r["rps"] / floor["rps"], 2)
        passed = r is floor or (
            r["median_ms"] <= TARGET_MEDIAN_MS
            and r["p95_ms"] <= TARGET_P95_MS
            and r["throughput_vs_floor"] >= TARGET_THROUGHPUT
        )
        r["meets_targets"] = passed
        ok &= passed
        print(
            f"{r['page']:<36} {r['median_ms']:>10} {r['p95_ms']:>8} {r['rps']:>7} "
            f"{r['throughput_vs_floor']:>8.0%}  {'ok' if passed else 'MISSES TARGET'}"
        )
    print(
        f"targets: median ≤ {TARGET_MEDIAN_MS} ms, p95 ≤ {TARGET_P95_MS} ms, throughput ≥ "
        f"{TARGET_THROUGHPUT:.0%} of the floor; {args.requests} requests per page, "
        f"{args.workers} gunicorn workers, {args.clients} concurrent clients for {args.seconds:.0f} s"
    )
    print(json.dumps({"bench": results, "all_targets_met": ok}))
    sys.exit(0)


if __name__ == "__main__":
    main()
