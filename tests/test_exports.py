"""CSV and Excel exports of the filtered list and of the matrix."""

import csv
import datetime as dt
import io

import pytest
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from auditfollowup.lib.spreadsheets import XLSX_TYPE, safe_cell
from recommendations import exports
from recommendations.roles import STAFF_GROUP
from tests.conftest import postgresql_only
from tests.factories import (
    make_audit_answered_once,
    make_board,
    make_measure,
    make_municipality,
    make_tracked_audit,
    make_user,
)

pytestmark = pytest.mark.django_db


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    text = response.getvalue().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def xlsx_rows(response, sheet=None):
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    return sheet_rows(workbook[sheet] if sheet else workbook.worksheets[0])


def sheet_rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def two_boards():
    return make_tracked_audit(n_recommendations=2, board="ASN"), make_tracked_audit(
        n_recommendations=3, board="SN"
    )


def test_the_list_csv_contains_exactly_the_filtered_rows(client, two_boards):
    _asn, sn = two_boards
    rows = csv_rows(
        client.get(reverse("recommendations:recommendation_list_csv"), {"board": sn.board.pk})
    )
    assert rows[0][0] == "Id"
    assert [int(row[0]) for row in rows[1:]] == [rec.pk for rec in sn.recommendations]
    assert rows[1][rows[0].index("Aktuell status")] == "Pågående"


def test_the_list_xlsx_contains_exactly_the_filtered_rows(client, two_boards):
    asn, _sn = two_boards
    url = reverse("recommendations:recommendation_list_xlsx")
    rows = xlsx_rows(client.get(url, {"audit": asn.audit.pk}))
    assert [row[0] for row in rows[1:]] == [rec.pk for rec in asn.recommendations]


def test_the_matrix_exports_follow_the_as_of_date(client, two_boards):
    asn, _sn = two_boards
    params = {"audit": asn.audit.pk, "per": "2020-01-01"}
    rows = csv_rows(client.get(reverse("recommendations:matrix_csv"), params))
    header = rows[0]
    assert len(rows) == 3
    assert rows[1][header.index("Nämnd")] == "ASN"
    assert rows[1][header.index("2019")] == "Planerad"
    assert rows[1][header.index("2020")] == ""
    sheet = xlsx_rows(client.get(reverse("recommendations:matrix_xlsx"), {"audit": asn.audit.pk}))
    # The board's status beside the auditors' assessment of the same round.
    assert sheet[1][sheet[0].index("2020")] == (
        "Pågående / revisionen: Delvis genomförd (annan bedömning)"
    )


@pytest.mark.parametrize("name", ["recommendations:matrix_csv", "recommendations:matrix_xlsx"])
def test_the_matrix_exports_as_of_a_day_hold_only_the_audits_and_years_known_then(client, name):
    """The page's rule (``MatrixFilter``): audits issued by the day, years through its year."""
    old = make_tracked_audit(n_recommendations=2)  # conducted in 2018
    make_audit_answered_once(conducted="2021", answered_on=dt.date(2022, 3, 1))
    response = client.get(reverse(name), {"per": "2020-06-30"})
    rows = csv_rows(response) if name.endswith("csv") else xlsx_rows(response)
    header = rows[0]
    assert header[-2:] == ["2019", "2020"]
    names = [row[header.index("Beteckning")] for row in rows[1:]]
    assert names == [rec.display_name for rec in old.recommendations]
    assert [row[-1] or "" for row in rows[1:]] == ["", ""]  # 2020's answer came in October


def test_the_matrix_export_says_a_year_before_the_audit_was_issued_is_not_applicable(client):
    make_audit_answered_once(conducted="2021", answered_on=dt.date(2022, 3, 1))
    rows = csv_rows(client.get(reverse("recommendations:matrix_csv")))
    header, (row,) = rows[0], rows[1:]
    assert row[header.index("2019")] == "ej aktuellt: före granskningen"
    assert row[header.index("2020")] == "ej aktuellt: före granskningen"
    assert row[header.index("2021")] == ""
    assert row[header.index("2022")] == "Pågående"


def test_exports_leave_out_draft_answers(client):
    world = make_tracked_audit(n_recommendations=1, with_draft=True)
    world.draft.decision_date = world.responses[1].decision_date.replace(year=2021)
    world.draft.save()
    rows = csv_rows(client.get(reverse("recommendations:matrix_csv")))
    assert "Genomförd (ASN)" not in rows[1]
    rows = csv_rows(client.get(reverse("recommendations:recommendation_list_csv")))
    assert rows[1][rows[0].index("Aktuell status")] == "Pågående"


