"""No English left on a Spanish or Quechua page: every HTML page of the permission matrix, as a demo role
that may read it (tests/quality/pages.py), rendered in `es` and in `qu`; the visible text (text nodes, and
the alt, placeholder, title and aria-label people or screen readers meet) must not contain the English of
one of the project's own texts (its catalogues' msgids of two words or more) where that text has a
translation that differs. Text a translator kept as it is (a law's name, "Acta de Acuerdos y
Compromisos") is not English left over."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from tests.quality.pages import html_pages, signed_in_clients
from tests.quality.test_permission_matrix import demo  # noqa: F401  (the module's demo fixture)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ROOT = Path(settings.BASE_DIR)
PLACEHOLDER = re.compile(r"%\([^)]*\)[sdif]|%[sdif]|\{[^}]*\}|<[^>]+>")
WORD = re.compile(r"[A-Za-z]{2,}")


def _unquote(lines: list[str]) -> str:
    import json

    return "".join(json.loads(line) for line in lines)


def catalogue_entries(language: str) -> dict[str, str]:
    """msgid -> msgstr (first form) over the project's catalogues of `language` (empty when untranslated)."""
    found: dict[str, str] = {}
    for po in sorted(ROOT.glob(f"**/locale/{language}/LC_MESSAGES/django.po")):
        if ".venv" in po.parts or "node_modules" in po.parts:
            continue
        for block in po.read_text(encoding="utf-8").split("\n\n"):
            if block.lstrip().startswith("#~"):
                continue
            keyed: dict[str, list[str]] = {}
            current = None
            for line in block.splitlines():
                m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[0\])?|msgstr\[\d\]) (".*")$', line)
                if m:
                    current = m.group(1)
                    keyed[current] = [m.group(2)]
                elif line.startswith('"') and current:
                    keyed[current].append(line)
            if "msgid" not in keyed:
                continue
            msgid = _unquote(keyed["msgid"])
            msgstr = _unquote(keyed.get("msgstr", keyed.get("msgstr[0]", ['""'])))
            if msgid and (msgstr or msgid not in found):
                found[msgid] = msgstr
    return found


def english_fragments(language: str) -> list[tuple[str, str]]:
    """(fragment, msgid): the runs of two words or more of each project msgid, between placeholders and
    tags, whose shown translation (Quechua falls back to Spanish) does not contain them."""
    own = catalogue_entries(language)
    spanish = catalogue_entries("es")
    fragments = []
    for msgid in set(own) | set(spanish):
        shown = own.get(msgid) or spanish.get(msgid) or ""
        for part in PLACEHOLDER.split(msgid):
            part = " ".join(part.split()).strip(" .,:;()—-·")
            # Untranslated everywhere: shown as written (the Spanish-fallback tests look after these).
            if len(WORD.findall(part)) < 2 or not shown or part in shown:
                continue
            fragments.append((part, msgid))
    return fragments


class VisibleText(HTMLParser):
    HIDDEN = {"script", "style", "template", "noscript", "title"}
    ATTRIBUTES = ("alt", "placeholder", "title", "aria-label")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        for name, value in attrs:
            if name in self.ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@pytest.mark.parametrize("language", ["es", "qu"])
def test_no_project_text_is_left_in_english(demo, language):  # noqa: F811
    clients = signed_in_clients()
    pages = html_pages(clients)
    assert len(pages) > 60
    fragments = english_fragments(language)
    assert len(fragments) > 500  # the catalogues were read
    for client in clients.values():
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    found = []
    for name, role, url in pages:
        text = visible_text(clients[role].get(url).content.decode())
        left = sorted({msgid for fragment, msgid in fragments if fragment in text})
        found += [f"{name} ({role}, {url}): {msgid!r}" for msgid in left]
    assert not found, f"English on {language} pages:\n" + "\n".join(found)
