"""The council report as a PDF for the council meeting, and as xlsx and CSV."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories import make_tracked_audit

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year
A4 = (595, 842)  # points


def download(client, name, **params):
    return client.get(reverse(f"reports:{name}", args=["malmo", THIS_YEAR]), params)


@pytest.fixture
def tracked():
    return make_tracked_audit(n_recommendations=3)


def test_the_pdf_is_a_tagged_a4_document_in_the_pages_language(client, tracked):
    response = download(client, "pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "sv"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog  # tagged: headings, tables, lists
    page = reader.pages[0]
    assert (round(page.mediabox.width), round(page.mediabox.height)) == A4
    assert reader.metadata.title == f"Uppföljningsrapport {THIS_YEAR}: Malmö stad"


def test_every_page_of_the_pdf_names_the_municipality_the_day_and_its_number(client, tracked):
    reader = PdfReader(io.BytesIO(download(client, "pdf", per="2020-12-31").content))
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "Malmö stad" in text
        assert "Per 2020-12-31" in text
        assert f"Sida {number} av {pages}" in text
    assert "Årskull:" in reader.pages[0].extract_text()


def test_the_pdf_is_in_english_for_an_english_reader(client, tracked):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    reader = PdfReader(io.BytesIO(download(client, "pdf").content))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "Page 1 of" in reader.pages[0].extract_text()


def test_the_csv_and_the_workbook_hold_the_pages_figures(client, tracked):
    report = client.get(reverse("reports:council_report", args=["malmo", THIS_YEAR])).context[
        "report"
    ]
    response = download(client, "csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    header, first = rows[0], rows[1]
    assert header[:5] == ["Kommun", "Per", "Granskningsår", "Nämnd", "Rekommendationer"]
    assert first[:5] == ["Malmö stad", report.as_of.isoformat(), "2018", "ASN-nämnden", "3"]
    assert first[header.index("Delvis genomförd")] == "3"
    assert first[header.index("Enligt revisionens bedömning")] == "3"
    assert rows[-1][2:5] == ["Alla år", "Alla nämnder", "3"]

    workbook = load_workbook(io.BytesIO(download(client, "xlsx").getvalue()))
    figures, longest = workbook.worksheets
    values = [[cell.value for cell in row] for row in figures.iter_rows()]
    assert values[0] == header
    assert values[1][4] == 3 and values[1][header.index("Delvis genomförd")] == 3
    assert [cell.value for cell in longest[2]][4] == "ASN-nämnden"
    assert longest.max_row == 1 + len(report.longest_open)


def test_the_english_csv_counts_one_year_in_the_singular(client, tracked):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    header = download(client, "csv").getvalue().decode("utf-8-sig").splitlines()[0].split(";")

    assert "Acted on within 1 year" in header and "Acted on within 2 years" in header
    assert "Measurable after 1 year" in header
    assert not [column for column in header if "1 years" in column]


@pytest.mark.parametrize("name", ["pdf", "xlsx", "csv"])
@pytest.mark.parametrize("day", ["2999-01-01", "31/12/2020", "x"])
def test_a_download_for_a_refused_day_is_refused_not_made_as_of_today(client, tracked, name, day):
    response = download(client, name, per=day)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    message = response.content.decode()
    assert "Ogiltigt filter; exporten är inte gjord." in message and "per: " in message
