"""The staff response form with the keyboard alone: reach, see, operate, and hear errors."""

import pytest
from django.urls import reverse

from responses.models import DueDateChange
from tests.browser.helpers import login
from tests.factories import make_round

pytestmark = pytest.mark.browser

CONTROLS = (
    "input:not([type=hidden]):not([disabled]), select:not([disabled]), "
    "textarea:not([disabled]), button:not([disabled]), a[href], summary"
)

# What the focused element looks like: an id for the report, and whether focus is visible
# (a :focus-visible outline at least 2px wide, or a box-shadow ring).
ACTIVE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return {
    key: el.id || el.name || el.textContent.trim().slice(0, 40),
    inForm: !!el.closest("form.response-form"),
    visible: el.matches(":focus-visible") && (outline || style.boxShadow !== "none"),
  };
}"""


def choose_with_arrow_keys(page, label):
    """Move through the focused select's options with the down arrow until ``label``."""
    selected = "document.activeElement.selectedOptions[0].textContent.trim()"
    for _ in range(20):
        if page.evaluate(selected) == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{label!r} cannot be chosen with the arrow keys")


def form_controls(page) -> list[str]:
    """The form's controls as drawn: not those inside a closed fold (the board's latest
    answer under each recommendation), which Tab rightly passes by."""
    return page.locator(f"form.response-form :is({CONTROLS})").evaluate_all(
        "els => els.filter(el => el.checkVisibility())"
        ".map(el => el.id || el.name || el.textContent.trim().slice(0, 40))"
    )


def tab_through_form(page) -> list[dict]:
    """Press Tab from the top of the page until focus has passed through the whole form."""
    page.locator("body").focus()
    seen, left_form = [], False
    for _ in range(200):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if active["inForm"]:
            seen.append(active)
        elif seen:
            left_form = True
            break
    assert left_form, "Tab never left the form: a keyboard trap?"
    return seen


def test_every_control_is_reached_in_order_with_visible_focus(page, staff_draft):
    _sample, response = staff_draft
    login(page, "handlaggare")
    page.goto(reverse("responses:response_edit", args=[response.pk]))

    reached = tab_through_form(page)

    assert [item["key"] for item in reached] == form_controls(page)
    assert [item["key"] for item in reached if not item["visible"]] == []


def test_the_form_is_filled_and_saved_with_the_keyboard_alone(page, staff_draft):
    sample, response = staff_draft
    rec_1 = sample.rec_1
    login(page, "handlaggare")
    page.goto(reverse("responses:response_edit", args=[response.pk]))
    page.locator("body").focus()

    def tab_to(element_id):
        """Press Tab (forwards only) until the element has focus."""
        for _ in range(100):
            page.keyboard.press("Tab")
            active = page.evaluate(
                "document.activeElement.id || document.activeElement.textContent"
            )
            if active == element_id:
                return
            assert active.strip() != "Spara utkast", f"#{element_id} was not reached before the end"
        raise AssertionError(f"#{element_id} cannot be reached with Tab")

    tab_to(f"id_rec-{rec_1.pk}-status")
    choose_with_arrow_keys(page, "Genomförd")
    tab_to(f"id_rec-{rec_1.pk}-narrative")
    page.keyboard.type("Klart.")
    tab_to(f"id_measure-{sample.measure.pk}-due")
    page.keyboard.press("Control+A")
    page.keyboard.type("hösten 2027")
    tab_to(f"id_measure-{sample.measure.pk}-due_reason")
    page.keyboard.type("Upphandlingen överklagades.")
    tab_to(f"id_rec-{sample.rec_2.pk}-status")
    choose_with_arrow_keys(page, "Pågående")
    tab_to("Spara utkast")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.locator(".error-summary").count() == 0, page.locator(".error-summary").inner_text()
    assert "Utkastet är sparat." in page.locator(".messages").inner_text()
    entry = response.entries.get(recommendation=rec_1)
    assert (entry.status, entry.narrative) == ("implemented", "Klart.")
    assert response.entries.get(recommendation=sample.rec_2).status == "in_progress"
    assert DueDateChange.objects.get(measure=sample.measure).reason == (
        "Upphandlingen överklagades."
    )


