"""Measure the heavy pages next to the smallest Django view, on one gunicorn server, at one or several sizes
of the data.

    python -m bench.run [--scale 1,10,30] [--requests 200] [--workers 2]

Each scale N (times the seed) has its own database: BENCH_DATABASE_URL (kallpanchis_bench) for 10, the same
name with `_Nx` for the others; each is created, migrated and filled (bench/scale.py) the first time. With
several scales, the pages are measured on each in turn and a growth table compares each page's median.

For each page: warm-up, then N sequential requests (median and p95 of the time to the full response,
which on 127.0.0.1 is server time), then a few seconds of concurrent requests (throughput) in turns of
half a second with as many of the minimal view, the floor its share is taken of: both under the same
machine, whose speed moves within a run. The floor alone at the start and the end gives the run's best
floor, a second share for reading. Prints a table and one JSON line. Pages belonging to other apps are
measured if their URL exists.
"""

import argparse
import concurrent.futures
import contextlib
import http.client
import itertools
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
# A marker on the path (never sent), followed by a kind of row in ROW_WRITES: before each request, one row of
# the table the page lists, on its first page, is written (see write_a_row).
AFTER_A_WRITE = "#after-a-write="
AS = "#as="  # a marker on the path (never sent): ask as the person of this role (see bench_session)
GROWTH_TARGET = 2.0  # a page's median at the largest scale / at the smallest
COOKIES: dict[str, str] = {}  # role -> the session cookie of the bench's person of that role
# The people whose home pages are measured: their role and what their assignment is to.
HOMES = [
    ("coordinator", "consortium"),
    ("partner_staff", "consortium"),
    ("municipal_admin", "municipality"),
    ("technician", "municipality"),
    ("technical_team", "municipality"),  # the participatory budget's Equipo Técnico
    ("leader", "association"),
    ("viewer", "municipality"),
]


def _coordinator():
    from kallpanchis.accounts.models import User

    return User.objects.get(email="bench.coordinator@example.pe")  # made by bench_session()


def _meeting_rows():
    from django.utils import timezone

    from spaces.selectors import meetings_for_user

    return meetings_for_user(user=_coordinator(), without_upcoming_from=timezone.localdate())


def _agreement_rows():
    from spaces.selectors import agreements_for_user

    return agreements_for_user(user=_coordinator())


def _plan_rows():
    from producers.selectors import plans_for_review

    return plans_for_review(user=_coordinator(), status="submitted")


def _month_rows():
    from producers.models import ProducerAssociation
    from producers.selectors import production_for_association

    busiest = ProducerAssociation.objects.order_by("pk").first()
    return production_for_association(association=busiest)


def _attendance_rows():
    from spaces.models import Attendance

    return Attendance.objects.order_by("pk")


def _target_rows():
    from django.db.models import Case, When
    from django.utils import timezone

    from results.models import Target

    # the scorecard shows every target of its year; another year's is one it does not show
    this_year = timezone.localdate().year
    return Target.objects.order_by(Case(When(year=this_year, then=0), default=1), "-year", "pk")


# kind -> (the UPDATE, the new value made from a number never used before, the rows in the list's order: the
# first is on the page, the last is not)
ROW_WRITES = {
    "meeting": ("UPDATE spaces_meeting SET title = %s WHERE id = %s", "Reunión {n}", _meeting_rows),
    "agreement": (
        "UPDATE spaces_agreement SET responsible_person = %s WHERE id = %s",
        "Persona {n}",
        _agreement_rows,
    ),
    "plan": (
        "UPDATE producers_operatingplan SET submitted_at = to_timestamp(%s) WHERE id = %s",
        "{n}",
        _plan_rows,
    ),
    "month": ("UPDATE producers_productionrecord SET milk_sold_l = %s WHERE id = %s", "{n}", _month_rows),
    "attendance": ("UPDATE spaces_attendance SET role = %s WHERE id = %s", "Rol {n}", _attendance_rows),
    # a reported value, once approved, is corrected by a new version only: a target is written in place
    "target": ("UPDATE results_target SET value = %s WHERE id = %s", "{n}", _target_rows),
}
SHOWN = "+shown"  # after the kind: the row written is the first the page shows, not one it does not show
_rows_written: dict[str, int] = {}
_numbers = itertools.count(int(time.time()))


