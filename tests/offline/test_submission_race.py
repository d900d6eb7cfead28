"""Two requests carrying the same phone id at the same moment (a retry racing the first send): PostgreSQL's
unique index makes the second wait for the first, then answer with the first one's result."""

import threading
import time
import uuid

import pytest
from django.db import connection

from kallpanchis.offline.models import OfflineSubmission
from kallpanchis.offline.services import submission_accept
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def technician_anta(db):
    return UserFactory(email="tec@example.pe")


def test_racing_retries_apply_once(technician_anta):
    client_id = uuid.uuid4()
    applied = []
    first_inside = threading.Event()
    results = {}

    def slow_apply():
        applied.append(1)
        first_inside.set()
        time.sleep(0.5)  # the second request arrives while this one holds the new row
        return {"status": "accepted", "n": len(applied)}

    def send(name, wait_for=None):
        try:
            if wait_for is not None:
                wait_for.wait(5)
            accepted = submission_accept(
                client_id=client_id, kind="meeting_log", object_id=7, user=technician_anta, apply=slow_apply
            )
            results[name] = (accepted.duplicate, accepted.result)
        finally:
            connection.close()

    first = threading.Thread(target=send, args=("first",))
    second = threading.Thread(target=send, args=("second", first_inside))
    first.start()
    second.start()
    first.join(10)
    second.join(10)

    assert applied == [1]
    assert results == {
        "first": (False, {"status": "accepted", "n": 1}),
        "second": (True, {"status": "accepted", "n": 1}),
    }
    assert OfflineSubmission.objects.filter(client_id=client_id).count() == 1


def test_a_refused_apply_leaves_no_trace_and_the_phone_may_send_again(technician_anta):
    client_id = uuid.uuid4()

    def refuse():
        raise ValueError("meeting changed")

    with pytest.raises(ValueError):
        submission_accept(
            client_id=client_id, kind="meeting_log", object_id=7, user=technician_anta, apply=refuse
        )
    assert not OfflineSubmission.objects.exists()
    accepted = submission_accept(
        client_id=client_id, kind="meeting_log", object_id=7, user=technician_anta, apply=lambda: {"ok": 1}
    )
    assert (accepted.duplicate, accepted.result) == (False, {"ok": 1})
