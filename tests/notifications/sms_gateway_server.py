"""A local stand-in for the two SMS gateways, implementing the requests and answers their documentation
gives (the only stand-in the tests use: the real services are outside this machine).

- "SMS Gateway for Android" local server: POST /message (JSON: id, message, phoneNumbers,
  withDeliveryReport; basic auth) → 202 with the message and its state, 409 when the id exists;
  GET /message/{id} → 200 or 404; webhooks to a registered URL, signed X-Signature = hex HMAC-SHA256(key,
  body + X-Timestamp).
- Twilio-compatible: POST /2010-04-01/Accounts/{sid}/Messages.json (form: To, From, Body, StatusCallback;
  basic auth) → 201 with "sid"; GET …/Messages/{Sid}.json; GET …/Messages.json?To=… (newest first);
  StatusCallback and incoming-message webhooks signed X-Twilio-Signature.

Faults on demand: `slow` (accept, then answer after N seconds), `fail` (answer 500 without accepting),
`stop()`/`start()` (the port closed). The counts on this side are the tests' truth: how many messages
each phone was given, per key and per text.
"""

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

ACCOUNT = "AC" + "0" * 32
TOKEN = "twilio-test-token"
ANDROID_USER = "sms"
ANDROID_PASSWORD = "android-test-password"
SIGNING_KEY = "android-signing-key"


def android_sign(body: bytes, timestamp: str, key: str = SIGNING_KEY) -> str:
    return hmac.new(key.encode(), body + timestamp.encode(), hashlib.sha256).hexdigest()


