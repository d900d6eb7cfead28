"""Values kept by what they read (kallpanchis/core/caching.py, `by_what_it_reads`): until a table their
queries read changes, not until any table of their group does; a whole table's count until a row comes or
goes; a value read inside another counts with its tables; a table no trigger versions falls back on the
group."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kallpanchis.core import caching
from kallpanchis.dashboard.models import MeasureSource
from kallpanchis.organisations.models import Organisation
from municipalities.models import District
from spaces.models import Attendance
from tests.spaces.factories import anta_space, held

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


class Counted:
    """compute() for by_what_it_reads, counting its calls."""

    def __init__(self, read):
        self.read, self.calls = read, 0

    def __call__(self):
        self.calls += 1
        return self.read()


def kept(name, compute, user, groups=("spaces",)):
    return caching.by_what_it_reads(name, user, (), groups, compute)


def first_organisation_name():
    return Organisation.objects.order_by("pk").values_list("name", flat=True).first() or ""


def test_kept_until_a_table_it_read_changes(technician_anta):
    compute = Counted(first_organisation_name)
    first = kept("t:name", compute, technician_anta)
    assert kept("t:name", compute, technician_anta) == first
    District.objects.filter(pk=District.objects.order_by("pk").first().pk).update(name="Anta (otra)")
    assert kept("t:name", compute, technician_anta) == first
    assert compute.calls == 1  # a write to another table of the group left it alone
    Organisation.objects.filter(pk=Organisation.objects.order_by("pk").first().pk).update(name="AAA renamed")
    assert kept("t:name", compute, technician_anta) == "AAA renamed"
    assert compute.calls == 2


def test_a_whole_table_count_is_kept_until_a_row_comes_or_goes(technician_anta):
    compute = Counted(Organisation.objects.count)
    before = kept("t:count", compute, technician_anta)
    Organisation.objects.update(short_name="x")
    assert kept("t:count", compute, technician_anta) == before
    assert compute.calls == 1
    added = Organisation.objects.create(name="Asociación nueva", kind=Organisation.Kind.PRODUCER)
    assert kept("t:count", compute, technician_anta) == before + 1
    added.delete()
    assert kept("t:count", compute, technician_anta) == before
    assert compute.calls == 3
    # Counted with a condition, an update may change it: its table's every write counts.
    filtered = Counted(lambda: Organisation.objects.filter(short_name="y").count())
    assert kept("t:filtered", filtered, technician_anta) == 0
    Organisation.objects.update(short_name="y")
    assert kept("t:filtered", filtered, technician_anta) == Organisation.objects.count()


def test_a_value_read_inside_another_counts_with_its_tables(technician_anta):
    inner = Counted(first_organisation_name)
    outer = Counted(lambda: (kept("t:inner", inner, technician_anta), District.objects.count()))
    kept("t:inner", inner, technician_anta)  # kept first: the outer value runs no query on organisations
    kept("t:outer", outer, technician_anta)
    assert (inner.calls, outer.calls) == (1, 1)
    Organisation.objects.filter(pk=Organisation.objects.order_by("pk").first().pk).update(name="AAA renamed")
    assert kept("t:outer", outer, technician_anta)[0] == "AAA renamed"
    assert (inner.calls, outer.calls) == (2, 2)


def test_a_table_no_trigger_versions_falls_back_on_the_groups(technician_anta):
    compute = Counted(Session.objects.count)
    kept("t:sessions", compute, technician_anta, groups=("producers",))
    kept("t:sessions", compute, technician_anta, groups=("producers",))
    assert compute.calls == 1
    # Any write to the group (districts are in producers'): the sessions' own writes are not seen.
    District.objects.filter(pk=District.objects.order_by("pk").first().pk).update(name="Anta (otra)")
    kept("t:sessions", compute, technician_anta, groups=("producers",))
    assert compute.calls == 2


def test_each_access_keeps_its_own(technician_anta, technician_chumbivilcas):
    anta = Counted(lambda: "anta")
    chumbivilcas = Counted(lambda: "chumbivilcas")
    assert kept("t:who", anta, technician_anta) == "anta"
    assert kept("t:who", chumbivilcas, technician_chumbivilcas) == "chumbivilcas"
    assert kept("t:who", anta, technician_anta) == "anta"
    assert (anta.calls, chumbivilcas.calls) == (1, 1)


def test_the_agreements_register_is_kept_across_a_meeting_s_attendance(municipalities, technician_anta):
    """The commonest write of spaces, a meeting's attendance, does not make the register again; a change
    to an agreement it shows does, at once."""
    space = anta_space(municipalities["anta"])
    meeting = held(space, agreements=["Comprar porongos de acero"])
    client = Client()
    client.force_login(technician_anta)
    url = reverse("spaces:agreement_list")
    assert "Comprar porongos de acero" in client.get(url).content.decode()
    Attendance.objects.filter(meeting=meeting).update(role="Tesorera")
    with CaptureQueriesContext(connection) as page:
        assert client.get(url).status_code == 200
    assert not [q for q in page.captured_queries if "spaces_agreement" in q["sql"]]
    meeting.agreements.update(what="Comprar porongos de aluminio")
    assert "Comprar porongos de aluminio" in client.get(url).content.decode()


def test_the_tables_said_to_be_versioned_are_those_with_a_trigger():
    """What the history app registers is what the database holds: a table said versioned without a
    trigger would keep values across its writes."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname = 'kallpanchis_data_version_bump'"
        )
        triggered = {name for (name,) in cursor.fetchall()}
    assert caching._known_tables()[0] == triggered


