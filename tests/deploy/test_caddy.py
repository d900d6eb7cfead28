"""The production stack over real HTTPS: deploy/Caddyfile run by Debian's caddy with its internal certificate
authority, on high ports, in front of gunicorn running the production settings on the test database.

What it shows: HTTP is redirected to HTTPS; HSTS (once), CSP and compression on the answers; the CSRF and
session cookies are Secure; static files come through the proxy; bodies over the upload limit are refused
by Caddy; uploaded files are not served by it; gunicorn listens on 127.0.0.1 only, so the admin and the API
are reachable through Caddy alone."""

import os
import re
import secrets
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from tests.accounts.factories import PASSWORD, UserFactory
from tests.local_services import free_port, port_open

ROOT = Path(__file__).resolve().parent.parent.parent
CADDY = shutil.which("caddy")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.skipif(
        CADDY is None,
        reason="caddy is not installed (make system-deps installs Debian's caddy package as root)",
    ),
]


def _wait(predicate, timeout: float, what: str, process=None, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            break
        if predicate():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start:\n" + (log.read_text()[-3000:] if log and log.exists() else ""))


def _listening_addresses(port: int) -> set[str]:
    """The local addresses with a TCP socket listening on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def _outside_address() -> str | None:
    """An address of this machine that is not loopback, to try gunicorn's port from "outside"."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: no packet is sent for a UDP connect
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


@pytest.fixture
def stack(tmp_path):
    """gunicorn (production settings, 127.0.0.1) and Caddy (deploy/Caddyfile, tls internal) in front."""
    static_root = tmp_path / "static"
    # The production storage reads the manifest of hashed names; collecting without WhiteNoise's
    # compression takes a few seconds instead of half a minute (WhiteNoise serves the plain files).
    manifest_storage = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    with override_settings(
        STATIC_ROOT=static_root, STORAGES={**settings.STORAGES, "staticfiles": manifest_storage}
    ):
        call_command("collectstatic", "--noinput", "-v0")

    g_port, http_port, https_port = free_port(), free_port(), free_port()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kallpanchis.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "localhost",
        "CSRF_TRUSTED_ORIGINS": f"https://localhost:{https_port}",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        + db["NAME"],
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "STATIC_ROOT": str(static_root),
    }
    g_log = tmp_path / "gunicorn.log"
    gunicorn = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "kallpanchis.wsgi:application",
            "-b",
            f"127.0.0.1:{g_port}",
            "-w",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=g_log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    c_log = tmp_path / "caddy.log"
    caddy = subprocess.Popen(
        [CADDY, "run", "--config", str(ROOT / "deploy/Caddyfile"), "--adapter", "caddyfile"],
        cwd=tmp_path,
        env={
            "PATH": os.environ["PATH"],
            "HOME": str(tmp_path),
            "XDG_DATA_HOME": str(tmp_path / "data"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "SITE_DOMAIN": "localhost",
            "CADDY_TLS": "internal",
            "CADDY_HTTP_PORT": str(http_port),
            "CADDY_HTTPS_PORT": str(https_port),
            "CADDY_ADMIN": "off",
            "KALLPANCHIS_UPSTREAM": f"127.0.0.1:{g_port}",
        },
        stdout=c_log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    root_ca = tmp_path / "data/caddy/pki/authorities/local/root.crt"
    base = f"https://localhost:{https_port}"

    def https_ready():
        try:
            return requests.get(f"{base}/healthz", verify=root_ca, timeout=2).status_code == 200
        except (requests.RequestException, OSError):
            return False

    try:
        _wait(lambda: port_open(g_port), 40, "gunicorn", gunicorn, g_log)
        _wait(lambda: root_ca.exists() and https_ready(), 40, "caddy", caddy, c_log)
        yield {
            "base": base,
            "http": f"http://localhost:{http_port}",
            "ca": str(root_ca),
            "gunicorn_port": g_port,
        }
    finally:
        for process in (caddy, gunicorn):
            process.terminate()
        for process in (caddy, gunicorn):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        print(
            "--- gunicorn ---\n" + g_log.read_text()[-3000:] + "\n--- caddy ---\n" + c_log.read_text()[-3000:]
        )


@pytest.mark.django_db(transaction=True)  # gunicorn reads what this test commits
def test_the_stack_serves_only_https_with_secure_headers_and_cookies(stack):
    # Hashed as production hashes (the test settings' fast hasher is not among production's).
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        person = UserFactory(email="tecnica@example.pe")
    web = requests.Session()
    web.trust_env = False  # else REQUESTS_CA_BUNDLE from the environment would replace Caddy's authority
    web.verify = stack["ca"]

    # HTTP is answered by a permanent redirect to the same address over HTTPS.
    plain = requests.get(f"{stack['http']}/accounts/login/?next=/", allow_redirects=False, timeout=5)
    assert plain.status_code in (301, 308)
    # (Caddy names the HTTPS port in the redirect only when it is the default one, as in production.)
    assert re.fullmatch(r"https://localhost(:\d+)?/accounts/login/\?next=/", plain.headers["Location"])

    login_page = web.get(f"{stack['base']}/accounts/login/", timeout=10)
    assert login_page.status_code == 200
    hsts = login_page.headers["Strict-Transport-Security"]
    assert hsts.startswith("max-age=31536000") and "," not in hsts  # one header, not Django's and Caddy's
    assert "default-src 'self'" in login_page.headers["Content-Security-Policy"]
    assert login_page.headers.get("Content-Encoding") in {"gzip", "zstd"}
    assert "Server" not in login_page.headers
    csrf = next(c for c in web.cookies if c.name == "csrftoken")
    assert csrf.secure

    # Signing in gives a session cookie that only travels over HTTPS and that scripts cannot read.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
    signed_in = web.post(
        f"{stack['base']}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "login": person.email, "password": PASSWORD},
        headers={"Referer": f"{stack['base']}/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )
    assert signed_in.status_code == 302, signed_in.text[:500]
    set_cookie = signed_in.headers["Set-Cookie"]
    assert re.search(r"sessionid=[^;]+;.*Secure", set_cookie) and "HttpOnly" in set_cookie
    assert next(c for c in web.cookies if c.name == "sessionid").secure

    # Static files through the proxy (WhiteNoise behind it), cached for a year under their hashed names.
    css = re.search(r'href="(/static/[^"]+\.css)"', login_page.text).group(1)
    static = web.get(stack["base"] + css, timeout=10)
    assert static.status_code == 200 and "max-age=315360000" in static.headers["Cache-Control"]

    # The admin and the API answer through Caddy...
    admin = web.get(f"{stack['base']}/admin/", allow_redirects=False, timeout=10)
    assert admin.status_code == 302 and "/login/" in admin.headers["Location"]
    api = web.get(f"{stack['base']}/api/v1/provinces/", timeout=10)
    assert api.status_code in (200, 401, 403) and api.headers["Content-Type"].startswith("application/json")

    # ...and gunicorn listens on the loopback address only: nothing else on the network reaches it.
    assert _listening_addresses(stack["gunicorn_port"]) == {"0100007F"}
    outside = _outside_address()
    if outside:
        with pytest.raises(OSError):
            socket.create_connection((outside, stack["gunicorn_port"]), timeout=2).close()

    # Uploaded files are never served by the proxy; bodies over the upload limit stop at Caddy.
    assert web.get(f"{stack['base']}/media/agreements/x.pdf", timeout=10).status_code == 404
    assert _announced_body_answer(stack, 12 * 1024 * 1024) == 413
    assert _announced_body_answer(stack, 1024) != 413


def _announced_body_answer(stack, length: int) -> int:
    """The status Caddy answers to a POST that announces `length` bytes, before any of them is sent."""
    import http.client
    import ssl

    port = int(stack["base"].rsplit(":", 1)[1])
    conn = http.client.HTTPSConnection(
        "localhost", port, context=ssl.create_default_context(cafile=stack["ca"]), timeout=10
    )
    try:
        conn.putrequest("POST", "/accounts/login/")
        conn.putheader("Content-Length", str(length))
        conn.putheader("Content-Type", "application/octet-stream")
        conn.endheaders()
        if length <= 1024:
            conn.send(b"x" * length)
        return conn.getresponse().status
    finally:
        conn.close()
