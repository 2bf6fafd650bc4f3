"""Mail and calendars in a real browser: a case officer sets their choices under Mitt konto,
a visitor follows a board by e-mail, a locked-out user finds the way back in."""

import time

import pytest
from django.core import mail

from notifications.models import Follower, Frequency, Kind, Preference, Profile
from recommendations.roles import STAFF_GROUP
from tests.browser.conftest import SCREENSHOT_DIR
from tests.browser.helpers import assert_accessible, login
from tests.factories import build_sample

pytestmark = pytest.mark.browser


@pytest.fixture
def sample():
    return build_sample()


def narrow_screenshot(page, name):
    """The page at 320 px (WCAG reflow), kept beside the test's own screenshot."""
    page.set_viewport_size({"width": 320, "height": 800})
    folder = SCREENSHOT_DIR / "320px"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the page scrolls sideways at 320 px ({width} px wide)"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_case_officer_chooses_weekly_reminders_in_english(page, sample, make_user):
    user = make_user("handlaggare", groups=[STAFF_GROUP], boards=[sample.asn])

    login(page, "handlaggare")
    page.get_by_role("link", name="Mitt konto").click()
    assert page.locator("h1").inner_text() == "Mitt konto"
    assert_accessible(page)
    narrow_screenshot(page, "notifications-my-account")

    page.get_by_role("group", name="Språk i e-post").get_by_label("engelska").check()
    page.get_by_role(
        "group", name="Nya uppföljningsomgångar och påminnelser om nämndens svar och åtgärder"
    ).get_by_label("en gång i veckan").check()
    page.get_by_role("button", name="Spara", exact=True).click()

    assert page.get_by_role("status").inner_text() == "Dina val är sparade."
    assert Profile.objects.get(user=user).language == "en"
    assert Preference.frequency_for(user, Kind.BOARD_REMINDER) == Frequency.WEEKLY
    calendar = page.locator(".calendar-links code").first.inner_text()
    assert f"/namnder/{sample.asn.pk}.ics" in calendar


def test_a_visitor_follows_a_board_and_confirms_by_mail(page, sample, live_server):
    page.goto(sample.asn.get_absolute_url())
    # axe reads the page the link opens, not the one it leaves (a race it once lost).
    with page.expect_navigation():
        page.locator(".follow").get_by_role("link", name="Följ via e-post").click()
    assert_accessible(page)
    page.get_by_label("Din e-postadress").fill("medborgare@example.se")
    page.get_by_role("button", name="Följ", exact=True).click()

    assert page.locator("h1").inner_text() == "Bekräfta i ditt mejl"
    assert not Follower.objects.exists()
    # The mail goes once the page is sent (``mail.send_after_response``): a moment after.
    deadline = time.monotonic() + 10
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.05)
    link = next(
        line for line in mail.outbox[-1].body.splitlines() if "/folj/bekrafta/" in line
    ).strip()
    page.goto(live_server.url + link[link.index("/folj/") :])
    assert_accessible(page)
    page.get_by_role("button", name="Bekräfta").click()

    assert page.locator("h1").inner_text() == "Du följer nu"
    assert Follower.objects.get().board == sample.asn


def test_the_follow_form_and_calendar_links_on_a_board_page(page, sample):
    page.goto(sample.asn.get_absolute_url())

    assert_accessible(page)
    page.get_by_role("heading", name="Följ via e-post").scroll_into_view_if_needed()
    narrow_screenshot(page, "notifications-board-follow")
    response = page.request.get(
        page.get_by_role("link", name="Nämndens svarsdagar och åtgärder").get_attribute("href")
    )
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
