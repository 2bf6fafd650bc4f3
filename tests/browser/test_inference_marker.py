"""The "tolkning" marker in a real browser: opened with the keyboard, accessible (axe), fits
320 px, and prints its reason. Data: the seed fixtures, the real Malmö documents."""

import pytest

from recommendations.models import Recommendation
from responses.models import Response
from tests.browser.helpers import assert_accessible

pytestmark = pytest.mark.browser


def passive_recommendation_url():
    return Recommendation.objects.get(audit__reference="SR-2018-71", position=3).get_absolute_url()


def test_a_keyboard_user_opens_the_reason_of_an_interpretation(page, seeds):
    page.goto(passive_recommendation_url())
    marker = page.locator(".facts .inference summary").first
    reason = page.locator(".facts .inference .inference-reason").first
    assert marker.inner_text() == "tolkning"
    assert not reason.is_visible()

    marker.focus()
    page.keyboard.press("Enter")

    assert reason.is_visible()
    assert "Meningen är passiv" in reason.inner_text()
    assert_accessible(page)


def test_the_marked_pages_meet_wcag_and_reflow_at_320_px(page, seeds):
    page.set_viewport_size({"width": 320, "height": 800})
    proposal = Response.objects.get(round__audit__title__startswith="Fördjupad", round__sequence=2)
    for url in (passive_recommendation_url(), proposal.get_absolute_url()):
        page.goto(url)
        for summary in page.locator(".inference summary").all():
            summary.click()
        assert_accessible(page)
        # Reflow: nothing wider than the viewport, so no sideways scrolling (WCAG 1.4.10).
        assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_print_shows_every_reason_without_opening_anything(page, seeds):
    page.goto(passive_recommendation_url())
    page.emulate_media(media="print")

    assert not page.locator(".inference summary").first.is_visible()
    printed = page.locator(".facts .inference-print").first
    assert printed.is_visible()
    assert printed.inner_text().startswith("(tolkning: Meningen är passiv")
