import io
from csv import reader

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:dashboard")


def test_coordinator_sees_figures_filtered(client, world, coordinator):
    client.force_login(coordinator)
    response = client.get(URL, {"year_from": 2009, "year_to": 2009})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Panel de avance" in page
    assert "2,700" in page  # milk litres, grouped as in Peru
    assert "% de la leche vendida" in page and "% of milk sold" not in page  # stored units are translated
    response = client.get(URL, {"province": "0807", "line": "milk", "year_from": 2009, "year_to": 2009})
    assert response.status_code == 200


def test_indicator_detail_map_and_exports(client, world, coordinator):
    client.force_login(coordinator)
    params = {"year_from": 2009, "year_to": 2009}
    detail = client.get(reverse("dashboard:indicator_detail", args=["attendance"]), params)
    assert detail.status_code == 200
    assert "Colquemarca" in detail.content.decode()
    assert client.get(reverse("dashboard:indicator_detail", args=["nothing"])).status_code == 404
    page = client.get(reverse("dashboard:map"), {"indicator": "milk_litres", **params})
    assert page.status_code == 200
    assert page.content.decode().count("<path") == 108

    csv = client.get(reverse("dashboard:export", args=["summary", "csv"]), params)
    assert csv["Content-Type"].startswith("text/csv")
    rows = list(reader(io.StringIO(csv.getvalue().decode("utf-8-sig"))))
    assert rows[0] == ["Todas las provincias · Todas las líneas · Años 2009–2009"]
    milk = next(row for row in rows[1:] if row[1] == "milk_litres")
    assert milk[2:8] == ["Leche producida", "litros", "1800000.0", "2008", "2700.0", "2200000.0"]

    xlsx = client.get(
        reverse("dashboard:export", args=["districts", "xlsx"]), {"indicator": "milk_litres", **params}
    )
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows == [("080308", "Pucyura", 500.0), ("080704", "Colquemarca", 2200.0)]

    years = client.get(
        reverse("dashboard:export", args=["years", "xlsx"]), {"indicator": "women_share", **params}
    )
    sheet = load_workbook(io.BytesIO(years.getvalue())).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows == [
        (2009, "Chumbivilcas", None, 3, 5, 60),
        (2009, "Chumbivilcas", "Colquemarca", 0, 1, 0),
    ]


def test_donor_report_pdf(client, world, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("dashboard:report"), {"year_from": 2009, "year_to": 2009})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_refresh_now_only_for_coordinators(client, world, coordinator, technician_anta):
    from kallpanchis.dashboard.models import Refresh

    before = Refresh.objects.count()
    client.force_login(technician_anta)
    assert client.post(reverse("dashboard:refresh")).status_code == 404
    assert Refresh.objects.count() == before
    client.force_login(coordinator)
    assert client.post(reverse("dashboard:refresh")).status_code == 302


def test_cached_figures_follow_a_rebuild(client, world, coordinator):
    from kallpanchis.dashboard.services import facts_refresh
    from tests.dashboard.factories import production

    client.force_login(coordinator)
    params = {"year_from": 2009, "year_to": 2009}
    assert "2,700" in client.get(URL, params).content.decode()
    production(world["b"], 2009, 7, milk=300, sold=0, channel="middleman")
    assert "2,700" in client.get(URL, params).content.decode()  # same facts, same block
    facts_refresh()
    page = client.get(URL, params).content.decode()
    assert "3,000" in page and "2,700" not in page


def test_technician_block_is_not_the_coordinators(client, world, coordinator, technician_anta):
    client.force_login(coordinator)
    assert "2,700" in client.get(URL, {"year_from": 2009, "year_to": 2009}).content.decode()
    client.force_login(technician_anta)
    page = client.get(URL, {"year_from": 2009, "year_to": 2009}).content.decode()
    assert "2,700" not in page
    assert ">500<" in page  # Pucyura, the only association in Anta


def test_the_page_around_the_figures_is_kept_whatever_the_filters(client, world, coordinator):
    """The page around the blocks is rendered once per process for every query (core/shell.py, `address`):
    what the filters change (the period, the form, the links, the recomputation's hidden fields) is in the
    blocks, so a page served around a kept page is the one rendered whole for its own filters."""
    import re

    from kallpanchis.core import shell

    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    client.force_login(coordinator)
    chumbivilcas = {"province": "0807", "line": "milk", "year_from": 2009, "year_to": 2010}
    client.get(URL, {"year_from": 2009, "year_to": 2009})  # keeps the page around the blocks
    kept = client.get(URL, chumbivilcas).content.decode()
    shell.forget()
    whole = client.get(URL, chumbivilcas).content.decode()
    assert token.sub("", kept) == token.sub("", whole)
    assert "Cifras de 2009–2010" in kept and "Cifras de 2009<" not in kept
    assert 'name="province" value="0807"' in kept and "?province=0807" in kept


def test_filters_ignore_unknown_values_and_turn_a_backwards_period_round(client, world, coordinator):
    """The filters are read without a Django form (dashboard/forms.py): a value not offered is ignored, never
    an error page, and the form written back marks what was kept and hides the other provinces' districts."""
    import re

    from django.utils import timezone

    from kallpanchis.dashboard.forms import filter_choices
    from kallpanchis.dashboard.selectors import Filters

    choices = filter_choices()
    asked = {"province": "9999", "district": "<b>", "line": "coca", "year_from": "2012", "year_to": "2009"}
    assert choices.filters(asked) == Filters(year_from=2009, year_to=2012)
    assert choices.filters({"year_from": "1900", "province": "0807"}) == Filters(province="0807")
    client.force_login(coordinator)
    page = client.get(URL, asked).content.decode()
    assert "Cifras de 2009–2012" in page and "&lt;b&gt;" not in page and "<b>" not in page
    assert re.search(
        r'<select name="year_from" id="id_year_from"[^>]*>\s*<option value="">[^<]*</option>', page
    )
    assert '<option value="2009" selected>2009</option>' in page
    assert '<option value="" selected>Todas</option>' in page  # the province: none kept
    chumbivilcas = client.get(URL, {"province": "0807", "district": "080704"}).content.decode()
    assert 'data-province="0807" selected>Colquemarca</option>' in chumbivilcas
    assert re.search(r'data-province="0803" hidden disabled>', chumbivilcas)
    assert not re.search(r'data-province="0807" hidden', chumbivilcas)
    # "Recompute now" brings the filters back, the period of the page too (this year, none being asked)
    this_year = timezone.localdate().year
    assert f'name="year_from" value="{this_year}"' in chumbivilcas
    assert 'name="district" value="080704"' in chumbivilcas
