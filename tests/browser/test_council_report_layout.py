"""The council report's tables on a desktop screen: the outcome table once needed 1162 px of
a 1120 px page and cut off its last column ("Källa: revisionens bedömning / nämndens
status"), which only sideways scrolling showed. At 320 px a table may still scroll in its
own region (test_charts.py checks that the page itself does not)."""

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.browser

REPORT = reverse("reports:council_report", args=["malmo-stad", timezone.localdate().year])


def overflowing_tables(page) -> list[str]:
    """The caption of every report table wider than its scrolling region."""
    return page.eval_on_selector_all(
        ".table-scroll > table",
        "tables => tables.filter(t => t.parentElement.scrollWidth > t.parentElement.clientWidth)"
        ".map(t => t.caption.textContent)",
    )


@pytest.mark.parametrize("width", [1280, 1440])
def test_every_report_table_fits_a_desktop_screen_in_swedish_and_english(page, seeds, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(REPORT)
    assert page.locator("table.report-table").count() >= 4
    assert overflowing_tables(page) == []
    page.get_by_role("button", name="In English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert overflowing_tables(page) == []