def test_a_query_of_both_kinds_of_table_keeps_the_versioned_ones(technician_anta):
    """Raw SQL counts too; a query that reads a table no trigger versions and one of another group still
    depends on the latter."""

    def read():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT max(d.name) FROM municipalities_district d LEFT JOIN django_session s ON true"
            )
            return cursor.fetchone()[0]

    compute = Counted(read)
    kept("t:both", compute, technician_anta, groups=("spaces",))  # districts are not in spaces' group
    District.objects.update(name="Zzz")
    assert kept("t:both", compute, technician_anta, groups=("spaces",)) == "Zzz"
    assert compute.calls == 2


def test_a_filtered_count_is_kept_across_writes_to_the_columns_it_does_not_read(technician_anta):
    """A count under a condition reads a few columns: a write to another column leaves it, a write to one
    it reads or a row coming makes it again."""
    compute = Counted(lambda: Organisation.objects.filter(kind=Organisation.Kind.PRODUCER).count())
    before = kept("t:producers", compute, technician_anta)
    Organisation.objects.filter(pk=Organisation.objects.order_by("pk").first().pk).update(name="AAA renamed")
    assert kept("t:producers", compute, technician_anta) == before
    assert compute.calls == 1
    some = Organisation.objects.exclude(kind=Organisation.Kind.PRODUCER).order_by("pk").first()
    Organisation.objects.filter(pk=some.pk).update(kind=Organisation.Kind.PRODUCER)
    assert kept("t:producers", compute, technician_anta) == before + 1
    Organisation.objects.create(name="Asociación nueva", kind=Organisation.Kind.PRODUCER)
    assert kept("t:producers", compute, technician_anta) == before + 2
    assert compute.calls == 3


def test_what_a_query_reads_by_column_and_by_table():
    """Django's own SQL is read column by column, its aliases too; a row's version or raw SQL make it the
    table's."""
    reads = caching._reads(
        'SELECT COUNT(*) AS "__count" FROM "spaces_meeting" INNER JOIN "spaces_concertationspace" ON '
        '("spaces_meeting"."space_id" = "spaces_concertationspace"."id") WHERE '
        '("spaces_meeting"."status" = %s AND "spaces_concertationspace"."municipality_id" IN '
        '(SELECT U0."id" FROM "municipalities_municipality" U0 WHERE U0."province_id" IN '
        '(SELECT U0."id" FROM "organisations_organisation" U0)))'
    )
    assert reads == {
        "r:spaces_meeting",
        "c:spaces_meeting.*",
        "c:spaces_meeting.space_id",
        "c:spaces_meeting.status",
        "r:spaces_concertationspace",
        "c:spaces_concertationspace.*",
        "c:spaces_concertationspace.id",
        "c:spaces_concertationspace.municipality_id",
        # read through Django's alias, which another subquery gives its table too
        "r:municipalities_municipality",
        "c:municipalities_municipality.*",
        "c:municipalities_municipality.id",
        "c:municipalities_municipality.province_id",
        "r:organisations_organisation",
        "c:organisations_organisation.*",
        "c:organisations_organisation.id",
        "c:organisations_organisation.province_id",
    }
    row_version = 'SELECT U0.xmin FROM "spaces_meeting" U0 WHERE U0."id" = %s'
    assert caching._reads(row_version) == {"t:spaces_meeting"}
    assert caching._reads('SELECT "spaces_meeting".xmin::text FROM "spaces_meeting"') == {"t:spaces_meeting"}
    assert caching._reads("SELECT max(title) FROM spaces_meeting") == {"t:spaces_meeting"}
    # Django's table, but a column named without it (raw SQL, `extra`): which columns it reads is unknown
    unqualified = 'SELECT COUNT(*) FROM "spaces_meeting" WHERE status = %s AND "spaces_meeting"."id" > 0'
    assert caching._reads(unqualified) == {"t:spaces_meeting"}
    assert caching._reads('SELECT COUNT(*) AS "__count" FROM "spaces_meeting"') == {"r:spaces_meeting"}


