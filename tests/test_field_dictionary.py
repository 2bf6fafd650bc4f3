"""The field dictionary: a page for people and a Table Schema beside each CSV, generated from
the exports' own column declarations, so every column of every export is described."""

import csv
import io
from collections import defaultdict
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from recommendations.status import Status
from tests.factories import make_tracked_audit

pytestmark = pytest.mark.django_db

EXPORTS = [
    ("recommendations:recommendation_list_csv", "recommendations:recommendation_list_schema"),
    ("recommendations:matrix_csv", "recommendations:matrix_schema"),
]


def _csv_header(client, name):
    text = client.get(reverse(name)).getvalue().decode("utf-8-sig")
    return next(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.mark.parametrize(("export", "schema"), EXPORTS)
def test_every_csv_column_is_described_in_its_table_schema(client, export, schema):
    make_tracked_audit(n_recommendations=1)
    described = client.get(reverse(schema)).json()
    assert [field["name"] for field in described["fields"]] == _csv_header(client, export)
    for field in described["fields"]:
        assert field["description"] and field["type"] in {"integer", "string", "date"}


# The list's xlsx, sheet by sheet, and the Table Schema of each sheet.
XLSX_SHEETS = [
    "recommendations:recommendation_list_schema",
    "recommendations:measures_schema",
    "recommendations:timeline_schema",
]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_sheet_of_the_list_xlsx_has_the_fields_of_its_table_schema_as_its_header(
    client, language
):
    make_tracked_audit(n_recommendations=1)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    answer = client.get(reverse("recommendations:recommendation_list_xlsx"))
    workbook = load_workbook(io.BytesIO(answer.getvalue()))
    assert len(workbook.worksheets) == len(XLSX_SHEETS)
    for sheet, schema in zip(workbook.worksheets, XLSX_SHEETS, strict=True):
        described = client.get(reverse(schema)).json()
        header, first_row = list(sheet.iter_rows(values_only=True))[:2]
        assert [field["name"] for field in described["fields"]] == list(header)
        assert first_row  # each sheet has a row to describe: a measure, an answer
        for field in described["fields"]:
            assert field["description"] and field["type"] in {"integer", "string", "date"}
    assert [sheet.title for sheet in workbook.worksheets[1:]] == [
        client.get(reverse(schema)).json()["title"] for schema in XLSX_SHEETS[1:]
    ]


@pytest.mark.parametrize("schema", XLSX_SHEETS[1:])
def test_the_schema_of_each_further_sheet_is_served_as_json_and_says_which_sheet_it_is(
    client, schema
):
    answer = client.get(reverse(schema))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/schema+json"
    described = answer.json()
    assert described["$schema"].endswith("tableschema.json")
    assert described["title"] in described["description"]
    assert "Excel" in described["description"] and "CSV" not in described["description"]


def test_the_measures_sheet_schema_lists_the_values_its_yes_no_and_status_columns_hold(client):
    described = client.get(reverse("recommendations:measures_schema")).json()
    fields = {field["name"]: field for field in described["fields"]}
    assert fields["Försenad"]["constraints"]["enum"] == ["Ja", "Nej"]
    assert fields["Status"]["constraints"]["enum"] == [str(s.label) for s in Status]
    assert fields["Dagar försenad"]["type"] == "integer"


@pytest.mark.parametrize(("language", "name"), [("sv", "Kommun"), ("en", "Municipality")])
@pytest.mark.parametrize("schema", [schema for _export, schema in EXPORTS])
def test_each_table_schema_describes_the_municipality_every_row_names(
    client, schema, language, name
):
    """The national files hold every municipality's "KS": a row says whose it is."""
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    described = client.get(reverse(schema)).json()
    (municipality,) = [f for f in described["fields"] if f["name"] == name]
    assert municipality["type"] == "string"
    assert municipality["description"]


def test_the_status_column_lists_the_swedish_labels_it_may_hold(client):
    described = client.get(reverse("recommendations:recommendation_list_schema")).json()
    (status,) = [f for f in described["fields"] if f["name"] == "Aktuell status"]
    assert status["constraints"]["enum"][: len(Status)] == [str(s.label) for s in Status]
    assert described["primaryKey"] == ["Id"]


def test_the_table_schema_follows_the_visitors_language_like_the_csv(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    described = client.get(reverse("recommendations:recommendation_list_schema")).json()
    header = _csv_header(client, "recommendations:recommendation_list_csv")
    assert [field["name"] for field in described["fields"]] == header
    assert "Current status" in header


def test_the_open_data_page_describes_exports_api_fields_and_statuses(client):
    page = client.get(reverse("recommendations:open_data")).content.decode()
    page = page.replace("<wbr>", "")  # break opportunities in the paths, not text
    assert "Öppna data" in page
    assert "Granskningens titel" in page
    assert "results[].measures[].days_overdue" in page
    for status in Status:
        assert f"<code>{status.value}</code>" in page and str(status.label) in page
    assert 'href="/datasets/dcat"' in page
    assert 'href="/rekommendationer/export.schema.json"' in page
    assert 'href="/rekommendationer/export-atgarder.schema.json"' in page
    assert 'href="/rekommendationer/export-tidslinje.schema.json"' in page
    assert "Dagar försenad" in page and "Revisionens bedömning" in page


def test_a_long_field_path_may_break_only_between_its_parts(client):
    page = client.get(reverse("recommendations:open_data")).text
    assert "<code>results<wbr>[]<wbr>.measures<wbr>[]<wbr>.days_overdue</code>" in page


class LinkNames(HTMLParser):
    """Each link's name as a screen reader's list of links reads it (visually hidden words
    included), with the addresses it leads to."""

    def __init__(self):
        super().__init__()
        self.links = defaultdict(set)
        self._href = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self._href, self._text = dict(attrs)["href"], ""

    def handle_endtag(self, tag):
        if tag == "a" and self._href:
            self.links[" ".join(self._text.split())].add(self._href)
            self._href = None

    def handle_data(self, data):
        if self._href:
            self._text += data


def test_each_download_on_the_open_data_page_says_what_it_downloads_in_its_link(client):
    """Two links read "Excel" and two "kolumnbeskrivning", to the recommendations' and the
    matrix's files: alone, in a list of links, nobody could tell them apart."""
    links = LinkNames()
    links.feed(client.get(reverse("recommendations:open_data")).content.decode())
    assert {name: hrefs for name, hrefs in links.links.items() if len(hrefs) > 1} == {}
    assert links.links["Excel (matrisen)"] == {reverse("recommendations:matrix_xlsx")}
