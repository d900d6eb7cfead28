"""`make chaos`: the load test's journeys (load/locustfile.py), plus technicians who schedule meetings (the
writes the script counts) and phones that open the offline meeting log. Every request is written to
KP_EVENTS (one JSON line: time, name, status, whether the page said "try again"); every meeting whose
creation was acknowledged (302 to its page) to KP_ACKS."""

import json
import os
import re
import time
import uuid

from locust import HttpUser, between, events, task
from locustfile import BudgetTeam, Coordinator, Leader, Person, Technician  # noqa: F401  (users of the run)

PATHS = json.loads(os.environ.get("KP_PATHS", "{}"))
EVENTS = open(os.environ["KP_EVENTS"], "a", buffering=1)  # noqa: SIM115  (open for the whole run)
ACKS = open(os.environ["KP_ACKS"], "a", buffering=1)  # noqa: SIM115
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TRY_AGAIN = "Inténtalo de nuevo".encode()


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response=None, exception=None, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    body = getattr(response, "content", b"") or b""
    EVENTS.write(
        json.dumps(
            {
                "t": time.time(),
                "name": f"{request_type} {name}",
                "status": status,
                "try_again": status == 503 and TRY_AGAIN in body,
                "error": bool(exception) or status >= 400 or status == 0,
            }
        )
        + "\n"
    )


class Writer(Person):
    """A technician scheduling meetings: each one acknowledged must be there after the outages."""

    weight = 2
    email = "tecnico.anta@demo.kallpanchis.pe"

    @task
    def schedule(self):
        url = PATHS.get("schedule")
        if not url:
            return
        form = self.client.get(url, name="/spaces/<id>/meetings/new (form)")
        token = CSRF.search(form.text or "")
        if form.status_code != 200 or not token:
            return
        title = f"Caos {uuid.uuid4().hex[:12]}"
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "title": title,
            "date": "2027-03-10",
            "start_time": "09:00",
            "end_time": "11:00",
            "place": "Izcuchaca",
            "convened_by": "",
            "agenda-TOTAL_FORMS": "0",
            "agenda-INITIAL_FORMS": "0",
            "agenda-MIN_NUM_FORMS": "0",
            "agenda-MAX_NUM_FORMS": "1000",
        }
        # Over plain HTTP the browser would not send the Secure CSRF cookie; hand it back as a test client.
        cookie = form.cookies.get("csrftoken") or self.client.cookies.get("csrftoken")
        response = self.client.post(
            url,
            data,
            name="/spaces/<id>/meetings/new (send)",
            allow_redirects=False,
            headers={"Referer": self.host + url},
            cookies={"csrftoken": cookie} if cookie else None,
        )
        if response.status_code == 302 and "/spaces/meetings/" in response.headers.get("Location", ""):
            ACKS.write(json.dumps({"t": time.time(), "title": title}) + "\n")


class OfflinePhone(HttpUser):
    """A phone opening the offline meeting log: its page, service worker and scripts need no database."""

    weight = 1
    wait_time = between(1, 3)

    @task
    def shell(self):
        page = self.client.get("/offline/", name="offline: /offline/")
        self.client.get("/offline/sw.js", name="offline: sw.js")
        for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text or "")[:4]:
            self.client.get(asset, name="offline: /static/…")
