"""A coordinator on a 375×667 phone and on a 1366×768 laptop: filters to Chumbivilcas / milk / 2009, sees the
figures change, opens the map, downloads the XLSX table and the donor report PDF. Every page: no CSP
violation, nothing fetched from outside, no serious accessibility problem."""

import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser_guard import PageGuard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_filters_opens_the_map_and_downloads(live_server, screen, world, coordinator):
    client = Client()
    client.force_login(coordinator)  # has two-factor authentication: skip the sign-in form
    screen.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = screen
    guard = PageGuard(page)
    page.goto(live_server.url + "/dashboard/")
    expect(page.locator(".dashboard-period")).to_contain_text(f"Cifras de {timezone.localdate().year}")
    page.get_by_label("Desde el año").select_option("")  # every year
    page.get_by_label("Hasta el año").select_option("")
    page.get_by_role("button", name="Aplicar filtros").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Panel de avance")
    milk = page.locator("article[data-code=milk_litres] .figure-actual")
    attendance = page.locator("article[data-code=attendance] .figure-actual")
    expect(milk).to_have_text("3,400")  # 2009 and 2010, everywhere
    expect(attendance).to_have_text("6")  # a count: no ".00"
    guard.check()

    page.get_by_label("Provincia").select_option(label="Chumbivilcas")
    # The district list keeps Chumbivilcas' districts only, without a reload.
    expect(page.locator("#id_district option[data-province='0807']").first).not_to_have_attribute(
        "hidden", ""
    )
    expect(page.locator("#id_district option[data-province='0803']").first).to_have_attribute("hidden", "")
    page.get_by_label("Línea temática").select_option(label="Leche")
    page.get_by_label("Desde el año").select_option("2009")
    page.get_by_label("Hasta el año").select_option("2009")
    page.get_by_role("button", name="Aplicar filtros").click()
    expect(page).to_have_url(
        live_server.url + "/dashboard/?province=0807&district=&line=milk&year_from=2009&year_to=2009"
    )
    expect(milk).to_have_text("2,200")  # only Colquemarca's association is in Chumbivilcas
    expect(attendance).to_have_text("5")  # only the milk group's meetings
    expect(page.locator("article[data-code=women_share] .figure-actual")).to_have_text("60")
    expect(page.locator("article[data-code=technicians_trained]")).to_contain_text("no se desagrega")
    guard.check()

    page.get_by_role("link", name="Abrir el mapa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leche producida por distrito")
    expect(page.locator("svg.map path")).to_have_count(108)
    expect(page.locator("svg.map path.q4")).to_have_count(1)  # Colquemarca, the only district with milk
    expect(page.get_by_role("cell", name="Colquemarca")).to_be_visible()
    guard.check()
    page.go_back()

    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar XLSX").click()
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    assert sheet["A1"].value == "Provincia: Chumbivilcas · Línea: Leche · Años 2009–2009"
    rows = {row[1]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["milk_litres"][6] == 2200
    assert rows["attendance"][8:10] == (3, 1)  # women, men

    with page.expect_download() as download:
        page.get_by_role("link", name="Informe para donantes (PDF)").click()
    pdf = open(download.value.path(), "rb").read()
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
