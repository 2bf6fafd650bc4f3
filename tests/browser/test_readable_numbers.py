"""Big counts read grouped, and never break inside a number, on a phone and a desktop: the
national page's counts ("100 043") and how late a measure is ("Försenad 2 716 dagar"),
grouped with a non-breaking space in Swedish (``{{ n|grouped }}``)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Municipality
from responses.models import Measure
from tests.browser.conftest import SCREENSHOT_DIR
from tests.browser.helpers import axe_violations
from tests.factories import make_municipality

pytestmark = pytest.mark.browser

SCREENSHOTS = SCREENSHOT_DIR / "readable-numbers"

# Each grouped number in the elements ``selector`` matches: its text and the lines it takes.
GROUPED = """(selector) => {
  const found = [];
  for (const el of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\d{1,3}(?:\\u00a0\\d{3})+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top)));
        found.push({text: match[0], lines: lines.size});
      }
    }
  }
  return found;
}"""


@pytest.mark.parametrize("width", [1280, 320])
def test_the_national_pages_big_counts_read_grouped_and_whole(page, seeds, width):
    make_municipality(name="Lunds kommun", slug="lund", organisation_number="212000-1173")
    Municipality.objects.filter(slug="malmo-stad").update(
        audit_count=1234, recommendation_count=100043
    )
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(reverse("recommendations:home"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"national-{width}.png"), full_page=True)

    counts = page.evaluate(GROUPED, "#kommuner td")
    assert {"text": "1\u00a0234", "lines": 1} in counts
    assert {"text": "100\u00a0043", "lines": 1} in counts
    assert "100043" not in page.locator("#kommuner").inner_text()
    assert axe_violations(page) == []


def test_how_late_a_measure_is_reads_grouped_and_whole_on_a_phone(page, seeds):
    today = timezone.localdate()
    measure = max(Measure.objects.all(), key=lambda each: each.days_overdue(today))
    assert measure.days_overdue(today) > 999  # the seeds' measures due in 2019 and 2020
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(measure.recommendation.get_absolute_url())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "overdue-320.png"), full_page=True)

    late = page.evaluate(GROUPED, "main .flag-overdue")
    assert late and all(each["lines"] == 1 for each in late), late
    assert axe_violations(page) == []
