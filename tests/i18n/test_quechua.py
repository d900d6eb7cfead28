"""Southern Quechua (qu) beside Spanish, English and French: declared, compiled, chosen from the switcher,
and falling back to Spanish (never English) for what is not translated yet."""

import importlib.util
import json
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
    ROOT / "kallpanchis/notifications/locale/qu/LC_MESSAGES/django.po",
    ROOT / "kallpanchis/people/locale/qu/LC_MESSAGES/django.po",
    ROOT / "kallpanchis/dashboard/locale/qu/LC_MESSAGES/django.po",
    ROOT / "spaces/locale/qu/LC_MESSAGES/django.po",
    ROOT / "producers/locale/qu/LC_MESSAGES/django.po",
    ROOT / "budgets/locale/qu/LC_MESSAGES/django.po",
    ROOT / "municipalities/locale/qu/LC_MESSAGES/django.po",
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

    with translation.override("en"):
        assert ("qu", "Quechua") in [(code, str(name)) for code, name in settings.LANGUAGES]
    with translation.override("qu"):
        assert ("qu", "Runasimi") in [(code, str(name)) for code, name in settings.LANGUAGES]
    info = get_language_info("qu")
    assert (info["name_local"], info["bidi"]) == ("Runasimi", False)


def test_translated_strings_and_spanish_fallback():
    with translation.override("es"):
        spanish_required = translation.gettext("This field is required.")
    with translation.override("qu"):
        assert translation.gettext("Sign out") == "Lluqsiy"
        assert translation.gettext("Meetings") == "Huñunakuykuna"
        assert translation.gettext("Annual plans") == "Watapaq plankuna"
        # Django's own messages have no Quechua catalogue: they read in Spanish, not English.
        assert translation.gettext("This field is required.") == spanish_required
        assert spanish_required == "Este campo es obligatorio."


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
    assert ">Iskay kutipi takyachiy<" in page  # Two-factor authentication


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


PLACEHOLDER = re.compile(r"%%\(\w+\)s|%\(\w+\)[sd]|\{[^}]*\}|</?[a-zA-Z][^>]*>|%[sd]")


def _translated(path):
    """(msgid, msgid_plural, [msgstr…]) of every translated entry of a catalogue."""
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        yield from _translated_block(block)


def _translated_block(block):
    if block.lstrip().startswith("#~"):
        return
    fields, key = {}, None
    for line in block.split("\n"):
        m = re.match(r'^(msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$', line)
        if m:
            key = m.group(1)
            fields[key] = [m.group(2)]
        elif line.startswith('"') and key:
            fields[key].append(line)
    text_of = {k: "".join(json.loads(x) for x in v) for k, v in fields.items()}
    strs = [v for k, v in text_of.items() if k.startswith("msgstr") and v]
    if text_of.get("msgid") and strs:
        yield text_of["msgid"], text_of.get("msgid_plural"), strs


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_translations_keep_placeholders_markup_and_line_breaks(path):
    """msgfmt checks python-format entries only; this also covers {x}, HTML and the JS-side %%(x)s."""
    for msgid, plural, strs in _translated(path):
        for msgstr in strs:
            source = plural or msgid
            expected = set(PLACEHOLDER.findall(source)) | set(PLACEHOLDER.findall(msgid))
            assert set(PLACEHOLDER.findall(msgstr)) == expected, (msgid, msgstr)
            if not plural:
                assert msgstr.count("\n") == msgid.count("\n"), (msgid, msgstr)


