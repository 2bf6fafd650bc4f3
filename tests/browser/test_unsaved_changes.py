"""Leaving a form with what was typed not saved: the browser asks first, and only then."""

import pytest
from django.urls import reverse

from recommendations.roles import AUDITOR_GROUP
from tests.browser.helpers import login

pytestmark = pytest.mark.browser


class Questions:
    """The "leave the page?" questions the browser asks, answered as the test decides."""

    def __init__(self, page, *, stay: bool):
        self.asked = 0
        self.stay = stay
        page.on("dialog", self.answer)

    def answer(self, dialog):
        assert dialog.type == "beforeunload"
        self.asked += 1
        if self.stay:
            dialog.dismiss()
        else:
            dialog.accept()


def leave_by_link(page, name):
    """Click a link of the page's own (the history link, out of the form), as a person
    would; the browser asks before it goes, if the page wants it to."""
    page.get_by_role("link", name=name).click()
    page.wait_for_load_state()


def test_staff_are_asked_before_a_link_leaves_their_typed_text_and_may_stay(page, staff_draft):
    _sample, response = staff_draft
    login(page, "handlaggare")
    edit_url = reverse("responses:response_edit", args=[response.pk])
    page.goto(edit_url)
    narrative = page.get_by_label("Redovisning").first
    narrative.fill("Utbildningen av handläggarna pågår och avslutas i mars.")

    questions = Questions(page, stay=True)
    leave_by_link(page, "Ändringshistorik")

    assert questions.asked == 1
    assert page.url.endswith(edit_url)
    assert narrative.input_value() == "Utbildningen av handläggarna pågår och avslutas i mars."


def test_staff_who_choose_to_leave_go_where_the_link_leads(page, staff_draft):
    _sample, response = staff_draft
    login(page, "handlaggare")
    page.goto(reverse("responses:response_edit", args=[response.pk]))
    page.get_by_label("Redovisning").first.fill("Ett svar som inte ska sparas.")

    questions = Questions(page, stay=False)
    with page.expect_navigation():
        page.get_by_role("link", name="Ändringshistorik").click()

    assert questions.asked == 1
    assert page.url.endswith(reverse("responses:response_history", args=[response.pk]))


def test_nothing_is_asked_when_nothing_was_changed_or_the_change_was_undone(page, staff_draft):
    _sample, response = staff_draft
    login(page, "handlaggare")
    page.goto(reverse("responses:response_edit", args=[response.pk]))
    questions = Questions(page, stay=True)
    title = page.get_by_label("Rubrik")
    title.fill("Något annat")
    title.fill("Lägesbeskrivning 2026")

    with page.expect_navigation():
        page.get_by_role("link", name="Ändringshistorik").click()

    assert questions.asked == 0


def test_saving_the_draft_leaves_without_a_question_and_keeps_the_text(page, staff_draft):
    _sample, response = staff_draft
    login(page, "handlaggare")
    page.goto(reverse("responses:response_edit", args=[response.pk]))
    questions = Questions(page, stay=True)
    page.get_by_label("Rubrik").fill("Lägesbeskrivning mars 2026")

    with page.expect_navigation():
        page.get_by_role("button", name="Spara utkast").click()

    assert questions.asked == 0
    assert "sparat" in page.locator(".messages").inner_text()
    response.refresh_from_db()
    assert response.title == "Lägesbeskrivning mars 2026"
    # Saved: leaving now asks nothing.
    with page.expect_navigation():
        page.get_by_role("link", name="Ändringshistorik").click()
    assert questions.asked == 0


def test_a_form_sent_back_with_errors_counts_as_unsaved_even_untouched(
    page, staff_draft, make_user
):
    sample, _response = staff_draft
    make_user("revisor", groups=[AUDITOR_GROUP])
    login(page, "revisor")
    page.goto(reverse("auditors:assess", args=[sample.rec_1.pk]))
    page.get_by_label("Kommentar").fill("En kommentar utan bedömning.")
    page.get_by_role("button", name="Spara bedömning").click()
    assert page.locator(".error-summary").count() == 1

    # Nothing typed since the page came back, but none of it is saved.
    questions = Questions(page, stay=True)
    leave_by_link(page, "Att granska")

    assert questions.asked == 1
    assert page.get_by_label("Kommentar").input_value() == "En kommentar utan bedömning."
