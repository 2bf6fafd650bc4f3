"""The spreadsheet writer every export uses: streamed CSV, write-only xlsx, formulas as text."""

import csv
import io

from openpyxl import load_workbook

from auditfollowup.lib import spreadsheets
from auditfollowup.lib.spreadsheets import XlsxWorkbook, csv_response, xlsx_response


def test_the_csv_reads_its_rows_only_as_far_as_it_has_been_sent(monkeypatch):
    monkeypatch.setattr(spreadsheets, "CSV_PIECE", 100)
    read = []

    def rows():
        for n in range(1000):
            read.append(n)
            yield [n, "x" * 20]

    response = csv_response(["n", "text"], rows(), "test")
    assert read == []
    pieces = iter(response.streaming_content)
    first = next(pieces)
    assert first.startswith("\ufeffn;text\r\n".encode())
    assert 0 < len(read) < 10  # a piece of about 100 characters, not the whole file
    rest = b"".join(pieces)
    assert len(read) == 1000
    lines = list(csv.reader(io.StringIO((first + rest).decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["n", "text"]
    assert lines[1:] == [[str(n), "x" * 20] for n in range(1000)]


def test_the_csv_writes_formulas_as_text_in_the_header_and_the_rows():
    response = csv_response(["=Id", "Text"], iter([["1", "@SUM(A1)"], [None, " -1"]]), "test")
    text = response.getvalue().decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text), delimiter=";")) == [
        ["'=Id", "Text"],
        ["1", "'@SUM(A1)"],
        ["", "' -1"],
    ]
    assert response["Content-Disposition"] == 'attachment; filename="test.csv"'


def test_an_xlsx_sheet_has_a_bold_frozen_header_and_an_autofilter_over_its_rows():
    rows = ([n, f"rad {n}", "+1" if n == 2 else None] for n in range(1, 4))
    response = xlsx_response(["Nr", "Text", "=Formel"], rows, "test", "Blad")
    assert response["Content-Disposition"] == 'attachment; filename="test.xlsx"'
    sheet = load_workbook(io.BytesIO(response.getvalue()))["Blad"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C4" == sheet.dimensions
    assert [(cell.value, cell.font.bold) for cell in sheet[1]] == [
        ("Nr", True),
        ("Text", True),
        ("'=Formel", True),
    ]
    assert [cell.value for cell in sheet[3]] == [2, "rad 2", "'+1"]
    assert sheet["A3"].data_type == "n"  # whole numbers stay numbers
    assert sheet["C3"].data_type == "s"
    assert not sheet["A2"].font.bold


def test_xlsx_sheets_can_be_filled_in_one_pass_and_keep_their_order():
    workbook = XlsxWorkbook()
    workbook.add_sheet("Först", ["A"], [["a"]])
    left = workbook.add_sheet("Vänster", ["L"])
    right = workbook.add_sheet("Höger", ["R1", "R2"])
    empty = workbook.add_sheet("Tom", ["T1", "T2", "T3"])
    for n in range(3):
        left.append([f"l{n}"])
        right.extend([[n, "r"], [n, "r"]])
    del empty
    book = load_workbook(io.BytesIO(workbook.response("test").getvalue()))
    assert book.sheetnames == ["Först", "Vänster", "Höger", "Tom"]
    assert [c.value for c in book["Vänster"]["A"]] == ["L", "l0", "l1", "l2"]
    assert book["Höger"].max_row == 1 + 6
    assert book["Höger"].auto_filter.ref == "A1:B7"
    assert book["Tom"].auto_filter.ref == "A1:C1"  # only the header
    assert all(sheet.freeze_panes == "A2" for sheet in book.worksheets)


def test_text_pasted_with_control_characters_still_makes_a_spreadsheet():
    """Word's manual line break is a vertical tab, which an xlsx file cannot hold: it
    becomes a new line, and other control characters are left out, instead of the whole
    export failing."""
    rows = [[1, "Första raden\x0bandra raden", "bell\x07"]]
    response = xlsx_response(["Nr", "Redovisning", "Övrigt\x01"], rows, "test", "Blad")
    sheet = load_workbook(io.BytesIO(response.getvalue()))["Blad"]
    assert [cell.value for cell in sheet[1]] == ["Nr", "Redovisning", "Övrigt"]
    assert [cell.value for cell in sheet[2]] == [1, "Första raden\nandra raden", "bell"]
