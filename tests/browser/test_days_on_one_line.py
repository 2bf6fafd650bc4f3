"""A day the pages write stays on one line, at every width.

On the seeds a first-time visitor read "(sedan 2019-06-" above "30)" in the recommendation
page's measures table at 1280 px, "2026-" above "07-01" in the board page's last column at
1024 px, and a heading of *Att granska* ending in "2026-" above "09-08" on a phone. Each day
the pages write is a ``<time>`` (``{{ date|time_element }}``, ``{{ date|fuzzy_date }}``),
which site.css keeps whole. What the documents say (marked ``lang``) wraps as the text it is.
"""

import pytest
from django.urls import reverse

from recommendations.models import Audit, Board, Recommendation
from recommendations.roles import AUDITOR_GROUP
from responses.models import Response
from tests.browser.helpers import login

pytestmark = pytest.mark.browser

# Every "YYYY-MM-DD" in the page's own words (not inside a document's text, marked lang, nor
# inside a closed "tolkning" marker, which nobody sees) whose characters stand on more than
# one line.
BROKEN_DAYS = r"""() => {
  const broken = [];
  const day = /\d{4}-\d{2}-\d{2}/g;
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    const unseen = 'details:not([open]) > :not(summary), .visually-hidden';
    if (element.closest('main [lang], ' + unseen)) continue;
    for (const match of node.textContent.matchAll(day)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const boxes = [...range.getClientRects()].filter(r => r.width > 0);
      const lines = new Set(boxes.map(r => Math.round(r.top)));
      const where = element.textContent.trim().slice(0, 80);
      if (lines.size > 1) broken.push(`${match[0]} in "${where}"`);
    }
  }
  return broken;
}"""


def public_pages_with_days():
    audit = Audit.objects.get(reference="SR-2018-71")
    return {
        "start": reverse("municipal:home", args=["malmo-stad"]),
        "audit": audit.get_absolute_url(),
        # An overdue measure: "Försenad 2 717 dagar (sedan 2019-06-30)".
        "recommendation": Recommendation.objects.get(audit=audit, position=1).get_absolute_url(),
        "board": Board.objects.get(short_code="ASN").get_absolute_url(),
        "response": Response.objects.get(diary_number="ASN-2018-22109").get_absolute_url(),
    }


def broken_days(page, urls: dict[str, str]) -> dict[str, list[str]]:
    broken = {}
    for name, url in urls.items():
        assert page.goto(url).ok, name
        if found := page.evaluate(BROKEN_DAYS):
            broken[name] = found
    return broken


@pytest.mark.parametrize("width", [1280, 1024, 768, 320])
def test_no_day_the_pages_write_breaks_across_two_lines(page, seeds, make_user, width):
    page.set_viewport_size({"width": width, "height": 900})
    broken = broken_days(page, public_pages_with_days())
    # The auditors' own page, logged in (their pages also show the change history, whose
    # quoted texts are marked as Swedish only on an English page).
    make_user("revisor", groups=[AUDITOR_GROUP])
    login(page, "revisor")
    broken |= broken_days(page, {"attention": reverse("auditors:attention")})
    assert not broken, broken
