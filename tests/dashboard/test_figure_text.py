"""Figures as people read them, formatted once per value and language (kallpanchis/dashboard/templatetags)."""

from decimal import Decimal

from django.utils import translation

from kallpanchis.dashboard.charts import trend_rows
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
