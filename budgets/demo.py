"""Demo data: for Anta and for Chumbivilcas, a completed participatory-budget cycle (its projects under
execution, its acta signed) and one in its concertation phase today, and the associations' Procompite
business plans. Agents are the producer organisations that exist at
seed time (producers' demo runs first) plus a few of our own. Safe to run again: an existing cycle is left
as it is."""

import datetime
from decimal import Decimal

from django.utils import timezone

from kallpanchis.core.models import Gender
from kallpanchis.organisations.models import Organisation
from kallpanchis.organisations.services import organisation_ensure
from municipalities.models import District, Municipality

from . import services
from .models import BudgetCycle, ParticipatingAgent, Phase, PhaseKind, Proposal, Step

OWN_AGENTS = {
    "0803": [
        "Asociación de Criadores de Cuyes Sumaq Cuy de Pucyura",
        "Asociación de Productores Agropecuarios Hatun Mayu de Chinchaypujio",
        "Asociación de Mujeres Productoras de Queso de Zurite",
    ],
    "0807": [
        "Asociación de Ganaderos Lecheros de Colquemarca",
        "Asociación de Productores de Queso Paria de Santo Tomás",
        "Asociación de Mujeres Criadoras de Cuyes de Livitaca",
    ],
}

# (title, district UBIGEO, cost, co-financing, families, women, scores on the default matrix). Public works
# only: private assets for an association (family guinea-pig sheds) are Procompite's (BUSINESS_PLANS).
PROJECTS = {
    "0803": [
        (
            "Centro de acopio de leche con tanque de enfriamiento",
            "080308",
            380000,
            40000,
            120,
            70,
            (5, 4, 4, 3, 4),
        ),
        (
            "Instalación de pastos cultivados (alfalfa y rye grass asociado)",
            "080304",
            250000,
            25000,
            180,
            95,
            (5, 5, 5, 2, 4),
        ),
        (
            "Canal de riego revestido para pastos en Ancahuasi",
            "080301",
            160000,
            16000,
            90,
            80,
            (4, 4, 3, 2, 3),
        ),
        ("Riego tecnificado por aspersión para pastos", "080302", 420000, 60000, 150, 60, (4, 3, 4, 3, 4)),
        ("Planta quesera artesanal con sala de maduración", "080309", 300000, 30000, 70, 45, (4, 3, 2, 2, 3)),
    ],
    "0807": [
        (
            "Planta de derivados lácteos (queso paria y yogur)",
            "080701",
            450000,
            50000,
            140,
            70,
            (5, 4, 4, 3, 4),
        ),
        (
            "Irrigación por aspersión en praderas de Colquemarca",
            "080704",
            520000,
            80000,
            210,
            90,
            (5, 4, 5, 3, 3),
        ),
        (
            "Mejoramiento genético de vacunos lecheros Brown Swiss",
            "080705",
            280000,
            30000,
            100,
            40,
            (4, 4, 3, 2, 3),
        ),
        ("Instalación de pastos mejorados y ensilado", "080708", 230000, 23000, 160, 85, (4, 3, 4, 2, 4)),
        (
            "Reservorio y riego por aspersión comunal en Livitaca",
            "080703",
            150000,
            15000,
            80,
            75,
            (3, 4, 3, 2, 3),
        ),
    ],
}

RESULTS = (
    "Más leche y queso de calidad vendidos a precio justo en circuitos cortos\n"
    "Pastos y agua manejados de forma sostenible para la seguridad alimentaria\n"
    "Mujeres productoras con más ingresos (cuyes, quesos)"
)


# CUIs of the demo (invented, 7 digits as Invierte.pe gives them), by project order.
CUIS = ("2481536", "2479210", "2490877", "2502214", "2511390")

