import datetime
import time

import pghistory
import pgtrigger
import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.utils import InternalError, ProgrammingError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kallpanchis.history.models import Change
from kallpanchis.history.selectors import actor_and_origin
from kallpanchis.history.triggers import tracked_models
from kallpanchis.organisations.models import Organisation
from kallpanchis.organisations.services import organisation_ensure
from kallpanchis.people.services import person_erase, person_update
from spaces.models import Meeting
from tests.accounts.factories import UserFactory
from tests.conftest import with_mfa
from tests.people.factories import register
from tests.spaces.factories import anta_space, lima, scheduled

pytestmark = pytest.mark.django_db


def changes_of(obj):
    return Change.objects.filter(table=obj._meta.db_table, object_id=str(obj.pk)).select_related("context")


def management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def log_post(minutes: str) -> dict:
    return {
        "minutes": minutes,
        "decisions": "",
        **management("attendance", 1),
        **management("agreements", 1),
        "attendance-0-given_names": "Rosa Huamán",
        "attendance-0-gender": "female",
        "attendance-0-organisation": "",
        "attendance-0-organisation_name": "Comunidad Ccollana",
    }


def test_every_model_of_the_domain_apps_has_its_triggers_installed():
    """A model added to any tracked app is tracked with no migration; this fails if one is forgotten."""
    assert {"municipalities", "spaces", "producers", "budgets", "people", "organisations"} <= set(
        settings.HISTORY_TRACKED_APPS
    )
    tables = {m._meta.db_table for m in tracked_models()}
    assert {"spaces_meeting", "spaces_attendance", "producers_operatingplan", "people_person"} <= tables
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE 'pgtrigger_history_%%' AND c.relname <> 'history_change' GROUP BY c.relname"
        )
        installed = dict(cursor.fetchall())
    assert {t: installed.get(t) for t in tables} == dict.fromkeys(tables, 3)
    registered = {
        (m._meta.db_table, t.name)
        for m, t in pgtrigger.registered()
        if t.name.startswith("history_") and m is not Change
    }
    assert registered == {
        (t, n) for t in tables for n in ("history_insert", "history_update", "history_delete")
    }


def test_a_service_called_by_a_page_records_the_user_and_the_path(client, municipalities, technician_anta):
    space = anta_space(municipalities["anta"])
    client.force_login(technician_anta)
    url = reverse("spaces:meeting_schedule", args=[space.pk])
    data = {
        "title": "Reunión de marzo",
        "date": "2026-03-10",
        "start_time": "09:00",
        "end_time": "12:00",
        "place": "Izcuchaca",
        "convened_by": "",
        **management("agenda", 1),
    }
    assert client.post(url, data).status_code == 302
    meeting = Meeting.objects.get()
    created = changes_of(meeting).get()
    assert created.operation == "insert" and created.new["title"] == "Reunión de marzo"
    assert created.context.metadata == {"user": technician_anta.pk, "url": url}
    agenda = Change.objects.filter(table="spaces_agendaitem", new__meeting_id=meeting.pk)
    assert agenda.count() == meeting.agenda_items.count() and agenda.first().context_id == created.context_id


