"""One way to write a table for a spreadsheet: CSV (streamed) and XLSX, with every text cell that a
spreadsheet would run as a formula (= + - @, or a tab / carriage return before one) made plain text by a
leading apostrophe. Numbers, dates and booleans stay what they are.

Every CSV and XLSX the platform writes goes through here: `table_response(fmt, ...)` for a list page's
"Download CSV / XLSX", `csv_response` / `xlsx_response` when the format is fixed, `xlsx_bytes` for a file
kept or attached."""

import csv
import datetime
import io
import tempfile
from collections.abc import Iterable
from decimal import Decimal

from django.http import FileResponse, Http404, StreamingHttpResponse

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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


def csv_lines(header: list, rows: Iterable[list], title: str = "") -> Iterable[str]:
    """The CSV text line by line, with a byte-order mark so that Excel reads the accents."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    if title:
        yield writer.writerow([_text(title)])
    yield writer.writerow([_text(h) for h in header])
    for row in rows:
        yield writer.writerow([_text(v) for v in row])


def csv_response(
    *, header: list, rows: Iterable[list], filename: str, title: str = ""
) -> StreamingHttpResponse:
    """Stream a CSV row by row: a big table never sits in memory."""
    response = StreamingHttpResponse(csv_lines(header, rows, title), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def xlsx_write(
    out, *, header: list, rows: Iterable[list], title: str = "", sheet: str = "Kallpanchis"
) -> None:
    """Write an XLSX workbook to a binary file: an optional title line, a bold header, the rows. The
    workbook is write-only (rows go to disk as they come, so a long list does not pile up in memory) and no
    cell is ever a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])
    if title:
        ws.append([cell(title)])
    bold = Font(bold=True)
    heads = []
    for h in header:
        head = WriteOnlyCell(ws, value=cell(h))
        head.font = bold
        heads.append(head)
    ws.append(heads)
    for row in rows:
        ws.append([_xlsx_value(v) for v in row])
    book.save(out)


def xlsx_bytes(*, header: list, rows: Iterable[list], title: str = "", sheet: str = "Kallpanchis") -> bytes:
    """An XLSX workbook as bytes (see xlsx_write)."""
    out = io.BytesIO()
    xlsx_write(out, header=header, rows=rows, title=title, sheet=sheet)
    return out.getvalue()


def xlsx_response(*, header: list, rows: Iterable[list], filename: str, title: str = "") -> FileResponse:
    """An XLSX download written to a temporary file and streamed from it in blocks."""
    out = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it once sent)
    xlsx_write(out, header=header, rows=rows, title=title)
    out.seek(0)
    response = FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response


def table_response(fmt: str, *, header: list, rows: Iterable[list], filename: str, title: str = ""):
    """A list page's table as `fmt` ("csv" or "xlsx", anything else is a 404); `filename` without its
    extension."""
    if fmt == "csv":
        return csv_response(header=header, rows=rows, filename=f"{filename}.csv", title=title)
    if fmt == "xlsx":
        return xlsx_response(header=header, rows=rows, filename=f"{filename}.xlsx", title=title)
    raise Http404


def _xlsx_value(value):
    value = cell(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones: Lima's time
    return value
