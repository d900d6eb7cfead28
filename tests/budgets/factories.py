from decimal import Decimal

from budgets import services
from budgets.models import ParticipatingAgent, Proposal
from kallpanchis.organisations.models import Organisation
from kallpanchis.organisations.services import organisation_ensure
from municipalities.models import District


def cycle_for(municipality, *, fiscal_year: int = 2027, envelope: str = "500000", by=None):
    return services.cycle_create(
        by=by,
        municipality=municipality,
        fiscal_year=fiscal_year,
        envelope=Decimal(envelope),
        ordinance_reference="Ordenanza Municipal 012-2026-MPA",
        prioritised_results="Más leche de calidad vendida a precio justo\nPastos mejorados y agua para riego",
    )


def producer(name: str) -> Organisation:
    return organisation_ensure(name=name, kind=Organisation.Kind.PRODUCER)


def agent_for(cycle, name: str, *, accredited: bool = True) -> ParticipatingAgent:
    agent = services.agent_register(by=None, cycle=cycle, organisation=producer(name))
    if accredited:
        services.agent_decide(by=None, agent=agent, accredited=True)
    return agent


def proposal_for(
    agent,
    title: str = "Centro de acopio de leche",
    *,
    cost: str = "100000",
    cofinancing: str = "0",
    families: int = 50,
    viable: bool = True,
) -> Proposal:
    municipality = agent.cycle.municipality
    districts = list(District.objects.filter(province_id=municipality.province_id).order_by("ubigeo")[:2])
    if municipality.level == municipality.Level.DISTRICT:
        districts = [municipality.district]
    proposal = services.proposal_submit(
        by=None,
        agent=agent,
        title=title,
        result=agent.cycle.results_list[0],
        district=districts[0],
        other_districts=districts[1:],  # a provincial municipality funds projects of provincial scope
        cost=Decimal(cost),
        cofinancing=Decimal(cofinancing),
        families=families,
        women=families // 2,
    )
    if viable:
        proposal = services.proposal_evaluate(by=None, proposal=proposal, admissible=True, reasons="Cumple.")
    return proposal


def score_all(proposal, value, *, by=None) -> None:
    services.scores_enter(
        by=by, proposal=proposal, values={c.pk: Decimal(value) for c in proposal.cycle.criteria.all()}
    )
