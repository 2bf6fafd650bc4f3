"""The council report's PDF as a reader sees it: where the tables break, how wide their
columns are, whether the legend's swatches are filled. On the seeds (the real Malmö
documents), where a user test found each of these faults.

The page text comes from pypdf; the column widths and header lines from WeasyPrint's own
layout of the same document (``HTML(...).render()``), box by box.
"""

import io
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader
from weasyprint import HTML

from recommendations.models import Municipality
from reports import exports
from reports.figures import build_report

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year
PDF = reverse("reports:pdf", args=["malmo-stad", THIS_YEAR])
PAGE = reverse("reports:council_report", args=["malmo-stad", THIS_YEAR])
# The margins as pypdf reads them: "Malmö stad Per 2026-12-06" and "Sida 4 av 7".
MARGIN_LINE = re.compile(r"^Malmö stad (Per|As of) \d{4}-\d\d-\d\d$|^(Sida|Page) \d+ (av|of) \d+$")


def page_texts(client, language) -> list[list[str]]:
    """Each page's lines of text, without the margins (municipality, day, page number)."""
    client.cookies["django_language"] = language
    reader = PdfReader(io.BytesIO(client.get(PDF).content))
    return [
        [line for line in page.extract_text().splitlines() if not MARGIN_LINE.match(line.strip())]
        for page in reader.pages
    ]


def laid_out(language):
    """The PDF's document as WeasyPrint lays it out: its pages of boxes."""
    with translation.override(language):
        report = build_report(Municipality.objects.get(slug="malmo-stad"), THIS_YEAR, None)
        html = render_to_string(
            "reports/report_pdf.html",
            {
                "report": report,
                "outcome_chart": report.outcome_chart(),
                "acted_chart": report.acted_chart(),
                "LANGUAGE_CODE": language,
            },
        )
        return HTML(string=html, base_url="http://testserver/").render(
            stylesheets=exports.pdf_stylesheets(report)
        )


def boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from boxes(child)


def line_texts(box) -> list[str]:
    """The text of each line in ``box``, as printed (a hyphenated word ends in its hyphen)."""
    return [
        "".join(text.text for text in boxes(line) if type(text).__name__ == "TextBox")
        for line in boxes(box)
        if type(line).__name__ == "LineBox"
    ]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_page_of_the_pdf_holds_only_a_heading_or_a_caption(client, seeded, language):
    """The longest-open table was kept whole: too long for a page, it left its heading alone on
    one page and its caption alone on the next."""
    for number, lines in enumerate(page_texts(client, language), start=1):
        assert len(lines) > 3, f"page {number} holds only {lines}"


@pytest.mark.parametrize(
    ("language", "heading", "first_row"),
    [
        ("sv", "Längst öppna rekommendationer", "Rekommendation 1"),
        ("en", "Recommendations open the longest", "Recommendation 1"),
    ],
)
def test_the_longest_open_tables_heading_caption_and_first_row_share_a_page(
    client, seeded, language, heading, first_row
):
    (page,) = [lines for lines in page_texts(client, language) if heading in lines]
    after_heading = page[page.index(heading) + 1 :]
    assert after_heading[0].startswith(("De ", "The "))  # the caption
    assert first_row in after_heading


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_column_heading_keeps_its_words_whole(seeded, language):
    """Hyphenated in narrow columns, "Källa: revisionens bedömning / nämndens status" ran over
    seven lines and "Not answered" broke as "Not answere" / "d"."""
    document = laid_out(language)
    headers = [
        cell
        for page in document.pages
        for group in boxes(page._page_box)
        if type(group).__name__ == "TableRowGroupBox" and group.is_header
        for row in group.children
        for cell in row.children
    ]
    assert len(headers) > 40
    for cell in headers:
        words = " ".join(cell.element.itertext()).split()
        lines = line_texts(cell)
        assert [word for line in lines for word in line.split()] == words, (words, lines)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_table_fits_the_pages_width(seeded, language):
    document = laid_out(language)
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        right = page_box.content_box_x() + page_box.width
        for table in boxes(page_box):
            if type(table).__name__ == "TableBox":
                assert table.position_x + table.margin_width() <= right, (number, table.element)


def test_the_recommendation_column_is_the_wide_one_and_only_its_label_is_bold(seeded):
    """The recommendation's words were squeezed into the narrowest column, all bold and
    hyphenated on every line, while "7,9 år" had a wide column to itself."""
    document = laid_out("sv")
    table = next(
        box
        for page in document.pages
        for box in boxes(page._page_box)
        if type(box).__name__ == "TableBox" and "longest-table" in box.element.get("class", "")
    )
    first_row = next(box for box in boxes(table) if type(box).__name__ == "TableRowBox")
    widths = [cell.width for cell in first_row.children]
    assert widths[0] == max(widths)
    assert widths[-1] == min(widths)  # "Öppen"
    body = next(
        box
        for box in boxes(table)
        if type(box).__name__ == "TableRowGroupBox" and not box.is_header
    )
    body_row = body.children[0]
    weights = {
        text.text.strip(): text.style["font_weight"]
        for text in boxes(body_row.children[0])
        if type(text).__name__ == "TextBox" and text.text.strip()
    }
    assert weights.pop("Rekommendation 1") == 700
    assert weights and set(weights.values()) == {400}
    age_lines = line_texts(body_row.children[-1])
    assert age_lines == ["7,9 år"]


def test_each_legend_swatch_holds_the_pattern_it_is_filled_with(client, seeded):
    """WeasyPrint does not follow a fill into another SVG: the PDF's legend swatches, which
    pointed at the chart's patterns, were empty white boxes."""
    page = client.get(PAGE).content.decode()
    swatches = re.findall(r'<svg class="legend-hatch".*?</svg>', page, re.S)
    assert len(swatches) == 6 + 2  # the six outcomes, then acted on and not acted on
    for swatch in swatches:
        (fill,) = re.findall(r'fill="url\(#([^)]+)\)"', swatch)
        assert f'<pattern id="{fill}"' in swatch


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_count_in_the_outcome_tables_stands_on_one_line_with_its_share(seeded, language):
    """In the bold total row the narrow "Ej aktuell" column printed "0" above "(0 %)": a
    count and its share are read together, on one line."""
    document = laid_out(language)
    cells = [
        cell
        for page in document.pages
        for table in boxes(page._page_box)
        if type(table).__name__ == "TableBox" and "outcome-table" in table.element.get("class", "")
        for cell in boxes(table)
        if type(cell).__name__ == "TableCellBox" and "num" in cell.element.get("class", "")
    ]
    assert len(cells) >= 40  # the seeds' five rows of eight counts
    for cell in cells:
        lines = line_texts(cell)
        assert len(lines) == 1, lines
