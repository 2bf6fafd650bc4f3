"""The recommendation list on a phone: the results come after the list's ten filters, a
screen and a half of them at 320 px; a link at the top of the filters leads past them. On a
wide screen, where the results stand beside the filters, it is not shown."""

import pytest
from django.urls import reverse

from tests.factories import build_sample

pytestmark = pytest.mark.browser


def test_on_a_phone_a_link_above_the_filters_leads_to_the_results(page):
    build_sample()
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(reverse("recommendations:recommendation_list"))
    results = page.locator("#results-heading")
    assert results.bounding_box()["y"] > 640  # below the first screen, after the filters

    link = page.get_by_role("link", name="Till träffarna")
    assert link.bounding_box()["y"] < 640
    link.focus()
    page.keyboard.press("Enter")

    assert page.url.endswith("#results-heading")
    assert (
        0
        <= page.evaluate("document.querySelector('#results-heading').getBoundingClientRect().top")
        < 100
    )


def test_on_a_wide_screen_the_results_stand_beside_the_filters_and_no_link_is_shown(page):
    build_sample()
    page.goto(reverse("recommendations:recommendation_list"))
    assert not page.get_by_role("link", name="Till träffarna").is_visible()
    assert page.locator("#results-heading").bounding_box()["y"] < 400
