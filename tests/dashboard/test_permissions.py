from decimal import Decimal as D

import pytest
from django.urls import reverse

from kallpanchis.dashboard.selectors import Filters, dashboard_figures
from tests.accounts.factories import person_with_role

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("dashboard:dashboard"),
    reverse("dashboard:map"),
    reverse("dashboard:indicator_detail", args=["milk_litres"]),
    reverse("dashboard:export", args=["summary", "csv"]),
    reverse("dashboard:export", args=["districts", "xlsx"]) + "?indicator=milk_litres",
    reverse("dashboard:report"),
]


def milk(user, **filters):
    figures = {
        f.indicator.code: f for f in dashboard_figures(user=user, filters=Filters(**filters))["figures"]
    }
    return figures["milk_litres"].actual


def test_leader_and_people_without_a_municipality_get_404(client, world):
    leader = person_with_role("leader", world["a"].organisation)
    client.force_login(leader)
    for url in PAGES:
        assert client.get(url).status_code == 404, url


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(PAGES[0])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_technician_sees_only_their_territory(client, world, technician_anta, technician_chumbivilcas):
    assert milk(technician_anta, year_from=2009, year_to=2009) == D("500.0")
    assert milk(technician_chumbivilcas, year_from=2009, year_to=2009) == D("2200.0")
    # Asking for another province gives nothing, not that province's figures.
    assert milk(technician_anta, province="0807", year_from=2009, year_to=2009) is None
    client.force_login(technician_anta)
    assert client.get(PAGES[0]).status_code == 200
    page = client.get(reverse("dashboard:map"), {"indicator": "milk_litres"}).content.decode()
    assert "Colquemarca" not in page.split("By district")[-1].split("<svg")[0] or "2.200" not in page


def test_district_technician_sees_their_district_only(world, municipalities):
    tech = person_with_role("technician", municipalities["colquemarca"].organisation)
    assert milk(tech, year_from=2009, year_to=2009) == D("2200.0")
    figures = {f.indicator.code: f for f in dashboard_figures(user=tech, filters=Filters())["figures"]}
    # The province-wide milk group of Chumbivilcas is not Colquemarca's.
    assert figures["meetings_per_space"].actual == D("1")
    assert figures["milk_litres"].target is None  # project-wide targets only for the consortium


def test_coordinator_and_partner_staff_see_everything(world, coordinator):
    from kallpanchis.organisations.models import Organisation

    cadep = Organisation.objects.create(
        name="CADEP", kind=Organisation.Kind.NGO, consortium_role="production"
    )
    staff = person_with_role("partner_staff", cadep)
    assert (
        milk(coordinator, year_from=2009, year_to=2009)
        == D("2700.0")
        == milk(staff, year_from=2009, year_to=2009)
    )


def test_dashboard_query_count_does_not_grow(
    client, municipalities, indicators, coordinator, django_assert_max_num_queries
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kallpanchis.dashboard.services import facts_refresh
    from tests.dashboard.factories import many_associations

    client.force_login(coordinator)
    counts = []
    for n in (1, 199):
        many_associations(n, ubigeo="080704" if n == 1 else "080308")
        facts_refresh()
        cache.clear()  # measure the uncached page (the figures block is cached per rebuild)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("dashboard:dashboard"), {"province": "0807"}).status_code == 200
        counts.append(len(ctx))
        for url in PAGES[1:3]:
            cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            counts.append(len(ctx))
    assert counts[:3] == counts[3:], counts
    # The session and the person (4), the territory's names (2), the data versions, the last refresh, the
    # indicators, their targets and the facts of the place (3), and the reported indicators, the places,
    # their values and targets (4): the last seven kept in the process until the next write.
    assert counts[0] <= 15
