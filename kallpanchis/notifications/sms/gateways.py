"""SMS gateways, chosen per deployment with SMS_GATEWAY (android | twilio | file). Plain HTTP with
`requests`, so that every request and answer is visible here and in tests/notifications/sms_gateway_server.py.

A gateway has three calls:
- `send(phone, text, key, callback_url)` → the gateway's id of the message. Raises `GatewayError` when
  the message may not have been accepted (timeout, connection refused, 5xx: the row is retried with the
  same key) and `GatewayRefused` when it certainly was not and never will be (a 4xx other than a conflict).
- `lookup(key, phone, text, since)` → the gateway's id when a message under this key was accepted before,
  else None. Asked before a retry: a send that timed out, or a worker killed between the gateway's
  "accepted" and our "recorded", must not reach the person twice.
- callbacks: see hooks.py.

Keys: the outbox derives one per row (`kp<reminder id>`), the same for every attempt.
- Android ("SMS Gateway for Android", local server): the key is the message's own id (`"id"` in
  POST /message); the phone answers 409 to a second message with an id it has, and GET /message/{id}
  tells whether it has it.
- Twilio-compatible: no client-set id. The SID answered is recorded; the key travels in the
  StatusCallback URL. When no SID was recorded, lookup lists the latest messages sent to that number and
  compares the text: the texts of two reminders to one person differ (kind, meeting, time) except the 3-day
  and the 1-day reminder of one meeting, days apart, so a match among the latest is this one.
"""

import json
import os
from dataclasses import dataclass
from datetime import datetime

import requests

from .. import conf


class GatewayError(Exception):
    """The gateway did not answer, or failed (5xx): the message may or may not have been accepted."""


class GatewayRefused(GatewayError):
    """The gateway answered that it will not send this message (a 4xx): retrying will not help."""


@dataclass
class Gateway:
    name = ""

    def send(self, *, phone: str, text: str, key: str, callback_url: str = "") -> str:
        raise NotImplementedError

    def lookup(self, *, key: str, phone: str, text: str, since: datetime | None) -> str | None:
        raise NotImplementedError


def _check(response: requests.Response) -> None:
    if response.status_code >= 500:
        raise GatewayError(f"gateway answered {response.status_code}")
    if response.status_code >= 400:
        raise GatewayRefused(f"gateway refused the message ({response.status_code}): {response.text[:200]}")


class _Http(Gateway):
    def __init__(self):
        self._session = None
        self._pid = None

    @property
    def session(self) -> requests.Session:
        # One keep-alive session per worker process (a forked child must not share its parent's sockets).
        if self._session is None or self._pid != os.getpid():
            self._session = requests.Session()
            self._pid = os.getpid()
        return self._session

    def _call(self, method: str, url: str, **kwargs) -> requests.Response:
        try:
            return self.session.request(method, url, timeout=conf.sms_timeout(), **kwargs)
        except requests.RequestException as error:
            raise GatewayError(f"{type(error).__name__}: {error}") from error


class AndroidGateway(_Http):
    """The "SMS Gateway for Android" app's local server: POST /message with basic auth, answers 202 with
    the message and its state; GET /message/{id}; webhooks signed with X-Signature = hex HMAC-SHA256 of
    body + X-Timestamp."""

    name = "android"

    def _url(self, path: str) -> str:
        return conf.sms_setting("SMS_ANDROID_URL", "http://127.0.0.1:8080").rstrip("/") + path

    def _auth(self) -> tuple[str, str]:
        return (conf.sms_setting("SMS_ANDROID_USER", "sms"), conf.sms_setting("SMS_ANDROID_PASSWORD", ""))

    def send(self, *, phone: str, text: str, key: str, callback_url: str = "") -> str:
        body = {"id": key, "message": text, "phoneNumbers": [phone], "withDeliveryReport": True}
        response = self._call("POST", self._url("/message"), json=body, auth=self._auth())
        if response.status_code == 409:  # the phone already has a message with this id: it was accepted
            return key
        _check(response)
        return response.json().get("id") or key

    def lookup(self, *, key: str, phone: str, text: str, since: datetime | None) -> str | None:
        response = self._call("GET", self._url(f"/message/{key}"), auth=self._auth())
        if response.status_code == 404:
            return None
        _check(response)
        return response.json().get("id") or key


