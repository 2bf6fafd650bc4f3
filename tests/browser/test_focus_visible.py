"""Focus is visible with the site's own ring (WCAG 2.4.7) where the browser's styling does
not reach by itself: the Tab stops inside a date field."""

import pytest
from django.urls import reverse

from tests.factories import build_sample

pytestmark = pytest.mark.browser

# Whether the field wears a ring: an outline at least 2px wide.
RING = """e => { const s = getComputedStyle(e);
  return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }"""


def test_each_tab_stop_of_a_date_field_shows_the_sites_focus_ring(page, db):
    """A date field's calendar button is a Tab stop inside the field, out of :focus-visible's
    reach: it had only the browser's thin ring, where the field's other stops (year, month,
    day) have the site's. The matrix's "as it was known on" field, as an example."""
    build_sample()
    page.goto(reverse("municipal:matrix", args=["malmo"]))
    day = page.get_by_label("Som det var känt den")
    day.focus()
    rings = []
    while page.evaluate("document.activeElement.type") == "date":
        rings.append(day.evaluate(RING))
        page.keyboard.press("Tab")

    assert len(rings) == 4  # year, month, day and the calendar button
    assert all(rings)