def twilio_sign(url: str, params: dict, token: str = TOKEN) -> str:
    data = url + "".join(f"{k}{params[k]}" for k in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


class GatewayServer:
    def __init__(self, port: int):
        self.port = port
        self.lock = threading.Lock()
        self.messages: dict[str, dict] = {}  # android id or twilio sid → message
        self.order: list[str] = []
        self.given = Counter()  # (phone, text) → messages given to that phone
        self.by_key = Counter()  # android id → messages created
        self.requests = Counter()  # "POST /message" etc.
        self.slow_seconds = 0.0
        self.slow_count = 0  # how many more POSTs are slow (0: none)
        self.fail_count = 0  # how many more POSTs answer 500
        self.deliver = False  # send a delivery callback after each message
        self.android_webhook = ""  # URL registered for the Android webhooks
        self.callbacks_sent = Counter()
        self._server = None

    # --- running -----------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # One write per answer (headers and body together, flushed by handle_one_request) and no Nagle:
            # otherwise each keep-alive answer waits ~40 ms for the client's delayed ACK, and the stand-in,
            # not the code under test, sets the pace.
            wbufsize = 64 * 1024

            def setup(self):
                super().setup()
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def log_message(self, *args):
                pass

            def _answer(self, status: int, payload=None):
                body = b"" if payload is None else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the slow fault): it was accepted all the same

            def _auth(self) -> tuple[str, str]:
                raw = self.headers.get("Authorization", "")
                if not raw.startswith("Basic "):
                    return "", ""
                user, _, password = base64.b64decode(raw[6:]).decode().partition(":")
                return user, password

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def do_GET(self):  # noqa: N802
                parsed = urllib.parse.urlsplit(self.path)
                if parsed.path == "/_stats":
                    return self._answer(
                        200,
                        {
                            "total": outer.total(),
                            "duplicates": outer.duplicates(),
                            "phones": len({phone for phone, _ in outer.given}),
                        },
                    )
                outer.requests[f"GET {parsed.path.rsplit('/', 1)[0]}"] += 1
                if parsed.path.startswith("/message/"):
                    if self._auth() != (ANDROID_USER, ANDROID_PASSWORD):
                        return self._answer(401, {"message": "Unauthorized"})
                    message = outer.messages.get(parsed.path.split("/")[-1])
                    return self._answer(200, message) if message else self._answer(404)
                base = f"/2010-04-01/Accounts/{ACCOUNT}/Messages"
                if parsed.path.startswith(base):
                    if self._auth() != (ACCOUNT, TOKEN):
                        return self._answer(401, {"code": 20003, "message": "Authenticate"})
                    if parsed.path == base + ".json":
                        query = urllib.parse.parse_qs(parsed.query)
                        to = query.get("To", [""])[0]
                        with outer.lock:
                            found = [outer.messages[s] for s in reversed(outer.order) if s.startswith("SM")]
                        found = [m for m in found if not to or m["to"] == to][
                            : int(query.get("PageSize", ["50"])[0])
                        ]
                        return self._answer(200, {"messages": found, "page": 0, "page_size": len(found)})
                    sid = parsed.path[len(base) + 1 : -len(".json")]
                    message = outer.messages.get(sid)
                    return self._answer(200, message) if message else self._answer(404, {"code": 20404})
                return self._answer(404)

            def do_POST(self):  # noqa: N802
                parsed = urllib.parse.urlsplit(self.path)
                body = self._body()
                outer.requests[f"POST {parsed.path}"] += 1
                with outer.lock:
                    failing = outer.fail_count > 0
                    if failing:
                        outer.fail_count -= 1
                if failing:
                    return self._answer(500, {"message": "Internal Server Error"})
                if parsed.path in ("/message", "/messages"):
                    if self._auth() != (ANDROID_USER, ANDROID_PASSWORD):
                        return self._answer(401, {"message": "Unauthorized"})
                    request = json.loads(body)
                    status, payload = outer._android_send(request)
                elif parsed.path == f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json":
                    if self._auth() != (ACCOUNT, TOKEN):
                        return self._answer(401, {"code": 20003, "message": "Authenticate"})
                    form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode()).items()}
                    status, payload = outer._twilio_send(form)
                else:
                    return self._answer(404)
                with outer.lock:
                    slow = outer.slow_count > 0
                    if slow:
                        outer.slow_count -= 1
                if slow:  # accepted already: only the answer is late
                    time.sleep(outer.slow_seconds)
                return self._answer(status, payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self._server.allow_reuse_address = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # --- the two APIs ------------------------------------------------------------------------------------
    def _android_send(self, request: dict) -> tuple[int, dict]:
        key = request.get("id") or uuid.uuid4().hex
        with self.lock:
            if key in self.messages:
                return 409, {"message": f"Message with id {key} already exists"}
            phone = request["phoneNumbers"][0]
            message = {
                "id": key,
                "deviceId": "test-device",
                "state": "Pending",
                "isHashed": False,
                "isEncrypted": False,
                "recipients": [{"phoneNumber": phone, "state": "Pending", "error": None}],
                "states": {"Pending": datetime.now(UTC).isoformat()},
                "textMessage": {"text": request["message"]},
            }
            self.messages[key] = message
            self.order.append(key)
            self.given[(phone, request["message"])] += 1
            self.by_key[key] += 1
        if self.deliver and self.android_webhook:
            threading.Thread(target=self.android_delivered, args=(key, phone), daemon=True).start()
        return 202, message

    def _twilio_send(self, form: dict) -> tuple[int, dict]:
        sid = "SM" + uuid.uuid4().hex
        message = {
            "sid": sid,
            "account_sid": ACCOUNT,
            "to": form["To"],
            "from": form.get("From", ""),
            "body": form["Body"],
            "status": "queued",
            "num_segments": "1",
            "date_created": datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000"),
            "date_sent": None,
            "price": None,
            "uri": f"/2010-04-01/Accounts/{ACCOUNT}/Messages/{sid}.json",
        }
        with self.lock:
            self.messages[sid] = message
            self.order.append(sid)
            self.given[(form["To"], form["Body"])] += 1
        callback = form.get("StatusCallback", "")
        if self.deliver and callback:
            threading.Thread(
                target=self.twilio_status, args=(callback, sid, "delivered"), daemon=True
            ).start()
        return 201, message

    # --- callbacks, as the gateways send them -------------------------------------------------------------
    def android_event(
        self, event: str, payload: dict, *, key: str = SIGNING_KEY, event_id: str | None = None
    ):
        body = json.dumps(
            {
                "id": event_id or uuid.uuid4().hex,
                "webhookId": "wh1",
                "event": event,
                "deviceId": "test-device",
                "payload": payload,
            }
        ).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-Timestamp": timestamp,
            "X-Signature": android_sign(body, timestamp, key),
        }
        self.callbacks_sent[event] += 1
        return requests.post(self.android_webhook, data=body, headers=headers, timeout=10)

    def android_delivered(self, key: str, phone: str):
        with self.lock:
            self.messages[key]["state"] = "Delivered"
        return self.android_event(
            "sms:delivered",
            {
                "messageId": key,
                "recipient": phone,
                "phoneNumber": phone,
                "simNumber": 1,
                "deliveredAt": datetime.now(UTC).isoformat(),
            },
        )

    def android_received(self, phone: str, text: str):
        return self.android_event(
            "sms:received",
            {
                "messageId": uuid.uuid4().hex[:8],
                "message": text,
                "sender": phone,
                "phoneNumber": phone,
                "simNumber": 1,
                "receivedAt": datetime.now(UTC).isoformat(),
            },
        )

    def twilio_status(self, callback: str, sid: str, status: str):
        with self.lock:
            self.messages[sid]["status"] = status
            to = self.messages[sid]["to"]
        params = {
            "MessageSid": sid,
            "SmsSid": sid,
            "MessageStatus": status,
            "SmsStatus": status,
            "AccountSid": ACCOUNT,
            "To": to,
            "From": "+15005550006",
        }
        self.callbacks_sent[status] += 1
        return requests.post(
            callback, data=params, headers={"X-Twilio-Signature": twilio_sign(callback, params)}, timeout=10
        )

    def twilio_received(self, url: str, phone: str, text: str):
        params = {
            "MessageSid": "SM" + uuid.uuid4().hex,
            "AccountSid": ACCOUNT,
            "From": phone,
            "To": "+15005550006",
            "Body": text,
            "NumMedia": "0",
        }
        return requests.post(
            url, data=params, headers={"X-Twilio-Signature": twilio_sign(url, params)}, timeout=10
        )

    # --- the tests' truth -----------------------------------------------------------------------------
    def texts_to(self, phone: str) -> list[str]:
        with self.lock:
            return [
                m.get("body") or m.get("textMessage", {}).get("text")
                for m in self.messages.values()
                if m.get("to") == phone or any(r["phoneNumber"] == phone for r in m.get("recipients", []))
            ]

    def duplicates(self) -> int:
        with self.lock:
            return sum(n - 1 for n in self.given.values() if n > 1)

    def total(self) -> int:
        with self.lock:
            return sum(self.given.values())


def environment(server: GatewayServer, gateway: str) -> dict[str, str]:
    """The settings a worker (or this process) needs to use this server as its gateway."""
    return {
        "SMS_GATEWAY": gateway,
        "SMS_ANDROID_URL": server.url,
        "SMS_ANDROID_USER": ANDROID_USER,
        "SMS_ANDROID_PASSWORD": ANDROID_PASSWORD,
        "SMS_ANDROID_SIGNING_KEY": SIGNING_KEY,
        "SMS_TWILIO_URL": server.url,
        "SMS_TWILIO_ACCOUNT_SID": ACCOUNT,
        "SMS_TWILIO_AUTH_TOKEN": TOKEN,
        "SMS_TWILIO_FROM": "+15005550006",
    }


def main() -> None:
    """Run the server on its own (the benchmark does): `python -m tests.notifications.sms_gateway_server
    --port 8089`. GET /_stats answers the counts on this side as JSON."""
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    server = GatewayServer(port)
    server.stats_route = True
    server.start()
    print(f"SMS gateway stand-in on {server.url}", flush=True)  # noqa: T201
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
