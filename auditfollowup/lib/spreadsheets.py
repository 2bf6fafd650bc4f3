"""Writing spreadsheets (CSV and xlsx): the one place that defends against formula
injection, used by every export; and the files stream, so an export of any size takes
the memory of a row, not of the file.

A spreadsheet program runs a cell that starts with = + - @ as a formula, also after
leading spaces, and some also accept the full-width forms ＝ ＋ － ＠; a cell that starts
with TAB or CR can smuggle one past a quick look. Such a cell is written with a leading
apostrophe, which spreadsheets show as text (OWASP's advice for CSV injection).

Rows may be any iterable, typically a generator reading the database in chunks. The CSV
is written while the response is sent, so a caller must check its input (a filter)
before it builds the response: once the body streams, the status is 200. The xlsx is
written row by row (openpyxl's write-only mode) into a temporary file, which is then
sent from disk.
"""

import csv
import tempfile
from collections.abc import Iterable

from django.http import FileResponse, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from auditfollowup.lib.text import without_control_characters

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
CONTROL_STARTS = frozenset("\t\r\n")
# The CSV leaves in pieces of about this many characters: a row each would be a write
# (and an HTTP chunk) per row.
CSV_PIECE = 64 * 1024
BOLD = Font(bold=True)


def refused_export(form) -> HttpResponseBadRequest:
    """An export refused for its filter (a form or a django-filter FilterSet that is not
    valid): 400, its errors as plain text in the reader's language, as the page of the same
    filter refuses it. Checked before the file is built (a CSV streams with 200)."""
    lines = [_("Ogiltigt filter; exporten är inte gjord.")]
    for name, errors in form.errors.items():
        lines += [f"{name}: {error}" for error in errors]
    return HttpResponseBadRequest("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def safe_cell(value) -> str:
    """The value as text that no spreadsheet program will run as a formula."""
    text = "" if value is None else str(value)
    if text[:1] in CONTROL_STARTS or text.lstrip()[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def sheet_cell(value) -> str:
    """``safe_cell`` for a spreadsheet file: without the control characters its XML may
    not hold (openpyxl refuses them: one pasted from Word failed the whole export)."""
    return without_control_characters(safe_cell(value))


class _Echo:
    """A file whose ``write`` hands back what it is given: ``csv.writer`` formats a row
    and returns it, instead of keeping it in a buffer."""

    def write(self, text: str) -> str:
        return text


def _csv_pieces(header: list, rows: Iterable):
    writer = csv.writer(_Echo(), delimiter=";")
    # A byte-order mark so Excel opens the UTF-8 file with å, ä and ö intact.
    piece = ["\ufeff", writer.writerow([safe_cell(v) for v in header])]
    size = 0
    for row in rows:
        line = writer.writerow([safe_cell(v) for v in row])
        piece.append(line)
        size += len(line)
        if size >= CSV_PIECE:
            yield "".join(piece)
            piece, size = [], 0
    yield "".join(piece)


def csv_response(
    header: list, rows: Iterable, name: str, *, stream: bool = True
) -> StreamingHttpResponse | HttpResponse:
    """A CSV file (``;``-separated, UTF-8 with a byte-order mark) written as it is sent;
    with ``stream`` False, written whole first (for a file known to be small: a whole
    response can be cached, a streamed one is not)."""
    pieces = _csv_pieces(header, rows)
    if stream:
        response = StreamingHttpResponse(pieces, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse("".join(pieces), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


class Sheet:
    """One sheet of an ``XlsxWorkbook``: a bold, frozen header row and an autofilter over
    its columns; whole numbers stay numbers, everything else is text."""

    def __init__(self, workbook, title: str, header: list):
        self._sheet = workbook.create_sheet(title)
        # Written with the first row in write-only mode, so set before it.
        self._sheet.freeze_panes = "A2"
        cells = []
        for value in header:
            cell = WriteOnlyCell(self._sheet, value=sheet_cell(value))
            cell.font = BOLD
            cells.append(cell)
        self._sheet.append(cells)
        self._rows = 1
        self._columns = len(header)

    def append(self, row) -> None:
        self._sheet.append([v if isinstance(v, int | float) else sheet_cell(v) for v in row])
        self._rows += 1
        self._columns = max(self._columns, len(row))

    def extend(self, rows: Iterable) -> None:
        for row in rows:
            self.append(row)

    def finish(self) -> None:
        # Written after the rows, so it can cover them all.
        self._sheet.auto_filter.ref = f"A1:{get_column_letter(max(self._columns, 1))}{self._rows}"


class XlsxWorkbook:
    """An xlsx workbook written row by row: openpyxl's write-only mode keeps each sheet in
    a temporary file, not in memory. Sheets may be filled in any order (one pass over the
    data can fill several); they appear in the order they were added."""

    def __init__(self):
        self._workbook = Workbook(write_only=True)
        self._sheets: list[Sheet] = []

    def add_sheet(self, title: str, header: list, rows: Iterable = ()) -> Sheet:
        sheet = Sheet(self._workbook, title, header)
        sheet.extend(rows)
        self._sheets.append(sheet)
        return sheet

    def response(self, name: str) -> FileResponse:
        """The workbook saved to a temporary file and sent from it (deleted once sent)."""
        for sheet in self._sheets:
            sheet.finish()
        file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the response closes it
        try:
            self._workbook.save(file)
            file.seek(0)
        except BaseException:
            file.close()
            raise
        return FileResponse(
            file, as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX_TYPE
        )


def xlsx_response(
    header: list, rows: Iterable, name: str, title: str, more_sheets=()
) -> FileResponse:
    """An xlsx workbook: the rows as its first sheet, then each (title, header, rows) of
    ``more_sheets``."""
    workbook = XlsxWorkbook()
    workbook.add_sheet(title, header, rows)
    for sheet_title, sheet_header, sheet_rows in more_sheets:
        workbook.add_sheet(sheet_title, sheet_header, sheet_rows)
    return workbook.response(name)
