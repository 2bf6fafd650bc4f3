"""Breadcrumbs on a phone: a crumb too long for the rest of its line wraps beside its "›",
not below it, so the separator never stands alone on a line of its own."""

import pytest

from tests.factories import build_sample

pytestmark = pytest.mark.browser

# Where each crumb's "›" (its ::before) and its link's first line begin, from the top.
CRUMB_TOPS = """() => [...document.querySelectorAll('.breadcrumbs li + li')].map(li => {
  const range = document.createRange();
  range.selectNodeContents(li.querySelector('a'));
  return {
    crumb: li.textContent.trim(),
    li: li.getBoundingClientRect().top,
    link: range.getClientRects()[0].top,
  };
})"""


def test_a_long_crumb_wraps_beside_its_separator_at_320_px(page):
    sample = build_sample()
    audit = sample.audit
    # Without a reference the crumb names the audit by its title, too long for one line.
    audit.reference = ""
    audit.title = "Fördjupad granskning av nämndens arbetsmarknadsinsatser och deras effekter"
    audit.save()
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(sample.first_response.get_absolute_url())

    crumbs = page.evaluate(CRUMB_TOPS)
    assert crumbs, "the page has no second crumb"
    for crumb in crumbs:
        # The separator sits on the crumb's first line: the link starts on that line too.
        assert abs(crumb["link"] - crumb["li"]) < 8, crumb
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