def test_errors_are_announced_and_lead_to_their_fields(page, staff_draft):
    sample, response = staff_draft
    measure = sample.measure
    login(page, "handlaggare")
    page.goto(reverse("responses:response_edit", args=[response.pk]))
    page.locator(f"#id_rec-{sample.rec_1.pk}-status").select_option("in_progress")
    page.locator(f"#id_rec-{sample.rec_2.pk}-status").select_option("in_progress")
    page.locator(f"#id_measure-{measure.pk}-due").fill("snart")  # not a date
    page.locator(f"#id_measure-{measure.pk}-due").press("Enter")  # submits the form
    page.wait_for_load_state()

    summary = page.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert "Yttrandet är inte sparat: 1 fel att rätta" in summary.inner_text()
    assert "Skriv ett datum som 2026-05-31" in summary.inner_text()
    field = page.locator(f"#id_measure-{measure.pk}-due")
    assert field.get_attribute("aria-invalid") == "true"
    error_id = f"id_measure-{measure.pk}-due_error"
    assert error_id in field.get_attribute("aria-describedby").split()
    assert "Skriv ett datum" in page.locator(f"#{error_id}").inner_text()

    # From the summary, Tab reaches the link to the field and Enter moves focus there.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.error-summary') !== null")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == f"id_measure-{measure.pk}-due"
    assert not DueDateChange.objects.exists()


def test_an_error_summary_link_shows_the_fields_label_with_the_field(page, staff_draft):
    sample, response = staff_draft
    login(page, "handlaggare")
    page.goto(reverse("responses:response_edit", args=[response.pk]))
    due = page.locator(f"#id_measure-{sample.measure.pk}-due")
    due.fill("snart")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara utkast").click()
    page.locator(".error-summary a").filter(has_text="Klart senast").first.click()
    label = page.locator(f"label[for='id_measure-{sample.measure.pk}-due']")
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.id === id",
        arg=f"id_measure-{sample.measure.pk}-due",
    )
    label_box, field_box = label.bounding_box(), due.bounding_box()
    viewport = page.viewport_size["height"]
    assert label_box["y"] >= 0 and field_box["y"] + field_box["height"] <= viewport


def test_the_title_box_is_wide_enough_to_read_the_title(page, staff_draft):
    _sample, response = staff_draft
    login(page, "handlaggare")
    page.goto(reverse("responses:response_edit", args=[response.pk]))
    title = page.get_by_label("Rubrik")
    form_width = page.locator("form.response-form fieldset").first.bounding_box()["width"]
    assert title.bounding_box()["width"] > 0.9 * form_width - 40


def test_attaching_the_pdf_after_typing_keeps_what_was_typed(page, staff_draft, tmp_path):
    from tests.factories import PDF_BYTES

    sample, response = staff_draft
    rec_1 = sample.rec_1
    login(page, "handlaggare")
    page.goto(reverse("responses:response_edit", args=[response.pk]))
    page.locator(f"#id_rec-{rec_1.pk}-status").select_option("in_progress")
    page.locator(f"#id_rec-{rec_1.pk}-narrative").fill("Skrivet just innan beslutet bifogades.")
    pdf = tmp_path / "beslut.pdf"
    pdf.write_bytes(PDF_BYTES)
    # The file chooser is the browser's own dialog: the file is chosen for it, the rest is
    # the keyboard's.
    page.locator("input[name=decision_document]").set_input_files(pdf)
    page.locator("input[name=decision_document]").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Bifoga PDF"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "Utkastet är sparat och det beslutade dokumentet är bifogat." in (
        page.locator(".messages").inner_text()
    )
    assert page.locator(f"#id_rec-{rec_1.pk}-narrative").input_value() == (
        "Skrivet just innan beslutet bifogades."
    )
    response.refresh_from_db()
    assert response.decision_document