# Procompite (Ley 29337): the associations' business plans the municipality co-finances in kind.
BUSINESS_PLANS = {
    "0803": (
        "Asociación de Criadores de Cuyes Sumaq Cuy de Pucyura",
        "Crianza tecnificada de cuyes en galpones mejorados para venta en Cusco",
        "SUNARP, partida electrónica 11084512",
        Decimal("120000"),
        Decimal("30000"),
        Decimal("32000"),
        "Materiales para 12 galpones familiares\nReproductores de línea mejorada\n"
        "Asistencia técnica por un año",
        "delivered",
    ),
    "0807": (
        "Asociación de Mujeres Criadoras de Cuyes de Livitaca",
        "Galpones familiares y venta asociada de cuyes en Santo Tomás",
        "SUNARP, partida electrónica 11102377",
        Decimal("110000"),
        Decimal("25000"),
        Decimal("28000"),
        "Galpones familiares (materiales y calaminas)\nJaulas y comederos\nCapacitación en sanidad animal",
        "approved",
    ),
}


def _district(ubigeo: str, municipality: Municipality) -> District:
    return District.objects.filter(ubigeo=ubigeo).first() or municipality.district


def _other_district(district: District, municipality: Municipality) -> list[District]:
    """A provincial project reaches more than one district (D.S. 097-2009-EF): the capital's, or the next."""
    others = District.objects.filter(province_id=municipality.province_id).exclude(pk=district.pk)
    return [others.filter(pk=municipality.district_id).first() or others.order_by("ubigeo").first()]


def _agents(cycle: BudgetCycle, code: str) -> list[ParticipatingAgent]:
    own = [organisation_ensure(name=name, kind=Organisation.Kind.PRODUCER) for name in OWN_AGENTS[code]]
    others = list(
        Organisation.objects.filter(kind=Organisation.Kind.PRODUCER)
        .exclude(name__in=[n for names in OWN_AGENTS.values() for n in names])
        .order_by("name")
    )
    # Producer organisations of the producers app are shared out between the two provinces.
    mine = others[0::2] if code == "0803" else others[1::2]
    agents = []
    for organisation in [*own, *mine[:3]]:
        agent = ParticipatingAgent.objects.filter(cycle=cycle, organisation=organisation).first()
        if agent is None:
            agent = services.agent_register(by=None, cycle=cycle, organisation=organisation)
            services.agent_decide(by=None, agent=agent, accredited=True)
            services.delegate_add(
                by=None, agent=agent, full_name=_delegate_name(len(agents)), gender=Gender.FEMALE
            )
        agents.append(agent)
    return agents


def _delegate_name(i: int) -> str:
    names = [
        "Justina Huillca",
        "Marcelina Quispe",
        "Rosa Ccahuana",
        "Nélida Mamani",
        "Eulogia Condori",
        "Teófila Huamán",
    ]
    return names[i % len(names)]


