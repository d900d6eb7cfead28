"""The API documentation page in Chromium: light on first load, and Swagger UI (vendored) drawn on request
from the schema with the strict CSP kept (no violation, nothing fetched from outside)."""

import pytest

from tests.browser_guard import PageGuard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_draws_the_reference_under_the_csp(live_server, phone):
    guard = PageGuard(phone)
    scripts = []
    phone.on(
        "request", lambda request: scripts.append(request.url) if request.resource_type == "script" else None
    )
    phone.goto(live_server.url + "/api/v1/docs/")
    assert not any("swagger-ui-bundle" in url for url in scripts)  # not loaded until asked
    guard.check()
    phone.get_by_role("button", name="Mostrar la referencia interactiva").click()
    phone.wait_for_selector(".swagger-ui .opblock-tag", timeout=30_000)
    phone.locator(".opblock-tag", has_text="meetings").first.click()
    phone.wait_for_selector(".opblock-summary-path", timeout=10_000)
    assert phone.locator(".opblock-summary-path", has_text="/api/v1/meetings/").count() >= 1
    assert not guard.csp_violations(), guard.csp_violations()
    assert not guard.outside_requests, guard.outside_requests


def test_the_open_data_page_is_clean(live_server, phone):
    guard = PageGuard(phone)
    phone.goto(live_server.url + "/open-data/")
    guard.check()
    phone.goto(live_server.url + "/open-data/dictionary/")
    guard.check()
