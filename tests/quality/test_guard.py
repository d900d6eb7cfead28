"""The guard used by the browser tests must be able to fail: shown here on a page built to be bad."""

import pytest

from tests.browser_guard import PageGuard

pytestmark = pytest.mark.browser


def test_guard_finds_accessibility_and_csp_problems(browser):
    page = browser.new_page()
    guard = PageGuard(page)
    bad = (
        '<html lang="es"><head><title>t</title></head><body><main><input type="text">'
        '<img src="data:image/png;base64,iVBORw0KGgo=">'
        '<script>document.title = "inline"</script></main></body></html>'
    )
    page.route(
        "http://127.0.0.1:9/bad",
        lambda route: route.fulfill(
            body=bad, content_type="text/html", headers={"Content-Security-Policy": "script-src 'self'"}
        ),
    )
    page.goto("http://127.0.0.1:9/bad")
    ids = {v["id"] for v in guard.axe_violations(impacts=("minor", "moderate", "serious", "critical"))}
    assert {"label", "image-alt"} <= ids
    assert guard.csp_violations()[0]["directive"].startswith("script-src")
    with pytest.raises(AssertionError):
        guard.check()
    page.close()
