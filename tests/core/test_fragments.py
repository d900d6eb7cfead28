"""Rows kept by what they show (kallpanchis/core/fragments.py): after a write, a list renders again only the
rows the write changed, and a block whose rows, count and choices did not change is not rendered at all; a
changed row template, related object or language is never answered from the old HTML."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.template import engines
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kallpanchis.core import fragments
from spaces.models import Agreement, ConcertationSpace
from tests.spaces.factories import anta_space, held, lima

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

ROW = "spaces/partials/agreement_list_row.html"
BLOCK = "spaces/partials/agreement_list_rows.html"
FILTERS = "spaces/partials/agreement_list_filters.html"


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
    assert BLOCK not in templates  # the list around its rows is kept apart from them
    assert FILTERS not in templates  # and so is the filter form, whose choices are as they were


def test_the_list_around_the_rows_follows_whether_there_are_any(client, register):
    """The block around the rows is kept by whether there are rows (it says "nothing here" when not) and by
    its count: the last row gone shows the empty state, a new one the list again."""
    space, url = register
    rendered(client, url)
    Agreement.objects.filter(meeting__space=space).delete()
    html, templates = rendered(client, url)
    assert BLOCK in templates and "list-group-item" not in html
    assert "alert alert-info" in html  # "no agreement matches"
    held(space, when=lima(2026, 2, 1), agreements=["Limpiar el canal"])
    html, templates = rendered(client, url)
    assert BLOCK in templates and html.count("list-group-item") == 1
    assert "Limpiar el canal" in html and "alert alert-info" not in html


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


def test_a_page_whose_rows_did_not_change_builds_none_of_them(client, register):
    """A page's rows are known by their versions (one query of ids and versions): after a write that left
    them as they were, no row is read whole."""
    from django.test.utils import CaptureQueriesContext

    _space, url = register
    rendered(client, url)
    bump()
    with CaptureQueriesContext(connection) as page:
        rendered(client, url)
    read = [q["sql"] for q in page.captured_queries if 'FROM "spaces_agreement"' in q["sql"]]
    assert any(".xmin::text" in sql for sql in read)
    assert not any('"spaces_agreement"."what"' in sql for sql in read)


def test_a_row_written_twice_in_one_transaction_is_rendered_each_time(client, register):
    """Both writes of one transaction give the row the same `xmin`: the command within it tells them apart
    (this test runs in one transaction)."""
    _space, url = register
    rendered(client, url)
    Agreement.objects.filter(what="Vacunar").update(what="Vacunar las vacas")
    assert "Vacunar las vacas" in rendered(client, url)[0]
    Agreement.objects.filter(what="Vacunar las vacas").update(what="Vacunar las alpacas")
    html, templates = rendered(client, url)
    assert "Vacunar las alpacas" in html and templates.count(ROW) == 1


def test_a_rows_annotations_are_part_of_its_version(client, register):
    """A meeting's row shows how many attended, counted by the query: a new attendance row changes the
    meeting's row though the meeting's own row is as it was."""
    from spaces.models import Attendance, Meeting

    _space, _url = register
    url = reverse("spaces:meeting_list")
    assert "3 personas" in rendered(client, url)[0]
    meeting = Meeting.objects.get()
    Attendance.objects.bulk_create([Attendance(meeting=meeting, name="Nueva", gender="female", position=9)])
    with CaptureQueriesContext(connection) as seen:
        assert "4 personas" in rendered(client, url)[0]
    # the row is read again by its id alone: its counts come with the marks, not from a second count
    reads = [q["sql"] for q in seen.captured_queries if '"spaces_meeting"."id" IN (' in q["sql"]]
    assert reads and not any("COUNT(" in sql for sql in reads)


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


def test_a_write_to_a_column_the_list_is_not_ordered_by_keeps_its_order(client, register, monkeypatch):
    """A page's rows and their order are kept by the columns their query reads (`_order`): after a write to
    a meeting's title, only the rows' versions are read (by id), not the filtered, ordered and counted
    query; after a write to when it starts, that query runs again."""
    from spaces.models import Meeting

    monkeypatch.setattr(fragments, "CHECK_KEPT_ORDER", False)  # the test settings' check reads it again
    url = reverse("spaces:meeting_list")
    rendered(client, url)
    ordered = 'AS "attendance_count"'  # the page's query: filtered, ordered, counted

    Meeting.objects.update(title="Asamblea de enero")
    with CaptureQueriesContext(connection) as seen:
        assert "Asamblea de enero" in rendered(client, url)[0]
    sqls = [q["sql"] for q in seen.captured_queries]
    assert not any(ordered in sql for sql in sqls)
    assert any('"spaces_meeting"."id" = ANY(' in sql for sql in sqls)

    Meeting.objects.update(starts_at=lima(2025, 12, 1))
    with CaptureQueriesContext(connection) as seen:
        rendered(client, url)
    assert any(ordered in q["sql"] for q in seen.captured_queries)


def test_rows_kept_for_a_place_that_holds_other_rows_fail_the_tests(register):
    """The test settings read the rows again whenever they are found kept: a list whose key does not say all
    its query depends on (here: two different pages under one key) fails."""
    from kallpanchis.core import caching

    assert fragments.CHECK_KEPT_ORDER
    every = Agreement.objects.order_by("pk")
    first = every.first()

    def page_of(queryset):
        return lambda: fragments._marks([queryset[:20]])[0]

    assert len(caching.by_what_it_reads("test:order", None, ("one key",), ("spaces",), page_of(every))) == 3
    # a write to a column the page's order does not read: the block is made again, its order is kept
    Agreement.objects.filter(pk=first.pk).update(what="Vacunar el ganado")
    with pytest.raises(AssertionError, match="are not the page's"):
        caching.by_what_it_reads(
            "test:order", None, ("one key",), ("spaces",), page_of(every.filter(pk=first.pk))
        )
