"""Rows kept by what they show (kallpanchis/core/fragments.py): after a write, a list renders again only the
rows the write changed, and a block whose rows, count and choices did not change is not rendered at all; a
changed row template, related object or language is never answered from the old HTML."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.template import engines
from django.test import override_settings
from django.urls import reverse

from kallpanchis.core import fragments
from spaces.models import Agreement, ConcertationSpace
from tests.spaces.factories import anta_space, held, lima

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

ROW = "spaces/partials/agreement_list_row.html"
BLOCK = "spaces/partials/agreement_list_block.html"


def bump() -> None:
    """What any write does to the lists' data versions, without changing a row (as `make bench` does)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO kallpanchis_data_version (name, version) "
            "SELECT DISTINCT name, 1 FROM kallpanchis_data_version"
        )


def rendered(client, url, **headers) -> tuple[str, list[str]]:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode(), [t.name for t in response.templates]


@pytest.fixture
def register(client, municipalities, technician_anta):
    cache.clear()
    space = anta_space(municipalities["anta"])
    held(space, when=lima(2026, 1, 1), agreements=["Arreglar el canal", "Comprar semillas", "Vacunar"])
    client.force_login(technician_anta)
    return space, reverse("spaces:agreement_list")


def test_a_write_renders_only_the_rows_it_changed(client, register):
    _space, url = register
    _html, templates = rendered(client, url)
    assert templates.count(ROW) == 3  # the first reader renders every row

    Agreement.objects.filter(what="Vacunar").update(what="Vacunar el ganado")  # a write no service made
    html, templates = rendered(client, url)
    assert "Vacunar el ganado" in html
    assert templates.count(ROW) == 1
    assert BLOCK in templates  # its rows changed: the block is rendered again around them


def test_a_new_version_with_the_same_rows_renders_nothing(client, register):
    _space, url = register
    first, _ = rendered(client, url)
    bump()
    again, templates = rendered(client, url)
    assert ROW not in templates and BLOCK not in templates
    assert again.count("list-group-item") == first.count("list-group-item") == 3


def test_a_related_object_is_part_of_its_rows(client, register):
    space, url = register
    rendered(client, url)
    ConcertationSpace.objects.filter(pk=space.pk).update(name="Mesa de Anta renombrada")
    html, templates = rendered(client, url)
    assert templates.count(ROW) == 3 and html.count("Mesa de Anta renombrada") >= 3


def test_each_language_has_its_own_rows(client, register):
    _space, url = register
    es, _ = rendered(client, url)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "qu"  # what the language switcher sets
    qu, templates = rendered(client, url)
    assert '<html lang="qu">' in qu
    assert templates.count(ROW) == 3
    assert qu != es


@override_settings(DEBUG=False)
def test_a_changed_included_template_changes_every_key():
    templates = {"row.html": '{% include "badge.html" %}{{ item }}', "badge.html": "<b>old</b>"}
    loader = ("django.template.loaders.locmem.Loader", templates)
    option = {"BACKEND": "django.template.backends.django.DjangoTemplates", "OPTIONS": {"loaders": [loader]}}
    with override_settings(TEMPLATES=[option]):
        fragments._sources.clear()
        before = fragments.Rows("test", [1], template="row.html", as_name="item")
        assert str(before) == "<b>old</b>1"
    templates["badge.html"] = "<b>new</b>"
    with override_settings(TEMPLATES=[option]):
        fragments._sources.clear()  # a new process (a deploy) reads the sources again
        engines["django"].engine.template_loaders[0].reset()
        after = fragments.Rows("test", [1], template="row.html", as_name="item")
        assert after.keys != before.keys
        assert str(after) == "<b>new</b>1"
    fragments._sources.clear()
