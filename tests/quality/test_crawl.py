"""Every page a person can reach, tried in Chromium as each demo role: no CSP violation, no request leaving
127.0.0.1, no serious or critical accessibility violation, and a light first load.

The crawler starts at the home page and follows same-site links, so a page added later is covered without
editing this file. Weight is what Chromium received, compressed with gzip (what whitenoise and any proxy
send): HTML + CSS + JS + fonts ≤ 150 KB, JS ≤ 60 KB.
"""

import gzip
from collections import deque
from urllib.parse import urljoin, urlparse

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from tests.browser_guard import PageGuard
from tests.demo_data import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES_PER_ROLE = 30
PER_ROUTE = 2  # /spaces/3/ and /spaces/4/ are the same page: two of each kind is enough
MAX_TOTAL_KB, MAX_JS_KB = 150, 60
SKIP = ("/accounts/logout", "/admin", "/i18n/", "/healthz", "/media/", "/static/")
DOWNLOADS = (
    ".pdf",
    ".csv",
    ".xlsx",
    ".ics",
    "export",
    "download",
    "format=",
    "/pdf",
    "/ical",
    "/document",
    "/schema/",
)
ROLES = [
    None,  # anonymous
    "tecnico.anta@demo.kallpanchis.pe",
    "lider@demo.kallpanchis.pe",
    "presupuesto.anta@demo.kallpanchis.pe",
    "coordinadora@demo.kallpanchis.pe",
]


def _signed_in_context(browser, live_server, email):
    context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True)
    if email:
        from kallpanchis.accounts.models import User
        from tests.conftest import with_mfa

        client = Client()
        client.force_login(with_mfa(User.objects.get(email=email)))
        cookie = client.cookies["sessionid"]
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return context


def _weight(responses) -> tuple[int, int]:
    total = js = 0
    for response in responses:
        kind = response.request.resource_type
        if kind not in ("document", "stylesheet", "script", "font"):
            continue
        try:
            size = len(gzip.compress(response.body(), 6))
        except Exception:  # noqa: S112 (a redirect or aborted response has no body: nothing was transferred)
            continue
        total += size
        js += size if kind == "script" else 0
    return total, js


def _links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    found = []
    for href in hrefs:
        url = urljoin(page.url, href).split("#")[0]
        parsed = urlparse(url)
        if (
            not url.startswith(base)
            or parsed.path.startswith(SKIP)
            or any(d in url.lower() for d in DOWNLOADS)
        ):
            continue
        found.append(url)
    return found


def _route(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.route or match.view_name


def test_every_reachable_page_is_clean_and_light(live_server, browser):
    seed_demo()
    problems, table = [], []
    for email in ROLES:
        context = _signed_in_context(browser, live_server, email)
        page = context.new_page()
        guard = PageGuard(page)
        responses = []

        def record(response, bucket=responses):
            bucket.append(response)

        page.on("response", record)
        queue, seen, routes = deque([live_server.url + "/"]), set(), {}
        while queue and len(seen) < PAGES_PER_ROLE:
            url = queue.popleft()
            path = urlparse(url).path
            route = _route(path)
            if path in seen or routes.get(route, 0) >= PER_ROUTE:
                continue
            seen.add(path)
            routes[route] = routes.get(route, 0) + 1
            responses.clear()
            answer = page.goto(url)
            if (
                answer is None
                or answer.status >= 400
                or "text/html" not in answer.headers.get("content-type", "")
            ):
                continue
            page.wait_for_load_state("load")
            total, js = _weight(responses)
            table.append((email or "anonymous", path, total // 1024, js // 1024))
            if total > MAX_TOTAL_KB * 1024 or js > MAX_JS_KB * 1024:
                problems.append(f"{email} {path}: {total // 1024} KB total, {js // 1024} KB JS")
            try:
                guard.check()
            except AssertionError as error:
                problems.append(f"{email} {path}: {error}")
            guard.outside_requests.clear()
            # The platform's own pages first; allauth's account pages after them.
            for link in _links(page, live_server.url):
                if urlparse(link).path not in seen:
                    (queue.append if "/accounts/" in link else queue.appendleft)(link)
        context.close()
    print("\nrole | page | KB (gzip) | JS KB")
    for row in table:
        print(" | ".join(str(c) for c in row))
    assert len(table) >= len(ROLES) + 2, table  # the crawl really visited pages
    assert not problems, "\n".join(problems)
