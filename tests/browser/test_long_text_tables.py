"""Tables of long text on a phone: measures, an answer's reports, a board's recommendations,
the council report's longest open recommendations, the auditors' lists, a change history.

At 320 px their five or six columns were a word wide each, a row a screen or two tall, and
the rest of the row scrolled sideways out of view. Marked ``stack`` (site.css), each row
reads as a block below 40rem: its row header on top, each cell on a line of its own after
its column's name. For a screen reader it stays a table, each cell read with its column
header and without the visible name a second time; a wide screen and paper keep the table.
"""

from pprint import pformat

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Board, Recommendation
from recommendations.roles import AUDITOR_GROUP
from responses.models import MeasureUpdate, Response
from tests.browser.conftest import SCREENSHOT_DIR
from tests.browser.helpers import axe_violations, login
from tests.factories import make_assessment

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}
SCREENSHOTS = SCREENSHOT_DIR / "long-text-tables"

# Per stacked table: whether it scrolls sideways, how it is laid out, whether each cell's
# visible name is its column's header, and the accessible roles the browser gives it.
MEASURE = """() => Array.from(document.querySelectorAll('main table.stack'), (table) => {
  const headers = Array.from(table.querySelectorAll('thead th'), (th) => th.textContent.trim());
  const mislabelled = [];
  for (const row of table.querySelectorAll('tbody tr')) {
    Array.from(row.children).forEach((cell, index) => {
      const label = cell.getAttribute('data-label');
      if (cell.tagName !== 'TD' || cell.hasAttribute('colspan')) return;
      // A cell may go without a name where its content says it ("Ändra", a link).
      const names_itself = label === null && cell.textContent.trim().startsWith(headers[index]);
      if (label !== headers[index] && !names_itself) {
        mislabelled.push(`${label} in the column ${headers[index]}`);
      }
    });
  }
  const box = table.closest('.table-scroll') || table.parentElement;
  const caption = table.querySelector('caption');
  return {
    caption: caption ? caption.textContent.trim() : '',
    sideways: box.scrollWidth - box.clientWidth,
    display: getComputedStyle(table.querySelector('tbody tr')).display,
    mislabelled: mislabelled,
  };
})"""


def stacked_tables(page) -> list[dict]:
    return page.evaluate(MEASURE)


def check(page, name: str, url: str) -> list[str]:
    """Visit ``url`` at 320 px, 1280 px and in print; photograph it; return what is wrong."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    page.set_viewport_size(PHONE)
    response = page.goto(url)
    assert response.ok, f"{name}: HTTP {response.status}"
    page.screenshot(path=str(SCREENSHOTS / f"{name}-320.png"), full_page=True)
    tables = stacked_tables(page)
    if not tables:
        problems.append("no stacked table")
    for table in tables:
        if table["sideways"] > 0:
            problems.append(f"{table['caption']}: scrolls {table['sideways']} px sideways")
        if table["display"] != "block":
            problems.append(f"{table['caption']}: a row is {table['display']} at 320 px")
        problems += [f"{table['caption']}: {each}" for each in table["mislabelled"]]
    # For a screen reader a table with its headers, as on a wide screen: the same roles,
    # the same names (no cell's name starts with the visible name of its column).
    on_a_phone = [table.aria_snapshot() for table in page.locator("main table.stack").all()]
    problems += [
        f"not a table with column headers at 320 px:\n{snapshot[:300]}"
        for snapshot in on_a_phone
        if "- table" not in snapshot or "columnheader" not in snapshot
    ]
    problems += axe_violations(page)

    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-1280.png"), full_page=True)
    on_a_desktop = [table.aria_snapshot() for table in page.locator("main table.stack").all()]
    problems += [
        f"a screen reader reads a table otherwise at 320 px:\n{phone[:600]}\n{desktop[:600]}"
        for phone, desktop in zip(on_a_phone, on_a_desktop, strict=True)
        if phone != desktop
    ]
    problems += [
        f"{table['caption']}: a row is {table['display']} at 1280 px"
        for table in stacked_tables(page)
        if table["display"] != "table-row"
    ]
    page.emulate_media(media="print")
    page.screenshot(path=str(SCREENSHOTS / f"{name}-print.png"), full_page=True)
    problems += [
        f"{table['caption']}: a row is {table['display']} on paper"
        for table in stacked_tables(page)
        if table["display"] != "table-row"
    ]
    page.emulate_media(media="screen")
    return problems


def test_public_tables_of_long_text_read_row_by_row_on_a_phone(page, seeds):
    recommendation = Recommendation.objects.get(audit__reference="SR-2018-71", position=10)
    reported = MeasureUpdate.objects.filter(entry__response__state=Response.State.PUBLISHED)
    response = reported.order_by("pk").first().entry.response
    urls = {
        "recommendation": recommendation.get_absolute_url(),
        "response": response.get_absolute_url(),
        "board": Board.objects.get(short_code="ASN").get_absolute_url(),
        "council-report": reverse(
            "reports:council_report", args=["malmo-stad", timezone.localdate().year]
        ),
    }
    problems = {name: found for name, url in urls.items() if (found := check(page, name, url))}
    assert problems == {}, pformat(problems)


def test_the_auditors_tables_of_long_text_read_row_by_row_on_a_phone(page, seeds, make_user):
    make_user("revisor", groups=[AUDITOR_GROUP])
    login(page, "revisor")
    recommendation = Recommendation.objects.get(audit__reference="SR-2018-71", position=10)
    make_assessment(
        recommendation,
        recommendation.audit.rounds.order_by("sequence").last(),
        comment="Revisionen bedömer att nämnden har tagit fram en rutin för uppföljning av "
        "insatserna men att den ännu inte används i alla delar av förvaltningen.",
    )
    urls = {
        "attention": f"{reverse('auditors:attention')}?since=2019-01-01",
        "assessment": reverse("auditors:assess", args=[recommendation.pk]),
        "recommendation-history": reverse(
            "auditors:recommendation_history", args=[recommendation.pk]
        ),
    }
    problems = {name: found for name, url in urls.items() if (found := check(page, name, url))}
    assert problems == {}, pformat(problems)