FORMULAS = [
    '=HYPERLINK("http://example.invalid")',
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "\u00a0=1+1",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
]


@pytest.mark.parametrize("formula", FORMULAS, ids=repr)
def test_a_cell_that_looks_like_a_formula_is_exported_as_text(client, formula):
    world = make_tracked_audit(n_recommendations=1)
    rec = world.recommendations[0]
    rec.text = formula
    rec.save()
    rec.refresh_from_db()  # as stored (a text field keeps no lone CR)
    rows = csv_rows(client.get(reverse("recommendations:recommendation_list_csv")))
    assert rows[1][rows[0].index("Lydelse")] == "'" + rec.text
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("recommendations:recommendation_list_xlsx")).getvalue())
    ).active
    text = sheet.cell(2, 1 + rows[0].index("Lydelse"))
    assert text.data_type == "s"
    # XML keeps no lone CR either: compare with line endings normalised.
    assert text.value == "'" + rec.text.replace("\r", "\n")


@pytest.mark.parametrize("text", ["Nämnden bör", "1 000 kr", "e-post", "", "x=1"])
def test_ordinary_text_is_exported_unchanged(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("recommendations:recommendation_list_csv", {"status": "nonsense"}),
        ("recommendations:recommendation_list_xlsx", {"board": "999999"}),
        ("recommendations:matrix_csv", {"per": "2020-13-45"}),
        ("recommendations:matrix_xlsx", {"per": "2020-13-45"}),
        ("recommendations:matrix_csv", {"per": "2099-01-01"}),
        ("recommendations:matrix_xlsx", {"per": "2099-01-01"}),
    ],
)
def test_an_invalid_filter_is_a_400_not_an_unfiltered_export(client, name, query):
    make_tracked_audit(n_recommendations=1)
    response = client.get(reverse(name), query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "Ogiltigt filter" in response.content.decode()
    assert next(iter(query)) in response.content.decode()


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # whether they fit in one chunk, recommendations with status+audit, their
        # addressed_to boards (the filter form's choices are neither rendered nor
        # needed to validate a status).
        ("recommendations:recommendation_list_csv", 4),
        # The same three, then the timelines for the measures and timeline sheets: those of
        # timeline_recommendations (recommendations+audit, rounds, assessments, entries, measure
        # updates, standings, measures, due date changes, shared measures...).
        ("recommendations:recommendation_list_xlsx", 13),
        # recommendations+audit, their assessments (+round), the boards those rounds
        # name, standings+board and visible answers.
        ("recommendations:matrix_csv", 5),
        ("recommendations:matrix_xlsx", 5),
    ],
)
def test_export_query_counts_do_not_grow(client, django_assert_num_queries, name, queries):
    make_tracked_audit(n_recommendations=2)
    with django_assert_num_queries(queries):
        client.get(reverse(name), {"status": "in_progress"}).getvalue()
    make_tracked_audit(n_recommendations=8)
    with django_assert_num_queries(queries):
        client.get(reverse(name), {"status": "in_progress"}).getvalue()


def test_the_list_xlsx_has_sheets_of_measures_and_timeline_entries(client, two_boards):
    asn, _sn = two_boards
    url = reverse("recommendations:recommendation_list_xlsx")
    response = client.get(url, {"audit": asn.audit.pk})
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    assert workbook.sheetnames == ["Rekommendationer", "Åtgärder", "Tidslinje"]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"  # the header row stays in view
        assert sheet.auto_filter.ref == sheet.dimensions  # every column can be filtered
        assert all(cell.font.bold for cell in sheet[1])

    measures = sheet_rows(workbook["Åtgärder"])
    header = measures[0]
    assert header[:5] == ["Rekommendationens id", "Kommun", "Granskning", "Beteckning", "Åtgärd"]
    assert {row[0] for row in measures[1:]} == {rec.pk for rec in asn.recommendations}
    first = dict(zip(header, measures[1], strict=True))
    # Due in March 2020, moved to June 2020: overdue since 1 July 2020.
    assert first["Klart senast"] == "juni 2020"
    assert (first["Status"], first["Försenad"]) == ("Planerad", "Ja")  # the measure's own
    assert first["Dagar försenad"] > 365
    assert (first["Kommun"], first["Nämnd"]) == ("Malmö stad", "ASN")
    assert (first["Tolkning: klart senast"], first["Tolkning: genomförd"]) == (None, None)

    timeline = sheet_rows(workbook["Tidslinje"])
    header = timeline[0]
    rows = [dict(zip(header, row, strict=True)) for row in timeline[1:]]
    assert len(rows) == 2 * len(asn.recommendations)  # two published rounds each
    first_rec = [row for row in rows if row["Rekommendationens id"] == asn.recommendations[0].pk]
    assert [row["Omgång"] for row in first_rec] == [1, 2]
    assert [row["Nämndens status"] for row in first_rec] == ["Planerad", "Pågående"]
    assert first_rec[1]["Revisionens bedömning"] == "Delvis genomförd"
    assert first_rec[1]["Diarienummer"] == asn.responses[1].diary_number


