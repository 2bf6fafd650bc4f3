"""An admin saving a follow-up round an auditor changed while the admin's page was open is
told so, with the round as it now stands above the form as typed; at desk and phone width,
accessible, and the page prints."""

from pathlib import Path

import pytest
from django.urls import reverse

from auditfollowup.lib.dates import FuzzyDate
from recommendations.models import FollowUpRound
from tests.browser.helpers import assert_accessible, login
from tests.factories import build_world

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "admin-round"


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 320])
def test_an_admin_sees_the_round_as_an_auditor_left_it_and_saves_nothing(page, make_user, width):
    world = build_world()
    make_user("kommunadmin", groups=["Administratörer"], is_staff=True)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "kommunadmin")
    page.goto(reverse("admin:recommendations_followupround_change", args=[world.round2.pk]))
    # An auditor moves the deadline while the admin's page is open.
    moved = FollowUpRound.objects.get(pk=world.round2.pk)
    moved.deadline = FuzzyDate.parse("2099-10-31")
    moved.save()
    page.locator("#id_title").fill("Admins rubrik")

    with page.expect_navigation():
        page.locator("input[name=_save]").click()

    assert "Någon annan har ändrat omgång 2" in page.locator(".errornote ~ .errorlist").inner_text()
    current = page.locator(".current-round")
    assert "Omgång 2 som den nu är" in current.inner_text()
    assert "2099-10-31" in current.inner_text()
    assert page.locator("#id_title").input_value() == "Admins rubrik"
    assert FollowUpRound.objects.get(pk=world.round2.pk).title == "Lägesbeskrivning"
    assert_accessible(page)
    if width == 320:
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, f"changed-meanwhile-{width}")
    page.emulate_media(media="print")
    screenshot(page, f"changed-meanwhile-{width}-print")
