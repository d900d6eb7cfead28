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
