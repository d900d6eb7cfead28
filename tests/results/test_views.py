"""The results pages: who may open what (a 404 outside one's scope), the scorecard and its XLSX, and list
pages whose number of queries does not grow with their rows."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from municipalities.models import District
from municipalities.services import municipality_ensure
from results import selectors, services
from tests.accounts.factories import person_with_role

from .factories import YEAR, approved, assign, indicator

pytestmark = pytest.mark.django_db


def _count(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(200) as captured:
        response = client.get(url)
        assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def leader(municipalities):
    from kallpanchis.organisations.models import Organisation
    from kallpanchis.organisations.services import organisation_ensure

    association = organisation_ensure(name="Asociación Lechera Zurite", kind=Organisation.Kind.PRODUCER)
    return person_with_role("leader", association, email="lider.zurite@example.pe")


@pytest.fixture
def pastos(coordinator, municipalities, technician_anta):
    ind = indicator(coordinator)
    s1, _s2 = assign(coordinator, ind, municipalities["anta"], target="300")
    assign(coordinator, ind, municipalities["chumbivilcas"], target="100")
    report = approved(
        coordinator,
        technician_anta,
        ind,
        municipalities["anta"],
        s1,
        "135",
        disaggregation={"gender": {"female": "70", "male": "65"}},
    )
    return ind, report


def test_leaders_and_technicians_get_404_on_the_framework_pages(client, pastos, leader, technician_anta):
    ind, _report = pastos
    urls = [
        reverse("results:indicator_list"),
        reverse("results:indicator_create"),
        reverse("results:result_create"),
        reverse("results:indicator_detail", args=[ind.pk]),
        reverse("results:indicator_edit", args=[ind.pk]),
    ]
    for user in (leader, technician_anta):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(urls[3], {"municipality": "1", "year": "2026", "value": "1"}).status_code == 404
    assert ind.targets.count() == 2


def test_leaders_get_404_on_the_scorecard(client, pastos, leader):
    client.force_login(leader)
    assert client.get(reverse("results:scorecard")).status_code == 404
    assert client.get(reverse("results:scorecard_export")).status_code == 404
    assert client.get(reverse("results:report_detail", args=[pastos[1].pk])).status_code == 404


def test_technicians_see_only_their_municipality(
    client, pastos, municipalities, technician_anta, technician_chumbivilcas
):
    ind, report = pastos
    client.force_login(technician_chumbivilcas)
    page = client.get(reverse("results:scorecard") + f"?year={YEAR}")
    assert page.status_code == 200
    names = [str(m) for m, _cells in page.context["card"].rows]
    assert names == ["Municipalidad Provincial de Chumbivilcas"]
    anta = municipalities["anta"]
    assert (
        client.get(reverse("results:cell_detail", args=[ind.pk, anta.pk]) + f"?year={YEAR}").status_code
        == 404
    )
    assert client.get(reverse("results:report_detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("results:report_evidence", args=[report.pk])).status_code == 404
    client.force_login(technician_anta)
    assert client.get(reverse("results:report_detail", args=[report.pk])).status_code == 200


def test_review_actions_are_the_coordinators(client, coordinator, technician_anta, municipalities):
    ind = indicator(coordinator)
    s1, _s2 = assign(coordinator, ind, municipalities["anta"])
    report = services.report_submit(
        by=technician_anta,
        indicator=ind,
        municipality=municipalities["anta"],
        period=s1,
        value=Decimal("120"),
    )
    client.force_login(technician_anta)
    assert client.post(reverse("results:report_approve", args=[report.pk])).status_code == 404
    assert (
        client.post(reverse("results:report_return", args=[report.pk]), {"comment": "x"}).status_code == 404
    )
    report.refresh_from_db()
    assert report.state == "submitted"
    client.force_login(coordinator)
    assert client.get(reverse("results:report_approve", args=[report.pk])).status_code == 405
    client.post(reverse("results:report_return", args=[report.pk]), {"comment": "Falta la foto"})
    report.refresh_from_db()
    assert (report.state, report.review_comment) == ("returned", "Falta la foto")


def test_a_refused_report_shows_the_reason_on_the_form(client, coordinator, technician_anta, municipalities):
    ind = indicator(coordinator)
    s1, _s2 = assign(coordinator, ind, municipalities["anta"])
    client.force_login(technician_anta)
    url = reverse("results:report_form", args=[ind.pk, municipalities["anta"].pk, s1.pk])
    page = client.post(url, {"value": "120", "d__gender__female": "70", "d__gender__male": "40"})
    assert page.status_code == 200
    assert "no suman el total" in page.content.decode()
    assert not ind.reports.exists()


def test_scorecard_export_reads_back(client, pastos, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("results:scorecard_export") + f"?year={YEAR}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == f"Tablero de resultados {YEAR}"
    assert rows[1] == [
        "Municipalidad",
        "Pasto mejorado (ha) · Logrado",
        "Pasto mejorado (ha) · Meta",
        "Pasto mejorado (ha) · Estado",
    ]
    by_name = {r[0]: r[1:] for r in rows[2:]}
    # 135 after the first of two semesters of the year, against 300: 90 % of the 150 expected by now
    assert by_name["Municipalidad Provincial de Anta"] == [135, 300, "En riesgo"]
    assert by_name["Municipalidad Provincial de Chumbivilcas"] == [None, 100, "Sin datos"]


@pytest.mark.parametrize("page", ["results:scorecard", "results:indicator_list", "results:report_list"])
def test_list_pages_are_flat(
    client, coordinator, technician_anta, municipalities, django_assert_max_num_queries, page
):
    ind = indicator(coordinator)
    (s1, _s2) = assign(coordinator, ind, municipalities["anta"])
    approved(coordinator, technician_anta, ind, municipalities["anta"], s1, "10")
    user = technician_anta if page == "results:report_list" else coordinator
    client.force_login(user)
    url = reverse(page) + f"?year={YEAR}"
    one = _count(client, url, django_assert_max_num_queries)
    districts = list(District.objects.filter(province__code="0803").exclude(ubigeo="080301")[:8])
    for i in range(12):
        more = indicator(coordinator, code=f"ind{i}", name=f"Indicador {i}")
        s1, _s2 = assign(coordinator, more, municipalities["anta"])
        approved(coordinator, technician_anta, more, municipalities["anta"], s1, str(i))
        for district in districts:
            assign(coordinator, more, municipality_ensure(ubigeo=district.ubigeo), target=str(10 + i))
    many = _count(client, url, django_assert_max_num_queries)
    assert many == one


@pytest.mark.postgres
@pytest.mark.redis
def test_the_scorecard_is_one_byte_a_character(client, pastos, coordinator):
    """Its rows write "—" and accents as character references, its arrows and the footer's dash too: one
    character above Latin-1 made the whole page (346 KB at 10×) two bytes a character, slower to assemble and
    to encode for every reader."""
    ind, _report = pastos
    client.force_login(coordinator)
    for query in (f"?year={YEAR}", f"?year={YEAR}&sort={ind.code}&dir=desc"):
        page = client.get(reverse("results:scorecard") + query).content.decode()
        assert "&#8212; / 100.0" in page  # Chumbivilcas: a target, no value yet
        assert max(map(ord, page)) <= 0xFF, sorted({c for c in page if ord(c) > 0xFF})


def test_the_cached_scorecard_shows_a_value_as_soon_as_it_is_approved(
    client, coordinator, technician_anta, municipalities
):
    ind = indicator(coordinator, disaggregations=[])
    s1, s2 = assign(coordinator, ind, municipalities["anta"], target="300")
    approved(coordinator, technician_anta, ind, municipalities["anta"], s1, "135")
    client.force_login(coordinator)
    url = reverse("results:scorecard") + f"?year={YEAR}"
    assert "135.0 / 300.0" in client.get(url).content.decode()
    assert "135.0 / 300.0" in client.get(url).content.decode()  # from the cache
    approved(coordinator, technician_anta, ind, municipalities["anta"], s2, "150")
    assert "285.0 / 300.0" in client.get(url).content.decode()


def test_a_qualitative_value_and_a_correction_through_the_pages(
    client, coordinator, technician_anta, municipalities
):
    scale = ["Sin espacio", "Espacio creado", "Se reúne con regularidad"]
    ind = indicator(
        coordinator, code="concertacion", kind="qualitative", unit="", scale=scale, disaggregations=[]
    )
    s1, _s2 = assign(coordinator, ind, municipalities["anta"], target="2")
    client.force_login(technician_anta)
    url = reverse("results:report_form", args=[ind.pk, municipalities["anta"].pk, s1.pk])
    response = client.post(url, {"level": "1", "narrative": "Ordenanza en trámite"})
    report = ind.reports.get()
    assert response.url == reverse("results:report_detail", args=[report.pk])
    assert (report.level, report.level_label, report.value) == (1, "Espacio creado", None)
    services.report_approve(by=coordinator, report=report)
    # an approved period's form sends to the value; a correction is a new version with its reason
    assert client.get(url).url == reverse("results:report_detail", args=[report.pk])
    correct = reverse("results:report_correct", args=[report.pk])
    page = client.post(correct, {"level": "2", "reason": ""})
    assert page.status_code == 200 and ind.reports.count() == 1
    response = client.post(correct, {"level": "2", "reason": "Se reunió tres veces"})
    new = ind.reports.get(version=2)
    assert response.url == reverse("results:report_detail", args=[new.pk])
    assert (new.level, new.state, new.correction_reason, new.supersedes_id) == (
        2,
        "submitted",
        "Se reunió tres veces",
        report.pk,
    )
    report.refresh_from_db()
    assert (report.level, report.state) == (1, "approved")


def test_targets_per_period_from_the_indicator_page(client, coordinator, technician_anta, municipalities):
    from results.models import Target

    ind = indicator(coordinator, disaggregations=[])
    client.force_login(coordinator)
    url = reverse("results:indicator_detail", args=[ind.pk])
    anta = municipalities["anta"]
    for number, value in (("1", "100"), ("2", "150")):
        response = client.post(url, {"municipality": anta.pk, "year": YEAR, "period": number, "value": value})
        assert response.status_code == 302
    assert sorted(Target.objects.values_list("period__number", "value")) == [(1, 100), (2, 150)]
    assert ind.assignments.get().municipality == anta
    # without a yearly target, the periods' targets add up by the indicator's rule (a sum here)
    (cell,) = selectors.scorecard(user=coordinator, year=YEAR).rows[0][1]
    assert cell.target == Decimal("250")


@pytest.mark.postgres
@pytest.mark.redis
def test_a_write_renders_again_only_the_rows_it_touched(
    client, coordinator, technician_anta, technician_chumbivilcas, municipalities
):
    """The scorecard's rows are cached each under what it is made of (results/scorecard_rows.py): after a
    write in Anta, Chumbivilcas' row comes from the cache and Anta's is computed again, with the new value."""
    from django.core.cache import cache

    from results import scorecard_rows

    ind = indicator(coordinator, disaggregations=[])
    s1, s2 = assign(coordinator, ind, municipalities["anta"], target="300")
    c1, _c2 = assign(coordinator, ind, municipalities["chumbivilcas"], target="100")
    approved(coordinator, technician_anta, ind, municipalities["anta"], s1, "135")
    approved(coordinator, technician_chumbivilcas, ind, municipalities["chumbivilcas"], c1, "40")
    client.force_login(coordinator)
    url = reverse("results:scorecard") + f"?year={YEAR}"
    html = client.get(url).content.decode()
    assert "135.0 / 300.0" in html and "40.0 / 100.0" in html
    stored = {}
    computed = []
    original = scorecard_rows._compute

    def spy(indicators, rows, year, today):
        computed.append(sorted(str(r) for r in rows))
        out = original(indicators, rows, year, today)
        stored.update(out)
        return out

    with pytest.MonkeyPatch.context() as patch:  # the real computation, watched
        patch.setattr(scorecard_rows, "_compute", spy)
        approved(coordinator, technician_anta, ind, municipalities["anta"], s2, "150")
        html = client.get(url).content.decode()
    assert computed == [[municipalities["anta"].organisation.name]]
    assert "285.0 / 300.0" in html and "40.0 / 100.0" in html
    # a target changed is a write to that row too
    services.indicator_municipality_set(
        by=coordinator,
        indicator=ind,
        municipality=municipalities["chumbivilcas"],
        year=YEAR,
        value=Decimal("50"),
        association=None,
    )
    assert "40.0 / 50.0" in client.get(url).content.decode()
    cache.clear()
    assert "285.0 / 300.0" in client.get(url).content.decode()