def _coverage_module():
    spec = importlib.util.spec_from_file_location("po_coverage", ROOT / "scripts/po_coverage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_string_of_the_leaders_screens_is_in_quechua():
    """scripts/po_coverage.py's figure: a new string on a leader's screen fails here until it is translated
    (after `makemessages -l qu`, it arrives as an empty entry)."""
    result = _coverage_module().coverage("qu")
    assert result["catalogues"] and None not in result["catalogues"].values()
    translated, total = result["leader"]
    assert total > 700  # the notion did not shrink by accident (762 entries when this test was written)
    assert translated == total, result["untranslated_leader"]


@pytest.mark.django_db
def test_the_leader_goes_through_their_screens_in_quechua(client, municipalities):
    """Home, profile, plan, production, budget calendar, reminders: Quechua on each, and none of the Spanish
    text of those screens' catalogue entries (a string the catalogues miss would show in Spanish)."""
    from budgets import services as budget_services
    from producers.services import plan_start
    from tests.budgets.factories import cycle_for
    from tests.producers.factories import association_in, leader_of

    # The data is made the way it is in the field, by Spanish-speaking staff: the budget calendar stores its
    # step names in Spanish, and shows the default ones in the reader's language.
    with translation.override("es"):
        association = association_in("080308", name="Asociación Virgen de Natividad", families=45)
        leader = leader_of(association, email="lider@example.pe")
        cycle = cycle_for(municipalities["anta"])
        agent = budget_services.agent_register(by=None, cycle=cycle, organisation=association.organisation)
        budget_services.agent_decide(by=None, agent=agent, accredited=True)
        plan = plan_start(by=leader, association=association, year=2027)
    client.force_login(leader)
    client.post("/i18n/setlang/", {"language": "qu", "next": "/"})
    pages = {
        "/": "Asociacionniy",
        f"/producers/{association.pk}/": "Riqsichikuy",
        f"/producers/{association.pk}/plans/new/": "Planpa watanta akllay.",
        f"/producers/plans/{plan.pk}/edit/": "Borradorta waqaychay",
        f"/producers/plans/{plan.pk}/": "Imakuna pasarqan",
        f"/producers/{association.pk}/production/": "Huk killata qillqay",
        f"/producers/{association.pk}/production/new/": "Ch&#x27;awasqa wakakuna",
        "/budgets/": "Presupuesto participativo",
        f"/budgets/{cycle.pk}/calendar/": "Llapanman waqyay (convocatoria)",
        f"/budgets/{cycle.pk}/": "Organizacionniyki kay procesopi",
        f"/budgets/agents/{agent.pk}/": "Delegadokuna",
        f"/budgets/{cycle.pk}/proposals/": "Proyecto propuestakuna",
        f"/budgets/{cycle.pk}/proposals/new/": "Propuestata apachiy",
        "/reminders/": "Yuyarichiyniykuna",
        "/reminders/preferences/": "Yuyarichiykunapi akllasqaykuna",
    }
    spanish = _spanish_of_leader_entries()
    for url, quechua in pages.items():
        answer = client.get(url)
        assert answer.status_code == 200, url
        page = answer.content.decode()
        assert '<html lang="qu">' in page, url
        assert quechua in page, url
        text = re.sub(r"<[^>]+>", " ", page)
        left = [phrase for phrase in spanish if phrase in text]
        assert not left, (url, left)


def _spanish_of_leader_entries():
    """The Spanish text (16 characters or more, no placeholder) of every leader-screen entry whose Quechua
    differs from it."""
    module = _coverage_module()
    phrases = set()
    for folder in module.CATALOGUES:
        catalogue = ROOT / folder / "es/LC_MESSAGES/django.po"
        spanish = {msgid: strs[0] for msgid, _, strs in _translated(catalogue)}
        quechua = ROOT / folder / "qu/LC_MESSAGES/django.po"
        for block in re.split(r"\n\s*\n", quechua.read_text(encoding="utf-8")):
            refs = [r for line in re.findall(r"^#: (.*)$", block, re.M) for r in line.split()]
            for msgid, _, strs in _translated_block(block):
                es = spanish.get(msgid, "")
                if module.matches(module.LEADER.get(folder, []), refs) and len(es) >= 16:
                    if es != strs[0] and "%" not in es:
                        phrases.add(es)
    return phrases


def test_default_calendar_steps_are_shown_in_the_readers_language():
    """The steps are stored in the language of whoever opened the cycle (Spanish, in the field)."""
    from budgets.calendar import step_name_shown

    with translation.override("es"):
        stored = translation.gettext("Public call")
    assert stored == "Convocatoria pública"
    with translation.override("qu"):
        assert step_name_shown(stored) == "Llapanman waqyay (convocatoria)"
        # A step the budget team renamed is shown as written.
        assert step_name_shown("Convocatoria por la radio") == "Convocatoria por la radio"
    with translation.override("en"):
        assert step_name_shown(stored) == "Public call"
