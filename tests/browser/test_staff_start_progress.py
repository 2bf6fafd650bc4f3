"""The case officer's start page says how far a draft has come, at a desktop's width and
a phone's (320 px)."""

import pytest
from django.urls import reverse

from recommendations.roles import STAFF_GROUP
from responses.models import Response, ResponseEntry
from tests.browser import SCREENSHOT_DIR
from tests.browser.helpers import login
from tests.factories import build_sample

pytestmark = pytest.mark.browser


def test_a_draft_on_the_start_page_says_how_many_recommendations_are_answered(page, make_user):
    sample = build_sample()
    make_user("handlaggare", groups=[STAFF_GROUP], boards=[sample.asn])
    draft = Response.objects.create(board=sample.asn, round=sample.open_round, title="Utkast")
    ResponseEntry.objects.create(response=draft, recommendation=sample.rec_1, status="planned")
    login(page, "handlaggare")
    page.goto(reverse("responses:response_start"))

    owed = page.get_by_role("region", name="Att besvara")
    assert "Utkastet är påbörjat. 1 av 2 rekommendationer besvarade." in owed.inner_text()
    own = page.get_by_role("table", name="Utkast och publicerade yttranden")
    assert "1 av 2 rekommendationer besvarade" in own.get_by_role("row").nth(1).inner_text()

    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        path = SCREENSHOT_DIR / f"staff-start-draft-progress-{width}.png"
        page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    page.screenshot(
        path=str(SCREENSHOT_DIR / "staff-start-draft-progress-print.png"), full_page=True
    )
    page.emulate_media(media="screen")

    # The edit page's contents list counts the same.
    with page.expect_navigation():
        owed.get_by_role("link", name="Fortsätt med utkastet").click()
    contents = page.get_by_role("navigation", name="Rekommendationerna i yttrandet")
    assert contents.inner_text().count("inte besvarad ännu") == 1
