"""What every browser test can check on every page it visits: no CSP violation, no request leaving
127.0.0.1, and no serious or critical accessibility violation (axe-core, vendored in tests/browser/vendor)."""

from pathlib import Path
from urllib.parse import urlparse

AXE = (Path(__file__).parent / "browser" / "vendor" / "axe.min.js").read_text()

RECORD_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push({directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile});
});
"""


class PageGuard:
    """Attach to a Playwright page; call .check(page) after each page load."""

    def __init__(self, page):
        self.page = page
        self.outside_requests: list[str] = []
        page.add_init_script(RECORD_CSP)
        page.on("request", self._on_request)

    def _on_request(self, request):
        host = urlparse(request.url).hostname
        if request.url.startswith(("data:", "blob:", "about:")):
            return
        if host not in ("127.0.0.1", "localhost"):
            self.outside_requests.append(request.url)

    def csp_violations(self) -> list[dict]:
        return self.page.evaluate("window.__cspViolations || []")

    def axe_violations(self, impacts=("serious", "critical")) -> list[dict]:
        self.page.evaluate(AXE)
        result = self.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
            if v["impact"] in impacts
        ]

    def check(self) -> None:
        """Fail with the details when the current page breaks one of the rules."""
        csp = self.csp_violations()
        assert not csp, f"CSP violations on {self.page.url}: {csp}"
        assert not self.outside_requests, f"Requests left 127.0.0.1: {self.outside_requests}"
        axe = self.axe_violations()
        assert not axe, f"Accessibility violations on {self.page.url}: {axe}"
