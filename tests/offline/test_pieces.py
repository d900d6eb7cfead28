"""The installable app's pieces: content types, the worker's scope and what it may keep, CSP."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_service_worker_is_a_script_limited_to_offline(client):
    answer = client.get("/offline/sw.js")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/javascript; charset=utf-8"
    assert answer["Cache-Control"] == "no-cache"
    assert "Service-Worker-Allowed" not in answer  # so its scope cannot reach beyond /offline/
    body = answer.content.decode()
    precache = json.loads(body.split("const PRECACHE = ", 1)[1].split(";\n", 1)[0])
    assert precache[0] == "/offline/"
    assert all(path.startswith("/static/") for path in precache[1:])
    assert "/static/offline/shell.js" in precache and "/static/css/app.css" in precache


def test_the_shell_holds_no_data_and_is_the_same_for_everyone(client, technician_anta):
    anonymous = client.get("/offline/")
    client.force_login(technician_anta)
    signed_in = client.get("/offline/")
    assert anonymous.status_code == signed_in.status_code == 200
    assert anonymous.content == signed_in.content
    assert signed_in["Cache-Control"] == "no-store"
    text = signed_in.content.decode()
    assert technician_anta.email not in text and "csrfmiddlewaretoken" not in text
    assert "<script>" not in text and "style=" not in text and "onclick" not in text
    csp = signed_in["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp


def test_manifest(client):
    answer = client.get(reverse("offline:manifest"))
    assert answer["Content-Type"] == "application/manifest+json; charset=utf-8"
    data = answer.json()
    assert (data["name"], data["start_url"], data["display"]) == ("Kallpanchis", "/", "standalone")
    assert [i["sizes"] for i in data["icons"]] == ["192x192", "512x512"]
    from django.contrib.staticfiles import finders

    for icon in data["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/"))


def test_every_page_links_the_manifest_and_the_worker_from_static_files(client, technician_anta):
    client.force_login(technician_anta)
    page = client.get("/").content.decode()
    assert '<link rel="manifest" href="/offline/manifest.webmanifest">' in page
    assert 'data-sw-url="/offline/sw.js" data-sw-scope="/offline/"' in page
    assert 'data-signed-in="1"' in page
    assert "Actas sin conexión" in page  # the technician's menu entry
