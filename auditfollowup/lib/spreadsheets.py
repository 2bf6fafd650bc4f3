"""Writing cells for spreadsheets (CSV and xlsx): the one place that defends against
formula injection, used by every export.

A spreadsheet program runs a cell that starts with = + - @ as a formula, also after
leading spaces, and some also accept the full-width forms ＝ ＋ － ＠; a cell that starts
with TAB or CR can smuggle one past a quick look. Such a cell is written with a leading
apostrophe, which spreadsheets show as text (OWASP's advice for CSV injection).
"""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
CONTROL_STARTS = frozenset("\t\r\n")


def safe_cell(value) -> str:
    """The value as text that no spreadsheet program will run as a formula."""
    text = "" if value is None else str(value)
    if text[:1] in CONTROL_STARTS or text.lstrip()[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def csv_response(header: list, rows: list[list], name: str) -> HttpResponse:
    buffer = io.StringIO()
    # A byte-order mark so Excel opens the UTF-8 file with å, ä and ö intact.
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([safe_cell(v) for v in header])
    writer.writerows([[safe_cell(v) for v in row] for row in rows])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _add_sheet(workbook, title: str, header: list, rows: list[list]) -> None:
    """A sheet with a bold, frozen header row and an autofilter over its columns; whole
    numbers stay numbers, everything else is text."""
    sheet = workbook.create_sheet(title)
    sheet.append([safe_cell(v) for v in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([v if isinstance(v, int | float) else safe_cell(v) for v in row])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def xlsx_response(
    header: list, rows: list[list], name: str, title: str, more_sheets=()
) -> HttpResponse:
    """An xlsx workbook: the rows as its first sheet, then each (title, header, rows) of
    ``more_sheets``."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    _add_sheet(workbook, title, header, rows)
    for sheet in more_sheets:
        _add_sheet(workbook, *sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
