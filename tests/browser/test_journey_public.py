"""A member of the public reads the follow-up, from the start page to a spreadsheet.

Data: the seed fixtures, the real Malmö documents.
"""

import csv
import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.browser


def download(page, link_name) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name, exact=True).click()
    return info.value.path().read_bytes()


def test_a_visitor_filters_searches_reads_a_timeline_and_downloads(page, seeds):
    page.goto("/")
    assert page.locator("h1").inner_text()
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Rekommendationer"
    ).click()
    assert page.locator("h1").inner_text() == "Rekommendationer"

    # Filter by board and status: the service board has one implemented recommendation.
    page.get_by_label("Nämnd").select_option(label="Servicenämnden")
    page.get_by_label("Aktuell status").select_option(label="Genomförd")
    page.get_by_role("button", name="Visa").click()
    assert page.locator("#results-heading").inner_text() == "1 träff"
    results = page.locator(".result-list .result")
    assert results.count() == 1
    assert "Följa upp antal levererade arbetsmarknadsanställningar" in results.inner_text()

    # The spreadsheets hold exactly the filtered rows.
    text = download(page, "CSV").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:5] == ["Id", "Kommun", "Granskning", "Granskningens titel", "Beteckning"]
    assert len(rows) == 2
    assert rows[1][1:2] + rows[1][4:5] == ["Malmö stad", "Rekommendation 3"]
    assert rows[1][7:9] == ["SN", "Genomförd"]
    sheet = load_workbook(io.BytesIO(download(page, "Excel"))).active
    xlsx_rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len(xlsx_rows) == 2
    assert xlsx_rows[0][:5] == rows[0][:5]
    assert xlsx_rows[1][0] == int(rows[1][0])
    assert xlsx_rows[1][4] == "Rekommendation 3"
    assert xlsx_rows[1][7:9] == ["SN", "Genomförd"]

    # Search a word that only a board's answer uses, not the recommendation itself.
    page.get_by_role("link", name="Rensa alla filter").click()
    page.get_by_label("Sök i lydelse och svar").fill("samkörts")
    page.get_by_role("button", name="Visa").click()
    assert page.locator("#results-heading").inner_text() == "1 träff"

    # Open it and read its timeline: three rounds, oldest first.
    page.locator(".result-list .result h3 a").click()
    assert "Brister gällande statistiksamordning" in page.locator("main").inner_text()
    steps = page.locator(".timeline .axis-step")
    assert steps.count() == 3
    titles = [steps.nth(i).locator(".axis-title").inner_text() for i in range(3)]
    assert [title.split(".")[0] for title in titles] == ["1", "2", "3"]
    assert "Genomförd" in steps.nth(1).inner_text()
    answers = page.locator(".entries article.entry")
    assert answers.count() >= 2
    assert "samkörts" in page.locator(".entries").inner_text()
