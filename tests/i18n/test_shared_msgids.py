"""Django merges every app's catalogue into one, and for a text that two catalogues translate, only one
translation is shown everywhere (the base `locale/` first, then the apps in INSTALLED_APPS order). So the
spaces' "Agreements" (acuerdos) once read "Convenios" (the municipalities' partnership agreements), and the
dashboard's "District" filter read "Distrital". A text that means two things needs a context (pgettext /
`{% translate … context … %}`); this test finds the ones that do not have it."""

import gettext
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _catalogues(language: str) -> dict[str, dict]:
    found = {}
    for mo in sorted(ROOT.glob(f"**/locale/{language}/LC_MESSAGES/django.mo")):
        if ".venv" in mo.parts or "node_modules" in mo.parts:
            continue
        with mo.open("rb") as handle:
            found[str(mo.relative_to(ROOT))] = gettext.GNUTranslations(handle)._catalog
    return found


@pytest.mark.parametrize("language", ["es", "fr", "qu"])
def test_a_text_shared_by_catalogues_reads_the_same_in_each(language):
    catalogues = _catalogues(language)
    assert len(catalogues) >= 8, "compile the catalogues first (make messages)"
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for path, catalogue in catalogues.items():
        for key, text in catalogue.items():
            if not key or not text:  # the header, or not translated (falls back)
                continue
            if key in seen and seen[key][1] != text:
                clashes.append(f"{key!r}: {seen[key][0]} says {seen[key][1]!r}, {path} says {text!r}")
            seen.setdefault(key, (path, text))
    assert not clashes, "give these texts a context in one of the apps:\n" + "\n".join(clashes)
