"""Reported indicators (the results app) on the dashboard: their drill-down through the registry's
`reported_detail` hook, scoped to the person, its CSV/XLSX, and where each figure says it comes from."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from kallpanchis.core import indicators as registry
from kallpanchis.dashboard import cards
from tests.results.factories import YEAR, approved, assign, indicator

pytestmark = pytest.mark.django_db

PARAMS = {"year_from": YEAR, "year_to": YEAR}
with translation.override("es"):
    SOURCE = translation.gettext("Reported by the municipalities, approved by the coordinators")


@pytest.fixture
def pastos(coordinator, municipalities, technician_anta, technician_chumbivilcas):
    ind = indicator(coordinator)
    s1, s2 = assign(coordinator, ind, municipalities["anta"], target="300")
    assign(coordinator, ind, municipalities["chumbivilcas"], target="100")
    report = approved(coordinator, technician_anta, ind, municipalities["anta"], s1, "135")
    return ind, report, (s1, s2)


def test_the_dashboard_opens_the_drill_down_of_a_reported_indicator(
    client, coordinator, pastos, municipalities
):
    ind, report, _periods = pastos
    client.force_login(coordinator)
    url = reverse("dashboard:reported_detail", args=[ind.code])
    assert url in client.get(reverse("dashboard:dashboard"), PARAMS).content.decode()
    page = client.get(url, PARAMS)
    assert page.status_code == 200
    html = page.content.decode()
    detail = page.context["detail"]
    assert (detail["actual"], detail["target"]) == (135, 400)  # both municipalities' targets, summed
    assert [(str(r["period"]), r["municipality"], r["value"]) for r in detail["rows"]] == [
        (str(report.period), report.municipality.organisation.name, 135)
    ]
    assert [(p["municipality"], p["actual"], p["target"], p["status"]) for p in detail["places"]] == [
        (municipalities["anta"].organisation.name, 135, 300, "at_risk"),  # 135 of the 150 due by now
        (municipalities["chumbivilcas"].organisation.name, None, 100, "no_data"),
    ]
    assert detail["rows"][0]["approved_by"] == coordinator
    assert detail["rows"][0]["submitted_by"] == report.submitted_by
    assert reverse("results:report_detail", args=[report.pk]) in html
    assert SOURCE in html
    assert (detail["time_aggregation"], detail["place_aggregation"]) == (
        ind.get_time_aggregation_display(),
        ind.get_place_aggregation_display(),
    )
    assert str(detail["time_aggregation"]) in html and str(detail["place_aggregation"]) in html
    # The dashboard's own figure and the drill-down's total are the same number.
    reported = {r["code"]: r for r in registry.reported(coordinator, page.context["filters"])}
    assert (reported[ind.code]["actual"], reported[ind.code]["target"]) == (135, 400)


def test_places_add_up_by_the_indicator_rules(client, coordinator, pastos, municipalities, technician_anta):
    ind, _report, (_s1, s2) = pastos
    approved(coordinator, technician_anta, ind, municipalities["anta"], s2, "45")
    client.force_login(coordinator)
    detail = client.get(reverse("dashboard:reported_detail", args=[ind.code]), PARAMS).context["detail"]
    places = {p["municipality"]: p for p in detail["places"]}
    anta = places[municipalities["anta"].organisation.name]
    assert (anta["actual"], anta["target"], anta["status"]) == (
        180,
        300,
        "behind",
    )  # the year's two semesters
    assert [(str(p["period"]), p["actual"], p["places"]) for p in detail["periods"]] == [
        (str(_s1), 135, 1),
        (str(s2), 45, 1),
    ]
    assert detail["actual"] == 180


def test_a_technician_sees_only_their_municipality(client, pastos, technician_chumbivilcas, municipalities):
    ind, report, _periods = pastos
    client.force_login(technician_chumbivilcas)
    page = client.get(reverse("dashboard:reported_detail", args=[ind.code]), PARAMS)
    assert page.status_code == 200
    detail = page.context["detail"]
    assert detail["rows"] == []
    assert (detail["actual"], detail["target"]) == (None, 100)
    assert reverse("results:report_detail", args=[report.pk]) not in page.content.decode()
    assert municipalities["anta"].organisation.name not in [p["municipality"] for p in detail["places"]]


def test_the_report_link_only_for_those_who_may_read_it(client, pastos, technician_anta):
    ind, report, _periods = pastos
    client.force_login(technician_anta)
    page = client.get(reverse("dashboard:reported_detail", args=[ind.code]), PARAMS)
    assert page.context["detail"]["rows"][0]["url"] == reverse("results:report_detail", args=[report.pk])
    assert client.get(page.context["detail"]["rows"][0]["url"]).status_code == 200


def test_leaders_and_unknown_codes_get_404(client, pastos, coordinator):
    from kallpanchis.organisations.models import Organisation
    from kallpanchis.organisations.services import organisation_ensure
    from tests.accounts.factories import person_with_role

    ind, _report, _periods = pastos
    association = organisation_ensure(name="Asociación Lechera Zurite", kind=Organisation.Kind.PRODUCER)
    leader = person_with_role("leader", association, email="lider.zurite@example.pe")
    client.force_login(leader)
    assert client.get(reverse("dashboard:reported_detail", args=[ind.code])).status_code == 404
    client.force_login(coordinator)
    assert client.get(reverse("dashboard:reported_detail", args=["nothing"])).status_code == 404
    ind.active = False
    ind.save(update_fields=["active"])
    assert client.get(reverse("dashboard:reported_detail", args=[ind.code])).status_code == 404


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_exports_say_where_a_reported_figure_comes_from(client, coordinator, pastos):
    ind, report, _periods = pastos
    client.force_login(coordinator)
    rows = _csv(
        client.get(reverse("dashboard:export", args=["reported", "csv"]), {**PARAMS, "indicator": ind.code})
    )
    data = [r for r in rows if r and r[0] == str(report.period)]
    assert len(data) == 1
    assert data[0][1] == report.municipality.organisation.name
    assert data[0][2].replace(",", ".") in ("135", "135.0")
    assert data[0][-1] == SOURCE
    xlsx = client.get(
        reverse("dashboard:export", args=["reported", "xlsx"]), {**PARAMS, "indicator": ind.code}
    )
    assert xlsx.status_code == 200
    summary = _csv(client.get(reverse("dashboard:export", args=["summary", "csv"]), PARAMS))
    line = next(r for r in summary if ind.code in r)
    assert line[-1] == SOURCE
    assert (
        client.get(reverse("dashboard:export", args=["reported", "csv"]), {"indicator": "x"}).status_code
        == 404
    )


def test_the_drill_down_query_count_does_not_grow_with_its_rows(
    client,
    coordinator,
    pastos,
    municipalities,
    technician_anta,
    technician_chumbivilcas,
    django_assert_max_num_queries,
):
    ind, _report, (s1, s2) = pastos
    client.force_login(coordinator)
    url = reverse("dashboard:reported_detail", args=[ind.code])

    def count():
        with django_assert_max_num_queries(100) as captured:
            assert client.get(url, PARAMS).status_code == 200
        return len(captured.captured_queries)

    client.get(url, PARAMS)  # the session's first request reads more (the person's access)
    one = count()
    approved(coordinator, technician_anta, ind, municipalities["anta"], s2, "45")
    approved(coordinator, technician_chumbivilcas, ind, municipalities["chumbivilcas"], s1, "20")
    client.force_login(coordinator)
    assert len(client.get(url, PARAMS).context["detail"]["rows"]) == 3
    assert count() == one


def test_the_reported_table_is_kept_by_its_figures_and_links_with_each_requests_filters(
    client, coordinator, pastos, municipalities, monkeypatch
):
    """Two periods with the same figures share one rendered table; each page's links carry its own filters
    (escaped), and a newly approved value shows at once."""
    from kallpanchis.dashboard import views

    ind, _report, (_s1, s2) = pastos
    written = []
    monkeypatch.setattr(views, "reported_table", lambda *a: written.append(a) or cards.reported_table(*a))
    client.force_login(coordinator)
    detail = reverse("dashboard:reported_detail", args=[ind.code])
    first = client.get(reverse("dashboard:dashboard"), {**PARAMS, "province": "0803"})
    assert len(written) == 1
    assert f'{detail}?province=0803&amp;year_from={YEAR}&amp;year_to={YEAR}"' in first.content.decode()
    # Chumbivilcas' figures differ; Anta's again with another district filter of no consequence to it.
    again = client.get(reverse("dashboard:dashboard"), {**PARAMS, "province": "0803", "line": "milk"})
    assert len(written) == 1
    html = again.content.decode()
    assert f'{detail}?province=0803&amp;line=milk&amp;year_from={YEAR}&amp;year_to={YEAR}"' in html
    assert "kallpanchisDashboardQuery" not in html
    assert ">135.0<" in html
    approved(coordinator, coordinator, ind, municipalities["anta"], s2, "20")
    html = client.get(reverse("dashboard:dashboard"), {**PARAMS, "province": "0803"}).content.decode()
    assert ">155.0<" in html
