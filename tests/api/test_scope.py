"""Every endpoint reads through the pages' scope: anonymous readers get what the municipalities publish (or
401), a token reads what its owner reads, never another municipality's drafts."""

import pytest

from tests.api.conftest import bearer, rows

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

SIGNED_IN_ONLY = ["associations", "plans", "scores", "execution-updates", "indicators"]


def ids(response):
    assert response.status_code == 200, response.content[:300]
    return {row.get("id", row.get("proposal")) for row in rows(response)}


def test_anonymous_reads_only_what_publishing_municipalities_made_public(api, world):
    assert ids(api.get("/api/v1/spaces/")) == {world["anta_public"].pk}
    assert ids(api.get("/api/v1/meetings/")) == {world["anta_meeting"].pk}
    agreements = rows(api.get("/api/v1/agreements/"))
    assert [a["what"] for a in agreements] == ["Instalar pastos"]
    assert ids(api.get("/api/v1/budget-cycles/")) == {world["anta_cycle"].pk}
    assert ids(api.get("/api/v1/proposals/")) == {world["anta_project"].pk}
    assert ids(api.get("/api/v1/allocations/")) == {world["anta_project"].pk}
    assert ids(api.get("/api/v1/municipalities/")) == {world["anta"].pk}
    assert len(rows(api.get("/api/v1/provinces/"))) == 13
    # Chumbivilcas' public space is not published: its municipality has not said so.
    assert api.get(f"/api/v1/spaces/{world['chumbi_public'].pk}/").status_code == 404


@pytest.mark.parametrize("path", SIGNED_IN_ONLY)
def test_anonymous_gets_401_where_nothing_is_public(api, world, path):
    response = api.get(f"/api/v1/{path}/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_token_of_an_anta_technician_never_returns_chumbivilcas_drafts(api, world, technician_anta):
    auth = bearer(technician_anta)
    spaces = ids(api.get("/api/v1/spaces/", **auth))
    assert spaces == {world["anta_public"].pk, world["anta_private"].pk}
    meetings = ids(api.get("/api/v1/meetings/", **auth))
    assert meetings == {world["anta_meeting"].pk, world["anta_draft"].pk}
    assert world["chumbi_meeting"].pk not in meetings
    whats = {a["what"] for a in rows(api.get("/api/v1/agreements/", **auth))}
    assert whats == {"Instalar pastos"}
    assert ids(api.get("/api/v1/budget-cycles/", **auth)) == {world["anta_cycle"].pk}
    for path, obj in [
        ("meetings", world["chumbi_meeting"]),
        ("spaces", world["chumbi_private"]),
        ("budget-cycles", world["chumbi_cycle"]),
        ("proposals", world["chumbi_project"]),
    ]:
        assert api.get(f"/api/v1/{path}/{obj.pk}/", **auth).status_code == 404, path
    assert ids(api.get("/api/v1/associations/", **auth)) == {world["association"].pk}
    assert ids(api.get("/api/v1/plans/", **auth)) == {world["plan"].pk}


def test_the_chumbivilcas_technician_reads_their_own_and_what_anta_publishes(
    api, world, technician_chumbivilcas
):
    auth = bearer(technician_chumbivilcas)
    spaces = ids(api.get("/api/v1/spaces/", **auth))
    assert spaces == {world["chumbi_private"].pk, world["chumbi_public"].pk, world["anta_public"].pk}
    assert world["anta_draft"].pk not in ids(api.get("/api/v1/meetings/", **auth))
    assert ids(api.get("/api/v1/associations/", **auth)) == set()
    assert api.get(f"/api/v1/plans/{world['plan'].pk}/", **auth).status_code == 404


def test_a_coordinator_reads_everything(api, world, coordinator):
    auth = bearer(coordinator)
    assert len(ids(api.get("/api/v1/spaces/", **auth))) == 4
    assert len(ids(api.get("/api/v1/budget-cycles/", **auth))) == 2


def test_meetings_count_attendance_by_gender_and_never_name_anyone(api, world):
    meeting = rows(api.get("/api/v1/meetings/"))[0]
    assert meeting["attendance"] == {"total": 3, "female": 2, "male": 1, "unstated": 0}
    assert meeting["place"] == "Local comunal de Izcuchaca"
    assert meeting["agenda"][0]["is_follow_up"] is True
    assert len(meeting["agreements"]) == 1
    text = api.get("/api/v1/meetings/").content.decode() + api.get("/api/v1/agreements/").content.decode()
    for name in ("Mujer 0", "Varón 0", "Luis Mamani", "Justina Huillca"):
        assert name not in text


def test_budget_cycle_totals(api, world):
    cycle = rows(api.get("/api/v1/budget-cycles/"))[0]
    project = world["anta_project"]
    assert cycle["totals"]["agents"] == 1
    assert cycle["totals"]["prioritised"] == 1
    assert cycle["totals"]["allocated"] == float(project.allocated)
    assert [p["kind"] for p in cycle["phases"]] == [
        "preparation",
        "concertation",
        "coordination",
        "formalisation",
    ]


def test_plans_total_their_budget_by_source(api, world, coordinator):
    plan = rows(api.get("/api/v1/plans/", **bearer(coordinator)))[0]
    budget = plan["budget"]
    sources = ["own", "procompite", "agroideas", "ngo", "credit", "other"]
    assert budget["total"] == pytest.approx(sum(budget[source] for source in sources))
    assert budget["total"] > 0
    assert plan["activity_count"] >= 1


def test_indicators_follow_the_dashboard_scope(api, world, coordinator, municipalities):
    from tests.accounts.factories import person_with_role
    from tests.producers.factories import leader_of

    assert api.get("/api/v1/indicators/", **bearer(coordinator)).status_code == 200
    leader = leader_of(world["association"], email="leader.api@example.pe")
    assert api.get("/api/v1/indicators/", **bearer(leader)).status_code == 404
    viewer = person_with_role("viewer", None, email="viewer.api@example.pe")
    assert api.get("/api/v1/indicators/", **bearer(viewer)).status_code == 200
