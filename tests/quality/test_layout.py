"""Every page of the permission matrix, as a role that may read it, at 360, 768, 1366 and 1920 px wide:
no text laid out one character per line ("I/n/i/c/i/o"), and no page wider than the screen.

One browser and one context (the roles' sessions are swapped as cookies); each page is loaded at 360 px and
then resized through the other widths. The demo is seeded once.
"""

import pytest

from tests.demo_data import seed_demo
from tests.quality.pages import html_pages, signed_in_clients

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 768, 1366, 1920)

# A text node with a word of three letters or more whose line boxes are (nearly all) narrower than a
# character and a bit: the browser put one letter per line. And the page's width against the window's.
CHECK = """() => {
  const problems = [];
  const width = document.documentElement.scrollWidth;
  if (width > window.innerWidth + 1) problems.push(`the page is ${width} px wide`);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (!/[\\p{L}\\p{N}]{3,}/u.test(text)) continue;
    const parent = node.parentElement;
    if (!parent || parent.closest(".visually-hidden, template, script, style, noscript")) continue;
    range.selectNodeContents(node);
    const lines = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    if (lines.length < 3) continue;
    const em = parseFloat(getComputedStyle(parent).fontSize) || 16;
    const narrow = lines.filter((r) => r.width < em * 1.2).length;
    if (narrow >= 3 && narrow >= lines.length * 0.6) {
      problems.push(`"${text.slice(0, 40)}" is laid out one character per line (${lines.length} lines)`);
    }
  }
  return problems;
}"""


def test_the_check_finds_letters_stacked_and_a_page_too_wide(browser):
    page = browser.new_page(viewport={"width": 360, "height": 640})
    page.set_content(
        '<body style="margin:0"><nav style="display:flex;width:200px">'
        '<a style="overflow-wrap:anywhere;min-width:0;flex:1 1 0">Brand-and-more</a>'
        '<a style="overflow-wrap:anywhere;min-width:0;flex:0 1 1px">Inicio</a></nav>'
        '<p style="white-space:nowrap">Cerrar sesión</p></body>'
    )
    assert page.evaluate(CHECK) == ['"Inicio" is laid out one character per line (6 lines)']
    page.set_content('<div style="width:500px">Una tabla demasiado ancha para un teléfono</div>')
    assert page.evaluate(CHECK) == [
        f"the page is {page.evaluate('document.documentElement.scrollWidth')} px wide"
    ]
    page.close()


def test_every_page_fits_every_width(live_server, browser):
    seed_demo()
    clients = signed_in_clients()
    pages = html_pages(clients)
    assert len(pages) > 60, pages  # the matrix's pages really were found
    cookies = {role: c.cookies["sessionid"].value for role, c in clients.items() if "sessionid" in c.cookies}
    by_role: dict[str, list[tuple[str, str]]] = {}
    for name, role, url in pages:
        by_role.setdefault(role, []).append((name, url))
    problems = []
    # Each page loaded once, then laid out at each width (the window resized: media queries and resize
    # handlers run as on a phone turned or a window narrowed); loading it four times cost four renders.
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 800})
    page = context.new_page()
    for role, urls in by_role.items():
        context.clear_cookies()
        if role in cookies:
            context.add_cookies([{"name": "sessionid", "value": cookies[role], "url": live_server.url}])
        for name, url in urls:
            page.set_viewport_size({"width": WIDTHS[0], "height": 800})
            page.goto(live_server.url + url, wait_until="domcontentloaded")
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                for problem in page.evaluate(CHECK):
                    problems.append(f"{width} px, {role}, {name} ({url}): {problem}")
    context.close()
    print(f"\n{len(pages)} pages × {len(WIDTHS)} widths")
    assert not problems, "\n".join(problems)
