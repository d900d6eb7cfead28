"""The journeys' GET requests, as signed-in demo people (`make loadtest`).

Session cookies come from `manage.py session_cookies` through the KP_SESSIONS environment variable
(JSON {email: sessionid}); object pages come from KP_PATHS (JSON {name: path}) found by load/run.py.
"""

import json
import os
import random

from locust import HttpUser, between, task

SESSIONS = json.loads(os.environ.get("KP_SESSIONS", "{}"))
PATHS = json.loads(os.environ.get("KP_PATHS", "{}"))


class Person(HttpUser):
    abstract = True
    wait_time = between(0.5, 2)
    email = None

    def on_start(self):
        cookie = SESSIONS.get(self.email)
        if cookie:
            self.client.cookies.set("sessionid", cookie)

    def get(self, path, name=None):
        if path:
            self.client.get(path, name=name or path)


class Technician(Person):
    weight = 3
    email = "tecnico.anta@demo.kallpanchis.pe"

    @task(3)
    def home(self):
        self.get("/")

    @task(3)
    def meetings(self):
        self.get("/spaces/meetings/")

    @task(2)
    def spaces(self):
        self.get("/spaces/")

    @task(2)
    def space(self):
        self.get(PATHS.get("space"), "/spaces/<id>/")

    @task(2)
    def meeting(self):
        self.get(PATHS.get("meeting"), "/spaces/meetings/<id>/")

    @task(2)
    def agreements(self):
        self.get("/spaces/agreements/")

    @task(1)
    def municipalities(self):
        self.get("/municipalities/")

    @task(1)
    def municipality(self):
        self.get(PATHS.get("municipality"), "/municipalities/<id>/")


class Leader(Person):
    weight = 3
    email = "lider@demo.kallpanchis.pe"

    @task(2)
    def home(self):
        self.get("/")

    @task(2)
    def association(self):
        self.get(PATHS.get("association"), "/producers/<id>/")

    @task(2)
    def plan(self):
        self.get(PATHS.get("plan"), "/producers/plans/<id>/")

    @task(2)
    def production(self):
        self.get(PATHS.get("production"), "/producers/<id>/production/")

    @task(1)
    def plans(self):
        self.get("/producers/plans/")


class BudgetTeam(Person):
    weight = 2
    email = "presupuesto.anta@demo.kallpanchis.pe"

    @task(2)
    def cycles(self):
        self.get("/budgets/")

    @task(2)
    def cycle(self):
        self.get(PATHS.get("cycle"), "/budgets/<id>/")

    @task(1)
    def ranking(self):
        self.get(PATHS.get("ranking"), "/budgets/<id>/ranking/")

    @task(1)
    def execution(self):
        self.get(PATHS.get("execution"), "/budgets/<id>/execution/")

    @task(1)
    def public(self):
        self.get(PATHS.get("public_cycle"), "/budgets/public/<id>/")


class Coordinator(Person):
    weight = 2
    email = "coordinadora@demo.kallpanchis.pe"

    @task(3)
    def dashboard(self):
        self.get("/dashboard/")

    @task(1)
    def dashboard_filtered(self):
        self.get("/dashboard/?line=milk&year=2009", "/dashboard/?filters")

    @task(1)
    def plans(self):
        self.get("/producers/plans/")

    @task(1)
    def agreements(self):
        self.get("/spaces/agreements/")

    @task(1)
    def municipalities(self):
        self.get("/municipalities/")

    def on_start(self):
        super().on_start()
        random.seed()