def test_an_admin_change_records_old_new_and_the_staff_member(client):
    org = organisation_ensure(
        name="CADEP José María Arguedas", kind=Organisation.Kind.NGO, short_name="CADEP"
    )
    staff = with_mfa(UserFactory(email="admin@example.pe", is_staff=True, is_superuser=True))
    client.force_login(staff)
    url = reverse("admin:organisations_organisation_change", args=[org.pk])
    response = client.post(
        url,
        {"name": org.name, "short_name": "CADEP-JMA", "kind": org.kind, "consortium_role": "", "website": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    change = changes_of(org).filter(operation="update").get()
    assert change.old["short_name"] == "CADEP" and change.new["short_name"] == "CADEP-JMA"
    assert "name" not in change.new  # only what changed
    assert change.context.metadata == {"user": staff.pk, "url": url}


def test_a_queryset_update_is_recorded_with_its_actor_and_without_one():
    org = organisation_ensure(name="ARPAC", kind=Organisation.Kind.PRODUCER, short_name="ARPAC")
    someone = UserFactory(email="ops@example.pe")
    Organisation.objects.filter(pk=org.pk).update(short_name="Arpac")  # no context: a script, the database
    Organisation.objects.filter(pk=org.pk).update(short_name="Arpac")  # nothing changed: nothing recorded
    with pghistory.context(user=someone.pk, url="manage.py shell"):
        assert Organisation.objects.filter(pk=org.pk).update(website="https://arpac.pe") == 1
    updates = list(changes_of(org).filter(operation="update").order_by("id"))
    assert [(c.old, c.new) for c in updates] == [
        ({"short_name": "ARPAC"}, {"short_name": "Arpac"}),
        ({"website": ""}, {"website": "https://arpac.pe"}),
    ]
    assert updates[0].context is None and updates[1].context.metadata["user"] == someone.pk
    assert actor_and_origin(updates[1], {someone.pk: someone}) == (str(someone), "manage.py shell")


def test_deleting_keeps_the_whole_row():
    org = organisation_ensure(name="REMURPE", kind=Organisation.Kind.NGO, short_name="REMURPE")
    pk = org.pk
    org.delete()
    deleted = Change.objects.get(table="organisations_organisation", object_id=str(pk), operation="delete")
    assert deleted.old["name"] == "REMURPE" and deleted.new is None


def test_the_history_cannot_be_edited_or_deleted(client):
    organisation_ensure(name="AVSF", kind=Organisation.Kind.NGO)
    change = Change.objects.first()
    for attempt in (
        lambda: Change.objects.filter(pk=change.pk).update(table="x"),
        lambda: Change.objects.filter(pk=change.pk).delete(),
    ):
        with pytest.raises((ProgrammingError, InternalError)), transaction.atomic():
            attempt()
    assert Change.objects.get(pk=change.pk).table == "organisations_organisation"
    staff = with_mfa(UserFactory(email="root@example.pe", is_staff=True, is_superuser=True))
    client.force_login(staff)
    assert client.get(reverse("admin:history_change_changelist")).status_code == 200
    assert client.get(reverse("admin:history_change_add")).status_code == 403
    response = client.post(reverse("admin:history_change_delete", args=[change.pk]), {"post": "yes"})
    assert response.status_code == 403 and Change.objects.filter(pk=change.pk).exists()


def test_a_held_meeting_keeps_every_version_of_its_minutes(client, municipalities, technician_anta):
    meeting = scheduled(anta_space(municipalities["anta"]), when=lima(2026, 3, 10))
    client.force_login(technician_anta)
    url = reverse("spaces:meeting_log", args=[meeting.pk])
    assert client.post(url, log_post("Primera acta: se acordó el acopio.")).status_code == 302
    assert client.post(url, log_post("Acta corregida: acopio los lunes.")).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Acta corregida: acopio los lunes."
    page = client.get(reverse("history:object", args=["spaces", "meeting", meeting.pk]))
    assert page.status_code == 200
    texts = [v["text"] for v in page.context["versions"]]
    assert texts == ["Acta corregida: acopio los lunes.", "Primera acta: se acordó el acopio."]
    html = page.content.decode()
    assert "Primera acta: se acordó el acopio." in html and "Rosa Huamán" in html  # attendance rows too
    assert str(technician_anta) in html


def test_the_history_page_is_for_those_who_may_read_the_object(
    client, municipalities, technician_anta, technician_chumbivilcas
):
    meeting = scheduled(anta_space(municipalities["anta"]), when=lima(2026, 3, 10))
    url = reverse("history:object", args=["spaces", "meeting", meeting.pk])
    client.force_login(technician_chumbivilcas)
    assert client.get(url).status_code == 404
    assert client.get(reverse("history:object", args=["spaces", "attendance", 1])).status_code == 404
    assert (
        client.get(reverse("history:object", args=["accounts", "user", technician_anta.pk])).status_code
        == 404
    )
    client.force_login(technician_anta)
    assert client.get(url).status_code == 200
    assert Client().get(url).status_code == 302  # signed out: to the sign-in page


def test_history_page_queries_do_not_grow_with_changes(client, municipalities, technician_anta):
    space = anta_space(municipalities["anta"])
    client.force_login(technician_anta)
    url = reverse("history:object", args=["spaces", "concertationspace", space.pk])
    client.get(url)  # warm the session and caches

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    with pghistory.context(user=technician_anta.pk, url="/first"):
        space.purpose = "Primer propósito"
        space.save(update_fields=["purpose", "updated_at"])
    few = count()
    other = UserFactory(email="another@example.pe")
    for i in range(25):
        with pghistory.context(user=(technician_anta if i % 2 else other).pk, url=f"/x/{i}"):
            space.purpose = f"Propósito {i}"
            space.save(update_fields=["purpose", "updated_at"])
        scheduled(space, when=lima(2026, 4, 1 + i))  # rows that belong to the space
    assert changes_of(space).count() >= 26
    assert count() == few


def test_erasing_a_person_anonymises_their_history(coordinator):
    person = register(
        given_names="Hermelinda", first_surname="Chuquitaype", dni="40999888", phone="987 000 321"
    )
    person_update(by=coordinator, person=person, given_names="Hermelinda Rosa")
    needles = ["Hermelinda", "Chuquitaype", "40999888", "987000321"]

    def in_history():
        return [
            c.pk
            for c in Change.objects.filter(table="people_person", object_id=str(person.pk))
            if any(n.lower() in f"{c.old} {c.new}".lower() for n in needles)
        ]

    assert len(in_history()) >= 2
    person_erase(by=coordinator, person=person)
    assert in_history() == []
    update = changes_of(person).filter(operation="update", old__has_key="given_names").first()
    assert update.old["given_names"] is None  # the field is still shown as changed, its value gone


@pytest.mark.django_db(transaction=True)
def test_a_task_run_by_a_worker_is_recorded_as_system(celery_workers):
    from kallpanchis.celery import app

    org = organisation_ensure(name="Municipalidad de Anta", kind=Organisation.Kind.NGO, short_name="Anta")
    worker = celery_workers(DJANGO_SETTINGS_MODULE="tests.history.worker_settings").start(concurrency=1)
    result = app.send_task("tests.history.organisation_rename", args=["Municipalidad de Anta", "MPA"])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not changes_of(org).filter(operation="update").exists():
        time.sleep(0.2)
    change = changes_of(org).get(operation="update")
    assert worker.alive()
    assert (change.old["short_name"], change.new["short_name"]) == ("Anta", "MPA")
    assert change.context.metadata == {"task": "tests.history.organisation_rename", "task_id": result.id}
    assert str(actor_and_origin(change, {})[0]) == "sistema"
    assert timezone.now() - change.created_at < datetime.timedelta(minutes=1)
