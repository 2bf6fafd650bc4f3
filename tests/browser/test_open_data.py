"""A researcher finds the open data from any page: the field dictionary, the API
documentation, and data read from another web page (CORS), in a real browser."""

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


def test_another_web_page_may_read_the_api_but_not_as_the_logged_in_user(page, seeds):
    # about:blank has an opaque origin, so this fetch is a real cross-origin CORS request.
    api = page.context.pages[0]
    api.goto(reverse("recommendations:home"))
    url = api.url.rstrip("/") + reverse("recommendations:api_recommendations")
    api.goto("about:blank")
    count = api.evaluate(
        "async url => (await (await fetch(url, {credentials: 'omit'})).json()).count", url
    )
    assert count > 0