def column_versions() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sum(version) FROM kallpanchis_data_version WHERE name LIKE 'c:%%' GROUP BY name"
        )
        return dict(cursor.fetchall())


def test_an_update_steps_the_columns_it_changed(municipalities):
    """Only the columns whose value changed; none for an update that changes nothing; every column (`*`)
    for a table whose rows cannot be paired by id."""
    before = column_versions()
    first = Organisation.objects.order_by("pk").first()
    Organisation.objects.filter(pk=first.pk).update(short_name="Nuevo", name=first.name)
    Organisation.objects.filter(pk=first.pk).update(short_name="Nuevo")
    after = column_versions()
    stepped = {name for name in after if after[name] != before.get(name)}
    assert stepped == {"c:organisations_organisation.short_name"}
    # The sources of a measure are keyed by the measure's name: no id to pair the rows by.
    source = MeasureSource.objects.create(measure="bench_measure", tables=["spaces_meeting"])
    MeasureSource.objects.filter(pk=source.pk).update(tables=["spaces_attendance"])
    assert column_versions().get("c:dashboard_measuresource.*") != after.get("c:dashboard_measuresource.*")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'kallpanchis_column_version'")
        assert cursor.fetchone()[0] == len(caching._known_tables()[0])


def test_what_a_computation_stores_is_written_at_its_end_in_one_round_trip(technician_anta, monkeypatch):
    """caching.store inside a kept value's computation (a row's HTML, the block around it): written with the
    value itself once it is computed, each under its own timeout, in one pipeline."""
    import redis
    from django.core.cache import cache

    pipelines = []
    execute = redis.client.Pipeline.execute
    monkeypatch.setattr(
        redis.client.Pipeline, "execute", lambda self, *a, **k: pipelines.append(1) or execute(self, *a, **k)
    )
    seen = []

    def compute():
        caching.store({"kp-test:row": "<tr>1</tr>"}, 60)
        caching.store({"kp-test:block": "<table>"}, 24 * 3600)
        seen.append(cache.get_many(["kp-test:row", "kp-test:block"]))
        return first_organisation_name()

    assert kept("t:stored", compute, technician_anta) == first_organisation_name()
    assert seen == [{}]  # nothing written while it was computed
    assert len(pipelines) == 1
    assert cache.get_many(["kp-test:row", "kp-test:block"]) == {
        "kp-test:row": "<tr>1</tr>",
        "kp-test:block": "<table>",
    }
    client = cache._cache.get_client(None)
    assert 0 < client.ttl(cache.make_and_validate_key("kp-test:row")) <= 60
    assert 3600 < client.ttl(cache.make_and_validate_key("kp-test:block")) <= 24 * 3600
    caching.store({"kp-test:outside": 1}, 60)  # outside a computation: at once
    assert cache.get("kp-test:outside") == 1


def test_a_block_returned_whole_is_kept_once_and_read_back_through_its_own_key(technician_anta):
    """A value that is, as it is, a value kept under another key (a list's block): `by_what_it_reads` keeps
    a note of that key, not a second copy of its text; a reader whose process does not hold it reads it
    under that key, and computes it again when the cache no longer has it there."""
    from django.core.cache import cache

    html = "<table>" + "<tr><td>Pucyura</td></tr>" * 400 + "</table>"
    block_key = "block:kp-test:same"

    def compute():
        first_organisation_name()  # a table read: the value is kept until it changes
        return caching.kept(block_key, lambda: html, here=True)

    counted = Counted(compute)
    assert kept("t:same", counted, technician_anta) == html
    notes = [
        value
        for key in cache._cache.get_client(None).scan_iter(match=f"*{'t:same:read:'}*")
        if isinstance(value := cache.get(key.decode().split(":", 2)[2]), caching._Same)
    ]
    assert notes == [caching._Same(block_key)]  # the text is in the cache once, under the block's key

    caching.forget_seen()  # another process: the note, then the block, from the cache
    assert kept("t:same", counted, technician_anta) == html
    assert counted.calls == 1

    caching.forget_seen()
    cache.delete(block_key)  # gone from the cache: computed again, and kept again
    assert kept("t:same", counted, technician_anta) == html
    assert counted.calls == 2
    assert cache.get(block_key) == html

    short = Counted(lambda: caching.kept("block:kp-test:short", lambda: "<p>1</p>", here=True))
    kept("t:short", short, technician_anta)
    caching.forget_seen()
    cache.delete("block:kp-test:short")  # a short text is kept twice: still read without computing
    assert kept("t:short", short, technician_anta) == "<p>1</p>"
    assert short.calls == 1


