"""The error pages in a real browser: WCAG 2.1 AA, reflow at 320 px, a way back."""

import pytest

from tests.browser.helpers import axe_violations

pytestmark = pytest.mark.browser


def test_the_404_page_meets_wcag_and_leads_back_to_the_start(page, db):
    response = page.goto("/finns-inte/")

    assert response.status == 404
    assert axe_violations(page) == []
    assert page.locator("h1").inner_text() == "Sidan finns inte"
    page.get_by_role("link", name="Till startsidan").click()
    page.wait_for_url("**/")
    assert page.locator("h1").count() == 1


def test_the_404_page_reflows_at_320_px_in_english(page, db):
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto("/finns-inte/")
    page.get_by_role("button", name="In English").click()
    page.wait_for_load_state()

    assert page.locator("h1").inner_text() == "Page not found"
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320