def test_the_measures_sheet_counts_no_days_late_on_a_closed_recommendation(client):
    """Its page no longer follows the measure up (``Measure.days_overdue``): neither does
    the export, in either column."""
    world = make_tracked_audit(n_recommendations=1)  # one measure, overdue since July 2020
    rec = world.recommendations[0]
    rec.close(dt.date(2024, 1, 10), "Ersatt av ny styrmodell.", None)

    header, row = xlsx_rows(
        client.get(reverse("recommendations:recommendation_list_xlsx")), "Åtgärder"
    )

    measure = dict(zip(header, row, strict=True))
    assert (measure["Försenad"], measure["Dagar försenad"]) == ("Nej", 0)


def test_the_measures_sheet_marks_a_measure_of_a_draft_as_a_proposal_never_overdue(client):
    """The board's staff export their draft's measure, due in 2020 and so long past: a
    proposal (Förslag: Ja), not overdue, as the measures table and the API say it."""
    world = make_tracked_audit(n_recommendations=1, with_draft=True)
    (rec,) = world.recommendations
    make_measure(
        rec,
        board=world.board,
        due="2020-01",
        announced_in=world.draft.entries.get(),
        title="Förslag i utkast",
    )
    client.force_login(make_user(groups=[STAFF_GROUP], boards=[world.board]))

    header, *rows = xlsx_rows(
        client.get(reverse("recommendations:recommendation_list_xlsx")), "Åtgärder"
    )

    shown = {row["Åtgärd"]: row for row in (dict(zip(header, r, strict=True)) for r in rows)}
    proposal = shown["Förslag i utkast"]
    assert (proposal["Förslag"], proposal["Försenad"], proposal["Dagar försenad"]) == (
        "Ja",
        "Nej",
        0,
    )
    assert (
        shown[f"Arbetsgrupp {rec.pk}"]["Förslag"],
        shown[f"Arbetsgrupp {rec.pk}"]["Försenad"],
    ) == (
        "Nej",
        "Ja",
    )


def test_the_timeline_sheet_leaves_out_draft_answers(client):
    world = make_tracked_audit(n_recommendations=1, with_draft=True)
    response = client.get(reverse("recommendations:recommendation_list_xlsx"))
    timeline = xlsx_rows(response, "Tidslinje")
    assert all("hemligt" not in (row[-1] or "") for row in timeline[1:])
    assert len(timeline) == 1 + len(world.responses)


def test_the_list_csv_has_every_column_the_list_page_shows(client, two_boards):
    asn, _sn = two_boards
    rec = asn.recommendations[0]
    header, *rows = csv_rows(client.get(reverse("recommendations:recommendation_list_csv")))
    row = dict(zip(header, next(r for r in rows if int(r[0]) == rec.pk), strict=True))
    # What each result on /rekommendationer/ shows: label, audit, wording, current status,
    # kind and the boards it is addressed to.
    assert row["Beteckning"] == rec.label
    assert row["Granskning"] == asn.audit.reference
    assert row["Lydelse"] == rec.text
    assert row["Aktuell status"] == "Pågående"
    assert row["Typ"] == rec.get_kind_display()
    assert row["Riktad till"] == "ASN"


def test_the_csv_exports_stream_as_they_are_written(client, two_boards, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 1)  # a list of one chunk is written whole
    for name in ("recommendations:recommendation_list_csv", "recommendations:matrix_csv"):
        response = client.get(reverse(name))
        assert response.streaming
        assert not isinstance(response, FileResponse)  # written while sent, not from a file
        assert response["Content-Disposition"].startswith('attachment; filename="')
        assert response["Content-Disposition"].endswith('.csv"')