class TwilioGateway(_Http):
    """A Twilio-compatible Messages API: POST /2010-04-01/Accounts/{sid}/Messages.json (form-encoded, basic
    auth with the account SID and auth token) answers 201 with the message's `sid`; GET …/Messages/{Sid}.json
    and GET …/Messages.json?To=…&DateSent>=… read them back."""

    name = "twilio"

    def _base(self) -> str:
        root = conf.sms_setting("SMS_TWILIO_URL", "https://api.twilio.com").rstrip("/")
        return f"{root}/2010-04-01/Accounts/{conf.sms_setting('SMS_TWILIO_ACCOUNT_SID', '')}"

    def _auth(self) -> tuple[str, str]:
        return (conf.sms_setting("SMS_TWILIO_ACCOUNT_SID", ""), conf.sms_setting("SMS_TWILIO_AUTH_TOKEN", ""))

    def send(self, *, phone: str, text: str, key: str, callback_url: str = "") -> str:
        form = {"To": phone, "Body": text}
        service = conf.sms_setting("SMS_TWILIO_MESSAGING_SERVICE_SID", "")
        if service:
            form["MessagingServiceSid"] = service
        else:
            form["From"] = conf.sms_setting("SMS_TWILIO_FROM", "")
        if callback_url:
            form["StatusCallback"] = callback_url
        response = self._call("POST", self._base() + "/Messages.json", data=form, auth=self._auth())
        _check(response)
        return response.json()["sid"]

    def lookup(self, *, key: str, phone: str, text: str, since: datetime | None) -> str | None:
        from .models import SmsMessage

        sid = SmsMessage.objects.filter(key=key).exclude(gateway_id="").values_list("gateway_id", flat=True)
        sid = sid.first()
        if sid:
            response = self._call("GET", f"{self._base()}/Messages/{sid}.json", auth=self._auth())
            if response.status_code == 404:
                return None
            _check(response)
            return sid
        # Newest first. No DateSent filter: a message still queued has no date_sent and would be missed.
        params = {"To": phone, "PageSize": "100"}
        response = self._call("GET", self._base() + "/Messages.json", params=params, auth=self._auth())
        _check(response)
        for message in response.json().get("messages", []):
            if message.get("body") == text and message.get("status") not in ("canceled",):
                return message["sid"]
        return None


class FileGateway(Gateway):
    """Development: one JSON file per message in SMS_FILE_DIR, named after the key, appearing atomically
    (written aside, then hard-linked), so lookup is exact and a key is written once."""

    name = "file"

    def _dir(self) -> str:
        directory = conf.sms_setting("SMS_FILE_DIR", "/tmp/kallpanchis-sms")  # noqa: S108  # nosec B108: dev only
        os.makedirs(directory, exist_ok=True)
        return directory

    def send(self, *, phone: str, text: str, key: str, callback_url: str = "") -> str:
        directory = self._dir()
        tmp = os.path.join(directory, f".{key}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump({"key": key, "phone": phone, "text": text}, handle, ensure_ascii=False)
        try:
            os.link(tmp, os.path.join(directory, f"{key}.json"))
        except FileExistsError:
            pass  # written before: the same message, not a second one
        finally:
            os.unlink(tmp)
        if conf.sms_setting("SMS_FILE_ECHO", "") == "1":
            print(f"[SMS {key}] {phone}: {text}")  # noqa: T201
        return key

    def lookup(self, *, key: str, phone: str, text: str, since: datetime | None) -> str | None:
        return key if os.path.exists(os.path.join(self._dir(), f"{key}.json")) else None


GATEWAYS = {"android": AndroidGateway, "twilio": TwilioGateway, "file": FileGateway}
_made: dict[str, Gateway] = {}


def gateway_get(name: str | None = None) -> Gateway:
    name = name or conf.sms_gateway()
    if name not in _made:
        _made[name] = GATEWAYS[name]()
    return _made[name]
