"""The one export helper: CSV and XLSX with formula-like text neutralised; an XLSX read back by a second
reader (python-calamine) has the same rows and no formula cell."""

import datetime
import io
import zipfile
from decimal import Decimal

from python_calamine import CalamineWorkbook

from kallpanchis.core.exports import cell, csv_lines, xlsx_bytes

HEADER = ["name", "amount", "on", "note"]
ROWS = [
    ["Asociación Sumaq Waka", Decimal("1250.50"), datetime.date(2026, 3, 1), '=HYPERLINK("http://x","y")'],
    ["+51 984 000 000", 3, datetime.date(2026, 4, 1), "@SUM(A1:A2)"],
    ["-10", -4, None, "\t=1+1"],
]


def test_cell_neutralises_formula_like_text_only():
    assert cell("=1+1") == "'=1+1" and cell("+1") == "'+1" and cell("-1") == "'-1" and cell("@x") == "'@x"
    assert cell("\r=1") == "'\r=1" and cell("Anta") == "Anta" and cell(None) == ""
    assert cell(-4) == -4 and cell(Decimal("1.5")) == Decimal("1.5")


def test_csv_neutralises_every_cell():
    text = "".join(csv_lines(HEADER, ROWS))
    assert text.startswith("\ufeffname,amount,on,note")
    assert "'=HYPERLINK" in text and "'+51 984" in text and "'@SUM" in text and "'-10" in text
    assert ",-4," in text  # a negative number stays a number


def test_xlsx_read_back_by_calamine_has_the_same_rows_and_no_formula():
    data = xlsx_bytes(header=HEADER, rows=ROWS, title="Prueba")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert sheet[0][0] == "Prueba" and sheet[1] == HEADER
    body = sheet[2:]
    assert len(body) == len(ROWS)
    assert body[0][0] == "Asociación Sumaq Waka" and body[0][1] == 1250.5
    assert [row[3] for row in body] == ['\'=HYPERLINK("http://x","y")', "'@SUM(A1:A2)", "'\t=1+1"]
    assert body[1][0] == "'+51 984 000 000" and body[2][0] == "'-10" and body[2][1] == -4
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml  # not a single formula cell