def _set_calendar(cycle: BudgetCycle, ranges: dict[str, tuple[datetime.date, datetime.date]]) -> None:
    """Demo only: place the phases around today (steps spread evenly inside each phase)."""
    for phase in Phase.objects.filter(cycle=cycle):
        start, end = ranges[phase.kind]
        Phase.objects.filter(pk=phase.pk).update(starts_on=start, ends_on=end)
        steps = list(phase.steps.order_by("position"))
        span = max((end - start).days, len(steps))
        for i, step in enumerate(steps):
            s = start + datetime.timedelta(days=span * i // len(steps))
            e = min(end, start + datetime.timedelta(days=span * (i + 1) // len(steps)))
            Step.objects.filter(pk=step.pk).update(starts_on=s, ends_on=max(s, e))


def _proposals(cycle: BudgetCycle, agents, code: str, *, scored: int) -> list[Proposal]:
    proposals = []
    criteria = list(cycle.criteria.all())
    for i, (title, ubigeo, cost, cofinancing, families, women, scores) in enumerate(PROJECTS[code]):
        proposal = Proposal.objects.filter(cycle=cycle, title=title).first()
        if proposal is None:
            district = _district(ubigeo, cycle.municipality)
            # The concertation cycle's second project asks only for its technical file this year.
            technical_file = scored < 5 and i == 1
            proposal = services.proposal_submit(
                by=None,
                agent=agents[i % len(agents)],
                title=title,
                result=cycle.results_list[0 if "leche" in title.lower() or "ques" in title.lower() else 1],
                district=district,
                other_districts=_other_district(district, cycle.municipality),
                cui=CUIS[i] if i < 4 else "",
                investment_status="viable" if i < 4 else "idea",
                funding="technical_file" if technical_file else "whole",
                stage_cost=Decimal(cost) * Decimal("0.06") if technical_file else None,
                cofinancing_source="Aporte de las asociaciones (mano de obra y materiales locales)",
                cost=Decimal(cost),
                cofinancing=Decimal(cofinancing),
                families=families,
                women=women,
                description="Propuesta presentada en el taller de priorización.",
            )
            if i < scored:
                proposal = services.proposal_evaluate(
                    by=None,
                    proposal=proposal,
                    admissible=True,
                    reasons="Cuenta con perfil y terreno saneado.",
                )
                services.scores_enter(
                    by=None,
                    proposal=proposal,
                    values={c.pk: Decimal(v) for c, v in zip(criteria, scores, strict=False)},
                    from_paper_sheet=True,
                )
        proposals.append(proposal)
    return proposals


def _completed(municipality: Municipality, code: str, today: datetime.date, stdout) -> None:
    """Last year's cycle for this year's budget: run to the end, its funded projects under execution."""
    year = today.year  # run during last year, executed this year
    if BudgetCycle.objects.filter(municipality=municipality, fiscal_year=year).exists():
        return
    cycle = services.cycle_create(
        by=None,
        municipality=municipality,
        fiscal_year=year,
        envelope=Decimal("900000.00") if code == "0803" else Decimal("1100000.00"),
        ordinance_reference=f"Ordenanza Municipal 004-{year - 1}-{'MPA' if code == '0803' else 'MPCH'}",
        prioritised_results=RESULTS,
    )
    cycle.agents_commitments = (
        "Las asociaciones aportan mano de obra no calificada y materiales locales (cofinanciamiento).\n"
        "Las asociaciones organizan la operación y el mantenimiento de las obras entregadas."
    )
    cycle.save(update_fields=["agents_commitments"])
    agents = _agents(cycle, code)
    _technical_team(cycle)
    _by_right(cycle)
    _governance(cycle, code, year)
    services.preliminary_list_publish(
        by=None,
        cycle=cycle,
        on=datetime.date(year - 1, 3, 10),
        challenges_until=datetime.date(year - 1, 3, 14),
    )
    challenge = services.challenge_file(
        by=None,
        agent=agents[-1],
        filed_by=agents[0].organisation.name,
        grounds="Sus delegados no figuran en el libro de actas.",
        filed_on=datetime.date(year - 1, 3, 12),
    )
    services.challenge_decide(
        by=None,
        challenge=challenge,
        upheld=False,
        resolution="Presentó el acta de asamblea que elige a sus delegados.",
        on=datetime.date(year - 1, 3, 14),
    )
    services.final_list_publish(by=None, cycle=cycle, on=datetime.date(year - 1, 3, 17))
    _workshops_held(cycle, year)
    _proposals(cycle, agents, code, scored=5)
    services.allocation_run(by=None, cycle=cycle)
    _vigilance_elect(cycle, agents, year)
    voting = services.quorum(cycle)[1]
    services.acta_record(
        by=None, cycle=cycle, signed_on=datetime.date(year - 1, 6, 26), agents_present=max(1, voting - 2)
    )
    cycle.refresh_from_db()
    services.cycle_governance_set(
        by=None,
        cycle=cycle,
        mayor_name=cycle.mayor_name,
        mayor_gender=cycle.mayor_gender,
        accreditation_requirements=cycle.accreditation_requirements,
        ccl_opinion=cycle.ccl_opinion,
        ccl_opinion_on=cycle.ccl_opinion_on,
        results_to_ccl_on=datetime.date(year - 1, 7, 3),
        results_to_council_on=datetime.date(year - 1, 7, 10),
    )
    funded = list(cycle.proposals.filter(allocated__isnull=False).order_by("rank"))
    _execution(funded, year, today)
    services.vigilance_report_submit(
        by=None,
        cycle=cycle,
        period=f"I semestre {year}",
        submitted_on=datetime.date(year, 7, 10),
        findings=(
            "El centro de acopio avanza según lo previsto. Una de las obras está paralizada por falta de "
            "expediente técnico."
        ),
        proposal=funded[-1] if funded else None,
    )
    stdout.write(f"Participatory budget: {cycle} (completed, {len(funded)} projects under execution)")


def _technical_team(cycle: BudgetCycle) -> None:
    resolution = f"Resolución de Alcaldía 021-{cycle.fiscal_year - 1}"
    services.technical_member_add(
        by=None,
        cycle=cycle,
        full_name="Ing. Ruth Salas",
        position="Gerencia de Planificación y Presupuesto",
        resolution=resolution,
    )
    services.technical_member_add(
        by=None,
        cycle=cycle,
        full_name="Econ. Hugo Paucar",
        position="Desarrollo Económico Local",
        resolution=resolution,
    )


def _by_right(cycle: BudgetCycle) -> None:
    """CCL members and regidores take part by right (no accreditation)."""
    for seat, name, gender, represents in (
        ("ccl", "Florencia Ttito", Gender.FEMALE, "Federación de Comunidades Campesinas"),
        ("ccl", "Alejandro Cusi", Gender.MALE, "Alcalde distrital (CCL provincial)"),
        ("regidor", "Yolanda Ayma", Gender.FEMALE, "Comisión de Desarrollo Económico"),
        ("regidor", "Mario Huamán", Gender.MALE, "Comisión de Presupuesto"),
    ):
        services.agent_by_right_add(
            by=None, cycle=cycle, seat=seat, full_name=name, gender=gender, represents=represents
        )


def _governance(cycle: BudgetCycle, code: str, year: int) -> None:
    services.cycle_governance_set(
        by=None,
        cycle=cycle,
        mayor_name="Lic. Marleni Quispe Huamán" if code == "0803" else "Prof. Lucio Ccama Valer",
        mayor_gender=Gender.FEMALE if code == "0803" else Gender.MALE,
        accreditation_requirements=(
            "Ficha de inscripción\nCopia de la inscripción en registros públicos o libro de actas\n"
            "Acta de la asamblea que elige a los delegados\nCopia del DNI de los delegados"
        ),
        ccl_opinion="El CCL opina favorablemente sobre la ordenanza y el cronograma.",
        ccl_opinion_on=datetime.date(year - 1, 1, 28),
    )


def _business_plans(municipality: Municipality, code: str, today: datetime.date) -> None:
    """Procompite: the association's private assets (family sheds) are co-financed in kind here."""
    from .models import BusinessPlan

    name, title, registration, investment, operating, own, in_kind, stage = BUSINESS_PLANS[code]
    if BusinessPlan.objects.filter(municipality=municipality, title=title).exists():
        return
    plan = services.business_plan_submit(
        by=None,
        municipality=municipality,
        association=organisation_ensure(name=name, kind=Organisation.Kind.PRODUCER),
        year=today.year - 1,
        title=title,
        legal_registration=registration,
        investment_budget=investment,
        operating_budget=operating,
        association_contribution=own,
        in_kind=in_kind,
    )
    for next_stage in ("eligible", "approved", "delivered"):
        plan = services.business_plan_advance(by=None, plan=plan, stage=next_stage)
        if next_stage == stage:
            break


def _workshops_held(cycle: BudgetCycle, year: int) -> None:
    """The four workshops of last year's concertation, with the women and men who came."""
    for kind, month, day, women, men in (
        ("accountability", 4, 8, 21, 34),
        ("diagnosis", 4, 24, 26, 31),
        ("prioritisation", 6, 10, 29, 33),
        ("formalisation", 6, 26, 24, 28),
    ):
        services.workshop_record(
            by=None,
            cycle=cycle,
            kind=kind,
            held_on=datetime.date(year - 1, month, day),
            place="Auditorio de la Municipalidad Provincial",
            women=women,
            men=men,
        )


def _vigilance_elect(cycle: BudgetCycle, agents, year: int) -> None:
    """The Comité de Vigilancia elected at the formalisation workshop."""
    services.vigilance_committee_elect(
        by=None,
        cycle=cycle,
        elected_on=datetime.date(year - 1, 6, 26),
        members=[
            services.VigilanceCandidate(
                agent=agents[i % len(agents)], full_name=name, gender=gender, is_president=i == 0
            )
            for i, (name, gender) in enumerate(
                [
                    ("Marcelina Quispe", Gender.FEMALE),
                    ("Julián Ccoa", Gender.MALE),
                    ("Rosa Ccahuana", Gender.FEMALE),
                    ("Pedro Huarca", Gender.MALE),
                ]
            )
        ],
    )


def _execution(funded, year: int, today: datetime.date) -> None:
    """Execution this year: the first project on time, the second behind a missed milestone, the third
    stalled."""
    plans = [
        (85, Decimal("0.8"), 20, True),
        (40, Decimal("0.35"), 30, False),
        (15, Decimal("0.1"), 120, False),
    ]
    for proposal, (progress, spent_share, days_ago, first_done) in zip(funded, plans, strict=False):
        on = min(today, max(datetime.date(year, 1, 15), today - datetime.timedelta(days=days_ago)))
        first = services.milestone_add(
            by=None, proposal=proposal, name="Expediente técnico aprobado", due_on=datetime.date(year, 3, 31)
        )
        services.milestone_add(
            by=None,
            proposal=proposal,
            name="Obra entregada a la asociación",
            due_on=datetime.date(year, 12, 20),
        )
        services.execution_update(
            by=None,
            proposal=proposal,
            on=on,
            progress_pct=progress,
            spent=(proposal.allocated * spent_share).quantize(Decimal("0.01")),
            note="Informe de la Gerencia de Infraestructura",
            expected_end=datetime.date(year, 12, 20),
        )
        if first_done:
            services.milestone_done(by=None, milestone=first, done_on=datetime.date(year, 3, 20))


def _in_concertation(municipality: Municipality, code: str, today: datetime.date, stdout) -> None:
    deadline_room = (datetime.date(today.year, 12, 31) - today).days
    year = today.year + 1 if deadline_room >= 30 else today.year + 2
    if BudgetCycle.objects.filter(municipality=municipality, fiscal_year=year).exists():
        return
    cycle = services.cycle_create(
        by=None,
        municipality=municipality,
        fiscal_year=year,
        envelope=Decimal("950000.00") if code == "0803" else Decimal("1200000.00"),
        ordinance_reference=f"Ordenanza Municipal 002-{year - 1}-{'MPA' if code == '0803' else 'MPCH'}",
        prioritised_results=RESULTS,
    )
    d = datetime.timedelta
    _set_calendar(
        cycle,
        {
            PhaseKind.PREPARATION: (today - d(days=75), today - d(days=21)),
            PhaseKind.CONCERTATION: (today - d(days=20), today + d(days=15)),
            PhaseKind.COORDINATION: (today + d(days=16), today + d(days=25)),
            PhaseKind.FORMALISATION: (today + d(days=26), datetime.date(year - 1, 12, 31)),
        },
    )
    agents = _agents(cycle, code)
    services.technical_member_add(
        by=None,
        cycle=cycle,
        full_name="Ing. Ruth Salas",
        position="Gerencia de Planificación y Presupuesto",
        resolution=f"Resolución de Alcaldía 009-{year - 1}",
    )
    _by_right(cycle)
    services.workshop_record(
        by=None,
        cycle=cycle,
        kind="accountability",
        held_on=today - d(days=18),
        place="Local comunal",
        women=19,
        men=27,
    )
    services.workshop_record(
        by=None,
        cycle=cycle,
        kind="diagnosis",
        held_on=today - d(days=10),
        place="Local comunal",
        women=23,
        men=25,
    )
    _proposals(cycle, agents, code, scored=3)
    stdout.write(f"Participatory budget: {cycle} (concertation phase: 5 proposals, 3 scored)")


def seed(stdout) -> None:
    today = timezone.localdate()
    for code in ("0803", "0807"):
        municipality = Municipality.objects.filter(
            level=Municipality.Level.PROVINCIAL, province__code=code
        ).first()
        if municipality is None:
            continue
        _completed(municipality, code, today, stdout)
        _in_concertation(municipality, code, today, stdout)
        _business_plans(municipality, code, today)