def vacuum_versions() -> None:
    """What autovacuum does in production to the data versions' step rows (kallpanchis/core/migrations/0003):
    autovacuum is off on the bench's machines, and every write of the lines "after a write" leaves dead rows
    that each reader would scan."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM kallpanchis_data_version")


def write_a_row(kind: str) -> None:
    """What the first request after a write finds: one row of the table the page lists changed, through SQL
    like any write (its triggers step its table's and its group's versions), to a value it never had. The
    row is one the page does not show (most writes: the page's rows stay as they were, not what was read
    from that table), or with SHOWN the first row it shows (that row and the block around it are made
    again too)."""
    from django.db import connection

    base = kind.removesuffix(SHOWN)
    sql, value, rows = ROW_WRITES[base]
    if kind not in _rows_written:
        pks = rows().values_list("pk", flat=True)
        _rows_written[kind] = pks[0] if kind.endswith(SHOWN) else pks.reverse()[0]
    with connection.cursor() as cursor:
        cursor.execute(sql, [value.format(n=next(_numbers)), _rows_written[kind]])


def bench_session(role: str = "coordinator") -> str:
    """A signed-in person of `role` with TOTP (the MFA requirement is met), as a session cookie value: the
    coordinator of AVSF; a partner's staff; municipal roles in the first provincial municipality; a leader
    of the first association."""
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from kallpanchis.accounts.models import RoleAssignment, User
    from kallpanchis.organisations.models import Organisation
    from kallpanchis.organisations.services import organisation_ensure

    where = dict(HOMES).get(role, "consortium")
    if role == "coordinator":
        organisation = organisation_ensure(
            name="AVSF", kind=Organisation.Kind.NGO, consortium_role=Organisation.ConsortiumRole.COORDINATION
        )
    elif where == "consortium":
        organisation = organisation_ensure(
            name="Bench partner",
            kind=Organisation.Kind.NGO,
            consortium_role=Organisation.ConsortiumRole.PRODUCTION,
        )
    elif where == "municipality":
        from municipalities.models import Municipality

        organisation = Municipality.objects.order_by("pk").first().organisation
    else:
        from producers.models import ProducerAssociation

        organisation = ProducerAssociation.objects.order_by("pk").first().organisation
    email = "bench.coordinator@example.pe" if role == "coordinator" else f"bench.{role}@example.pe"
    user, _ = User.objects.get_or_create(email=email, defaults={"first_name": "Bench"})
    RoleAssignment.objects.get_or_create(user=user, role=role, organisation=organisation)
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def roles() -> list[str]:
    """The roles of HOMES this version of the accounts app has."""
    from kallpanchis.accounts.models import Role

    return [role for role, _ in HOMES if role in Role.values]


def pages() -> list[tuple[str, str | None]]:
    """(label, path or None when the page does not exist)."""
    from producers.models import ProducerAssociation

    def url(name, *args, query=""):
        try:
            return reverse(name, args=args) + (f"?{query}" if query else "")
        except NoReverseMatch:
            return None

    busiest = ProducerAssociation.objects.order_by("pk").values_list("pk", flat=True).first()
    floor = url("bench_floor")
    result = [
        ("minimal Django view (floor)", floor),
        # What the write before each request of the "after a write" lines costs by itself (the bench's
        # clients make it, on the same cores): those lines' throughput cannot pass these.
        *(
            (f"minimal Django view, after a write ({kind})", f"{floor}{AFTER_A_WRITE}{kind}")
            for kind in ("meeting", "agreement", "plan", "month", "target")
        ),
        # Each role's home page: what is due for that person.
        *((f"home page ({role})", url("home") and url("home") + f"{AS}{role}") for role in roles()),
        ("dashboard", url("dashboard:dashboard")),
        (
            "dashboard Chumbivilcas/milk/2009",
            url("dashboard:dashboard", query="province=0807&line=milk&year_from=2009&year_to=2009"),
        ),
        ("dashboard map", url("dashboard:map", query="indicator=milk_litres")),
        # Every request a combination not asked before: the figures block is computed, not cached.
        (
            "dashboard, cache cold (new filters)",
            url("dashboard:dashboard", query="province={province}&year_to={year}"),
        ),
    ]
    # The register of people (100,000 at 10×): a name typed in the search box, and the pickers' JSON.
    result += [
        ("person search /people/?q=quispe mamani", url("people:person_list", query="q=quispe+mamani")),
        ("person search.json ?q=hilaria quispe", url("people:person_search", query="q=hilaria+quispe")),
        ("person search.json ?q=<DNI>", url("people:person_search", query="q=40012345")),
    ]
    lists = [
        ("meeting list", url("spaces:meeting_list"), "meeting"),
        ("agreements register", url("spaces:agreement_list"), "agreement"),
        ("plan review list", url("producers:plan_list", query="status=submitted"), "plan"),
        (
            "production table (500 months)",
            url("producers:production_list", busiest) if busiest else None,
            "month",
        ),
    ]
    # Each list page three times: as most requests find it (its block cached), as the first request after a
    # write to its table finds it, and after a write to a row it shows (write_a_row before each request).
    for label, path, kind in lists:
        result += [
            (label, path),
            (f"{label}, after a write", path and f"{path}{AFTER_A_WRITE}{kind}"),
            (f"{label}, after a write to a row shown", path and f"{path}{AFTER_A_WRITE}{kind}{SHOWN}"),
        ]
    # Two lists after the commonest write of their group to a table they do not read: a meeting's attendance
    # (the agreements register), a month's production (the plans).
    for label, path, kind in (lists[1][:2] + ("attendance",), lists[2][:2] + ("month",)):
        result.append((f"{label}, after a write elsewhere ({kind})", path and f"{path}{AFTER_A_WRITE}{kind}"))
    # The read API's lists, a page of 50 each (signed in with the session: the coordinator's scope).
    for name in API_LISTS:
        result.append((f"API {name}, 50", url(f"api:{name}-list", query="page_size=50")))
    # The meeting log's attendance step for a space of 300 registered people (bench/attendance.py).
    from bench import attendance

    result += attendance.pages()
    # The results app's pages (its scorecard), when it is there and says which (bench/results.py).
    try:
        from bench import results as results_pages
    except ImportError:
        results_pages = None
    try:
        result += list(results_pages.pages()) if results_pages else [("results scorecard", None)]
    except (ImportError, LookupError, NoReverseMatch):  # the results app is not in this version
        result.append(("results scorecard", None))
    return result


API_LISTS = [
    "municipality",
    "space",
    "meeting",
    "agreement",
    "association",
    "plan",
    "budget-cycle",
    "agent",
    "proposal",
    "allocation",
    "score",
    "execution-update",
    "indicator",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, cookie: str) -> tuple[int, float, bytes]:
    if AFTER_A_WRITE in path:
        path, kind = path.split(AFTER_A_WRITE)
        write_a_row(kind)  # not timed
    if AS in path:
        path, role = path.split(AS)
        if role not in COOKIES:
            from django.conf import settings

            COOKIES[role] = f"{settings.SESSION_COOKIE_NAME}={bench_session(role)}"
        cookie = COOKIES[role]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "es"})
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    return response.status, elapsed * 1000, body


def _variants(path: str):
    """The same path forever, or, for a templated one, a new province × year × line each time."""
    import itertools

    if "{" not in path:
        return itertools.repeat(path)
    provinces = [
        "0801",
        "0802",
        "0803",
        "0804",
        "0805",
        "0806",
        "0807",
        "0808",
        "0809",
        "0810",
        "0811",
        "0812",
        "0813",
    ]
    lines = ["", "milk", "cheese", "guinea_pigs", "gastronomy"]
    from django.utils import timezone

    from kallpanchis.dashboard.forms import FIRST_YEAR

    # Only years the filter form accepts: another year is ignored, and the page would be the province's
    # alone, cached after its first request.
    years = range(FIRST_YEAR, timezone.localdate().year + 1)
    combos = itertools.product(lines, years, provinces)
    return (path.format(province=p, year=y) + (f"&line={line}" if line else "") for line, y, p in combos)


# The clients, kept for the whole run: each writes before its requests (write_a_row) on its own database
# connection, as a writer of the site does on its process's. New threads every half-second turn opened four
# connections per turn: a backend started and about 4 ms of the client's CPU each, taken from the page
# measured beside them (3-4 points of the floor on the lines after a write).
_pools: dict[int, concurrent.futures.ThreadPoolExecutor] = {}  # how many clients -> their threads


def _pool(clients: int) -> concurrent.futures.ThreadPoolExecutor:
    if clients not in _pools:
        _pools[clients] = concurrent.futures.ThreadPoolExecutor(clients, thread_name_prefix="bench-client")
    return _pools[clients]


def _served(port: int, paths, cookie: str, seconds: float, clients: int) -> tuple[int, float]:
    """(requests answered, seconds taken) by `clients` clients asking `paths` for `seconds`."""
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker() -> int:
        n = 0
        while time.perf_counter() < stop:
            with lock:
                path = next(paths)
            get(port, path, cookie)
            n += 1
        return n

    started = time.perf_counter()
    pool = _pool(clients)
    asked = [pool.submit(worker) for _ in range(clients)]
    answered = sum(future.result() for future in asked)
    return answered, time.perf_counter() - started


def throughput(port: int, paths, cookie: str, seconds: float, clients: int) -> float:
    answered, taken = _served(port, paths, cookie, seconds, clients)
    return answered / taken


TURN = 0.5  # seconds: the page and the floor beside it are asked in turns this long


def throughput_beside_the_floor(port: int, paths, cookie: str, seconds: float, clients: int):
    """(the page's throughput, the floor's) over `seconds` each, asked in turns of TURN seconds: both
    under the same machine. This machine's speed moves by a fifth within one run; a page measured while it
    is slow was compared with a floor measured while it was fast."""
    floor = itertools.repeat(reverse("bench_floor"))
    page_served, floor_served = [0, 0.0], [0, 0.0]
    for _ in range(max(1, round(seconds / TURN))):
        for served, asked in ((floor_served, floor), (page_served, paths)):
            answered, taken = _served(port, asked, cookie, TURN, clients)
            served[0] += answered
            served[1] += taken
    return page_served[0] / page_served[1], floor_served[0] / floor_served[1]


def scale_database(scale: int) -> str:
    """The database of `scale` times the seed: BENCH_DATABASE_URL for 10, `<name>_<N>x` for the others."""
    from urllib.parse import urlparse

    base = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kallpanchis_bench")
    if scale == 10:
        return base
    url = urlparse(base)
    return url._replace(path=f"{url.path}_{scale}x").geturl()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--scale", default="10", help="times the seed, one or several (1,10,30): data generated once each"
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument(
        "--budget", type=float, default=60.0, help="seconds of timed requests per page at most"
    )
    parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 2))
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument(
        "--only", default="", help="measure only the pages whose label contains this (e.g. API)"
    )
    parser.add_argument("--json", default="", help=argparse.SUPPRESS)  # one scale's results (a child run)
    args = parser.parse_args()
    if args.json:  # the database of one scale, prepared by the parent
        measure_here(args)
        return
    scales = [int(n) for n in args.scale.split(",")]
    root = Path(__file__).resolve().parent.parent
    python = str(root / ".venv" / "bin" / "python")
    runs = {}
    started = time.monotonic()
    for scale in scales:
        env = {
            **os.environ,
            "DATABASE_URL": scale_database(scale),
            "CACHE_KEY_PREFIX": f"kallpanchis-bench-{scale}x",
            "DJANGO_SETTINGS_MODULE": "bench.settings",
        }
        print(f"bench: {scale}× the seed ({env['DATABASE_URL'].rsplit('/', 1)[-1]})", flush=True)
        t = time.monotonic()
        for command in (
            [python, "-m", "bench.db"],
            [python, "manage.py", "migrate", "--noinput", "-v0"],
            [python, "-m", "bench.scale", "--scale", str(scale)],
        ):
            subprocess.run(command, cwd=root, env=env, check=True)  # noqa: S603
        print(f"bench: {scale}× data ready in {time.monotonic() - t:.0f} s", flush=True)
        out = Path(f"/tmp/kallpanchis-bench-{scale}x.json")  # noqa: S108
        child = [python, "-m", "bench.run", "--json", str(out), *sys.argv[1:]]
        subprocess.run(child, cwd=root, env=env, check=True)  # noqa: S603
        runs[scale] = json.loads(out.read_text())
    if len(scales) > 1:
        growth(runs)
    print(f"bench: {', '.join(f'{n}×' for n in scales)} measured in {time.monotonic() - started:.0f} s")
    print(json.dumps({"scales": runs}))


def measure_here(args) -> None:
    """Measure the pages on the database of DATABASE_URL; print the table, write the results as JSON."""
    from django.conf import settings

    forgotten = forget_own_cache()
    print(f"bench: {forgotten} cached values of earlier runs deleted", file=sys.stderr, flush=True)
    COOKIES["coordinator"] = cookie = f"{settings.SESSION_COOKIE_NAME}={bench_session()}"
    with gunicorn(args.workers, reverse("bench_floor"), cookie) as (port, _first):
        results = _measure(port, cookie, args)
    summary = _report(results, args)
    Path(args.json).write_text(json.dumps(summary))


def forget_own_cache() -> int:
    """Delete what earlier runs left in the cache under this scale's key prefix (only that prefix: Redis may
    be shared), so that every run starts cold: otherwise "new filters" would find the blocks a previous run
    computed for the same sequence of filters."""
    from django.conf import settings
    from django.core.cache import cache

    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    if not prefix or not hasattr(cache, "_cache"):
        return 0
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])
    return len(keys)


def growth(runs: dict[int, dict]) -> None:
    """Each page's median at every scale, and how many times the smallest scale's it is at the largest."""
    scales = sorted(runs)
    medians = {n: {r["page"]: r for r in runs[n]["bench"] if not r.get("missing")} for n in scales}
    first, last = scales[0], scales[-1]
    header = "".join(f"{f'{n}× ms':>10}" for n in scales)
    print(f"\ngrowth of the median, {first}× → {last}× (target ≤ {GROWTH_TARGET:g}×)")
    print(f"{'page':<46}{header} {'growth':>7}  verdict")
    for label in medians[first]:
        row = [medians[n].get(label) for n in scales]
        if any(r is None for r in row):
            continue
        ratio = row[-1]["median_ms"] / row[0]["median_ms"] if row[0]["median_ms"] else 0
        cells = "".join(f"{r['median_ms']:>10}" for r in row)
        verdict = "ok" if ratio <= GROWTH_TARGET else "GROWS"
        print(f"{label:<46}{cells} {ratio:>6.1f}×  {verdict}")
    loads = ", ".join(f"{n}×: {runs[n]['load']}" for n in scales)
    print(f"load average at the end of each scale's run: {loads}")


@contextlib.contextmanager
def gunicorn(workers: int, path: str, cookie: str):
    """The project on gunicorn (`workers` processes) on a free port, once it answers `path`: yields the port
    and that first answer (status, ms, body); stopped on leaving."""
    port = free_port()
    root = Path(__file__).resolve().parent.parent
    command = [str(root / ".venv" / "bin" / "gunicorn"), "kallpanchis.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=root, env={**os.environ})  # noqa: S603
    try:
        for _ in range(100):
            try:
                first = get(port, path, cookie)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("bench: gunicorn did not answer")
        yield port, first
    finally:
        server.terminate()
        server.wait(timeout=20)


def interleaved(port: int, path: str, cookie: str, *, warmup: int, requests: int) -> tuple[list, list]:
    """The page's times and the minimal view's, sorted, requested in turn so that both see the same load
    from the rest of the machine; after `warmup` rounds of both."""
    floor_path = reverse("bench_floor")
    for _ in range(warmup):
        get(port, path, cookie)
        get(port, floor_path, cookie)
    times, floor = [], []
    for _ in range(requests):
        times.append(get(port, path, cookie)[1])
        floor.append(get(port, floor_path, cookie)[1])
    return sorted(times), sorted(floor)


def _measure(port: int, cookie: str, args) -> list[dict]:
    results = []
    chosen = pages()
    if args.only:
        chosen = chosen[:1] + [(label, path) for label, path in chosen[1:] if args.only in label]
    for label, path in chosen:
        if path is None:
            results.append({"page": label, "missing": True})
            continue
        vacuum_versions()
        paths = _variants(path)
        status, _, body = get(port, next(paths), cookie)
        if status != 200:
            raise SystemExit(
                f"bench: {path} answered {status}; is the data generated and the user signed in?"
            )
        warm_until = time.perf_counter() + 10
        for _ in range(args.warmup):
            if time.perf_counter() > warm_until:
                break
            get(port, next(paths), cookie)
        # N requests, or fewer (20 at least) for a page so slow that N would take more than --budget seconds.
        times, deadline = [], time.perf_counter() + args.budget
        while len(times) < args.requests and (len(times) < 20 or time.perf_counter() < deadline):
            times.append(get(port, next(paths), cookie)[1])
        times.sort()
        rps, floor_rps = throughput_beside_the_floor(port, paths, cookie, args.seconds, args.clients)
        results.append(
            {
                "page": label,
                "path": path,
                "bytes": len(body),
                "requests": len(times),
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
                "rps": round(rps, 1),
                "floor_rps_beside": round(floor_rps, 1),
                "load": round(os.getloadavg()[0], 1),
            }
        )
        print(f"  measured {label}", file=sys.stderr, flush=True)
    # The floor alone again at the end: the higher of the two is the run's best floor ("vs best"), beside
    # the share judged, of the floor asked in turns with each page.
    floor = results[0]
    floor["rps_at_start"] = floor["rps"]
    floor["rps_at_end"] = round(
        throughput(port, _variants(floor["path"]), cookie, args.seconds, args.clients), 1
    )
    floor["rps"] = max(floor["rps_at_start"], floor["rps_at_end"])
    return results


def _report(results: list[dict], args) -> dict:
    """The table: each page's throughput against the floor asked in turns with it (the verdict), and, for
    reading it, against the run's best floor (at its start or its end) and the floor after the same
    write."""
    floor = results[0]
    scale = os.environ.get("CACHE_KEY_PREFIX", "").rsplit("-", 1)[-1]
    print(
        f"\n{scale:<46} {'n':>4} {'median ms':>10} {'p95 ms':>8} {'req/s':>7} {'floor':>7} {'vs floor':>9}"
        f" {'vs best':>8} {'load':>5}  verdict"
    )
    ok = True
    # The floor after each kind of write (pages()): beside a line after that write, for reading it.
    floors_after = {
        r["path"].split(AFTER_A_WRITE)[1]: r
        for r in results
        if r.get("path", "").startswith(floor["path"] + AFTER_A_WRITE)
    }
    for r in results:
        if r.get("missing"):
            print(f"{r['page']:<46} (page not published by its app: not measured)")
            continue
        r["throughput_vs_floor"] = round(r["rps"] / r["floor_rps_beside"], 2)
        r["throughput_vs_best_floor"] = round(r["rps"] / floor["rps"], 2)
        kind = r["path"].split(AFTER_A_WRITE)[1].removesuffix(SHOWN) if AFTER_A_WRITE in r["path"] else ""
        same_write = floors_after.get(kind)
        if same_write is not None and same_write is not r:
            r["throughput_vs_floor_after_the_write"] = round(r["rps"] / same_write["rps"], 2)
        passed = r is floor or (
            r["median_ms"] <= TARGET_MEDIAN_MS
            and r["p95_ms"] <= TARGET_P95_MS
            and r["throughput_vs_floor"] >= TARGET_THROUGHPUT
        )
        r["meets_targets"] = passed
        ok &= passed
        print(
            f"{r['page']:<46} {r['requests']:>4} {r['median_ms']:>10} {r['p95_ms']:>8} {r['rps']:>7} "
            f"{r['floor_rps_beside']:>7} {r['throughput_vs_floor']:>8.0%} "
            f"{r['throughput_vs_best_floor']:>8.0%} {r['load']:>5}  {'ok' if passed else 'MISSES TARGET'}"
            + (
                f" ({r['throughput_vs_floor_after_the_write']:.0%} of the floor after the same write)"
                if "throughput_vs_floor_after_the_write" in r
                else ""
            )
        )
    load = os.getloadavg()[0]
    print(
        f"floor alone: {floor['rps_at_start']} req/s at the start, {floor['rps_at_end']} at the end (the"
        " best is the one of 'vs best'); 'floor': the minimal view asked in turns with the page, the share"
        " judged"
    )
    print(
        f"targets: median ≤ {TARGET_MEDIAN_MS} ms, p95 ≤ {TARGET_P95_MS} ms, throughput ≥ "
        f"{TARGET_THROUGHPUT:.0%} of the floor; {args.workers} gunicorn workers, {args.clients} concurrent "
        f"clients for {args.seconds:.0f} s per page and as long for the floor beside it, in turns of"
        f" {TURN} s; {os.cpu_count()} CPUs, load average {load:.1f}"
    )
    summary = {"bench": results, "all_targets_met": ok, "cpus": os.cpu_count(), "load": round(load, 1)}
    return summary


if __name__ == "__main__":
    # Run as the module `bench.run`, not `__main__`: bench/attendance.py and bench/results.py import it, and
    # must share its globals (the role sessions in COOKIES), not a second copy.
    from bench import run

    run.main()
