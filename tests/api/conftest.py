"""A small world for the API: Anta publishes its open data, Chumbivilcas does not.

- Anta: a public space with a held meeting (2 women, 1 man, an agreement) and a private space with a draft
  meeting; a budget cycle with an accredited agent and a ranked, funded project; an association in Pucyura.
- Chumbivilcas: a private space with a meeting and an agreement, a public space (but the municipality does
  not publish), a budget cycle.
"""

import pytest
from django.test import Client

from budgets import services as budget_services
from kallpanchis.api.services import token_create
from municipalities.models import Municipality
from tests.budgets.factories import agent_for, cycle_for, proposal_for, score_all
from tests.producers.factories import association_in, filled_plan
from tests.spaces.factories import anta_space, held, lima, scheduled


def _ranked(cycle, agent_name, title):
    agent = agent_for(cycle, agent_name)
    proposal = proposal_for(agent, title)
    score_all(proposal, "4")
    budget_services.allocation_run(by=None, cycle=cycle)
    proposal.refresh_from_db()
    return proposal


@pytest.fixture
def world(municipalities):
    anta, chumbi = municipalities["anta"], municipalities["chumbivilcas"]
    Municipality.objects.filter(pk=anta.pk).update(publishes_open_data=True)
    anta.refresh_from_db()
    w = {"anta": anta, "chumbi": chumbi}
    w["anta_public"] = anta_space(anta, name="Mesa pública de Anta", is_public=True)
    w["anta_meeting"] = held(w["anta_public"], when=lima(2026, 3, 10), agreements=["Instalar pastos"])
    w["anta_private"] = anta_space(anta, name="Espacio interno de Anta")
    w["anta_draft"] = scheduled(w["anta_private"], when=lima(2026, 4, 10), title="Reunión interna")
    w["chumbi_private"] = anta_space(chumbi, name="Subespacio político de Chumbivilcas")
    w["chumbi_meeting"] = held(w["chumbi_private"], when=lima(2026, 3, 12), agreements=["Borrador de Chumbi"])
    w["chumbi_public"] = anta_space(chumbi, name="Mesa pública de Chumbivilcas", is_public=True)
    w["anta_cycle"] = cycle_for(anta, fiscal_year=2027)
    w["anta_project"] = _ranked(w["anta_cycle"], "Asociación Lechera de Anta", "Centro de acopio de leche")
    w["chumbi_cycle"] = cycle_for(chumbi, fiscal_year=2027)
    w["chumbi_project"] = _ranked(w["chumbi_cycle"], "Asociación de Llusco", "Cobertizos de Llusco")
    w["association"] = association_in("080308", name="Asociación Sumaq Waka de Pucyura")
    w["plan"] = filled_plan(w["association"], year=2026)
    return w


def bearer(user, name="test") -> dict:
    _token, secret = token_create(user=user, name=name)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def api():
    return Client()


def rows(response) -> list:
    body = response.json()
    return body["results"] if isinstance(body, dict) and "results" in body else body
