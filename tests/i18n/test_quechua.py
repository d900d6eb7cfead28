"""Southern Quechua (qu) beside Spanish, English and French: declared, compiled, chosen from the switcher,
and falling back to Spanish (never English) for what is not translated yet."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
CATALOGUES = [
    ROOT / "locale/qu/LC_MESSAGES/django.po",
    ROOT / "kallpanchis/offline/locale/qu/LC_MESSAGES/django.po",
    ROOT / "spaces/locale/qu/LC_MESSAGES/django.po",
    ROOT / "producers/locale/qu/LC_MESSAGES/django.po",
    ROOT / "budgets/locale/qu/LC_MESSAGES/django.po",
]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_valid_and_declares_one_plural_form(path):
    text = path.read_text(encoding="utf-8")
    assert '"Language: qu\\n"' in text
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in text
    # msgfmt --check verifies the header and that every %(name)s placeholder survives translation.
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    header = text.split("\n\n", 1)[0]
    assert "fuzzy" not in header


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_uncertain_entry_says_why_and_has_a_translation(path):
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        if "# uncertain:" not in block or 'msgid ""\nmsgstr ""\n"' in block:
            continue
        assert re.search(r"^# uncertain: \S.{5,}$", block, re.M), block
        assert not re.search(r'^msgstr ""$\n(?!")', block + "\n", re.M), block


def test_quechua_is_declared_with_its_own_name():
    from django.utils.translation import get_language_info

    assert ("qu", "Quechua") in [(code, str(name)) for code, name in settings.LANGUAGES]
    info = get_language_info("qu")
    assert (info["name_local"], info["bidi"]) == ("Runasimi", False)


def test_translated_strings_and_spanish_fallback():
    with translation.override("es"):
        spanish_two_factor = translation.gettext("Two-factor authentication")
    with translation.override("qu"):
        assert translation.gettext("Sign out") == "Lluqsiy"
        assert translation.gettext("Meetings") == "Huñunakuykuna"
        assert translation.gettext("Annual plans") == "Watapaq plankuna"
        # Not translated yet: Spanish, not English.
        assert translation.gettext("Two-factor authentication") == spanish_two_factor
        assert spanish_two_factor != "Two-factor authentication"


@pytest.mark.django_db
def test_switching_to_quechua_shows_the_menu_in_quechua(client, technician_anta):
    client.force_login(technician_anta)
    answer = client.post("/i18n/setlang/", {"language": "qu", "next": "/"}, follow=True)
    page = answer.content.decode()
    assert '<html lang="qu">' in page
    assert ">Lluqsiy<" in page  # Sign out
    assert ">Qallariy<" in page  # Home
    assert ">Huñunakuykuna<" in page  # Meetings (spaces' menu entry)
    assert '<option value="qu" lang="qu" selected>Runasimi</option>' in page
    # Untranslated strings read in Spanish.
    assert "Autenticación" in page or "dos factores" in page or "dos pasos" in page


@pytest.mark.django_db
def test_leader_sees_plan_and_production_words_in_quechua(client, municipalities):
    from tests.producers.factories import association_in, leader_of

    association = association_in("080308", name="Asociación Virgen de Natividad", families=45)
    leader = leader_of(association, email="lider@example.pe")
    client.force_login(leader)
    client.post("/i18n/setlang/", {"language": "qu", "next": "/"})
    page = client.get("/").content.decode()
    assert "Asociacionniy" in page  # My association, in the menu
    production = client.get(f"/producers/{association.pk}/production/").content.decode()
    assert "Huk killata qillqay" in production  # Record a month
