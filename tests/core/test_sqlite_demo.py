"""`make run` on a machine without PostgreSQL: the demo on SQLite, end to end.

As the Makefile does it (dev settings; no Redis, so tasks run in-line), in subprocesses on a fresh SQLite
file: migrate, load_territory, seed_demo, then runserver; demo people sign in over HTTP and open the pages
they start from. Needs neither PostgreSQL nor Redis, so it runs in `make test` with or without them.
"""

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "kallpanchis-demo-2026"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Cookies, CSRF and sign-in by e-mail and password, over real HTTP."""

    def __init__(self, base: str, session: str | None = None):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        if session:
            host = urllib.parse.urlparse(base).hostname
            self.jar.set_cookie(
                http.cookiejar.Cookie(
                    0, "sessionid", session, None, False, host, False, False, "/", True, False, None,
                    False, None, None, {},
                )
            )  # fmt: skip

    def get(self, path: str) -> tuple[int, str, str]:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.status, response.geturl(), response.read().decode()

    def post(self, path: str, fields: dict, csrf_from: str) -> tuple[int, str, str]:
        _, _, page = self.get(csrf_from)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        headers = {"Referer": self.base + csrf_from}
        request = urllib.request.Request(self.base + path, data=data, headers=headers)  # noqa: S310  # http, our own server
        with self.opener.open(request, timeout=120) as response:
            return response.status, response.geturl(), response.read().decode()

    def sign_in(self, email: str) -> None:
        status, url, _ = self.post(
            "/accounts/login/", {"login": email, "password": PASSWORD}, csrf_from="/accounts/login/"
        )
        assert (status, urllib.parse.urlparse(url).path) == (200, "/"), (email, url)


def test_demo_runs_on_sqlite(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kallpanchis.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "REDIS_URL": "",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    manage("migrate", "--noinput", "-v0")
    manage("load_territory")
    assert "Demo ready." in manage("seed_demo")
    # The productive-line lookup the dashboard's figures use, on SQLite (json_each), against Python.
    counted, leaders_lines = manage(
        "shell",
        "-c",
        "from django.utils import translation; from producers.models import ProducerAssociation as A; "
        "print(A.objects.filter(productive_lines__has='cheese').count(), "
        "sum('cheese' in a.productive_lines for a in A.objects.all()), A.objects.count()); "
        "translation.activate('es'); "
        "leader = A.objects.get(organisation__name__endswith='Virgen de Natividad'); "
        "print(leader.get_productive_lines_display())",
    ).splitlines()[-2:]
    with_cheese, in_python, associations = counted.split()
    assert with_cheese == in_python and 0 < int(with_cheese) < int(associations), counted
    assert leaders_lines
    coordinator_session = json.loads(manage("session_cookies", "coordinadora@demo.kallpanchis.pe"))

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "runserver.log").open("w"),
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, login = Browser(base).get("/accounts/login/")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "runserver did not answer"
                time.sleep(0.5)
        assert status == 200
        assert 'name="login"' in login and 'name="password"' in login

        technician = Browser(base)
        technician.sign_in("tecnico.anta@demo.kallpanchis.pe")
        status, _, meetings = technician.get("/spaces/meetings/")
        assert status == 200
        assert "Espacio Técnico de Desarrollo Económico de Anta" in meetings
        assert len(re.findall(r"\d\d/\d\d/\d{4} \d\d:\d\d", meetings)) >= 5

        leader = Browser(base)
        leader.sign_in("lider@demo.kallpanchis.pe")
        status, _, plans = leader.get("/producers/plans/")
        assert status == 200
        plan_path = re.search(r'href="(/producers/plans/\d+/)"', plans).group(1)
        status, _, plan = leader.get(plan_path)
        assert status == 200 and "Virgen de Natividad" in plan
        association_path = re.search(r'href="(/producers/\d+/)"', plan).group(1)
        status, _, association = leader.get(association_path)
        assert status == 200 and f">{leaders_lines}</dd>" in association

        coordinator = Browser(base, session=coordinator_session["coordinadora@demo.kallpanchis.pe"])
        status, _, dashboard = coordinator.get("/dashboard/")
        assert status == 200
        # Figures were computed by seed_demo (dashboard facts on SQLite): a thousands-grouped total shows.
        assert re.search(r"\d{1,3}(,\d{3}){2,}", dashboard), "no figure on the dashboard"
        # Recomputing now runs in-line (no Redis): the rebuild without PostgreSQL's advisory lock.
        status, url, _ = coordinator.post("/dashboard/refresh/", {}, csrf_from="/dashboard/")
        assert status == 200 and urllib.parse.urlparse(url).path == "/dashboard/"
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "Traceback" not in (tmp_path / "runserver.log").read_text()