@postgresql_only
def test_a_list_csv_of_one_chunk_is_read_without_a_server_side_cursor(
    client, monkeypatch, server_side_cursors
):
    # Chunks need PostgreSQL's server-side cursor (declare, fetch, close); a list known to
    # fit in one (a board's) is read in one plain query.
    monkeypatch.setattr(exports, "CHUNK_SIZE", 3)
    make_tracked_audit(n_recommendations=3)
    response = client.get(reverse("recommendations:recommendation_list_csv"))
    assert not response.streaming
    assert len(csv_rows(response)) == 1 + 3
    assert server_side_cursors == []

    make_tracked_audit(n_recommendations=1)
    response = client.get(reverse("recommendations:recommendation_list_csv"))
    assert response.streaming
    assert len(csv_rows(response)) == 1 + 4
    assert len(server_side_cursors) == 1  # streamed lists are still read in chunks


def test_the_xlsx_exports_are_sent_from_a_file_on_disk(client, two_boards):
    for name in ("recommendations:recommendation_list_xlsx", "recommendations:matrix_xlsx"):
        response = client.get(reverse(name))
        assert isinstance(response, FileResponse)
        assert response["Content-Type"] == XLSX_TYPE
        assert response["Content-Disposition"].endswith('.xlsx"')
        body = response.getvalue()
        assert int(response["Content-Length"]) == len(body)
        load_workbook(io.BytesIO(body))  # a whole workbook


@pytest.mark.parametrize(
    ("name", "per_chunk"),
    [
        # The recommendations are one query; each chunk prefetches its addressed_to
        # boards and standings.
        ("recommendations:recommendation_list_csv", 2),
        # Each chunk prefetches its visible entries, assessments (and the boards their
        # rounds name) and standings.
        ("recommendations:matrix_csv", 4),
    ],
)
def test_the_csv_exports_read_their_rows_in_chunks_while_they_are_sent(
    client, django_assert_num_queries, monkeypatch, name, per_chunk
):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    make_tracked_audit(n_recommendations=5)
    # Before the body is sent nothing is read, but for the list whether it fits in a
    # chunk (a one-chunk list is written whole, so that it can be cached).
    with django_assert_num_queries(1 if name.endswith("list_csv") else 0):
        response = client.get(reverse(name))
    with django_assert_num_queries(1 + 3 * per_chunk):  # 5 recommendations: 3 chunks
        rows = csv_rows(response)
    assert len(rows) == 1 + 5


def test_the_list_xlsx_reads_its_recommendations_in_chunks(
    client, django_assert_num_queries, monkeypatch
):
    make_tracked_audit(n_recommendations=5)
    url = reverse("recommendations:recommendation_list_xlsx")
    with django_assert_num_queries(13):  # as in test_export_query_counts_do_not_grow
        client.get(url)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    # The list's 1 + 2 and the timelines' 1 + 9 queries, the per-chunk part thrice.
    with django_assert_num_queries(1 + 3 * 2 + 1 + 3 * 9):
        response = client.get(url)
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    assert [sheet.max_row for sheet in workbook.worksheets] == [1 + 5, 1 + 5, 1 + 2 * 5]


def test_the_matrix_xlsx_has_a_bold_frozen_header_and_an_autofilter(client, two_boards):
    response = client.get(reverse("recommendations:matrix_xlsx"))
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet.title == "Matris"
    assert sheet.freeze_panes == "A2"
    last = get_column_letter(len(exports.matrix_columns()))  # a column per year since 2019
    assert sheet.auto_filter.ref == sheet.dimensions == f"A1:{last}{1 + 5}"
    assert all(cell.font.bold for cell in sheet[1])
    assert not any(cell.font.bold for cell in sheet[2])


def test_a_formula_in_the_matrix_is_exported_as_text(client):
    world = make_tracked_audit(n_recommendations=1)
    rec = world.recommendations[0]
    rec.text = "=1+1"
    rec.save()
    rows = csv_rows(client.get(reverse("recommendations:matrix_csv")))
    assert rows[1][rows[0].index("Lydelse")] == "'=1+1"
    sheet = xlsx_rows(client.get(reverse("recommendations:matrix_xlsx")))
    assert sheet[1][sheet[0].index("Lydelse")] == "'=1+1"


