"""One way to write a table for a spreadsheet: CSV (streamed) and XLSX, with every text cell that a
spreadsheet would run as a formula (= + - @, or a tab / carriage return before one) made plain text by a
leading apostrophe. Numbers, dates and booleans stay what they are."""

import csv
import datetime
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN = (int, float, Decimal, datetime.date, datetime.datetime, bool)


def cell(value):
    """A value safe in a spreadsheet: None is empty, numbers stay numbers, formula-like text is quoted."""
    if value is None:
        return ""
    if isinstance(value, PLAIN):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _text(value) -> str:
    value = cell(value)
    return value.isoformat() if isinstance(value, datetime.date | datetime.datetime) else str(value)


class _Echo:
    def write(self, value):
        return value


def csv_lines(header: list, rows: Iterable[list]) -> Iterable[str]:
    """The CSV text line by line, with a byte-order mark so that Excel reads the accents."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow([_text(h) for h in header])
    for row in rows:
        yield writer.writerow([_text(v) for v in row])


def csv_response(*, header: list, rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    """Stream a CSV row by row: a big table never sits in memory."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_bytes(*, header: list, rows: Iterable[list], title: str = "", sheet: str = "Kallpanchis") -> bytes:
    """An XLSX workbook: an optional title line, a bold header, the rows. No cell is ever a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    ws = book.active
    ws.title = sheet[:31]
    if title:
        ws.append([cell(title)])
    ws.append([cell(h) for h in header])
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
    for row in rows:
        ws.append([_xlsx_value(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_value(value):
    value = cell(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones: Lima's time
    return value
