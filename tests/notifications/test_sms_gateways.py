"""Each gateway against the local server that implements its documented requests and answers."""

import pytest

from kallpanchis.notifications.sms.gateways import (
    AndroidGateway,
    FileGateway,
    GatewayError,
    GatewayRefused,
    TwilioGateway,
)
from tests.local_services import free_port
from tests.notifications.sms_gateway_server import GatewayServer, environment


@pytest.fixture
def server(settings):
    gateway_server = GatewayServer(free_port()).start()
    for name, value in environment(gateway_server, "android").items():
        setattr(settings, name, value)
    settings.SMS_TIMEOUT_SECONDS = 1
    yield gateway_server
    gateway_server.stop()


def test_android_send_is_idempotent_by_its_id_and_looked_up_by_it(server):
    gateway = AndroidGateway()
    assert gateway.lookup(key="kp1", phone="+51987000001", text="Hola", since=None) is None
    assert gateway.send(phone="+51987000001", text="Hola", key="kp1") == "kp1"
    assert gateway.send(phone="+51987000001", text="Hola", key="kp1") == "kp1"  # 409: it has it
    assert gateway.lookup(key="kp1", phone="+51987000001", text="Hola", since=None) == "kp1"
    assert server.given[("+51987000001", "Hola")] == 1
    assert server.requests["POST /message"] == 2


def test_android_errors(server, settings):
    gateway = AndroidGateway()
    server.fail_count = 1
    with pytest.raises(GatewayError):
        gateway.send(phone="+51987000002", text="Hola", key="kp2")
    assert server.total() == 0  # a 500 accepted nothing
    server.slow_count, server.slow_seconds = 1, 3
    with pytest.raises(GatewayError, match="Timeout"):
        gateway.send(phone="+51987000002", text="Hola", key="kp2")
    assert gateway.lookup(key="kp2", phone="", text="", since=None) == "kp2"  # the slow one was accepted
    settings.SMS_ANDROID_PASSWORD = "wrong"
    with pytest.raises(GatewayRefused):
        gateway.send(phone="+51987000002", text="Hola", key="kp3")
    server.stop()
    with pytest.raises(GatewayError, match="ConnectionError"):
        AndroidGateway().send(phone="+51987000002", text="Hola", key="kp4")


def test_twilio_send_answers_a_sid_and_lookup_finds_it_by_sid_or_by_text(server, settings, db):
    from kallpanchis.notifications.sms.models import SmsMessage

    settings.SMS_GATEWAY = "twilio"
    gateway = TwilioGateway()
    sid = gateway.send(
        phone="+51987000003", text="Reunion mañana", key="kp5", callback_url="http://x/cb/kp5/"
    )
    assert sid.startswith("SM")
    # No SID recorded (the worker died before recording): found by number and text among the latest.
    assert gateway.lookup(key="kp5", phone="+51987000003", text="Reunion mañana", since=None) == sid
    assert gateway.lookup(key="kp6", phone="+51987000003", text="Otra cosa", since=None) is None
    SmsMessage.objects.create(
        key="kp5",
        phone="+51987000003",
        text="x",
        encoding="GSM-7",
        segments=1,
        cost=0,
        gateway="twilio",
        gateway_id=sid,
    )
    assert gateway.lookup(key="kp5", phone="", text="", since=None) == sid  # by the recorded SID
    server.fail_count = 1
    with pytest.raises(GatewayError):
        gateway.send(phone="+51987000003", text="Hola", key="kp7")
    settings.SMS_TWILIO_AUTH_TOKEN = "wrong"
    with pytest.raises(GatewayRefused):
        gateway.send(phone="+51987000003", text="Hola", key="kp7")


def test_file_gateway_writes_a_key_once(tmp_path, settings):
    settings.SMS_FILE_DIR = str(tmp_path)
    gateway = FileGateway()
    assert gateway.lookup(key="kp9", phone="", text="", since=None) is None
    gateway.send(phone="+51987000004", text="Hola", key="kp9")
    gateway.send(phone="+51987000004", text="Hola otra vez", key="kp9")
    assert gateway.lookup(key="kp9", phone="", text="", since=None) == "kp9"
    assert [p.name for p in tmp_path.iterdir()] == ["kp9.json"]
    assert "Hola" in (tmp_path / "kp9.json").read_text()
