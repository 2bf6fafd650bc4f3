"""Hostile input: HTML and JavaScript typed into any text field is shown as text, never run.

Every free-text field of the sample data (titles, recommendation wording, narratives,
measures) ends with a payload that would run script if any page printed it unescaped. The
browser checks that no script ran, that no element was injected, and that people see the
characters they typed. (The strict CSP would block an inline script anyway; the page fixture
also fails the test on any CSP violation, so an escaping bug cannot hide behind the CSP.)
"""

import pytest
from django.urls import reverse

from tests.browser.helpers import login
from tests.sample_data import build_sample

pytestmark = pytest.mark.browser

PAYLOAD = (
    ' <script>window.__xss = "script"</script>'
    '<img src="x" onerror="window.__xss = \'img\'">'
    "\"'><svg onload=\"window.__xss = 'svg'\"></svg>"
)
VISIBLE_PART = '<script>window.__xss = "script"</script>'


@pytest.fixture
def hostile():
    return build_sample(text=PAYLOAD)


def assert_nothing_ran(page):
    assert page.evaluate("window.__xss") is None
    assert (
        page.locator(
            "img[src='x'], svg[onload], script:not([src]):not([type='application/json'])"
        ).count()
        == 0
    )


def assert_shown_as_text(page, url):
    page.goto(url)
    assert_nothing_ran(page)
    assert page.get_by_text(VISIBLE_PART).count() >= 1, f"the typed text is not shown on {url}"


def test_public_pages_show_hostile_text_as_text(page, hostile):
    dialogs = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message) or dialog.dismiss())

    for url in (
        reverse("recommendations:home"),
        reverse("recommendations:recommendation_list"),
        reverse("recommendations:recommendation_list") + "?q=uppföljningssystem",
        hostile.rec_1.get_absolute_url(),
        hostile.audit.get_absolute_url(),
        hostile.asn.get_absolute_url(),
        hostile.second_response.get_absolute_url(),
    ):
        assert_shown_as_text(page, url)
    page.goto(reverse("recommendations:matrix"))  # shows the wording cut short
    assert_nothing_ran(page)

    assert dialogs == []


def test_admin_pages_show_hostile_text_as_text(page, hostile, make_user):
    make_user("admin", is_staff=True, is_superuser=True)
    login(page, "admin", url=reverse("admin:login"))

    for url in (
        reverse("admin:recommendations_recommendation_changelist"),
        reverse("admin:responses_measure_changelist"),
    ):
        assert_shown_as_text(page, url)
    for url in (
        reverse("admin:recommendations_recommendation_change", args=[hostile.rec_1.pk]),
        reverse("admin:responses_response_change", args=[hostile.second_response.pk]),
    ):
        page.goto(url)
        assert_nothing_ran(page)
        assert VISIBLE_PART in page.locator("textarea").first.input_value()