def test_a_long_value_made_of_parts_is_kept_in_the_process_only():
    """A block longer than ASSEMBLED_HERE_ONLY made of kept parts (the scorecard: 346 KB) is not written to
    Redis: another process makes it again from its parts, read in the same round trip as the block."""
    from django.core.cache import cache

    cache.set("kp-test:part", "<tr><td>Pucyura</td></tr>")
    made = []

    def assemble(found):
        made.append(found)
        return "<table>" + found["kp-test:part"] * (caching.ASSEMBLED_HERE_ONLY // 20) + "</table>"

    long = caching.kept_from_parts("block:kp-test:long", ["kp-test:part"], assemble)
    assert len(long) > caching.ASSEMBLED_HERE_ONLY
    assert cache.get("block:kp-test:long") is None  # not in Redis
    assert caching.kept_from_parts("block:kp-test:long", ["kp-test:part"], assemble) is long  # in the process
    assert len(made) == 1
    caching.forget_seen()  # another process: made again from the part the cache holds
    assert caching.kept_from_parts("block:kp-test:long", ["kp-test:part"], assemble) == long
    assert made[1] == {"kp-test:part": "<tr><td>Pucyura</td></tr>"}

    short = caching.kept_from_parts("block:kp-test:short", ["kp-test:part"], lambda found: "<table></table>")
    assert cache.get("block:kp-test:short") == short  # a shorter one is read back by the other processes


def test_parts_are_kept_in_the_process_beside_redis():
    """A row's HTML and the block around rows (keys that name their content) are kept in the process too:
    read again without Redis, unless kept for less than an hour, and forgotten with the cache."""
    from django.core.cache import cache

    caching.parts_kept({"kp-test:row": "<tr>1</tr>"}, caching.SECONDS)
    cache.delete("kp-test:row")  # Redis no longer has it; this process does
    assert caching.parts_read(["kp-test:row", "kp-test:other"]) == {"kp-test:row": "<tr>1</tr>"}
    cache.set("kp-test:other", "<tr>2</tr>")
    assert caching.parts_read(["kp-test:other"], "kp-test:block") == {"kp-test:other": "<tr>2</tr>"}
    cache.delete("kp-test:other")  # read from Redis once, then kept here
    assert caching.parts_read(["kp-test:other"]) == {"kp-test:other": "<tr>2</tr>"}

    caching.parts_kept({"kp-test:soon": "<tr>3</tr>"}, 60)
    cache.delete("kp-test:soon")
    assert caching.parts_read(["kp-test:soon"]) == {}
    cache.set("kp-test:brief", "<tr>4</tr>", 60)  # stored by another process, for a minute
    assert caching.parts_read(["kp-test:brief"], seconds=60) == {"kp-test:brief": "<tr>4</tr>"}
    cache.delete("kp-test:brief")  # not kept here either
    assert caching.parts_read(["kp-test:brief"], seconds=60) == {}

    cache.clear()  # and the process's parts with it
    assert caching.parts_read(["kp-test:row", "kp-test:other"]) == {}


def test_a_frozen_value_is_kept_in_the_process_whatever_it_is(technician_anta):
    """A model instance is not kept in the process (a caller could change it) unless its callers say they
    never do (`frozen`): then the next request gets the same instance, with no round trip to Redis, until a
    table it read changes."""

    def first():
        return Organisation.objects.order_by("pk").first()

    def read(frozen):
        return caching.by_what_it_reads(
            "t:first", technician_anta, (frozen,), ("spaces",), first, frozen=frozen
        )

    plain = read(False)
    assert read(False) is not plain and read(False) == plain  # unpickled from Redis each time
    frozen = read(True)
    assert read(True) is frozen
    Organisation.objects.filter(pk=frozen.pk).update(name="AAA renamed")
    assert read(True) is not frozen and read(True).name == "AAA renamed"
