"""Delivery receipts and replies through the gateways' signed callbacks: what changes, and what must not
(unsigned, wrong signature, replayed, too old, a number nobody has)."""

import json
import time
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

import tests.notifications.sms_kinds  # noqa: F401
from kallpanchis.notifications.delivery import reminders_deliver
from kallpanchis.notifications.models import Reminder, SmsCallbackSeen, SmsInbound, SmsMessage, SmsReply
from kallpanchis.notifications.services import reminders_schedule
from kallpanchis.notifications.tasks import sms_ack_send
from kallpanchis.people.models import Consent
from tests.local_services import free_port
from tests.notifications.factories import meeting_target
from tests.notifications.sms_factories import sms_people
from tests.notifications.sms_gateway_server import (
    SIGNING_KEY,
    GatewayServer,
    android_sign,
    environment,
    twilio_sign,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
KIND = "test_sms_meeting"


@pytest.fixture
def server(settings, live_server):
    gateway_server = GatewayServer(free_port()).start()
    for name, value in environment(gateway_server, "android").items():
        setattr(settings, name, value)
    settings.SITE_URL = live_server.url
    settings.SMS_QUIET_FROM, settings.SMS_QUIET_UNTIL = 0, 0
    gateway_server.android_webhook = live_server.url + "/reminders/sms/hooks/android/"
    yield gateway_server
    gateway_server.stop()


def _sent(n=2, starts_in=timedelta(days=3)):
    target = meeting_target(starts_at=timezone.now() + starts_in)
    people = sms_people(n, target=target)
    rows = [
        r
        for r in reminders_schedule(kind=KIND, target=target, recipients=[], due_times=[timezone.now()])
        if r.person_id
    ]
    Reminder.objects.filter(pk__in=[r.pk for r in rows]).update(status="queued")
    reminders_deliver(reminder_ids=[r.pk for r in rows])
    return target, people, rows


def _state():
    return (
        sorted(SmsMessage.objects.values_list("key", "status")),
        sorted(SmsInbound.objects.values_list("phone", "action")),
        sorted(SmsReply.objects.values_list("person_id", "attending")),
        sorted(Consent.objects.filter(withdrawn_at__isnull=False).values_list("pk", flat=True)),
        SmsCallbackSeen.objects.count(),
    )


def _android_post(client, payload: dict, *, timestamp=None, key=SIGNING_KEY, signature=None, event_id="ev1"):
    body = json.dumps(
        {"id": event_id, "webhookId": "w", "event": payload.pop("event"), "deviceId": "d", "payload": payload}
    ).encode()
    timestamp = str(int(time.time())) if timestamp is None else timestamp
    headers = {
        "HTTP_X_TIMESTAMP": timestamp,
        "HTTP_X_SIGNATURE": signature if signature is not None else android_sign(body, timestamp, key),
    }
    return client.post("/reminders/sms/hooks/android/", data=body, content_type="application/json", **headers)


def test_android_delivery_receipt_moves_the_message_once(server, client):
    _, people, rows = _sent(1)
    key = f"kp{rows[0].pk}"
    response = _android_post(
        client, {"event": "sms:delivered", "messageId": key, "recipient": people[0].phone}
    )
    assert response.status_code == 200 and response.content == b"updated"
    assert SmsMessage.objects.get(key=key).status == "delivered"
    # the gateway's own callback, sent by the server to the live site, is accepted the same way
    _, people, rows = _sent(1)
    response = server.android_delivered(f"kp{rows[0].pk}", people[0].phone)
    assert response.status_code == 200 and SmsMessage.objects.get(key=f"kp{rows[0].pk}").status == "delivered"


@pytest.mark.parametrize(
    "fault",
    ["unsigned", "wrong signature", "wrong key", "replayed", "too old", "unknown number"],
)
def test_android_callbacks_that_change_nothing(server, client, fault):
    _, people, rows = _sent(1)
    key = f"kp{rows[0].pk}"
    if fault == "replayed":
        assert (
            _android_post(
                client, {"event": "sms:failed", "messageId": key, "reason": "x"}, event_id="once"
            ).status_code
            == 200
        )
        SmsMessage.objects.filter(key=key).update(status="accepted")  # as if the replay came first
    before = _state()
    payload = {"event": "sms:delivered", "messageId": key}
    if fault == "unsigned":
        response = client.post(
            "/reminders/sms/hooks/android/",
            data=json.dumps({"id": "e", "event": "sms:delivered", "payload": {"messageId": key}}),
            content_type="application/json",
        )
    elif fault == "wrong signature":
        response = _android_post(client, payload, signature="0" * 64)
    elif fault == "wrong key":
        response = _android_post(client, payload, key="not-the-key")
    elif fault == "replayed":
        response = _android_post(
            client, {"event": "sms:failed", "messageId": key, "reason": "x"}, event_id="once"
        )
    elif fault == "too old":
        response = _android_post(client, payload, timestamp=str(int(time.time()) - 3600))
    else:
        response = _android_post(
            client, {"event": "sms:received", "message": "BAJA", "sender": "+51911111111"}, event_id="x9"
        )
    assert response.status_code in (200, 403)
    assert _state() == before


def test_twilio_status_callback_signed_with_the_key_in_the_url(server, client, settings, live_server):
    settings.SMS_GATEWAY = "twilio"
    _, people, rows = _sent(1)
    message = SmsMessage.objects.get(reminder=rows[0])
    url = live_server.url + f"/reminders/sms/hooks/twilio/status/{message.key}/"
    params = {"MessageSid": message.gateway_id, "MessageStatus": "delivered", "To": people[0].phone}
    bad = client.post(
        url, data=params, HTTP_X_TWILIO_SIGNATURE=twilio_sign(url, {**params, "MessageStatus": "failed"})
    )
    assert bad.status_code == 403 and SmsMessage.objects.get(pk=message.pk).status == "accepted"
    unsigned = client.post(url, data=params)
    assert unsigned.status_code == 403
    other_sid = {**params, "MessageSid": "SM" + "f" * 32}
    assert (
        client.post(url, data=other_sid, HTTP_X_TWILIO_SIGNATURE=twilio_sign(url, other_sid)).content
        == b"unknown"
    )
    ok = client.post(url, data=params, HTTP_X_TWILIO_SIGNATURE=twilio_sign(url, params))
    assert ok.status_code == 200 and SmsMessage.objects.get(pk=message.pk).status == "delivered"
    again = client.post(url, data=params, HTTP_X_TWILIO_SIGNATURE=twilio_sign(url, params))
    assert again.content == b"replayed"
    # a late 'sent' never moves a delivered message back
    late = {**params, "MessageStatus": "sent"}
    client.post(url, data=late, HTTP_X_TWILIO_SIGNATURE=twilio_sign(url, late))
    assert SmsMessage.objects.get(pk=message.pk).status == "delivered"


def test_replies_confirm_decline_stop_and_the_rest_goes_to_the_inbox(server, settings):
    target, people, rows = _sent(4)
    yes, no, stop, other = people
    content_type = ContentType.objects.get_for_model(target)
    assert server.android_received(yes.phone, "Ari, hamusaq").status_code == 200
    assert (
        server.android_received(no.phone.replace("+51", ""), "manan").status_code == 200
    )  # 9 digits: +51 added
    assert server.android_received(stop.phone, "BAJA").status_code == 200
    assert server.android_received(other.phone, "¿A qué hora es?").status_code == 200
    assert set(SmsReply.objects.values_list("person_id", "attending", "content_type_id", "object_id")) == {
        (yes.pk, True, content_type.pk, target.pk),
        (no.pk, False, content_type.pk, target.pk),
    }
    assert Consent.objects.get(person=stop, kind="sms").withdrawn_at is not None
    assert SmsInbound.objects.get(person=other).action == "inbox"
    # BAJA is answered once: the first enqueues the answer (run here by hand: no worker in this test), which
    # a redelivered task does not send again; a second BAJA enqueues nothing (its consent was already gone)
    first = SmsInbound.objects.get(person=stop)
    assert sms_ack_send.apply(args=[first.pk]).result == "sent"
    assert sms_ack_send.apply(args=[first.pk]).result == "already sent"
    with_ack = server.texts_to(stop.phone)
    assert len(with_ack) == 2 and "ya no recibira SMS" in with_ack[-1]
    server.android_received(stop.phone, "STOP")
    assert SmsInbound.objects.filter(person=stop, action="stop").count() == 2
    assert SmsMessage.objects.filter(key__startswith="kpin", person=stop).count() == 1
    # and the person who left gets no further SMS: a new reminder has no row for them
    later = [
        r.person_id
        for r in reminders_schedule(
            kind=KIND, target=target, recipients=[], due_times=[timezone.now() + timedelta(hours=1)]
        )
        if r.person_id
    ]
    assert stop.pk not in later and yes.pk in later


def test_twilio_inbound_reply_matched_by_own_number_only(server, settings, live_server):
    settings.SMS_GATEWAY = "twilio"
    target, people, rows = _sent(1)
    url = live_server.url + "/reminders/sms/hooks/twilio/inbound/"
    assert server.twilio_received(url, people[0].phone, "SI").status_code == 200
    assert SmsReply.objects.get().attending is True
    before = _state()
    assert server.twilio_received(url, "+51900000000", "NO").status_code == 200  # a number nobody has
    assert _state() == before


def test_the_inbox_is_a_page_and_a_pending_item_for_technicians(
    server, client, municipalities, technician_anta
):
    from kallpanchis.accounts.access import access_for
    from kallpanchis.notifications.pending import sms_replies_pending

    anta = municipalities["anta"]
    district = anta.ubigeo if len(anta.ubigeo) == 6 else anta.ubigeo + "01"
    target = meeting_target(starts_at=timezone.now() + timedelta(days=3))
    person = sms_people(1, target=target)[0]
    person.district_ubigeo = district
    person.save()
    server.android_received(person.phone, "¿Dónde es la reunión?")
    row = SmsInbound.objects.get(action="inbox")
    client.force_login(technician_anta)
    page = client.get("/reminders/sms/inbox/")
    if row.person_id and not page.context["rows"]:
        pytest.skip("this technician does not see people of that district in the register")
    assert "¿Dónde es la reunión?" in page.content.decode()
    (item,) = sms_replies_pending(technician_anta, access_for(technician_anta), timezone.localdate())
    assert item.url == "/reminders/sms/inbox/"
    assert client.post(f"/reminders/sms/inbox/{row.pk}/handled/").status_code == 302
    assert SmsInbound.objects.get(pk=row.pk).handled_by == technician_anta
    assert sms_replies_pending(technician_anta, access_for(technician_anta), timezone.localdate()) == []


def test_a_receipt_that_comes_before_its_message_is_recorded_is_applied_once_it_is(server, client):
    """The delivery records sent messages after the gateway accepted them; a fast gateway's receipt can
    arrive in between. It is held, not lost, and the message shows it once recorded."""
    target = meeting_target(starts_at=timezone.now() + timedelta(days=3))
    sms_people(1, target=target)
    [row] = [
        r
        for r in reminders_schedule(kind=KIND, target=target, recipients=[], due_times=[timezone.now()])
        if r.person_id
    ]
    key = f"kp{row.pk}"
    early = _android_post(client, {"event": "sms:delivered", "messageId": key}, event_id="early-1")
    assert early.status_code == 200 and not SmsMessage.objects.exists()
    Reminder.objects.filter(pk=row.pk).update(status="queued")
    reminders_deliver(reminder_ids=[row.pk])
    assert list(SmsMessage.objects.values_list("key", "status")) == [(key, "delivered")]
    # Applied once: the same receipt again is a replay, and a late 'sent' changes nothing.
    again = _android_post(client, {"event": "sms:delivered", "messageId": key}, event_id="early-1")
    assert again.content == b"replayed"
    late = _android_post(client, {"event": "sms:sent", "messageId": key}, event_id="late-1")
    assert late.status_code == 200
    assert SmsMessage.objects.get(key=key).status == "delivered"
