"""A refused admin page opens on its list of errors: a screen reader reads it first, Tab
goes on to the first error's link, and the link takes the focus to its field."""

import pytest
from django.urls import reverse

from tests.browser.helpers import login
from tests.factories import make_board, make_municipality

pytestmark = pytest.mark.browser


def test_a_refused_audit_opens_on_its_errors_and_each_leads_to_its_field(page, make_user):
    malmo = make_municipality()
    make_board(short_code="ASN", name="Arbetsmarknadsnämnden", municipality=malmo)
    make_user("kommunadmin", groups=["Administratörer"], is_staff=True)
    login(page, "kommunadmin")
    page.goto(reverse("admin:recommendations_audit_add"))
    page.locator("#id_title").fill("Granskning av IT-säkerhet")

    with page.expect_navigation():
        page.locator("input[name=_save]").click()

    summary = page.locator(".admin-error-summary")
    assert page.evaluate("document.activeElement.className") == "admin-error-summary"
    assert "Granskande organ: Detta fält måste fyllas i." in summary.inner_text()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#id_auditor"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_auditor"