def test_the_way_to_publishing_at_the_top_keeps_what_was_typed(page, staff_draft):
    sample, response = staff_draft
    rec_1, rec_2 = sample.rec_1, sample.rec_2
    login(page, "handlaggare")
    page.goto(reverse("responses:response_edit", args=[response.pk]))
    page.locator(f"#id_rec-{rec_1.pk}-status").select_option("in_progress")
    page.locator(f"#id_rec-{rec_2.pk}-status").select_option("planned")
    page.locator(f"#id_rec-{rec_1.pk}-narrative").fill("Skrivet strax före publiceringen.")

    page.get_by_role("link", name="Lämna in eller publicera").focus()
    page.keyboard.press("Enter")
    # Still on the page, at the buttons that save first; Tab goes on from there.
    assert page.url.endswith("#submit-heading")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = "document.activeElement.textContent.trim()"
    assert page.evaluate(focused) == "Spara och gå till publicering"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.endswith(reverse("responses:response_publish", args=[response.pk]))
    entry = response.entries.get(recommendation=rec_1)
    assert entry.narrative == "Skrivet strax före publiceringen."


def test_the_preview_shows_what_was_just_typed_and_enter_in_a_field_still_only_saves(
    page, staff_draft
):
    sample, response = staff_draft
    rec_1 = sample.rec_1
    login(page, "handlaggare")
    page.goto(reverse("responses:response_edit", args=[response.pk]))
    page.locator(f"#id_rec-{rec_1.pk}-status").select_option("in_progress")
    page.locator(f"#id_rec-{rec_1.pk}-narrative").fill("Skrivet strax före förhandsgranskningen.")

    # Always at hand in the bar at the foot of the window, beside "Spara utkast".
    preview = page.locator(".save-bar").get_by_role("button", name="Spara och förhandsgranska")
    assert preview.is_visible()
    with page.expect_navigation():
        preview.click()

    assert page.url.endswith(reverse("responses:response_preview", args=[response.pk]))
    assert "Skrivet strax före förhandsgranskningen." in page.locator("main").inner_text()

    # Enter in a one-line field presses the first button, "Spara utkast": back on the page.
    page.get_by_role("link", name="Redigera utkastet").click()
    page.locator("#id_title").press("Enter")
    page.wait_for_load_state()
    assert page.url.endswith(reverse("responses:response_edit", args=[response.pk]))
    assert "Utkastet är sparat." in page.locator(".messages").inner_text()


def test_at_320_px_a_field_reached_by_tab_is_not_hidden_under_the_save_bar(page, staff_draft):
    _sample, response = staff_draft
    page.set_viewport_size({"width": 320, "height": 640})
    login(page, "handlaggare")
    page.goto(reverse("responses:response_edit", args=[response.pk]))
    page.locator("#id_title").focus()

    # Its first line at least shows above the bar (a tall text box may run on beneath it).
    for _ in range(12):
        page.keyboard.press("Tab")
        box = page.evaluate(
            "(() => { const r = document.activeElement.getBoundingClientRect();"
            " return {top: r.top, bottom: r.bottom}; })()"
        )
        bar = page.locator(".save-bar").bounding_box()
        assert min(box["bottom"], box["top"] + 24) <= bar["y"], page.evaluate(
            "document.activeElement.id"
        )


def test_starting_in_a_round_closed_meanwhile_announces_what_happened_in_view(page, staff_draft):
    # A round the board has not answered yet, closed by the auditors after the page opened.
    _sample, response = staff_draft
    later = make_round(response.round.audit, title="Nästa uppföljning", is_open=True)
    login(page, "handlaggare")
    page.goto(reverse("responses:response_start"))
    later.is_open = False
    later.save()
    owed = page.locator(".owed").filter(has_text="Nästa uppföljning")
    owed.get_by_role("button", name="Påbörja yttrandet").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The summary takes focus, is in view, and says what to do next.
    summary = page.locator(".error-summary")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert "Omgången är inte längre öppen för yttranden" in summary.inner_text()
    box = summary.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]
    assert page.locator(".owed").filter(has_text="Nästa uppföljning").count() == 0
