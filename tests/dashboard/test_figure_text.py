"""Figures as people read them, formatted once per value and language (kallpanchis/dashboard/templatetags),
and the charts and cards written from them (charts.py, cards.py)."""

import re
from decimal import Decimal

import pytest
from django.utils import translation

from kallpanchis.dashboard.cards import figure_card
from kallpanchis.dashboard.charts import trend_rows, trend_svg
from kallpanchis.dashboard.models import Indicator
from kallpanchis.dashboard.selectors import Figure
from kallpanchis.dashboard.templatetags.dashboard import figure_text


def test_a_figure_reads_the_same_each_time_in_its_language():
    """Peru writes 12,346 and 2.50 (kallpanchis/formats/es); a language that writes them otherwise gets its
    own, though the value was formatted before in Spanish."""
    with translation.override("es"):
        spanish = [figure_text(Decimal("12345.678")), figure_text("2.5"), figure_text(Decimal("2.50"))]
        assert spanish == [figure_text(Decimal("12345.678")), "2.50", "2.50"]
        assert spanish[0] == "12,346"
        assert figure_text(7, "S/") == "S/ 7"
        assert figure_text(None) == figure_text("") == "—"
    with translation.override("de"):
        assert [figure_text(Decimal("12345.678")), figure_text("2.5")] == ["12.346", "2,50"]


def test_the_year_table_marks_the_chosen_years():
    with translation.override("es"):
        html = trend_rows([(2020, Decimal("1500"), None), (2021, Decimal("0.5"), Decimal("1"))], [2021], "S/")
    assert html == (
        '<tr><th scope="row">2020</th><td>S/ 1,500</td><td>—</td></tr>'
        '<tr class="table-active"><th scope="row">2021</th><td>S/ 0.50</td><td>S/ 1</td></tr>'
    )


def test_a_chart_drawn_once_marks_each_period_s_years():
    """The bars of a trend are drawn once; each period darkens its own years and no other."""
    trend = [(2020, Decimal("10"), None), (2021, Decimal("20"), Decimal("15")), (2022, None, Decimal("5"))]
    first, second = trend_svg(trend, [2020], "Leche"), trend_svg(trend, [2021], "Leche")
    assert first.count('class="bar sel"') == second.count('class="bar sel"') == 1
    assert first.count('class="bar"') == second.count('class="bar"') == 1
    assert first.count('class="target"') == 2
    # 2020's bar is the first shape drawn: dark in the first period, light in the second
    assert first.index('class="bar sel"') < first.index('class="bar"')
    assert second.index('class="bar"') < second.index('class="bar sel"')
    assert trend_svg(trend, [], "<Leche>").count("&lt;Leche&gt;") == 2  # the title, escaped


def card_of(**values):
    indicator = Indicator(code="milk_litres", name="Leche <producida>", unit="litres")
    figure = Figure(
        indicator=indicator,
        formula=None,
        applies=True,
        actual=Decimal("1200"),
        target=Decimal("1000"),
        trend=[(2026, Decimal("1200"), Decimal("1000"))],
        by_gender=[("female", Decimal("700")), ("male", Decimal("500"))],
        drilldown_url="/producers/?a=1&b=2",
    )
    for name, value in values.items():
        setattr(figure, name, value)
    figure.chart, figure.table_rows = (
        trend_svg(figure.trend, [2026], "t"),
        trend_rows(figure.trend, [2026], ""),
    )
    return str(figure_card(figure, "province=0807&year_to=2026"))


def test_a_figure_card_shows_the_figure_its_target_and_its_split_escaped():
    with translation.override("es"):
        card = card_of()
        assert '<span class="fs-3 fw-bold figure-actual">1,200</span>' in card
        assert "Meta: 1,000" in card and "120 % de la meta" in card and "text-success" in card
        assert "Mujeres: <strong>700</strong> · Hombres: <strong>500</strong>" in card
        assert "Leche &lt;producida&gt;" in card and "<producida>" not in card
        assert 'href="/producers/?a=1&amp;b=2"' in card
        assert "?province=0807&amp;year_to=2026" in card
        assert "&amp;province=0807&amp;year_to=2026" in card  # the map's link
        behind = card_of(actual=Decimal("800"))
        assert "text-danger" in behind and "80 % de la meta" in behind
        assert "No hay registros" in card_of(actual=None, by_gender=[])
        hidden = card_of(applies=False)
        assert "figure-actual" not in hidden and "<table" not in hidden


@pytest.mark.parametrize(
    "language, people, women",
    [("es", "123,456", "61,000"), ("en", "123,456", "61,000"), ("qu", "123,456", "61,000")],
)
def test_the_reach_headline_groups_counts_and_shows_a_dash_for_none(language, people, women):
    """The headline above the cards (written in Python, as the template it replaced wrote it): counts
    grouped as Peru writes thousands, a dash for a count not known, the year never grouped."""
    from kallpanchis.dashboard.cards import reach_headline

    reach = {
        "year": 2026,
        "people": 123456,
        "women": Decimal("61000"),
        "families": None,
        "women_share": Decimal("49"),
        "attendance_women_share": None,
    }
    with translation.override(language):
        page = str(reach_headline(reach))
        title = translation.gettext("Reached in %(year)s, each person counted once") % {"year": 2026}
        consent = translation.gettext(
            "People registered with their consent, at meetings, trainings and budget workshops; a name "
            "written on a list without consent counts in the attendance, not here."
        )
    shown = dict(re.findall(r'data-reach="(\w+)">([^<]*)<', page))
    assert shown == {"people": people, "women": women, "families": "—", "women_share": "49 %"}
    assert f'<h2 class="h5" id="reach-title">{title}</h2>' in page and "2026" in title
    assert page.count("<dd") == 4 and f'mb-0">{consent}</p>' in page


@pytest.mark.parametrize("language", ["es", "en", "qu"])
def test_the_reported_table_escapes_links_and_writes_each_indicators_decimals(language):
    """The reported indicators' table (written in Python, as the template it replaced wrote it, compared in
    es/en/qu before that template was deleted): every value escaped, the drill-down linked with the page's
    query, a dash for a figure not known, each indicator's decimals; no rows, no table."""
    from kallpanchis.dashboard.cards import reported_table

    rows = [
        {"code": "R1-a", "result": "R1 <Leche>", "name": "Leche & queso", "unit": "L", "decimals": 1,
         "actual": Decimal("1234.56"), "target": Decimal("2000"), "source": 'Reportado "x"'},
        {"code": "R2", "result": "R2", "name": "Familias", "unit": "", "decimals": 0,
         "actual": None, "target": Decimal("1500"), "source": "Otro"},
    ]  # fmt: skip
    with translation.override(language):
        page = str(reported_table(rows, "province=0803&year_to=2026"))
        heading = translation.gettext("Reported indicators")
        assert str(reported_table([], "")).strip() == ""
    assert f'id="reported-indicators">{heading}</h2>' in page
    assert page.count("<tr data-code=") == 2
    assert "R1 &lt;Leche&gt;" in page and "Leche &amp; queso</a> (L)</th>" in page
    assert "Reportado &quot;x&quot;" in page and "<Leche>" not in page
    assert 'href="/dashboard/reported/R1-a/?province=0803&amp;year_to=2026"' in page
    assert ">1234.6</td>" in page and ">2000.0</td>" in page  # one decimal for the first
    assert ">—</td>" in page and ">1500</td>" in page  # none known; no decimals for the second
    assert "Familias</a></th>" in page  # no unit, no brackets
