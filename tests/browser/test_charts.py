"""Every chart draws: its bars have a size in Swedish and in English, at full width,
at 320 px and in print, without a console error or warning (the conftest fails on any).

The start page's chart once wrote its geometry with a decimal comma in Swedish
(x="56,0"): chromium rejected every bar with a console error and drew nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import SCREENSHOT_DIR

pytestmark = pytest.mark.browser

REPORT = reverse("reports:council_report", args=["malmo-stad", timezone.localdate().year])
HOME = reverse("recommendations:home")


def bar_sizes(page) -> list[dict]:
    """Every chart bar on the page with the size the browser gave it."""
    return page.eval_on_selector_all(
        "svg.bar-chart rect.bar",
        "rects => rects.map(r => { const b = r.getBBox();"
        " return {chart: r.closest('figure').id, width: b.width, height: b.height}; })",
    )


def choose_english(page):
    page.get_by_role("button", name="In English").click()
    page.wait_for_load_state()


def screenshot(page, name):
    """Kept in a folder of their own: the conftest clears the screenshot folder's files."""
    folder = SCREENSHOT_DIR / "charts"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def chart_geometry(page, language) -> dict:
    """Per page, every bar's chart and size; fails on a bar the browser did not draw."""
    geometry = {}
    for name, url, charts in (
        ("home", HOME, {"status-per-year"}),
        ("report", REPORT, {"outcome-chart", "acted-chart"}),
    ):
        page.goto(url)
        bars = bar_sizes(page)
        assert {bar["chart"] for bar in bars} == charts
        assert all(bar["width"] > 0 and bar["height"] > 0 for bar in bars), bars
        geometry[name] = [(bar["chart"], round(bar["width"], 1)) for bar in bars]
        screenshot(page, f"{name}-{language}")
    return geometry


def test_every_chart_bar_has_a_size_and_the_same_one_in_swedish_and_english(page, seeds):
    swedish = chart_geometry(page, "sv")
    choose_english(page)
    assert page.locator("html").get_attribute("lang") == "en"
    assert chart_geometry(page, "en") == swedish


def test_the_report_reflows_at_320_px_and_prints(page, seeds):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(REPORT)
    assert all(bar["width"] > 0 for bar in bar_sizes(page))
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0  # wide tables scroll in their own box, not the page
    screenshot(page, "report-320")
    page.goto(HOME)
    screenshot(page, "home-320")
    page.set_viewport_size({"width": 1000, "height": 800})
    page.emulate_media(media="print")
    page.goto(REPORT)
    assert all(bar["width"] > 0 for bar in bar_sizes(page))
    screenshot(page, "report-print")
    page.goto(HOME)
    screenshot(page, "home-print")


def test_a_chart_wider_than_a_phone_says_it_scrolls_and_nowhere_else(page, seeds):
    hint = page.locator(".chart-scroll-hint").first
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(HOME)
    assert hint.is_visible()
    assert "dra det i sidled" in hint.inner_text()
    scroller = page.locator(".chart-scroll").first
    assert scroller.evaluate("box => box.scrollWidth > box.clientWidth")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert not hint.is_visible()
    page.set_viewport_size({"width": 320, "height": 800})
    page.emulate_media(media="print")
    assert not hint.is_visible()
