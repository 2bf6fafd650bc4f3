"""An auditor asks the boards for a follow-up from the audit's page, and the board's case
officer finds the new round among those to answer; at phone width and by keyboard."""

import pytest

from recommendations.models import Audit, Board, FollowUpRound
from recommendations.roles import AUDITOR_GROUP, STAFF_GROUP
from tests.browser.helpers import assert_accessible, login

pytestmark = pytest.mark.browser


def test_an_auditor_asks_for_a_follow_up_and_the_boards_case_officer_can_answer_it(
    page, seeds, make_user
):
    audit = Audit.objects.get(reference="SR-2018-71")
    asn = Board.objects.get(short_code="ASN", municipality=audit.municipality)
    make_user("revisor", groups=[AUDITOR_GROUP])
    make_user("asn", groups=[STAFF_GROUP], boards=[asn])
    page.set_viewport_size({"width": 320, "height": 800})
    login(page, "revisor")
    page.goto(audit.get_absolute_url())
    page.get_by_role("link", name="Begär uppföljning").click()

    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # A deadline already passed is refused, with the error summary focused.
    page.get_by_label("Rubrik").fill("Uppföljning av arbetsmarknadsinsatserna 2027")
    page.get_by_label("Sista svarsdag").fill("2020-01-31")
    page.get_by_label("Arbetsmarknads- och socialnämnden").check()
    page.get_by_role("button", name="Begär uppföljning").click()
    # It says what to do: a later day, or a round recorded after the fact, not open.
    summary = page.locator(".error-summary").inner_text()
    assert "Sista svarsdagen har redan passerat. Ange en senare dag" in summary
    assert "kryssa ur Öppen för yttranden" in summary

    page.get_by_label("Sista svarsdag").fill("våren 2099")
    page.get_by_label("Sista svarsdag").press("Enter")
    assert "Omgång 4 är begärd." in page.locator(".messages").inner_text()
    new_round = page.locator("#omgang-4")
    assert "Uppföljning av arbetsmarknadsinsatserna 2027" in new_round.inner_text()
    assert "senast våren 2099" in new_round.inner_text()
    assert "öppen för yttranden" in new_round.inner_text()
    assert FollowUpRound.objects.get(audit=audit, sequence=4).deadline.start.year == 2099

    page.context.clear_cookies()
    login(page, "asn")
    page.get_by_role("link", name="Nämndens yttranden").first.click()
    assert "Uppföljning av arbetsmarknadsinsatserna 2027" in page.locator("main").inner_text()