def test_the_xlsx_sheets_carry_the_reasons_dates_and_titles_are_inferences(client):
    """As the pages' tolkning marker does: a date read off a document that does not say
    it is never exported as plain fact."""
    world = make_tracked_audit(n_recommendations=1)
    measure = world.recommendations[0].measures.get()
    measure.due_inference = "Dokumentet säger bara 'under våren'."
    measure.save()
    response = world.responses[0]
    response.title_inference = "Dokumentet har ingen rubrik."
    response.save()

    workbook = load_workbook(
        io.BytesIO(client.get(reverse("recommendations:recommendation_list_xlsx")).getvalue())
    )

    measures = sheet_rows(workbook["Åtgärder"])
    row = dict(zip(measures[0], measures[1], strict=True))
    assert row["Tolkning: klart senast"] == "Dokumentet säger bara 'under våren'."
    timeline = sheet_rows(workbook["Tidslinje"])
    titles = [
        dict(zip(timeline[0], r, strict=True))["Tolkning: yttrandets titel"] for r in timeline[1:]
    ]
    assert "Dokumentet har ingen rubrik." in titles


def test_a_municipalitys_downloads_are_named_after_it(client):
    """Downloaded from Malmö and from Lund, both lists were "rekommendationer-<day>.csv":
    the second took the first one's name with a "(1)" in the downloads folder."""
    make_tracked_audit(n_recommendations=1)
    day = timezone.localdate().isoformat()
    for name, kind, extension in (
        ("recommendation_list_csv", "rekommendationer", "csv"),
        ("recommendation_list_xlsx", "rekommendationer", "xlsx"),
        ("matrix_csv", "matris", "csv"),
        ("matrix_xlsx", "matris", "xlsx"),
    ):
        local = client.get(reverse(f"municipal:{name}", args=["malmo"]))
        assert f'filename="{kind}-malmo-{day}.{extension}"' in local["Content-Disposition"]
        national = client.get(reverse(f"recommendations:{name}"))
        assert f'filename="{kind}-{day}.{extension}"' in national["Content-Disposition"]


@pytest.fixture
def two_municipalities_kommunstyrelse():
    """Malmö's and Lund's Kommunstyrelsen, "KS" both, each with its own audit."""
    lund = make_municipality(name="Lunds kommun", slug="lund", organisation_number="212000-1132")
    malmo = make_tracked_audit(n_recommendations=1, board="KS", reference="REV-1")
    lunds_ks = make_board(short_code="KS", name="Kommunstyrelsen", municipality=lund)
    return malmo, make_tracked_audit(n_recommendations=1, board=lunds_ks, reference="REV-1")


def _sheets(name, response):
    if name.endswith("csv"):
        return [csv_rows(response)]
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    return [sheet_rows(sheet) for sheet in workbook.worksheets]


NATIONAL_EXPORTS = [
    "recommendation_list_csv",
    "recommendation_list_xlsx",
    "matrix_csv",
    "matrix_xlsx",
]


@pytest.mark.parametrize("name", NATIONAL_EXPORTS)
def test_every_row_of_a_national_export_says_which_municipality_it_belongs_to(
    client, two_municipalities_kommunstyrelse, name
):
    """Malmö's and Lund's "KS", audit "REV-1", read the same in the national files: a row
    did not say whose it was."""
    response = client.get(reverse(f"recommendations:{name}"))
    for header, *rows in _sheets(name, response):
        assert "Kommun" in header, header
        towns = {row[header.index("Kommun")] for row in rows}
        assert towns == {"Malmö stad", "Lunds kommun"}, header


@pytest.mark.parametrize("name", NATIONAL_EXPORTS)
def test_a_municipalitys_export_has_the_same_columns_as_the_national_one(
    client, two_municipalities_kommunstyrelse, name
):
    """One format per export: a municipality's file says its municipality too, so files
    from several municipalities can be put together."""
    national = _sheets(name, client.get(reverse(f"recommendations:{name}")))
    local = _sheets(name, client.get(reverse(f"municipal:{name}", args=["lund"])))
    assert [sheet[0] for sheet in local] == [sheet[0] for sheet in national]
    for header, *rows in local:
        assert {row[header.index("Kommun")] for row in rows} == {"Lunds kommun"}


def test_the_matrix_export_of_one_municipalitys_board_names_that_municipality(
    client, two_municipalities_kommunstyrelse
):
    _malmo, lund = two_municipalities_kommunstyrelse
    rows = csv_rows(client.get(reverse("recommendations:matrix_csv"), {"board": lund.board.pk}))
    header = rows[0]
    assert [(row[header.index("Kommun")], row[header.index("Nämnd")]) for row in rows[1:]] == [
        ("Lunds kommun", "KS")
    ]
