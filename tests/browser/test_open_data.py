"""A researcher finds the open data from any page: the field dictionary and the API
documentation, in a real browser."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser


def test_a_visitor_finds_the_field_dictionary_and_the_api_documentation_from_the_footer(
    page, seeds
):
    page.goto(reverse("recommendations:home"))
    page.locator("footer").get_by_role("link", name="Öppna data").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Öppna data"
    assert page.get_by_role("table", name="Statusvärden").get_by_text("Pågående").count() == 1
    page.get_by_role("link", name="JSON-API:t och dess dokumentation").click()
    assert page.get_by_role("table", name="Fält i API:ts svar").count() == 1


def test_the_field_dictionary_reflows_at_320_pixels(page, seeds):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(reverse("recommendations:open_data"))
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
